/**
 * A client's whole IaaS service on one cloud: network, security groups, servers, load balancer,
 * object storage and DNS, composed from its `ServiceConfig`.
 */
import { Construct } from 'constructs';
import type { ServiceConfig, ServiceKind } from '../core/config/schema.js';
import type { CloudProfile } from './cloud-profile.js';
import { Dns } from './dns.js';
import type { ResourceLabels } from './labels.js';
import { LoadBalancer } from './load-balancer.js';
import { ObjectStorage } from './object-storage.js';
import { SecurityGroups } from './security-groups.js';
import { ServerGroup } from './server-group.js';
import { TenantNetwork } from './tenant-network.js';

/**
 * Props of {@link IaasService}.
 */
export interface IaasServiceProps {
  /** Cloud facts. No default. */
  readonly profile: CloudProfile;
  /** What the client runs (validated `ServiceConfig`). No default. */
  readonly service: ServiceConfig;
  /** Labels applied to every resource that takes tags or metadata. No default. */
  readonly labels: ResourceLabels;
  /** Prefix of OpenStack resource names. Default: the client id from `labels`. */
  readonly namePrefix?: string;
}

/** OpenStack services a service definition needs, in `ServiceKind` order. */
export function servicesNeeded(service: ServiceConfig): ServiceKind[] {
  const needed = new Set<ServiceKind>(['network']);
  if (service.serverGroups.length > 0) needed.add('compute');
  if (service.serverGroups.some((g) => g.volumes.length > 0)) needed.add('blockStorage');
  if (service.loadBalancer) needed.add('loadBalancer');
  if (service.objectStorage) needed.add('objectStorage');
  if (service.dns) needed.add('dns');
  const order: ServiceKind[] = ['compute', 'network', 'blockStorage', 'loadBalancer', 'objectStorage', 'dns'];
  return order.filter((k) => needed.has(k));
}

/**
 * The client's service. Child ids: `network`, `security-groups`, `servers/<group>`,
 * `load-balancer`, `object-storage`, `dns`. Throws a `CatalogError` before creating anything when the
 * cloud lacks a needed service, size, image or volume tier.
 *
 * @example
 * new IaasService(stack, 'service', { profile: cloudProfileFrom(cloud), service: client.service,
 *   labels: new ResourceLabels({ clientId: client.id, cloudId: cloud.id, sensitivity: 'standard', version: '0.1.0' }) });
 */
export class IaasService extends Construct {
  /** The tenant network. */
  readonly network: TenantNetwork;
  /** The security groups. */
  readonly securityGroups: SecurityGroups;
  /** Server groups by name. */
  readonly serverGroups: Readonly<Record<string, ServerGroup>>;
  /** The load balancer, when `service.loadBalancer`. */
  readonly loadBalancer?: LoadBalancer;
  /** The containers, when `service.objectStorage`. */
  readonly objectStorage?: ObjectStorage;
  /** The DNS zone, when `service.dns`. */
  readonly dns?: Dns;

  /**
   * @param scope Parent construct.
   * @param id Construct id.
   * @param props See {@link IaasServiceProps}.
   */
  constructor(scope: Construct, id: string, props: IaasServiceProps) {
    super(scope, id);
    const { profile, service, labels } = props;
    const namePrefix = props.namePrefix ?? labels.props.clientId;
    for (const kind of servicesNeeded(service)) profile.requireService(kind);
    for (const group of service.serverGroups) {
      profile.resolveFlavor(group.size);
      profile.resolveImage(group.image);
      for (const v of group.volumes) profile.resolveVolumeType(v.tier);
    }

    this.network = new TenantNetwork(this, 'network', { profile, network: service.network, labels, namePrefix });
    this.securityGroups = new SecurityGroups(this, 'security-groups', {
      groups: service.securityGroups,
      labels,
      namePrefix,
    });

    const servers = new Construct(this, 'servers');
    const serverGroups: Record<string, ServerGroup> = {};
    for (const spec of service.serverGroups) {
      if (serverGroups[spec.name]) throw new Error(`server group "${spec.name}" is declared twice`);
      serverGroups[spec.name] = new ServerGroup(servers, spec.name, {
        profile,
        spec,
        networkId: this.network.networkId,
        subnetId: this.network.subnetId(spec.subnet),
        securityGroupIds: spec.securityGroups.map((name) => this.securityGroups.groupId(name)),
        labels,
        namePrefix,
        floatingIpPool: this.network.externalNetworkLookup?.name ?? profile.externalNetwork,
      });
    }
    this.serverGroups = serverGroups;

    if (service.loadBalancer) {
      this.loadBalancer = new LoadBalancer(this, 'load-balancer', {
        profile,
        spec: service.loadBalancer,
        vipSubnetId: this.network.subnetId(service.loadBalancer.subnet),
        serverGroups,
        labels,
        namePrefix,
        floatingIpPool: this.network.externalNetworkLookup?.name ?? profile.externalNetwork,
      });
    }
    if (service.objectStorage) {
      this.objectStorage = new ObjectStorage(this, 'object-storage', {
        spec: service.objectStorage,
        labels,
        namePrefix,
      });
    }
    if (service.dns) {
      this.dns = new Dns(this, 'dns', { spec: service.dns, labels });
    }
  }
}
