import { describe, expect, it } from 'vitest';
import { whatIfRetire } from '../../core/placement/what-if.js';
import { makeClient, makeCloud, sovereign, vendor } from '../support/fixtures.js';

const estate = () => ({
  clouds: [
    sovereign({ prices: { sizesPerMonth: { small: 50 }, volumeGbPerMonth: { standard: 0.2 } } }),
    vendor({ prices: { sizesPerMonth: { small: 30 }, volumeGbPerMonth: { standard: 0.1 } } }),
    makeCloud({ id: 'sovereign-fr2', priority: 200, prices: { sizesPerMonth: { small: 60 }, volumeGbPerMonth: { standard: 0.2 } } }),
  ],
  clients: [
    makeClient({ id: 'culture' }),
    makeClient({ id: 'interieur', policy: { sensitivity: 'sensitive' } }),
    makeClient({ id: 'justice', policy: { pin: { cloud: 'sovereign-fr1', justification: 'court records live here' } } }),
    makeClient({ id: 'sport', policy: { excludedSuppliers: { countries: ['FR'] } } }),
  ],
});

describe('whatIfRetire', () => {
  it('classifies clients as staying, moving or stranded, with cost deltas and totals', () => {
    const impact = whatIfRetire(estate(), 'sovereign-fr1');
    expect(impact.cloud).toBe('sovereign-fr1');
    expect(impact.clients).toEqual([
      // culture: vendor (2×30 + 40×0.1 = 64) stays.
      {
        client: 'culture',
        from: 'vendor-de1',
        to: 'vendor-de1',
        status: 'stays',
        reason: 'highest-priority eligible cloud (priority 50)',
        costDelta: 0,
      },
      // interieur: sovereign-fr1 (2×50 + 40×0.2 = 108) → sovereign-fr2 (2×60 + 8 = 128).
      { client: 'interieur', from: 'sovereign-fr1', to: 'sovereign-fr2', status: 'moves', reason: 'only eligible cloud', costDelta: 20 },
      {
        client: 'justice',
        from: 'sovereign-fr1',
        to: null,
        status: 'stranded',
        reason: expect.stringMatching(
          /^justice is pinned to sovereign-fr1 .* fails lifecycle \(.*sovereign-fr1 is retired\); a pin never overrides sovereignty$/,
        ),
        costDelta: null,
      },
      { client: 'sport', from: 'vendor-de1', to: 'vendor-de1', status: 'stays', reason: 'only eligible cloud', costDelta: 0 },
    ]);
    expect(impact.stranded).toEqual(['justice']);
    // before: 64 + 108 + 108 + 64 = 344; after: 64 + 128 + 64 = 256.
    expect(impact.totals).toEqual([{ currency: 'EUR', before: 344, after: 256, delta: -88 }]);
  });

  it('strands clients with nowhere else to go', () => {
    const impact = whatIfRetire(estate(), 'vendor-de1');
    expect(impact.clients.find((c) => c.client === 'sport')).toMatchObject({ from: 'vendor-de1', to: null, status: 'stranded' });
    expect(impact.clients.find((c) => c.client === 'sport')?.reason).toMatch(/^no cloud is eligible for sport: /);
    expect(impact.clients.find((c) => c.client === 'culture')).toMatchObject({
      from: 'vendor-de1',
      to: 'sovereign-fr1',
      status: 'moves',
      costDelta: 44,
    });
  });

  it('reports a client that was not placed before either', () => {
    const e = estate();
    e.clients.push(makeClient({ id: 'zz', policy: { pin: { cloud: 'nowhere', justification: 'nothing sensible here' } } }));
    const entry = whatIfRetire(e, 'vendor-de1').clients.find((c) => c.client === 'zz');
    expect(entry).toMatchObject({ from: null, to: null, status: 'stranded', costDelta: null });
    expect(entry?.reason).toMatch(/^not placed before either: zz is pinned to nowhere/);
  });

  it('does not modify the estate', () => {
    const e = estate();
    const snapshot = structuredClone(e);
    whatIfRetire(e, 'sovereign-fr1');
    expect(e).toEqual(snapshot);
  });

  it('gives a null delta when currencies differ or a cloud has no prices', () => {
    const e = {
      clouds: [
        vendor({ prices: { currency: 'USD', sizesPerMonth: { small: 1 }, volumeGbPerMonth: { standard: 0 } } }),
        sovereign({ priority: 60 }),
      ],
      clients: [makeClient({ id: 'culture' })],
    };
    const impact = whatIfRetire(e, 'vendor-de1');
    expect(impact.clients[0]).toMatchObject({ status: 'moves', costDelta: null });
    expect(impact.totals).toEqual([{ currency: 'USD', before: 2, after: 0, delta: -2 }]);
  });

  it('rejects an unknown cloud', () => {
    expect(() => whatIfRetire(estate(), 'nope')).toThrow(RangeError);
  });
});
