/**
 * A client's whole IaaS service on one cloud: network, security groups, servers, load balancer,
 * object storage and DNS, composed from its `ServiceConfig`.
 */
import { Construct } from 'constructs';
import { computeKeypairV2 } from '../.gen/providers/openstack/index.js';
import { ServiceSchema, type ServiceConfig } from '../core/config/schema.js';
import type { ServiceInput } from '../core/config/client-input.js';
import { serviceUsage } from '../core/placement/usage.js';
import type { CloudProfile } from './cloud-profile.js';
import { Dns, type DnsRecord } from './dns.js';
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
  /**
   * What the client runs, validated with {@link ServiceSchema}, which holds every default (no security groups,
   * public ports or server groups; a server group's `antiAffinity` true, `floatingIp` false, …). A parsed
   * `ServiceConfig` is accepted as is. No default.
   * Example: `{ network: { cidr: '10.0.0.0/16', subnets: [{ name: 'app', cidr: '10.0.1.0/24' }] },
   * serverGroups: [{ name: 'app', count: 2, size: 'small', image: 'debian', subnet: 'app' }] }`.
   */
  readonly service: ServiceInput;
  /** Labels applied to every resource that takes tags or metadata. No default. */
  readonly labels: ResourceLabels;
  /** Prefix of OpenStack resource names. Default: the client id from `labels`. */
  readonly namePrefix?: string;
  /**
   * Text of the user-data files the server groups name (`serverGroups[].userData`), by name, as a loaded
   * client's `userData` holds them. Default: none (a server group naming user data then throws).
   */
  readonly userData?: Readonly<Record<string, string>>;
  /** Data volumes and containers get `prevent_destroy`; false when the client is decommissioned. Default true. */
  readonly protectData?: boolean;
}

/**
 * The client's service. Child ids: `network`, `security-groups`, `keypair` (with `service.ssh.publicKey`),
 * `servers/<group>`, `load-balancer`, `object-storage`, `dns` (with an A record `<dns.loadBalancerRecord>`
 * for the load balancer's floating IP and `<group>-<n>` for each server with a floating IP). Throws a `CatalogError` before creating anything when the
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
  /** The keypair created from `service.ssh.publicKey`. */
  readonly keypair?: computeKeypairV2.ComputeKeypairV2;

  /**
   * @param scope Parent construct.
   * @param id Construct id.
   * @param props See {@link IaasServiceProps}.
   */
  constructor(scope: Construct, id: string, props: IaasServiceProps) {
    super(scope, id);
    const { profile, labels } = props;
    const service = ServiceSchema.parse(props.service);
    const namePrefix = props.namePrefix ?? labels.props.clientId;
    requireCatalog(profile, service);

    this.network = new TenantNetwork(this, 'network', { profile, network: service.network, labels, namePrefix });
    this.securityGroups = new SecurityGroups(this, 'security-groups', {
      groups: service.securityGroups,
      labels,
      namePrefix,
    });
    const ssh = service.ssh;
    if (ssh && 'publicKey' in ssh) {
      this.keypair = new computeKeypairV2.ComputeKeypairV2(this, 'keypair', { name: `${namePrefix}-ssh`, publicKey: ssh.publicKey.trim() });
    }
    const keyPair = ssh === undefined ? undefined : 'keypair' in ssh ? ssh.keypair : this.keypair?.name;
    this.serverGroups = this.addServerGroups(service, {
      profile,
      labels,
      namePrefix,
      keyPair,
      userData: props.userData,
      protectData: props.protectData,
    });

    if (service.loadBalancer) {
      this.loadBalancer = new LoadBalancer(this, 'load-balancer', {
        profile,
        spec: service.loadBalancer,
        vipSubnetId: this.network.subnetId(service.loadBalancer.subnet),
        serverGroups: this.serverGroups,
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
        protectData: props.protectData !== false,
      });
    }
    if (service.dns) {
      this.dns = new Dns(this, 'dns', { spec: service.dns, labels, records: this.dnsRecords(service.dns.loadBalancerRecord) });
    }
  }

  /** A records for the floating IPs: the load balancer's (`label`) and each server's (`web-1`). */
  private dnsRecords(label: string): DnsRecord[] {
    const records: DnsRecord[] = [];
    if (this.loadBalancer?.floatingIp) records.push({ label, address: this.loadBalancer.floatingIp.address });
    for (const group of Object.values(this.serverGroups)) {
      for (const server of group.servers) if (server.floatingIp) records.push({ label: server.name, address: server.floatingIp.address });
    }
    return records;
  }

  private addServerGroups(service: ServiceConfig, shared: SharedServerProps): Record<string, ServerGroup> {
    const { profile, labels, namePrefix } = shared;
    const servers = new Construct(this, 'servers');
    const serverGroups: Record<string, ServerGroup> = {};
    for (const spec of service.serverGroups) {
      if (serverGroups[spec.name]) throw new Error(`server group "${spec.name}" is declared twice`);
      serverGroups[spec.name] = new ServerGroup(servers, spec.name, {
        profile,
        spec,
        networkId: this.network.networkId,
        subnetId: this.network.subnetId(spec.subnet),
        routerInterface: this.network.routerInterfaces[spec.subnet],
        securityGroupIds: spec.securityGroups.map((name) => this.securityGroups.groupId(name)),
        labels,
        namePrefix,
        floatingIpPool: this.network.externalNetworkLookup?.name ?? profile.externalNetwork,
        ...(shared.keyPair !== undefined ? { keyPair: shared.keyPair } : {}),
        ...(spec.userData !== undefined && shared.userData?.[spec.userData] !== undefined
          ? { userData: shared.userData[spec.userData] }
          : {}),
        protectData: shared.protectData !== false,
      });
    }
    return serverGroups;
  }
}

/** What every server group of the service shares. */
interface SharedServerProps {
  readonly profile: CloudProfile;
  readonly labels: ResourceLabels;
  readonly namePrefix: string;
  readonly keyPair: string | undefined;
  readonly userData: Readonly<Record<string, string>> | undefined;
  readonly protectData: boolean | undefined;
}

/** Fails (CatalogError) before anything is created when the cloud lacks a service, size, image or volume tier the service needs. */
function requireCatalog(profile: CloudProfile, service: ServiceConfig): void {
  for (const kind of serviceUsage(service).services) profile.requireService(kind);
  for (const group of service.serverGroups) {
    profile.resolveFlavor(group.size);
    profile.resolveImage(group.image);
    for (const v of group.volumes) profile.resolveVolumeType(v.tier);
    if (profile.bootFromVolume && group.rootDisk.tier !== undefined) profile.resolveVolumeType(group.rootDisk.tier);
  }
}
