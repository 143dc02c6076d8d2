import { describe, expect, it } from 'vitest';
import { serviceUsage } from '../../core/placement/usage.js';
import { makeClient, webGroup } from '../support/fixtures.js';

describe('serviceUsage', () => {
  it('uses only the network for an empty service', () => {
    const { service } = makeClient({ id: 'c', service: { serverGroups: [] } });
    expect(serviceUsage(service)).toEqual({ services: ['network'], sizes: [], images: [], volumeTiers: [] });
  });

  it('collects services and sorted unique catalog names', () => {
    const { service } = makeClient({
      id: 'c',
      service: {
        serverGroups: [
          {
            ...webGroup,
            name: 'b',
            size: 'medium',
            volumes: [
              { name: 'x', sizeGb: 5, tier: 'ssd' },
              { name: 'y', sizeGb: 5, tier: 'archive' },
            ],
          },
          { ...webGroup, name: 'a', size: 'large', image: 'alma-9', volumes: [] },
          { ...webGroup, name: 'c', size: 'medium', volumes: [{ name: 'z', sizeGb: 5, tier: 'ssd' }] },
        ],
        loadBalancer: { subnet: 'app', listeners: [{ name: 'l', protocol: 'TCP', port: 443, backend: { serverGroup: 'a', port: 443 } }] },
        objectStorage: { containers: [{ name: 'backups' }] },
        dns: { zone: 'c.gouv.fr.', email: 'dns@c.gouv.fr' },
      },
    });
    expect(serviceUsage(service)).toEqual({
      services: ['compute', 'network', 'blockStorage', 'loadBalancer', 'objectStorage', 'dns'],
      sizes: ['large', 'medium'],
      images: ['alma-9', 'debian-12'],
      volumeTiers: ['archive', 'ssd'],
    });
  });

  it('does not count block storage for servers without volumes', () => {
    const { service } = makeClient({ id: 'c', service: { serverGroups: [{ ...webGroup, volumes: [] }] } });
    expect(serviceUsage(service).services).toEqual(['compute', 'network']);
  });
});
