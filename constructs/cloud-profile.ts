/**
 * The resolved facts of one cloud that the constructs need, and nothing else.
 *
 * Constructs receive a `CloudProfile` instead of a `CloudConfig`: they never see the cloud's
 * sovereignty facts, never branch on its id and never read files or the environment. Every
 * cloud-specific value they emit (flavor, image, volume type, external network, availability zones)
 * comes from here, which is what makes the same client synthesize the same way on two clouds
 * except for catalog-driven attributes.
 */
import type { CloudConfig, CloudOperations, ServiceKind } from '../core/config/schema.js';

/** How long the OpenStack provider waits on an Octavia resource in PENDING_* before failing: Go durations such as `20m`. */
export type LoadBalancerTimeouts = CloudOperations['loadBalancerTimeouts'];

/**
 * Error thrown when an abstract name (size, image, volume tier) has no entry in the cloud's catalog,
 * or when a client needs a service the cloud does not offer.
 *
 * @example
 * try { profile.resolveFlavor('huge'); } catch (e) { if (e instanceof CatalogError) console.error(e.message); }
 */
export class CatalogError extends Error {
  /**
   * @param kind What was looked up: `size`, `image`, `volume tier` or `service`.
   * @param abstractName The abstract name that is missing.
   * @param cloudId The cloud whose catalog lacks it.
   * @param known The names the catalog does have (listed in the message). Default: none.
   */
  constructor(
    readonly kind: 'size' | 'image' | 'volume tier' | 'service',
    readonly abstractName: string,
    readonly cloudId: string,
    known: readonly string[] = [],
  ) {
    const where = kind === 'service' ? 'services offered by' : `catalog of`;
    const list = known.length > 0 ? ` (known: ${[...known].sort().join(', ')})` : ' (none defined)';
    super(`${kind} "${abstractName}" is not in the ${where} cloud ${cloudId}${list}`);
    this.name = 'CatalogError';
  }
}

/**
 * Input of {@link CloudProfile}: plain data, usually built by {@link cloudProfileFrom}.
 */
export interface CloudProfileProps {
  /** Id of the cloud; used only in error messages, never to branch. No default. */
  readonly cloudId: string;
  /** OpenStack region name. No default. */
  readonly region: string;
  /** Availability zones servers are spread over, in order (round-robin). At least one. No default. */
  readonly availabilityZones: readonly string[];
  /** Name of the external (provider) network for router gateways and floating IPs. No default. */
  readonly externalNetwork: string;
  /**
   * UUID of the external network. When set, routers use it directly and no data source is read,
   * so a plan of new resources needs no API call. Default: undefined (look the network up by name).
   */
  readonly externalNetworkId?: string;
  /** Abstract size → flavor name. Default: empty (every lookup fails). */
  readonly flavors?: Readonly<Record<string, string>>;
  /** Abstract image → image name. Default: empty. */
  readonly images?: Readonly<Record<string, string>>;
  /** Abstract volume tier → volume type. Default: empty. */
  readonly volumeTypes?: Readonly<Record<string, string>>;
  /** OpenStack services the cloud offers. Default: empty. */
  readonly services?: readonly ServiceKind[];
  /**
   * `timeouts` of every Octavia resource (the cloud's `operations.loadBalancerTimeouts`).
   * Default: none written (the provider's own). Example: `{ create: '20m', update: '20m', delete: '20m' }`.
   */
  readonly loadBalancerTimeouts?: LoadBalancerTimeouts;
  /** Servers boot from a new volume made from the image (`catalog.bootFromVolume`). Default false. */
  readonly bootFromVolume?: boolean;
}

/**
 * What a construct may know about the cloud it is synthesized for.
 *
 * @example
 * const profile = cloudProfileFrom(cloud);
 * profile.resolveFlavor('medium'); // 'b2.c4r8' on one cloud, 'm1.medium' on the other
 */
export class CloudProfile {
  /** Cloud id, for error messages only. */
  readonly cloudId: string;
  /** OpenStack region. */
  readonly region: string;
  /** Availability zones, in round-robin order. */
  readonly availabilityZones: readonly string[];
  /** External network name (floating IP pool; looked up by name when its id is unknown). */
  readonly externalNetwork: string;
  /** External network UUID when the cloud config declares it. */
  readonly externalNetworkId: string | undefined;
  /** Abstract size → flavor name. */
  readonly flavors: Readonly<Record<string, string>>;
  /** Abstract image → image name. */
  readonly images: Readonly<Record<string, string>>;
  /** Abstract volume tier → volume type. */
  readonly volumeTypes: Readonly<Record<string, string>>;
  /** Services offered. */
  readonly services: readonly ServiceKind[];
  /** `timeouts` of Octavia resources, when the cloud sets them. */
  readonly loadBalancerTimeouts: LoadBalancerTimeouts | undefined;
  /** Servers boot from a volume made from the image instead of the flavor's disk. */
  readonly bootFromVolume: boolean;

  /** @param props The cloud facts; see {@link CloudProfileProps} for defaults. */
  constructor(props: CloudProfileProps) {
    if (props.availabilityZones.length === 0) {
      throw new Error(`cloud ${props.cloudId} has no availability zone; a profile needs at least one`);
    }
    this.cloudId = props.cloudId;
    this.region = props.region;
    this.availabilityZones = [...props.availabilityZones];
    this.externalNetwork = props.externalNetwork;
    this.externalNetworkId = props.externalNetworkId;
    this.flavors = { ...(props.flavors ?? {}) };
    this.images = { ...(props.images ?? {}) };
    this.volumeTypes = { ...(props.volumeTypes ?? {}) };
    this.services = [...(props.services ?? [])];
    this.loadBalancerTimeouts = props.loadBalancerTimeouts ? { ...props.loadBalancerTimeouts } : undefined;
    this.bootFromVolume = props.bootFromVolume ?? false;
  }

  /** Flavor name for an abstract size; throws {@link CatalogError} when the catalog lacks it. */
  resolveFlavor(size: string): string {
    return lookup(this.flavors, size, 'size', this.cloudId);
  }

  /** Image name for an abstract image; throws {@link CatalogError} when the catalog lacks it. */
  resolveImage(image: string): string {
    return lookup(this.images, image, 'image', this.cloudId);
  }

  /** Volume type for an abstract tier; throws {@link CatalogError} when the catalog lacks it. */
  resolveVolumeType(tier: string): string {
    return lookup(this.volumeTypes, tier, 'volume tier', this.cloudId);
  }

  /** True when the cloud offers the service. */
  offers(service: ServiceKind): boolean {
    return this.services.includes(service);
  }

  /** Throws {@link CatalogError} when the cloud does not offer the service. */
  requireService(service: ServiceKind): void {
    if (!this.offers(service)) throw new CatalogError('service', service, this.cloudId, this.services);
  }

  /** Availability zone of the `index`-th (0-based) server of a group: round-robin over the zones. */
  zoneFor(index: number): string {
    return this.availabilityZones[index % this.availabilityZones.length];
  }
}

function lookup(map: Readonly<Record<string, string>>, name: string, kind: 'size' | 'image' | 'volume tier', cloudId: string): string {
  const value = Object.prototype.hasOwnProperty.call(map, name) ? map[name] : undefined;
  if (value === undefined) throw new CatalogError(kind, name, cloudId, Object.keys(map));
  return value;
}

/**
 * Builds the profile of a validated cloud config.
 *
 * @example
 * const profile = cloudProfileFrom(CloudSchema.parse(yamlObject));
 */
export function cloudProfileFrom(cloud: CloudConfig): CloudProfile {
  return new CloudProfile({
    cloudId: cloud.id,
    region: cloud.openstack.region,
    availabilityZones: cloud.openstack.availabilityZones,
    externalNetwork: cloud.openstack.externalNetwork,
    ...(cloud.openstack.externalNetworkId ? { externalNetworkId: cloud.openstack.externalNetworkId } : {}),
    flavors: cloud.catalog.sizes,
    images: cloud.catalog.images,
    volumeTypes: cloud.catalog.volumeTiers,
    services: cloud.openstack.services,
    loadBalancerTimeouts: cloud.operations.loadBalancerTimeouts,
    bootFromVolume: cloud.catalog.bootFromVolume,
  });
}
