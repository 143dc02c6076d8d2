import { TerraformOutput } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { CloudProfile, TenantNetwork } from '../../constructs/index.js';
import { at, makeClient, refTo, resourcesOf, sovereignProfile, synthJson, testLabels } from '../support/fixtures.js';

const TAGS = [
  'sovstack:client=min-interieur',
  'sovstack:cloud=sovereign-fr1',
  'sovstack:sensitivity=standard',
  'sovstack:version=9.9.9-test',
];

describe('TenantNetwork', () => {
  const network = {
    cidr: '10.10.0.0/16',
    subnets: [
      { name: 'front', cidr: '10.10.1.0/24' },
      { name: 'app', cidr: '10.10.2.0/24', dnsNameservers: ['10.10.0.2'] },
    ],
  };
  const build = () =>
    synthJson((s) => new TenantNetwork(s, 'net', { profile: sovereignProfile(), network, labels: testLabels(), namePrefix: 'mi' }));

  it('looks up the external network by its catalog name and attaches the router gateway to it', () => {
    const json = build();
    const ext = at(json, 'openstack_networking_network_v2', 'net/external-network', 'data');
    expect(ext).toEqual({ name: 'public', external: true });
    const router = at(json, 'openstack_networking_router_v2', 'net/router');
    expect(router.external_network_id).toBe(refTo(json, 'openstack_networking_network_v2', 'net/external-network', 'id', 'data'));
    expect(router.name).toBe('mi-router');
    expect(router.tags).toEqual(TAGS);
  });

  it('uses the external network UUID from the cloud profile directly, with no data source to read at plan time', () => {
    const base = sovereignProfile();
    const profile = new CloudProfile({
      cloudId: base.cloudId,
      region: base.region,
      availabilityZones: base.availabilityZones,
      externalNetwork: base.externalNetwork,
      externalNetworkId: '6f1c2a4e-8d3b-4c57-9a0e-2b7d5e91c340',
    });
    const json = synthJson((s) => new TenantNetwork(s, 'net', { profile, network, labels: testLabels(), namePrefix: 'mi' }));
    expect(json.data).toBeUndefined();
    expect(at(json, 'openstack_networking_router_v2', 'net/router').external_network_id).toBe('6f1c2a4e-8d3b-4c57-9a0e-2b7d5e91c340');
  });

  it('creates the network, one subnet per declared subnet and one router interface each', () => {
    const json = build();
    const net = at(json, 'openstack_networking_network_v2', 'net/network');
    expect(net).toMatchObject({ name: 'mi-net', admin_state_up: true, tags: TAGS });
    const app = at(json, 'openstack_networking_subnet_v2', 'net/subnet-app');
    expect(app).toMatchObject({
      name: 'mi-app',
      cidr: '10.10.2.0/24',
      ip_version: 4,
      enable_dhcp: true,
      dns_nameservers: ['10.10.0.2'],
      network_id: refTo(json, 'openstack_networking_network_v2', 'net/network', 'id'),
      tags: TAGS,
    });
    expect(at(json, 'openstack_networking_subnet_v2', 'net/subnet-front').dns_nameservers).toBeUndefined();
    expect(resourcesOf(json, 'openstack_networking_subnet_v2')).toHaveLength(2);
    const itf = at(json, 'openstack_networking_router_interface_v2', 'net/router-interface-front');
    expect(itf).toEqual({
      router_id: refTo(json, 'openstack_networking_router_v2', 'net/router', 'id'),
      subnet_id: refTo(json, 'openstack_networking_subnet_v2', 'net/subnet-front', 'id'),
    });
    expect(resourcesOf(json, 'openstack_networking_router_interface_v2')).toHaveLength(2);
  });

  it('exposes subnet ids by name and rejects unknown names', () => {
    const json = synthJson((s) => {
      const tn = new TenantNetwork(s, 'net', { profile: sovereignProfile(), network, labels: testLabels() });
      expect(Object.keys(tn.subnetIds)).toEqual(['front', 'app']);
      expect(() => tn.subnetId('data')).toThrow('subnet "data" is not declared (declared: front, app)');
      new TerraformOutput(s, 'app', { value: tn.subnetId('app') });
      new TerraformOutput(s, 'network_id', { value: tn.networkId });
    });
    expect(json.output?.['app']?.['value']).toBe(refTo(json, 'openstack_networking_subnet_v2', 'net/subnet-app', 'id'));
    expect(json.output?.['network_id']?.['value']).toBe(refTo(json, 'openstack_networking_network_v2', 'net/network', 'id'));
  });

  it('marks IPv6 subnets as ip_version 6 and defaults the name prefix', () => {
    const json = synthJson(
      (s) =>
        new TenantNetwork(s, 'net', {
          profile: sovereignProfile(),
          network: makeClient({ service: { network: { cidr: 'fd00::/48', subnets: [{ name: 'v6', cidr: 'fd00::/64' }] } } }).service
            .network,
          labels: testLabels(),
        }),
    );
    expect(at(json, 'openstack_networking_subnet_v2', 'net/subnet-v6')).toMatchObject({ ip_version: 6, name: 'sovstack-v6' });
  });
});
