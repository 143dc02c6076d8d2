/**
 * Host → cloud: which declared cloud owns each host, clouds.yaml entry and endpoint a synthesized
 * stack carries. Pure; the rules `provider-matches-placement` and `sensitive-state-backend` decide
 * on what it returns.
 *
 * A cloud owns the hosts of its `openstack.authUrl`, of its state endpoint (unless `state.hostedIn`
 * names another cloud) and those listed under `hosts` (see core/config/hosts.ts). Loopback hosts may
 * be owned by several clouds (the lab runs them all on one machine).
 */
import { isLoopbackHost, parseEndpoint, type Endpoint } from '../config/endpoints.js';
import { cloudHostClaims } from '../config/hosts.js';
import type { CloudConfig } from '../config/schema.js';
import { isExpression } from './values.js';

/** Host and clouds.yaml-entry ownership of an estate's clouds. */
export interface HostMap {
  /** Ids of the clouds owning `host` (normalized), sorted; empty when no cloud declares it. */
  ownersOf(host: string): readonly string[];
  /** Ids of the clouds whose `openstack.cloudsYamlName` is `name` (exact, as OpenStack matches it), sorted. */
  cloudsNamed(name: string): readonly string[];
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  map.set(key, (map.get(key) ?? new Set()).add(value));
}

/**
 * The host map of a list of clouds.
 *
 * @example
 * const hosts = buildHostMap([sovereign, vendor]);
 * hosts.ownersOf('oss.eu-west-0.vendor.example'); // ['vendor-eu-west-0']
 * hosts.cloudsNamed('sovereign-fr1'); // ['sovereign-fr1']
 */
export function buildHostMap(clouds: readonly CloudConfig[]): HostMap {
  const byHost = new Map<string, Set<string>>();
  const byName = new Map<string, Set<string>>();
  for (const cloud of clouds) {
    for (const claim of cloudHostClaims(cloud)) addTo(byHost, claim.host, claim.cloudId);
    if (cloud.openstack.cloudsYamlName !== undefined) addTo(byName, cloud.openstack.cloudsYamlName, cloud.id);
  }
  const sorted = (set: Set<string> | undefined): readonly string[] => [...(set ?? [])].sort();
  return {
    ownersOf: (host) => sorted(byHost.get(host)),
    cloudsNamed: (name) => sorted(byName.get(name)),
  };
}

/** How a stack value that must name a host resolves. */
export type HostResolution =
  /** A Terraform expression (`${var.x}`): the host is decided only at plan time. */
  | { readonly kind: 'expression' }
  /** Not an endpoint at all, or one naming no host. */
  | { readonly kind: 'invalid'; readonly problem: string }
  /** The endpoint and, for each of its hosts, the clouds owning it. */
  | {
      readonly kind: 'hosts';
      readonly endpoint: Endpoint;
      readonly hosts: readonly { readonly host: string; readonly owners: readonly string[] }[];
    };

/**
 * Resolves a URL (`form: 'url'`) or PostgreSQL connection string (`form: 'pg'`) of a stack to the
 * clouds owning its hosts.
 *
 * @example
 * resolveEndpoint(hosts, 'https://IAM.eu-west-0.vendor.example.:443/v3');
 * // { kind: 'hosts', endpoint: {…}, hosts: [{ host: 'iam.eu-west-0.vendor.example', owners: ['vendor-eu-west-0'] }] }
 */
export function resolveEndpoint(map: HostMap, value: string, form: 'url' | 'pg' = 'url'): HostResolution {
  if (isExpression(value)) return { kind: 'expression' };
  const parsed = parseEndpoint(value, form);
  if (!parsed.ok) return { kind: 'invalid', problem: parsed.problem };
  if (parsed.endpoint.hosts.length === 0) return { kind: 'invalid', problem: 'names no host' };
  return { kind: 'hosts', endpoint: parsed.endpoint, hosts: parsed.endpoint.hosts.map((host) => ({ host, owners: map.ownersOf(host) })) };
}

/**
 * The one cloud a host belongs to: its sole owner; for a loopback host shared by several clouds (the
 * lab), `preferred` (the placed cloud, or the cloud the state is declared in) when it is among them.
 * Undefined when no cloud owns it, or several do and the host is not loopback (a conflict the config
 * validation refuses: fail closed).
 *
 * @example ownerFor('127.0.0.1', ['lab-sovereign', 'lab-vendor'], 'lab-vendor'); // 'lab-vendor'
 */
export function ownerFor(host: string, owners: readonly string[], preferred: string): string | undefined {
  if (owners.length === 1) return owners[0];
  return isLoopbackHost(host) && owners.includes(preferred) ? preferred : undefined;
}
