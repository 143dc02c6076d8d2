import { describe, expect, it } from 'vitest';
import { CatalogError, ServerGroup, cloudProfileFrom, type ServerGroupProps } from '../../constructs/index.js';
import { ServerGroupSchema } from '../../core/config/schema.js';
import { at, refTo, resourcesOf, sovereignProfile, synthJson, testLabels, vendorCloud } from '../support/fixtures.js';

const spec = (over: Record<string, unknown> = {}) =>
  ServerGroupSchema.parse({
    name: 'web',
    count: 3,
    size: 'medium',
    image: 'debian-12',
    subnet: 'app',
    volumes: [{ name: 'data', sizeGb: 50, tier: 'performance' }],
    ...over,
  });

const METADATA = testLabels('vendor-eu-west-0').metadata();

describe('ServerGroup', () => {
  const build = (over: Record<string, unknown> = {}, props: Partial<ServerGroupProps> = {}, cloud = vendorCloud()) =>
    synthJson(
      (s) =>
        new ServerGroup(s, 'web', {
          profile: cloudProfileFrom(cloud),
          spec: spec(over),
          networkId: 'net-id',
          subnetId: 'subnet-id',
          securityGroupIds: ['sg-1', 'sg-2'],
          labels: testLabels('vendor-eu-west-0'),
          namePrefix: 'mi',
          ...props,
        }),
    );

  it('gives every server the keypair and its own rendering of the user data', () => {
    const template =
      '#!/bin/sh\necho "{{ sovstack.client }} {{ sovstack.group }} {{sovstack.index}} {{ sovstack.server }} {{ sovstack.zone }}"\n';
    const json = build({ userData: 'user-data/web.sh' }, { keyPair: 'mi-ssh', userData: template });
    const instances = ['web-1', 'web-2', 'web-3'].map((n) => at(json, 'openstack_compute_instance_v2', `web/${n}`));
    expect(instances.map((i) => i.key_pair)).toEqual(['mi-ssh', 'mi-ssh', 'mi-ssh']);
    expect(instances.map((i) => i.user_data)).toEqual([
      '#!/bin/sh\necho "min-interieur web 1 mi-web-1 eu-west-0a"\n',
      '#!/bin/sh\necho "min-interieur web 2 mi-web-2 eu-west-0b"\n',
      '#!/bin/sh\necho "min-interieur web 3 mi-web-3 eu-west-0a"\n',
    ]);
  });

  it('sets neither key nor user data when none is given, and refuses a user-data name without its text', () => {
    const instance = at(build(), 'openstack_compute_instance_v2', 'web/web-1');
    expect(instance.key_pair).toBeUndefined();
    expect(instance.user_data).toBeUndefined();
    expect(() => build({ userData: 'user-data/web.sh' })).toThrow('names user data user-data/web.sh but its text was not given');
  });

  it("refuses user data over Nova's limit once rendered and encoded", () => {
    const big = `#!/bin/sh\n# ${'x'.repeat(49_200)}\n`;
    expect(() => build({ userData: 'user-data/big.sh' }, { userData: big })).toThrow("over Nova's limit of 65535 bytes");
  });

  it('boots from a new volume made from the image on a cloud whose catalog says so', () => {
    const cloud = vendorCloud({ catalog: { bootFromVolume: true } });
    const json = build({ rootDisk: { sizeGb: 40, tier: 'performance' } }, {}, cloud);
    const image = at(json, 'openstack_images_image_v2', 'web/image', 'data');
    expect(image).toEqual({ name: 'OBS Debian 12', most_recent: true });
    const instance = at(json, 'openstack_compute_instance_v2', 'web/web-2');
    expect(instance.image_name).toBeUndefined();
    expect(instance.block_device).toEqual([
      {
        source_type: 'image',
        uuid: refTo(json, 'openstack_images_image_v2', 'web/image', 'id', 'data'),
        destination_type: 'volume',
        boot_index: 0,
        volume_size: 40,
        volume_type: 'SSD',
        delete_on_termination: true,
      },
    ]);
    const byDefault = at(build({}, {}, cloud), 'openstack_compute_instance_v2', 'web/web-1').block_device as Record<string, unknown>[];
    expect(byDefault[0]).toMatchObject({ volume_size: 20 });
    expect(byDefault[0].volume_type).toBeUndefined();
  });

  it('uses an image given by UUID as is, without a lookup, whether booting from the image or from a volume', () => {
    const id = '3f6e1b2a-9c4d-4e8f-a1b7-5d2c8e9f0a13';
    const onDisk = at(
      build({}, {}, vendorCloud({ catalog: { images: { 'debian-12': id } } })),
      'openstack_compute_instance_v2',
      'web/web-1',
    );
    expect([onDisk.image_id, onDisk.image_name]).toEqual([id, undefined]);
    const json = build({}, {}, vendorCloud({ catalog: { images: { 'debian-12': id }, bootFromVolume: true } }));
    expect(json.data).toBeUndefined();
    const fromVolume = at(json, 'openstack_compute_instance_v2', 'web/web-1');
    expect([fromVolume.image_id, fromVolume.image_name]).toEqual([undefined, undefined]);
    expect((fromVolume.block_device as { uuid: string }[])[0].uuid).toBe(id);
  });

  it('ignores the root disk on a cloud that boots from the image, so one client file fits both clouds', () => {
    const json = build({ rootDisk: { sizeGb: 40, tier: 'performance' } });
    expect(at(json, 'openstack_compute_instance_v2', 'web/web-1').block_device).toBeUndefined();
    expect(json.data?.['openstack_images_image_v2']).toBeUndefined();
  });

  it('lifts the protection of data volumes for a group that says so, or a decommissioned client', () => {
    const unprotected = (json: ReturnType<typeof build>) =>
      resourcesOf(json, 'openstack_blockstorage_volume_v3').map(([, v]) => (v.lifecycle as { prevent_destroy: boolean }).prevent_destroy);
    expect(unprotected(build())).toEqual([true, true, true]);
    expect(unprotected(build({ protectVolumes: false }))).toEqual([false, false, false]);
    expect(unprotected(build({}, { protectData: false }))).toEqual([false, false, false]);
  });

  it('creates instances with the catalog flavor and image, spread round-robin over the zones', () => {
    const json = build();
    const instances = ['web-1', 'web-2', 'web-3'].map((n) => at(json, 'openstack_compute_instance_v2', `web/${n}`));
    expect(instances.map((i) => i.flavor_name)).toEqual(['s3.large.2', 's3.large.2', 's3.large.2']);
    expect(instances.map((i) => i.image_name)).toEqual(['OBS Debian 12', 'OBS Debian 12', 'OBS Debian 12']);
    expect(instances.map((i) => i.availability_zone)).toEqual(['eu-west-0a', 'eu-west-0b', 'eu-west-0a']);
    expect(instances.map((i) => i.name)).toEqual(['mi-web-1', 'mi-web-2', 'mi-web-3']);
    expect(instances[0].metadata).toEqual(METADATA);
    expect(instances[0].tags).toBeUndefined();
    expect(instances[1].network).toEqual([{ port: refTo(json, 'openstack_networking_port_v2', 'web/web-2-port', 'id') }]);
    expect(instances[0].security_groups).toBeUndefined();
  });

  it('puts every server in an anti-affinity server group through a scheduler hint', () => {
    const json = build();
    expect(at(json, 'openstack_compute_servergroup_v2', 'web/group')).toEqual({ name: 'mi-web', policies: ['anti-affinity'] });
    const group = refTo(json, 'openstack_compute_servergroup_v2', 'web/group', 'id');
    for (const n of ['web-1', 'web-2', 'web-3']) {
      expect(at(json, 'openstack_compute_instance_v2', `web/${n}`).scheduler_hints).toEqual([{ group }]);
    }
  });

  it('creates no server group and no hint without anti-affinity', () => {
    const json = build({ antiAffinity: false });
    expect(resourcesOf(json, 'openstack_compute_servergroup_v2')).toHaveLength(0);
    expect(at(json, 'openstack_compute_instance_v2', 'web/web-1').scheduler_hints).toBeUndefined();
  });

  it('creates one tagged port per server in the subnet with the security groups', () => {
    const json = build();
    expect(resourcesOf(json, 'openstack_networking_port_v2')).toHaveLength(3);
    expect(at(json, 'openstack_networking_port_v2', 'web/web-1-port')).toEqual({
      name: 'mi-web-1',
      network_id: 'net-id',
      admin_state_up: true,
      fixed_ip: [{ subnet_id: 'subnet-id' }],
      security_group_ids: ['sg-1', 'sg-2'],
      tags: testLabels('vendor-eu-west-0').tags(),
    });
  });

  it('creates per-server volumes of the catalog volume type in the server zone, attached to it', () => {
    const json = build();
    expect(resourcesOf(json, 'openstack_blockstorage_volume_v3')).toHaveLength(3);
    const v2 = at(json, 'openstack_blockstorage_volume_v3', 'web/web-2-data');
    expect(v2).toEqual({
      name: 'mi-web-2-data',
      size: 50,
      volume_type: 'SSD',
      availability_zone: 'eu-west-0b',
      metadata: METADATA,
      enable_online_resize: true,
      lifecycle: { prevent_destroy: true },
    });
    expect(at(json, 'openstack_compute_volume_attach_v2', 'web/web-2-data-attach')).toEqual({
      instance_id: refTo(json, 'openstack_compute_instance_v2', 'web/web-2', 'id'),
      volume_id: refTo(json, 'openstack_blockstorage_volume_v3', 'web/web-2-data', 'id'),
    });
    expect(at(json, 'openstack_blockstorage_volume_v3', 'web/web-3-data').availability_zone).toBe('eu-west-0a');
  });

  it('allocates floating IPs from the external network and associates them to the ports', () => {
    expect(resourcesOf(build(), 'openstack_networking_floatingip_v2')).toHaveLength(0);
    const json = build({ floatingIp: true });
    expect(resourcesOf(json, 'openstack_networking_floatingip_v2')).toHaveLength(3);
    expect(at(json, 'openstack_networking_floatingip_v2', 'web/web-1-fip')).toMatchObject({
      pool: 'admin_external_net',
      tags: testLabels('vendor-eu-west-0').tags(),
    });
    expect(at(json, 'openstack_networking_floatingip_associate_v2', 'web/web-1-fip-assoc')).toEqual({
      floating_ip: refTo(json, 'openstack_networking_floatingip_v2', 'web/web-1-fip', 'address'),
      port_id: refTo(json, 'openstack_networking_port_v2', 'web/web-1-port', 'id'),
    });
  });

  it('fails before creating anything when the catalog lacks the size, image or tier', () => {
    for (const [over, text] of [
      [{ size: 'huge' }, 'size "huge" is not in the catalog of cloud sovereign-fr1'],
      [{ image: 'rocky-9' }, 'image "rocky-9" is not in the catalog of cloud sovereign-fr1'],
      [{ volumes: [{ name: 'x', sizeGb: 1, tier: 'archive' }] }, 'volume tier "archive" is not in the catalog of cloud sovereign-fr1'],
    ] as const) {
      synthJson((s) => {
        expect(
          () =>
            new ServerGroup(s, 'web', {
              profile: sovereignProfile(),
              spec: spec(over),
              networkId: 'n',
              subnetId: 's',
              labels: testLabels(),
            }),
        ).toThrow(CatalogError);
        expect(
          () =>
            new ServerGroup(s, 'web2', {
              profile: sovereignProfile(),
              spec: spec(over),
              networkId: 'n',
              subnetId: 's',
              labels: testLabels(),
            }),
        ).toThrow(text);
        expect(s.node.findAll().filter((c) => c.node.path.includes('/web'))).toHaveLength(2);
      });
    }
  });
});
