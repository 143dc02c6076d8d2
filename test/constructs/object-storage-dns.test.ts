import { describe, expect, it } from 'vitest';
import { Dns, ObjectStorage } from '../../constructs/index.js';
import { at, refTo, synthJson, testLabels } from '../support/fixtures.js';

describe('ObjectStorage', () => {
  it('creates one container per entry with the versioning attribute and header-safe metadata', () => {
    const json = synthJson(
      (s) =>
        new ObjectStorage(s, 'os', {
          spec: {
            containers: [
              { name: 'archives', versioning: true },
              { name: 'logs', versioning: false },
            ],
          },
          labels: testLabels(),
        }),
    );
    const metadata = {
      'sovstack-client': 'min-interieur',
      'sovstack-cloud': 'sovereign-fr1',
      'sovstack-sensitivity': 'standard',
      'sovstack-version': '9.9.9-test',
    };
    const lifecycle = { prevent_destroy: true };
    expect(at(json, 'openstack_objectstorage_container_v1', 'os/archives')).toEqual({
      name: 'sovstack-archives',
      versioning: true,
      metadata,
      lifecycle,
    });
    expect(at(json, 'openstack_objectstorage_container_v1', 'os/logs')).toEqual({
      name: 'sovstack-logs',
      versioning: false,
      metadata,
      lifecycle,
    });
  });

  it('lets a decommissioned client destroy its containers', () => {
    const json = synthJson(
      (s) => new ObjectStorage(s, 'os', { spec: { containers: [{ name: 'a' }] }, labels: testLabels(), protectData: false }),
    );
    expect(at(json, 'openstack_objectstorage_container_v1', 'os/a').lifecycle).toEqual({ prevent_destroy: false });
  });

  it('rejects a container declared twice', () => {
    synthJson((s) => {
      expect(
        () =>
          new ObjectStorage(s, 'os', {
            spec: {
              containers: [
                { name: 'a', versioning: false },
                { name: 'a', versioning: true },
              ],
            },
            labels: testLabels(),
          }),
      ).toThrow('container "a" is declared twice');
    });
  });
});

describe('Dns', () => {
  it('creates a primary zone with the contact email and a description naming the client', () => {
    const json = synthJson(
      (s) =>
        new Dns(s, 'dns', { spec: { zone: 'titres.interieur.gouv.fr.', email: 'dns@interieur.gouv.fr' }, labels: testLabels(), ttl: 600 }),
    );
    expect(at(json, 'openstack_dns_zone_v2', 'dns/zone')).toEqual({
      name: 'titres.interieur.gouv.fr.',
      email: 'dns@interieur.gouv.fr',
      type: 'PRIMARY',
      ttl: 600,
      description: 'sovstack zone of client min-interieur',
    });
    expect(json.resource?.['openstack_dns_recordset_v2']).toBeUndefined();
  });

  it('creates one A record per address, fully qualified with the trailing dot Designate needs', () => {
    const json = synthJson(
      (s) =>
        new Dns(s, 'dns', {
          spec: { zone: 'titres.interieur.gouv.fr.', email: 'dns@interieur.gouv.fr' },
          labels: testLabels(),
          records: [
            { label: 'lb', address: '192.0.2.10' },
            { label: 'web-1', address: '192.0.2.11' },
          ],
        }),
    );
    expect(at(json, 'openstack_dns_recordset_v2', 'dns/record-web-1')).toEqual({
      zone_id: refTo(json, 'openstack_dns_zone_v2', 'dns/zone', 'id'),
      name: 'web-1.titres.interieur.gouv.fr.',
      type: 'A',
      records: ['192.0.2.11'],
      ttl: 300,
      description: 'sovstack record of client min-interieur',
    });
    expect(at(json, 'openstack_dns_recordset_v2', 'dns/record-lb').name).toBe('lb.titres.interieur.gouv.fr.');
  });
});
