import { describe, expect, it } from 'vitest';
import { defaultRules } from '../../core/placement/rules/index.js';
import type { PlacementFailure, PlacementRule } from '../../core/placement/types.js';
import { makeClient, makeCloud, sovereign, vendor, placeToday as place } from '../support/fixtures.js';

const only = <T>(items: T[]): T => {
  expect(items).toHaveLength(1);
  return items[0];
};

describe('place: choosing among eligible clouds', () => {
  it('places a sensitive client on the SecNumCloud cloud even though the vendor has a better priority', () => {
    const result = place({
      clouds: [vendor(), sovereign()],
      clients: [makeClient({ id: 'interieur', name: 'Ministère de l’Intérieur', policy: { sensitivity: 'sensitive' } })],
    });
    const p = only(result.placements);
    expect(p).toMatchObject({
      client: 'interieur',
      clientName: 'Ministère de l’Intérieur',
      cloud: 'sovereign-fr1',
      sensitivity: 'sensitive',
    });
    expect(p.reason).toBe('only eligible cloud');
    expect(p.evaluations.map((e) => [e.cloud, e.eligible])).toEqual([
      ['sovereign-fr1', true],
      ['vendor-de1', false],
    ]);
    // Every verdict of every rule is kept.
    for (const e of p.evaluations) expect(e.verdicts.map((v) => v.rule)).toEqual(defaultRules.map((r) => r.id));
    expect(result.failures).toEqual([]);
  });

  it('follows the preference order first', () => {
    const result = place({
      clouds: [vendor(), sovereign(), sovereign({ id: 'sovereign-fr2', priority: 1 })],
      clients: [makeClient({ id: 'culture', policy: { preferredClouds: ['nowhere', 'sovereign-fr1', 'vendor-de1'] } })],
    });
    const p = only(result.placements);
    expect(p.cloud).toBe('sovereign-fr1');
    expect(p.reason).toBe('first preferred eligible cloud (preference order: nowhere, sovereign-fr1, vendor-de1)');
    expect(p.warnings).toEqual(['preferred cloud nowhere is not a defined cloud']);
  });

  it('skips an ineligible preferred cloud and says why', () => {
    const result = place({
      clouds: [vendor(), sovereign()],
      clients: [makeClient({ id: 'sante', policy: { dataLocation: 'FR', preferredClouds: ['vendor-de1'] } })],
    });
    const p = only(result.placements);
    expect(p.cloud).toBe('sovereign-fr1');
    expect(p.warnings).toEqual(['preferred cloud vendor-de1 skipped: fails data-location']);
  });

  it('falls back to priority, lower first', () => {
    const result = place({ clouds: [sovereign(), vendor()], clients: [makeClient({ id: 'culture' })] });
    const p = only(result.placements);
    expect(p.cloud).toBe('vendor-de1');
    expect(p.reason).toBe('highest-priority eligible cloud (priority 50)');
  });

  it('breaks priority ties by id', () => {
    const result = place({
      clouds: [makeCloud({ id: 'zeta', priority: 5 }), makeCloud({ id: 'alpha', priority: 5 }), makeCloud({ id: 'beta', priority: 6 })],
      clients: [makeClient({ id: 'culture' })],
    });
    const p = only(result.placements);
    expect(p.cloud).toBe('alpha');
    expect(p.reason).toBe('highest-priority eligible cloud (priority 5, tie broken by id)');
    expect(p.evaluations.map((e) => e.cloud)).toEqual(['alpha', 'beta', 'zeta']);
  });

  it('sorts placements and failures by client id', () => {
    const result = place({
      clouds: [sovereign()],
      clients: ['zz', 'aa', 'mm']
        .map((id) => makeClient({ id }))
        .concat([
          makeClient({ id: 'pinned-b', policy: { pin: { cloud: 'ghost', justification: 'legacy contract until 2027' } } }),
          makeClient({ id: 'pinned-a', policy: { pin: { cloud: 'ghost', justification: 'legacy contract until 2027' } } }),
        ]),
    });
    expect(result.placements.map((p) => p.client)).toEqual(['aa', 'mm', 'zz']);
    expect(result.failures.map((f) => f.client)).toEqual(['pinned-a', 'pinned-b']);
  });
});

describe('place: lifecycle', () => {
  const old = () => sovereign({ id: 'old-fr', priority: 0, lifecycle: { status: 'deprecated', endOfLife: '2026-06-30' } });

  it('prefers an active cloud over a deprecated one, even of better priority or preferred', () => {
    const result = place({
      clouds: [old(), sovereign()],
      clients: [makeClient({ id: 'culture', policy: { preferredClouds: ['old-fr'] } })],
    });
    const p = only(result.placements);
    expect(p.cloud).toBe('sovereign-fr1');
    expect(p.warnings).toEqual(['preferred cloud old-fr skipped: deprecated while an active cloud is eligible']);
    const held = p.evaluations.find((e) => e.cloud === 'old-fr');
    expect(held?.eligible).toBe(false);
    expect(held?.verdicts.every((v) => v.status !== 'fail')).toBe(true);
    expect(held?.warnings).toContain(
      'old-fr passes every rule but is held back: it is deprecated (end of life 2026-06-30) and an active cloud is eligible',
    );
  });

  it('falls back to a deprecated cloud when no active cloud is eligible, with the end-of-life warning', () => {
    const result = place({
      clouds: [old(), vendor()],
      clients: [makeClient({ id: 'interieur', policy: { sensitivity: 'sensitive' } })],
    });
    const p = only(result.placements);
    expect(p.cloud).toBe('old-fr');
    expect(p.reason).toBe(
      'only eligible cloud; no active cloud is eligible, so deprecated old-fr is used until its end of life 2026-06-30',
    );
    expect(p.warnings).toEqual(['old-fr is deprecated: end of life 2026-06-30']);
    expect(p.evaluations.find((e) => e.cloud === 'old-fr')?.eligible).toBe(true);
  });

  it('never chooses a retired cloud, even pinned or preferred', () => {
    const retired = sovereign({ id: 'gone', priority: 0, lifecycle: { status: 'retired', since: '2024-12-31' } });
    const result = place({
      clouds: [retired, vendor()],
      clients: [
        makeClient({ id: 'a', policy: { preferredClouds: ['gone'] } }),
        makeClient({ id: 'b', policy: { sensitivity: 'sensitive' } }),
        makeClient({ id: 'c', policy: { pin: { cloud: 'gone', justification: 'hardware security modules on site' } } }),
      ],
    });
    expect(result.placements.map((p) => [p.client, p.cloud])).toEqual([['a', 'vendor-de1']]);
    expect(result.failures.map((f) => [f.client, f.kind])).toEqual([
      ['b', 'no-eligible-cloud'],
      ['c', 'pin-violation'],
    ]);
  });
});

describe('place: pins', () => {
  it('a valid pin wins over preference and priority', () => {
    const result = place({
      clouds: [vendor({ priority: 1 }), sovereign()],
      clients: [
        makeClient({
          id: 'justice',
          policy: {
            preferredClouds: ['vendor-de1'],
            pin: { cloud: 'sovereign-fr1', justification: 'court records migration in progress' },
          },
        }),
      ],
    });
    const p = only(result.placements);
    expect(p.cloud).toBe('sovereign-fr1');
    expect(p.reason).toBe('pinned: court records migration in progress');
  });

  it('allows a deprecated pin, with the end-of-life warning, even when an active cloud is eligible', () => {
    const result = place({
      clouds: [sovereign({ id: 'old-fr', lifecycle: { status: 'deprecated', endOfLife: '2026-01-15' } }), sovereign()],
      clients: [makeClient({ id: 'justice', policy: { pin: { cloud: 'old-fr', justification: 'court records migration in progress' } } })],
    });
    const p = only(result.placements);
    expect(p.cloud).toBe('old-fr');
    expect(p.warnings).toEqual(['old-fr is deprecated: end of life 2026-01-15']);
    expect(p.evaluations.find((e) => e.cloud === 'old-fr')?.eligible).toBe(true);
  });

  it('refuses a pin to a cloud failing a rule, naming each failed rule and its reason', () => {
    const result = place({
      clouds: [vendor(), sovereign()],
      clients: [
        makeClient({
          id: 'armees',
          policy: {
            sensitivity: 'sensitive',
            dataLocation: 'FR',
            pin: { cloud: 'vendor-de1', justification: 'existing GPU reservation' },
          },
        }),
      ],
    });
    expect(result.placements).toEqual([]);
    const f = only(result.failures);
    expect(f.kind).toBe('pin-violation');
    expect(f.message).toBe(
      'armees is pinned to vendor-de1 ("existing GPU reservation") but vendor-de1 fails ' +
        "sensitive-requires-secnumcloud (sensitive data requires a SecNumCloud-qualified cloud whose operator's head office and data location are in the EU; vendor-de1 does not hold secnumcloud) " +
        'and data-location (armees requires data in France; vendor-de1 keeps data in DE (frankfurt)); a pin never overrides sovereignty',
    );
    expect(f.evaluations.map((e) => e.cloud)).toEqual(['sovereign-fr1', 'vendor-de1']);
  });

  it('reports a pin to an undefined cloud', () => {
    const result = place({
      clouds: [vendor(), sovereign()],
      clients: [makeClient({ id: 'justice', policy: { pin: { cloud: 'sovereign-fr9', justification: 'typo in the cloud id here' } } })],
    });
    const f = only(result.failures);
    expect(f).toMatchObject({
      client: 'justice',
      kind: 'unknown-pin',
      message: 'justice is pinned to sovereign-fr9, which is not a defined cloud (defined: sovereign-fr1 and vendor-de1)',
    });
    expect(f.evaluations).toHaveLength(2);
  });
});

describe('place: no eligible cloud', () => {
  it('lists each cloud with its failed rules and reasons', () => {
    const result = place({
      clouds: [vendor(), sovereign({ services: ['compute', 'network'] })],
      clients: [makeClient({ id: 'interieur', policy: { sensitivity: 'sensitive' } })],
    });
    const f = only<PlacementFailure>(result.failures);
    expect(f.kind).toBe('no-eligible-cloud');
    expect(f.message).toBe(
      'no cloud is eligible for interieur: ' +
        'sovereign-fr1 fails services-offered (interieur uses compute, network and blockStorage; sovereign-fr1 does not offer blockStorage); ' +
        "vendor-de1 fails sensitive-requires-secnumcloud (sensitive data requires a SecNumCloud-qualified cloud whose operator's head office and data location are in the EU; vendor-de1 does not hold secnumcloud)",
    );
  });

  it('says so when the estate has no cloud', () => {
    const f = only(place({ clouds: [], clients: [makeClient({ id: 'x' })] }).failures);
    expect(f.message).toBe('no cloud is eligible for x: no cloud is defined');
  });
});

describe('place: custom rules', () => {
  const parisOnly: PlacementRule = {
    id: 'paris-only',
    title: 'Paris region only',
    source: 'test ministry internal policy',
    appliesTo: (client) => client.id.startsWith('min-'),
    evaluate: ({ client, cloud }) => ({
      status: cloud.dataLocation.region === 'paris' ? 'pass' : 'fail',
      reason: `${client.id} keeps data in Paris; ${cloud.id} is in ${cloud.dataLocation.region}`,
    }),
  };
  const clouds = [sovereign({ region: 'paris' }), sovereign({ id: 'sovereign-fr2', region: 'lyon', priority: 1 })];

  it('an injected rule changes the outcome and its verdict is recorded', () => {
    const result = place({ clouds, clients: [makeClient({ id: 'min-eco' })] }, { rules: [...defaultRules, parisOnly] });
    const p = only(result.placements);
    expect(p.cloud).toBe('sovereign-fr1');
    const lyon = p.evaluations.find((e) => e.cloud === 'sovereign-fr2');
    expect(lyon?.verdicts.at(-1)).toEqual({
      rule: 'paris-only',
      status: 'fail',
      reason: 'min-eco keeps data in Paris; sovereign-fr2 is in lyon',
    });
    // Without the rule, priority wins.
    expect(only(place({ clouds, clients: [makeClient({ id: 'min-eco' })] }).placements).cloud).toBe('sovereign-fr2');
  });

  it('appliesTo=false records a "not-applicable" verdict, which does not block the cloud', () => {
    const p = only(place({ clouds, clients: [makeClient({ id: 'agence' })] }, { rules: [...defaultRules, parisOnly] }).placements);
    expect(p.cloud).toBe('sovereign-fr2');
    expect(p.evaluations[1]?.verdicts.at(-1)).toEqual({
      rule: 'paris-only',
      status: 'not-applicable',
      reason: 'does not apply to agence (Paris region only)',
    });
  });

  it('a rule that throws fails closed', () => {
    const broken: PlacementRule = {
      id: 'broken',
      title: 'Broken',
      source: 'test',
      evaluate: () => {
        throw new Error('boom');
      },
    };
    const f = only(place({ clouds, clients: [makeClient({ id: 'x' })] }, { rules: [broken] }).failures);
    expect(f.kind).toBe('no-eligible-cloud');
    expect(f.message).toContain('sovereign-fr1 fails broken (rule broken could not be evaluated on sovereign-fr1: boom)');
  });

  it('rejects duplicate rule, cloud and client ids', () => {
    expect(() => place({ clouds, clients: [] }, { rules: [parisOnly, parisOnly] })).toThrow(/duplicate rule id 'paris-only'/);
    expect(() => place({ clouds: [sovereign(), sovereign()], clients: [] })).toThrow(/duplicate cloud id 'sovereign-fr1'/);
    expect(() => place({ clouds, clients: [makeClient({ id: 'a' }), makeClient({ id: 'a' })] })).toThrow(/duplicate client id 'a'/);
  });
});

describe('place: determinism', () => {
  it('gives the same result whatever the input order', () => {
    const clouds = [
      vendor(),
      sovereign(),
      sovereign({ id: 'sovereign-fr2', priority: 100 }),
      sovereign({ id: 'old-fr', lifecycle: { status: 'deprecated', endOfLife: '2026-06-30' } }),
      makeCloud({ id: 'retired-one', lifecycle: { status: 'retired' } }),
    ];
    const clients = [
      makeClient({ id: 'a' }),
      makeClient({ id: 'b', policy: { sensitivity: 'sensitive' } }),
      makeClient({ id: 'c', policy: { preferredClouds: ['sovereign-fr2'] } }),
      makeClient({ id: 'd', policy: { pin: { cloud: 'vendor-de1', justification: 'a reason long enough' }, dataLocation: 'FR' } }),
    ];
    const reference = place({ clouds, clients });
    const rotations = [1, 2, 3, 4];
    for (const r of rotations) {
      const shuffledClouds = [...clouds.slice(r), ...clouds.slice(0, r)].reverse();
      const shuffledClients = [...clients.slice(r % clients.length), ...clients.slice(0, r % clients.length)];
      expect(place({ clouds: shuffledClouds, clients: shuffledClients })).toEqual(reference);
    }
    expect(reference.placements.map((p) => [p.client, p.cloud])).toEqual([
      ['a', 'vendor-de1'],
      ['b', 'sovereign-fr1'],
      ['c', 'sovereign-fr2'],
    ]);
  });

  it('does not mutate its input', () => {
    const clouds = [vendor(), sovereign()];
    const clients = [makeClient({ id: 'b' }), makeClient({ id: 'a' })];
    const snapshot = structuredClone({ clouds, clients });
    place({ clouds, clients });
    expect({ clouds, clients }).toEqual(snapshot);
  });
});
