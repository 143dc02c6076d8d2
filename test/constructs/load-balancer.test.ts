import { describe, expect, it } from 'vitest';
import { CloudProfile, IaasService, LoadBalancer, cloudProfileFrom } from '../../constructs/index.js';
import {
  PORTABLE_SERVICE,
  at,
  makeClient,
  refTo,
  resourcesOf,
  sovereignCloud,
  sovereignProfile,
  synthJson,
  testLabels,
} from '../support/fixtures.js';

const build = () =>
  synthJson(
    (s) =>
      new IaasService(s, 'svc', {
        profile: sovereignProfile(),
        service: makeClient({ service: PORTABLE_SERVICE }).service,
        labels: testLabels(),
      }),
  );

const DEFAULT_TIMEOUTS = { create: '20m', update: '20m', delete: '20m' };
const OCTAVIA_TYPES = [
  'openstack_lb_loadbalancer_v2',
  'openstack_lb_listener_v2',
  'openstack_lb_pool_v2',
  'openstack_lb_member_v2',
  'openstack_lb_monitor_v2',
];

describe('LoadBalancer', () => {
  it('puts the VIP in the declared subnet', () => {
    const json = build();
    expect(at(json, 'openstack_lb_loadbalancer_v2', 'svc/load-balancer/loadbalancer')).toEqual({
      name: 'min-interieur-lb',
      admin_state_up: true,
      vip_subnet_id: refTo(json, 'openstack_networking_subnet_v2', 'svc/network/subnet-front', 'id'),
      tags: testLabels().tags(),
      timeouts: DEFAULT_TIMEOUTS,
    });
  });

  it('creates a listener and a pool per listener', () => {
    const json = build();
    expect(at(json, 'openstack_lb_listener_v2', 'svc/load-balancer/https/listener')).toMatchObject({
      loadbalancer_id: refTo(json, 'openstack_lb_loadbalancer_v2', 'svc/load-balancer/loadbalancer', 'id'),
      protocol: 'HTTPS',
      protocol_port: 443,
    });
    expect(at(json, 'openstack_lb_pool_v2', 'svc/load-balancer/https/pool')).toMatchObject({
      listener_id: refTo(json, 'openstack_lb_listener_v2', 'svc/load-balancer/https/listener', 'id'),
      protocol: 'HTTPS',
      lb_method: 'ROUND_ROBIN',
    });
    expect(at(json, 'openstack_lb_pool_v2', 'svc/load-balancer/pg/pool')).toMatchObject({
      protocol: 'TCP',
      lb_method: 'LEAST_CONNECTIONS',
    });
  });

  it('adds one member per server of the backend group, at its port fixed IP in its subnet', () => {
    const json = build();
    const members = resourcesOf(json, 'openstack_lb_member_v2');
    const https = members.filter(([k]) => k.startsWith('svc_load-balancer_https_member-'));
    const pg = members.filter(([k]) => k.startsWith('svc_load-balancer_pg_member-'));
    expect(https).toHaveLength(3); // web has 3 servers
    expect(pg).toHaveLength(2); // db has 2 servers
    const portKey = Object.keys(json.resource!['openstack_networking_port_v2']).find((k) => k.startsWith('svc_servers_web_web-2-port_'));
    expect(at(json, 'openstack_lb_member_v2', 'svc/load-balancer/https/member-web-2')).toEqual({
      name: 'min-interieur-web-2',
      pool_id: refTo(json, 'openstack_lb_pool_v2', 'svc/load-balancer/https/pool', 'id'),
      address: `\${element(openstack_networking_port_v2.${portKey}.all_fixed_ips, 0)}`,
      subnet_id: refTo(json, 'openstack_networking_subnet_v2', 'svc/network/subnet-app', 'id'),
      protocol_port: 8443,
      tags: testLabels().tags(),
      timeouts: DEFAULT_TIMEOUTS,
    });
  });

  it('creates a health monitor only for listeners that declare one', () => {
    const json = build();
    expect(resourcesOf(json, 'openstack_lb_monitor_v2')).toHaveLength(1);
    expect(at(json, 'openstack_lb_monitor_v2', 'svc/load-balancer/https/monitor')).toEqual({
      name: 'min-interieur-https',
      pool_id: refTo(json, 'openstack_lb_pool_v2', 'svc/load-balancer/https/pool', 'id'),
      type: 'HTTPS',
      delay: 10,
      timeout: 5,
      max_retries: 3,
      url_path: '/health',
      timeouts: DEFAULT_TIMEOUTS,
    });
  });

  it('gives the VIP port a floating IP from the external network', () => {
    const json = build();
    // The pool is read from the external network data source, so the catalog name appears once.
    expect(at(json, 'openstack_networking_floatingip_v2', 'svc/load-balancer/vip-fip').pool).toBe(
      refTo(json, 'openstack_networking_network_v2', 'svc/network/external-network', 'name', 'data'),
    );
    expect(at(json, 'openstack_networking_floatingip_associate_v2', 'svc/load-balancer/vip-fip-assoc')).toEqual({
      floating_ip: refTo(json, 'openstack_networking_floatingip_v2', 'svc/load-balancer/vip-fip', 'address'),
      port_id: refTo(json, 'openstack_lb_loadbalancer_v2', 'svc/load-balancer/loadbalancer', 'vip_port_id'),
    });
  });

  it("gives every Octavia resource the cloud's load-balancer timeouts", () => {
    const timeouts = { create: '1h', update: '45m', delete: '90s' };
    const cloud = sovereignCloud({ operations: { loadBalancerTimeouts: timeouts } });
    const json = synthJson(
      (s) =>
        new IaasService(s, 'svc', {
          profile: cloudProfileFrom(cloud),
          service: makeClient({ service: PORTABLE_SERVICE }).service,
          labels: testLabels(),
        }),
    );
    for (const type of OCTAVIA_TYPES) {
      const resources = resourcesOf(json, type);
      expect(resources.length, type).toBeGreaterThan(0);
      for (const [, resource] of resources) expect(resource['timeouts'], type).toEqual(timeouts);
    }
    // Not on the Neutron floating IP: its waits are not Octavia's.
    expect(at(json, 'openstack_networking_floatingip_v2', 'svc/load-balancer/vip-fip')['timeouts']).toBeUndefined();
  });

  it('writes no timeouts when the profile has none (a profile built by hand)', () => {
    const profile = new CloudProfile({ ...sovereignProfile(), loadBalancerTimeouts: undefined });
    const json = synthJson(
      (s) => new IaasService(s, 'svc', { profile, service: makeClient({ service: PORTABLE_SERVICE }).service, labels: testLabels() }),
    );
    for (const type of OCTAVIA_TYPES) for (const [, resource] of resourcesOf(json, type)) expect(resource).not.toHaveProperty('timeouts');
  });

  it('rejects a listener whose backend server group does not exist', () => {
    const spec = makeClient({ service: PORTABLE_SERVICE }).service.loadBalancer!;
    synthJson((s) => {
      expect(
        () =>
          new LoadBalancer(s, 'lb', {
            profile: sovereignProfile(),
            spec,
            vipSubnetId: 'x',
            serverGroups: {},
            labels: testLabels(),
          }),
      ).toThrow('listener "https" sends traffic to unknown server group "web" (declared: none)');
    });
  });
});
