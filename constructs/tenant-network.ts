/**
 * A client's tenant network: one network, its subnets, a router whose gateway is on the cloud's
 * external network, and one router interface per subnet.
 */
import { Construct } from 'constructs';
import {
  dataOpenstackNetworkingNetworkV2,
  networkingNetworkV2,
  networkingRouterInterfaceV2,
  networkingRouterV2,
  networkingSubnetV2,
} from '../.gen/providers/openstack/index.js';
import type { z } from 'zod';
import { NetworkSchema } from '../core/config/schema.js';
import type { CloudProfile } from './cloud-profile.js';
import type { ResourceLabels } from './labels.js';

/** A tenant network as written (`service.network`): see {@link NetworkSchema}. */
export type NetworkSpec = z.input<typeof NetworkSchema>;

/**
 * Props of {@link TenantNetwork}.
 */
export interface TenantNetworkProps {
  /** Cloud facts; the external network name comes from here. No default. */
  readonly profile: CloudProfile;
  /**
   * The network and subnets to create (`service.network`), validated with {@link NetworkSchema}; a subnet's
   * `dnsNameservers` defaults to none. No default. Example: `{ cidr: '10.0.0.0/16', subnets: [{ name: 'web', cidr: '10.0.1.0/24' }] }`.
   */
  readonly network: NetworkSpec;
  /** Labels rendered as `tags` on the network, subnets and router. No default. */
  readonly labels: ResourceLabels;
  /** Prefix of OpenStack resource names (`<prefix>-net`, `<prefix>-<subnet>`). Default `sovstack`. */
  readonly namePrefix?: string;
}

/**
 * Network, subnets, router and router interfaces. The external network is looked up by name with
 * the `openstack_networking_network_v2` data source, so its name is catalog-driven.
 *
 * Construct ids: `network`, `external-network` (data source), `subnet-<name>`, `router`,
 * `router-interface-<name>`.
 *
 * @example
 * const net = new TenantNetwork(this, 'network', { profile, network: service.network, labels });
 * net.subnetId('app'); // token of the `app` subnet id
 */
export class TenantNetwork extends Construct {
  /** The tenant network. */
  readonly network: networkingNetworkV2.NetworkingNetworkV2;
  /**
   * The external network data source (looked up by `profile.externalNetwork`), or undefined when the
   * profile knows the network's UUID and no lookup is needed.
   */
  readonly externalNetworkLookup: dataOpenstackNetworkingNetworkV2.DataOpenstackNetworkingNetworkV2 | undefined;
  /** Id of the external network: the profile's UUID, or the lookup's result. */
  readonly externalNetworkId: string;
  /** The router with its gateway on the external network. */
  readonly router: networkingRouterV2.NetworkingRouterV2;
  /** Subnets by name. */
  readonly subnets: Readonly<Record<string, networkingSubnetV2.NetworkingSubnetV2>>;
  /** Subnet ids (tokens) by name. */
  readonly subnetIds: Readonly<Record<string, string>>;
  /** Router interface of each subnet, by subnet name: a floating IP on a port of the subnet needs it first. */
  readonly routerInterfaces: Readonly<Record<string, networkingRouterInterfaceV2.NetworkingRouterInterfaceV2>>;

  /**
   * @param scope Parent construct.
   * @param id Construct id.
   * @param props See {@link TenantNetworkProps}.
   */
  constructor(scope: Construct, id: string, props: TenantNetworkProps) {
    super(scope, id);
    const prefix = props.namePrefix ?? 'sovstack';
    const tags = props.labels.tags();

    this.network = new networkingNetworkV2.NetworkingNetworkV2(this, 'network', {
      name: `${prefix}-net`,
      adminStateUp: true,
      tags,
    });

    this.externalNetworkLookup = props.profile.externalNetworkId
      ? undefined
      : new dataOpenstackNetworkingNetworkV2.DataOpenstackNetworkingNetworkV2(this, 'external-network', {
          name: props.profile.externalNetwork,
          external: true,
        });
    this.externalNetworkId = props.profile.externalNetworkId ?? this.externalNetworkLookup!.id;

    this.router = new networkingRouterV2.NetworkingRouterV2(this, 'router', {
      name: `${prefix}-router`,
      adminStateUp: true,
      externalNetworkId: this.externalNetworkId,
      tags,
    });

    const subnets: Record<string, networkingSubnetV2.NetworkingSubnetV2> = {};
    const subnetIds: Record<string, string> = {};
    const routerInterfaces: Record<string, networkingRouterInterfaceV2.NetworkingRouterInterfaceV2> = {};
    for (const spec of NetworkSchema.parse(props.network).subnets) {
      if (subnets[spec.name]) throw new Error(`subnet "${spec.name}" is declared twice`);
      const subnet = new networkingSubnetV2.NetworkingSubnetV2(this, `subnet-${spec.name}`, {
        name: `${prefix}-${spec.name}`,
        networkId: this.network.id,
        cidr: spec.cidr,
        ipVersion: spec.cidr.includes(':') ? 6 : 4,
        enableDhcp: true,
        dnsNameservers: spec.dnsNameservers,
        tags,
      });
      routerInterfaces[spec.name] = new networkingRouterInterfaceV2.NetworkingRouterInterfaceV2(this, `router-interface-${spec.name}`, {
        routerId: this.router.id,
        subnetId: subnet.id,
      });
      subnets[spec.name] = subnet;
      subnetIds[spec.name] = subnet.id;
    }
    this.subnets = subnets;
    this.subnetIds = subnetIds;
    this.routerInterfaces = routerInterfaces;
  }

  /** Id (token) of the tenant network. */
  get networkId(): string {
    return this.network.id;
  }

  /** Id (token) of a subnet by name; throws naming the known subnets when it does not exist. */
  subnetId(name: string): string {
    const id = this.subnetIds[name];
    if (id === undefined) {
      throw new Error(`subnet "${name}" is not declared (declared: ${Object.keys(this.subnetIds).join(', ')})`);
    }
    return id;
  }
}
