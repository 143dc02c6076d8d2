/**
 * What a client's service definition uses, as the rules and the cost estimate see it.
 */
import { ServiceKindSchema, type ServiceConfig, type ServiceKind } from '../config/schema.js';
import type { ServiceUsage } from './types.js';

const sortedUnique = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/**
 * The OpenStack services and the abstract sizes, images and volume tiers a service uses.
 *
 * `network` is always used (every client has a tenant network); `compute` when there is a server group;
 * `blockStorage` when a server group has a volume; `loadBalancer`, `objectStorage` and `dns` when their
 * section is present.
 *
 * @example serviceUsage(service) // { services: ['compute', 'network'], sizes: ['small'], images: ['debian-12'], volumeTiers: [] }
 */
export function serviceUsage(service: ServiceConfig): ServiceUsage {
  const groups = service.serverGroups ?? [];
  const used = new Set<ServiceKind>(['network']);
  if (groups.length > 0) used.add('compute');
  if (groups.some((g) => (g.volumes ?? []).length > 0)) used.add('blockStorage');
  if (service.loadBalancer) used.add('loadBalancer');
  if (service.objectStorage) used.add('objectStorage');
  if (service.dns) used.add('dns');
  return {
    services: ServiceKindSchema.options.filter((kind) => used.has(kind)),
    sizes: sortedUnique(groups.map((g) => g.size)),
    images: sortedUnique(groups.map((g) => g.image)),
    volumeTiers: sortedUnique(groups.flatMap((g) => (g.volumes ?? []).map((v) => v.tier))),
  };
}
