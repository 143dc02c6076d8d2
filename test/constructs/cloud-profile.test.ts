import { describe, expect, it } from 'vitest';
import { CatalogError, CloudProfile, cloudProfileFrom } from '../../constructs/index.js';
import { sovereignCloud, vendorCloud } from '../support/fixtures.js';

describe('CloudProfile', () => {
  it('resolves abstract names through the cloud catalog', () => {
    const sov = cloudProfileFrom(sovereignCloud());
    const ven = cloudProfileFrom(vendorCloud());
    expect(sov.resolveFlavor('medium')).toBe('n2.cw.standard-2');
    expect(ven.resolveFlavor('medium')).toBe('s3.large.2');
    expect(sov.resolveImage('debian-12')).toBe('Debian 12 Bookworm');
    expect(ven.resolveImage('debian-12')).toBe('OBS Debian 12');
    expect(sov.resolveVolumeType('performance')).toBe('performant');
    expect(ven.resolveVolumeType('performance')).toBe('SSD');
    expect(ven.externalNetwork).toBe('admin_external_net');
    expect(ven.region).toBe('eu-west-0');
    expect(ven.availabilityZones).toEqual(['eu-west-0a', 'eu-west-0b']);
  });

  it('throws an error naming the missing abstract name and the cloud', () => {
    const ven = cloudProfileFrom(vendorCloud());
    expect(() => ven.resolveFlavor('huge')).toThrow(CatalogError);
    expect(() => ven.resolveFlavor('huge')).toThrow('size "huge" is not in the catalog of cloud vendor-eu-west-0 (known: medium, small)');
    expect(() => ven.resolveImage('rocky-9')).toThrow('image "rocky-9" is not in the catalog of cloud vendor-eu-west-0');
    expect(() => ven.resolveVolumeType('archive')).toThrow('volume tier "archive" is not in the catalog of cloud vendor-eu-west-0');
    // Object prototype keys are not catalog entries.
    expect(() => ven.resolveFlavor('toString')).toThrow(CatalogError);
  });

  it('reports services not offered', () => {
    const ven = cloudProfileFrom(vendorCloud());
    expect(ven.offers('loadBalancer')).toBe(true);
    expect(ven.offers('dns')).toBe(false);
    expect(() => ven.requireService('dns')).toThrow('service "dns" is not in the services offered by cloud vendor-eu-west-0');
  });

  it('spreads indexes round-robin over the zones', () => {
    const sov = cloudProfileFrom(sovereignCloud());
    expect([0, 1, 2, 3, 4].map((i) => sov.zoneFor(i))).toEqual(['fr1-a', 'fr1-b', 'fr1-c', 'fr1-a', 'fr1-b']);
  });

  it('rejects a profile without zones and copies its inputs', () => {
    expect(() => new CloudProfile({ cloudId: 'x', region: 'r', availabilityZones: [], externalNetwork: 'e' })).toThrow(
      'cloud x has no availability zone',
    );
    const flavors = { small: 'f1' };
    const profile = new CloudProfile({ cloudId: 'x', region: 'r', availabilityZones: ['a'], externalNetwork: 'e', flavors });
    flavors.small = 'changed';
    expect(profile.resolveFlavor('small')).toBe('f1');
    expect(() => profile.resolveImage('debian-12')).toThrow('image "debian-12" is not in the catalog of cloud x (none defined)');
  });
});
