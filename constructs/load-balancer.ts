/**
 * An Octavia load balancer: VIP in a subnet, and per listener a pool, one member per server of the
 * backend server group and an optional health monitor.
 */
import { Construct } from 'constructs';
import {
  lbListenerV2,
  lbLoadbalancerV2,
  lbMemberV2,
  lbMonitorV2,
  lbPoolV2,
  networkingFloatingipAssociateV2,
  networkingFloatingipV2,
} from '../.gen/providers/openstack/index.js';
import type { z } from 'zod';
import { LoadBalancerSchema } from '../core/config/schema.js';
import type { CloudProfile, LoadBalancerTimeouts } from './cloud-profile.js';
import type { ResourceLabels } from './labels.js';
import type { ServerGroup } from './server-group.js';

/** The load balancer part of a service (`service.loadBalancer`), as written: see {@link LoadBalancerSchema}. */
export type LoadBalancerSpec = z.input<typeof LoadBalancerSchema>;

/**
 * Props of {@link LoadBalancer}.
 */
export interface LoadBalancerProps {
  /** Cloud facts; the floating IP pool is `profile.externalNetwork`. No default. */
  readonly profile: CloudProfile;
  /**
   * Listeners, VIP subnet and floating IP flag, validated with {@link LoadBalancerSchema}, which holds the defaults
   * (`floatingIp` false, backend `method` ROUND_ROBIN, health-monitor delay 10 s, timeout 5 s, 3 retries). No default.
   * Example: `{ subnet: 'front', listeners: [{ name: 'https', protocol: 'HTTPS', port: 443, backend: { serverGroup: 'web', port: 443 } }] }`.
   */
  readonly spec: LoadBalancerSpec;
  /** Id (token) of the subnet named by `spec.subnet`. No default. */
  readonly vipSubnetId: string;
  /** Server groups by name; every listener's `backend.serverGroup` must be one. No default. */
  readonly serverGroups: Readonly<Record<string, ServerGroup>>;
  /** Labels rendered as `tags` on the load balancer, listeners, pools, members and floating IP. No default. */
  readonly labels: ResourceLabels;
  /** Prefix of OpenStack resource names (`<prefix>-lb`, `<prefix>-<listener>`). Default `sovstack`. */
  readonly namePrefix?: string;
  /** Pool (external network name) of the VIP floating IP. Default `profile.externalNetwork`. */
  readonly floatingIpPool?: string;
}

/**
 * The load balancer. Construct ids: `loadbalancer`, `<listener>/listener`, `<listener>/pool`,
 * `<listener>/member-<server>` (e.g. `https/member-web-1`), `<listener>/monitor`, `vip-fip`,
 * `vip-fip-assoc`. HTTPS listeners are TLS pass-through: the pool protocol equals the listener's. Every Octavia
 * resource carries the profile's `loadBalancerTimeouts` (PENDING_* waits).
 *
 * @example
 * new LoadBalancer(this, 'load-balancer', { profile, spec: service.loadBalancer, vipSubnetId: net.subnetId('front'),
 *   serverGroups: { web }, labels });
 */
export class LoadBalancer extends Construct {
  /** The Octavia load balancer. */
  readonly loadBalancer: lbLoadbalancerV2.LbLoadbalancerV2;
  /** Pools by listener name. */
  readonly pools: Readonly<Record<string, lbPoolV2.LbPoolV2>>;
  /** Members by listener name, one per backend server in server order. */
  readonly members: Readonly<Record<string, readonly lbMemberV2.LbMemberV2[]>>;
  /** Floating IP of the VIP, when `spec.floatingIp`. */
  readonly floatingIp?: networkingFloatingipV2.NetworkingFloatingipV2;

  /**
   * @param scope Parent construct.
   * @param id Construct id.
   * @param props See {@link LoadBalancerProps}.
   */
  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    const lb = LoadBalancerSchema.parse(props.spec);
    const prefix = props.namePrefix ?? 'sovstack';
    const tags = props.labels.tags();
    const timeouts = props.profile.loadBalancerTimeouts;

    this.loadBalancer = new lbLoadbalancerV2.LbLoadbalancerV2(this, 'loadbalancer', {
      name: `${prefix}-lb`,
      vipSubnetId: props.vipSubnetId,
      adminStateUp: true,
      tags,
      timeouts,
    });

    const pools: Record<string, lbPoolV2.LbPoolV2> = {};
    const members: Record<string, lbMemberV2.LbMemberV2[]> = {};
    for (const spec of lb.listeners) {
      if (pools[spec.name]) throw new Error(`listener "${spec.name}" is declared twice`);
      const added = this.addListener(spec, backendOf(spec, props.serverGroups), { prefix, tags, timeouts });
      pools[spec.name] = added.pool;
      members[spec.name] = added.members;
    }
    this.pools = pools;
    this.members = members;

    if (lb.floatingIp) {
      this.floatingIp = new networkingFloatingipV2.NetworkingFloatingipV2(this, 'vip-fip', {
        pool: props.floatingIpPool ?? props.profile.externalNetwork,
        description: `sovstack ${prefix}-lb`,
        tags,
      });
      new networkingFloatingipAssociateV2.NetworkingFloatingipAssociateV2(this, 'vip-fip-assoc', {
        floatingIp: this.floatingIp.address,
        portId: this.loadBalancer.vipPortId,
      });
    }
  }

  /** One listener: its listener, pool, a member per backend server and the optional health monitor. */
  private addListener(
    spec: Listener,
    backend: ServerGroup,
    { prefix, tags, timeouts }: ResourceCommon,
  ): { pool: lbPoolV2.LbPoolV2; members: lbMemberV2.LbMemberV2[] } {
    const listenerScope = new Construct(this, spec.name);
    const listener = new lbListenerV2.LbListenerV2(listenerScope, 'listener', {
      name: `${prefix}-${spec.name}`,
      loadbalancerId: this.loadBalancer.id,
      protocol: spec.protocol,
      protocolPort: spec.port,
      tags,
      timeouts,
    });
    const pool = new lbPoolV2.LbPoolV2(listenerScope, 'pool', {
      name: `${prefix}-${spec.name}`,
      listenerId: listener.id,
      protocol: spec.protocol,
      lbMethod: spec.backend.method,
      tags,
      timeouts,
    });
    const members = backend.servers.map(
      (server) =>
        new lbMemberV2.LbMemberV2(listenerScope, `member-${server.name}`, {
          name: `${prefix}-${server.name}`,
          poolId: pool.id,
          address: server.fixedIp,
          subnetId: backend.subnetId,
          protocolPort: spec.backend.port,
          tags,
          timeouts,
        }),
    );
    if (spec.healthMonitor) {
      const monitor = spec.healthMonitor;
      const http = monitor.type === 'HTTP' || monitor.type === 'HTTPS';
      new lbMonitorV2.LbMonitorV2(listenerScope, 'monitor', {
        name: `${prefix}-${spec.name}`,
        poolId: pool.id,
        type: monitor.type,
        delay: monitor.delaySeconds,
        timeout: monitor.timeoutSeconds,
        maxRetries: monitor.maxRetries,
        urlPath: http ? (monitor.urlPath ?? '/') : undefined,
        timeouts,
      });
    }
    return { pool, members };
  }

  /** VIP address (token) of the load balancer on the tenant subnet. */
  get vipAddress(): string {
    return this.loadBalancer.vipAddress;
  }
}

/** What every Octavia resource of the load balancer shares: name prefix, tags and `timeouts`. */
interface ResourceCommon {
  prefix: string;
  tags: string[];
  timeouts: LoadBalancerTimeouts | undefined;
}

/** A parsed listener of {@link LoadBalancerSchema}. */
type Listener = z.output<typeof LoadBalancerSchema>['listeners'][number];

function backendOf(spec: Listener, serverGroups: Readonly<Record<string, ServerGroup>>): ServerGroup {
  const backend = serverGroups[spec.backend.serverGroup];
  if (!backend) {
    throw new Error(
      `listener "${spec.name}" sends traffic to unknown server group "${spec.backend.serverGroup}" ` +
        `(declared: ${Object.keys(serverGroups).join(', ') || 'none'})`,
    );
  }
  return backend;
}
