import { describe, expect, it } from 'vitest';
import { estimateCost } from '../../core/placement/cost.js';
import { place } from '../../core/placement/engine.js';
import { makeClient, sovereign, webGroup } from '../support/fixtures.js';

const prices = {
  sizesPerMonth: { small: 40.5, medium: 80 },
  volumeGbPerMonth: { standard: 0.1, ssd: 0.25 },
  floatingIpPerMonth: 3.5,
  loadBalancerPerMonth: 25,
  objectStorageContainerPerMonth: 1.2,
};

const fullClient = makeClient({
  id: 'c',
  service: {
    serverGroups: [
      { ...webGroup, floatingIp: true },
      { name: 'db', count: 1, size: 'medium', image: 'debian-12', subnet: 'app', volumes: [{ name: 'pg', sizeGb: 100, tier: 'ssd' }] },
    ],
    loadBalancer: {
      subnet: 'app',
      floatingIp: true,
      listeners: [{ name: 'https', protocol: 'HTTPS', port: 443, backend: { serverGroup: 'web', port: 8443 } }],
    },
    objectStorage: { containers: [{ name: 'backups' }, { name: 'exports' }] },
  },
});

describe('estimateCost', () => {
  it('prices every item and sums the lines', () => {
    const cost = estimateCost(fullClient.service, sovereign({ prices }));
    expect(cost).toEqual({
      currency: 'EUR',
      monthly: 227.9,
      unpriced: [],
      lines: [
        { item: 'server group web (size small)', quantity: 2, unitPrice: 40.5, total: 81 },
        { item: 'volume web/data (tier standard, GB)', quantity: 40, unitPrice: 0.1, total: 4 },
        { item: 'server group db (size medium)', quantity: 1, unitPrice: 80, total: 80 },
        { item: 'volume db/pg (tier ssd, GB)', quantity: 100, unitPrice: 0.25, total: 25 },
        { item: 'load balancer', quantity: 1, unitPrice: 25, total: 25 },
        { item: 'floating IPs', quantity: 3, unitPrice: 3.5, total: 10.5 },
        { item: 'object-storage containers', quantity: 2, unitPrice: 1.2, total: 2.4 },
      ],
    });
  });

  it('rounds each line to cents and sums without float drift', () => {
    const service = makeClient({
      id: 'c',
      service: {
        serverGroups: [
          { ...webGroup, name: 'a', count: 3, size: 'tiny', volumes: [] },
          { ...webGroup, name: 'b', count: 3, size: 'odd', volumes: [] },
        ],
      },
    }).service;
    const cost = estimateCost(service, sovereign({ prices: { currency: 'CHF', sizesPerMonth: { tiny: 0.1, odd: 0.333 } } }));
    expect(cost?.lines.map((l) => l.total)).toEqual([0.3, 1]);
    expect(cost?.monthly).toBe(1.3);
    expect(cost?.currency).toBe('CHF');
  });

  it('omits zero quantities and lists unpriced items', () => {
    const service = makeClient({ id: 'c', service: { serverGroups: [{ ...webGroup, size: 'large' }] } }).service;
    const cost = estimateCost(service, sovereign({ prices: { sizesPerMonth: { small: 10 } } }));
    expect(cost).toEqual({
      currency: 'EUR',
      monthly: 0,
      lines: [],
      unpriced: ['server group web (size large)', 'volume web/data (tier standard, GB)'],
    });
  });

  it('is undefined when the cloud has no prices', () => {
    expect(estimateCost(fullClient.service, sovereign())).toBeUndefined();
  });

  it('is attached to placements, with a warning for unpriced items', () => {
    const priced = place({ clouds: [sovereign({ prices })], clients: [fullClient] }).placements[0];
    expect(priced?.cost?.monthly).toBe(227.9);
    expect(priced?.warnings).toEqual([]);
    const partial = place({ clouds: [sovereign({ prices: { sizesPerMonth: { small: 10 } } })], clients: [makeClient({ id: 'c' })] });
    expect(partial.placements[0]?.warnings).toEqual([
      'the cost estimate on sovereign-fr1 leaves out unpriced items: volume web/data (tier standard, GB)',
    ]);
    const unpriced = place({ clouds: [sovereign()], clients: [fullClient] }).placements[0];
    expect(unpriced && 'cost' in unpriced).toBe(false);
  });
});
