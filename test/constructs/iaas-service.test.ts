import { describe, expect, it } from 'vitest';
import { CatalogError, IaasService, LABEL_KEYS, ResourceLabels, cloudProfileFrom } from '../../constructs/index.js';
import { ServiceSchema, type ServiceConfig } from '../../core/config/schema.js';
import {
  FULL_SERVICE,
  FULL_USER_DATA,
  TEST_PUBLIC_KEY,
  makeClient,
  refTo,
  resourcesOf,
  sovereignProfile,
  synthJson,
  testLabels,
  vendorCloud,
} from '../support/fixtures.js';

/** Resource types that take a `tags` set, and those that take `metadata`. */
const TAGGED = [
  'openstack_networking_network_v2',
  'openstack_networking_subnet_v2',
  'openstack_networking_router_v2',
  'openstack_networking_secgroup_v2',
  'openstack_networking_port_v2',
  'openstack_networking_floatingip_v2',
  'openstack_lb_loadbalancer_v2',
  'openstack_lb_listener_v2',
  'openstack_lb_pool_v2',
  'openstack_lb_member_v2',
];
const WITH_METADATA = ['openstack_compute_instance_v2', 'openstack_blockstorage_volume_v3'];
const UNLABELLED = [
  'openstack_networking_secgroup_rule_v2',
  'openstack_networking_router_interface_v2',
  'openstack_networking_floatingip_associate_v2',
  'openstack_compute_servergroup_v2',
  'openstack_compute_volume_attach_v2',
  'openstack_lb_monitor_v2',
  'openstack_dns_zone_v2',
  'openstack_dns_recordset_v2',
  'openstack_compute_keypair_v2',
  'openstack_objectstorage_container_v1',
];

describe('IaasService', () => {
  const labels = new ResourceLabels({ clientId: 'min-interieur', cloudId: 'sovereign-fr1', sensitivity: 'sensitive', version: '1.2.3' });
  const json = synthJson(
    (s) =>
      new IaasService(s, 'service', {
        profile: sovereignProfile(),
        service: makeClient({ service: FULL_SERVICE }).service,
        labels,
        userData: FULL_USER_DATA,
      }),
  );

  it('composes every construct', () => {
    const types = Object.keys(json.resource ?? {}).sort();
    expect(types).toEqual([...TAGGED, ...WITH_METADATA, ...UNLABELLED].sort());
    expect(resourcesOf(json, 'openstack_compute_instance_v2')).toHaveLength(5);
    expect(resourcesOf(json, 'openstack_dns_zone_v2')).toHaveLength(1);
  });

  it('creates one keypair from the public key and gives it to every server', () => {
    const keypairs = resourcesOf(json, 'openstack_compute_keypair_v2');
    expect(keypairs.map(([, k]) => k)).toEqual([{ name: 'min-interieur-ssh', public_key: TEST_PUBLIC_KEY }]);
    const ref = refTo(json, 'openstack_compute_keypair_v2', 'service/keypair', 'name');
    for (const [, instance] of resourcesOf(json, 'openstack_compute_instance_v2')) expect(instance.key_pair).toBe(ref);
  });

  it('gives servers an existing keypair by name without creating one', () => {
    const built = synthJson(
      (s) =>
        new IaasService(s, 'service', {
          profile: sovereignProfile(),
          service: makeClient({ service: { ...FULL_SERVICE, ssh: { keypair: 'ops-2026' } } }).service,
          labels,
          userData: FULL_USER_DATA,
        }),
    );
    expect(resourcesOf(built, 'openstack_compute_keypair_v2')).toEqual([]);
    for (const [, instance] of resourcesOf(built, 'openstack_compute_instance_v2')) expect(instance.key_pair).toBe('ops-2026');
  });

  it("records the load balancer's and each server's floating IP in the client's zone", () => {
    const records = resourcesOf(json, 'openstack_dns_recordset_v2').map(([, r]) => [r.name, r.records] as const);
    const fip = (path: string) => refTo(json, 'openstack_networking_floatingip_v2', path, 'address');
    const servers = resourcesOf(json, 'openstack_networking_floatingip_v2').length - 1;
    expect(records).toHaveLength(servers + 1);
    expect(records).toContainEqual(['lb.titres.interieur.gouv.fr.', [fip('service/load-balancer/vip-fip')]]);
    expect(records).toContainEqual(['db-1.titres.interieur.gouv.fr.', [fip('service/servers/db/db-1-fip')]]);
  });

  it('labels every resource that supports tags or metadata with the four sovstack labels', () => {
    const tags = [
      'sovstack:client=min-interieur',
      'sovstack:cloud=sovereign-fr1',
      'sovstack:sensitivity=sensitive',
      'sovstack:version=1.2.3',
    ];
    for (const type of TAGGED) {
      const all = resourcesOf(json, type);
      expect(all.length, type).toBeGreaterThan(0);
      for (const [id, r] of all) expect(r.tags, `${type}.${id}`).toEqual(tags);
    }
    for (const type of WITH_METADATA) {
      for (const [id, r] of resourcesOf(json, type)) {
        expect(Object.keys(r.metadata), `${type}.${id}`).toEqual([...LABEL_KEYS]);
        expect(r.metadata['sovstack:sensitivity']).toBe('sensitive');
      }
    }
    for (const [, r] of resourcesOf(json, 'openstack_objectstorage_container_v1')) {
      expect(r.metadata).toEqual({
        'sovstack-client': 'min-interieur',
        'sovstack-cloud': 'sovereign-fr1',
        'sovstack-sensitivity': 'sensitive',
        'sovstack-version': '1.2.3',
      });
    }
  });

  it('takes a service as written and applies the schema defaults itself, as the YAML loader does', () => {
    const written = {
      network: { cidr: '10.0.0.0/16', subnets: [{ name: 'app', cidr: '10.0.1.0/24' }] },
      serverGroups: [{ name: 'app', count: 2, size: 'small', image: 'debian-12', subnet: 'app' }],
    };
    const build = (service: typeof written | ServiceConfig) =>
      synthJson((s) => new IaasService(s, 'service', { profile: sovereignProfile(), service, labels }));
    const fromInput = build(written);
    // antiAffinity defaults to true, floatingIp to false: one anti-affinity group, no floating IP.
    expect(resourcesOf(fromInput, 'openstack_compute_servergroup_v2')).toHaveLength(1);
    expect(resourcesOf(fromInput, 'openstack_networking_floatingip_v2')).toHaveLength(0);
    expect(fromInput).toEqual(build(ServiceSchema.parse(written)));
  });

  it('rejects a service the schema rejects, naming the field', () => {
    const bad = { network: { cidr: '10.0.0.0/16', subnets: [] } };
    expect(() => synthJson((s) => new IaasService(s, 'service', { profile: sovereignProfile(), service: bad, labels }))).toThrow(/subnets/);
  });

  it('fails with the missing service and the cloud, before creating any resource', () => {
    synthJson((s) => {
      expect(
        () =>
          new IaasService(s, 'service', {
            profile: cloudProfileFrom(vendorCloud()),
            service: makeClient({ service: FULL_SERVICE }).service,
            labels: testLabels('vendor-eu-west-0'),
          }),
      ).toThrow(new CatalogError('service', 'dns', 'vendor-eu-west-0', []).message.split(' (')[0]);
      expect(s.node.findAll().length).toBe(2); // the stack and the empty service construct
    });
  });

  it('rejects labels with an empty value', () => {
    expect(() => new ResourceLabels({ clientId: '', cloudId: 'c', sensitivity: 'standard', version: '1' })).toThrow(
      'label clientId must be a non-empty string',
    );
  });
});
