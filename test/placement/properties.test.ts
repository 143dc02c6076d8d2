import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClientConfig, CloudConfig, Qualification, ServiceKind } from '../../core/config/schema.js';
import { evaluateRule, place } from '../../core/placement/engine.js';
import { isEuMember } from '../../core/placement/eu.js';
import { defaultRules } from '../../core/placement/rules/index.js';
import { serviceUsage } from '../../core/placement/usage.js';
import { whatIfRetire } from '../../core/placement/what-if.js';
import { ALL_SERVICES, makeClient, makeCloud } from '../support/fixtures.js';

/** The date of every decision in this file: the generated end-of-life dates lie around it. */
const TODAY = '2025-06-01';

const CLOUD_IDS = ['c-a', 'c-b', 'c-c', 'c-d', 'c-e'];
const SIZES = ['small', 'medium', 'large'];
const IMAGES = ['debian-12', 'rhel-9'];
const TIERS = ['standard', 'ssd'];

/** Usually every item (so clouds are often capable enough to be eligible), sometimes a random subset. */
const mostlyAll = <T>(items: T[], minLength = 0): fc.Arbitrary<T[]> =>
  fc.oneof({ arbitrary: fc.constant(items), weight: 3 }, { arbitrary: fc.subarray(items, { minLength }), weight: 1 });

/** Usually nothing, sometimes a random subset. */
const mostlyNone = <T>(items: T[]): fc.Arbitrary<T[]> =>
  fc.oneof({ arbitrary: fc.constant([] as T[]), weight: 3 }, { arbitrary: fc.subarray(items), weight: 1 });

/** Usually an EU country (FR most often), sometimes one outside the EU. */
const mostlyEu = fc.oneof(
  { arbitrary: fc.constant('FR'), weight: 3 },
  { arbitrary: fc.constantFrom('DE', 'GR'), weight: 2 },
  { arbitrary: fc.constantFrom('US', 'CN', 'CH'), weight: 2 },
);

const cloudArb: fc.Arbitrary<CloudConfig> = fc
  .record({
    id: fc.constantFrom(...CLOUD_IDS),
    qualifications: fc.oneof(
      fc.constant<Qualification[]>(['secnumcloud', 'iso27001']),
      fc.subarray<Qualification>(['secnumcloud', 'hds', 'iso27001', 'c5']),
    ),
    headOffice: mostlyEu,
    dataCountry: mostlyEu,
    supplier: fc.record({
      name: fc.constantFrom('Libre Stack SAS', 'Bigstack Inc', 'Eastcloud'),
      country: fc.constantFrom('FR', 'US', 'CN', 'DE'),
    }),
    lifecycle: fc.oneof(
      { arbitrary: fc.constant({ status: 'active' as const }), weight: 3 },
      { arbitrary: fc.constant({ status: 'deprecated' as const, endOfLife: '2026-06-30' }), weight: 1 },
      { arbitrary: fc.constant({ status: 'retired' as const }), weight: 1 },
    ),
    services: mostlyAll<ServiceKind>(ALL_SERVICES, 1),
    sizes: mostlyAll(SIZES),
    images: mostlyAll(IMAGES),
    tiers: mostlyAll(TIERS),
    priority: fc.integer({ min: 0, max: 3 }),
  })
  .map((spec) => makeCloud(spec));

const cloudsArb = fc.uniqueArray(cloudArb, { selector: (c) => c.id, minLength: 1, maxLength: CLOUD_IDS.length });

const clientArb: fc.Arbitrary<ClientConfig> = fc
  .record({
    id: fc.constantFrom('k-a', 'k-b', 'k-c', 'k-d', 'k-e', 'k-f'),
    sensitivity: fc.constantFrom('standard' as const, 'sensitive' as const),
    dataLocation: fc.constantFrom('FR' as const, 'EU' as const, 'any' as const),
    countries: mostlyNone(['US', 'CN', 'FR']),
    names: mostlyNone(['bigstack inc', 'EASTCLOUD', 'Other Vendor']),
    preferredClouds: mostlyNone([...CLOUD_IDS, 'c-unknown']).chain((ids) => fc.shuffledSubarray(ids, { minLength: ids.length })),
    // About one client in five is pinned; one pin in six names an undefined cloud.
    pin: fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: fc.constantFrom(...CLOUD_IDS, 'c-unknown'), weight: 1 }),
    groups: fc.array(
      fc.record({
        size: fc.constantFrom(...SIZES),
        image: fc.constantFrom(...IMAGES),
        tiers: fc.subarray(TIERS),
        count: fc.integer({ min: 1, max: 3 }),
      }),
      { maxLength: 2 },
    ),
    loadBalancer: fc.boolean(),
    objectStorage: fc.boolean(),
    dns: fc.boolean(),
  })
  .map((r) =>
    makeClient({
      id: r.id,
      policy: {
        sensitivity: r.sensitivity,
        dataLocation: r.dataLocation,
        excludedSuppliers: { countries: r.countries, names: r.names },
        preferredClouds: r.preferredClouds,
        ...(r.pin ? { pin: { cloud: r.pin, justification: 'generated pin justification' } } : {}),
      },
      service: {
        serverGroups: r.groups.map((g, i) => ({
          name: `g${i}`,
          count: g.count,
          size: g.size,
          image: g.image,
          subnet: 'app',
          volumes: g.tiers.map((tier, j) => ({ name: `v${j}`, sizeGb: 10, tier })),
        })),
        ...(r.loadBalancer
          ? {
              loadBalancer: {
                subnet: 'app',
                listeners: [{ name: 'l', protocol: 'TCP' as const, port: 443, backend: { serverGroup: 'g0', port: 443 } }],
              },
            }
          : {}),
        ...(r.objectStorage ? { objectStorage: { containers: [{ name: 'bucket' }] } } : {}),
        ...(r.dns ? { dns: { zone: 'x.gouv.fr.', email: 'dns@x.gouv.fr' } } : {}),
      },
    }),
  );

const estateArb = fc.record({
  clouds: cloudsArb,
  clients: fc.uniqueArray(clientArb, { selector: (c) => c.id, minLength: 1, maxLength: 6 }),
});

const RUNS = { numRuns: 300 };

const chosenClouds = (estate: { clouds: CloudConfig[]; clients: ClientConfig[] }) => {
  const result = place(estate, { today: TODAY });
  const clouds = new Map(estate.clouds.map((c) => [c.id, c] as const));
  const clients = new Map(estate.clients.map((c) => [c.id, c] as const));
  return { result, clouds, clients };
};

/**
 * Each property also counts the cases that exercise it and asserts a floor afterwards, so a generator that
 * drifts into trivial estates makes the test fail instead of passing vacuously.
 */
describe('placement properties over random estates', () => {
  it('never places a sensitive client on a cloud without secnumcloud or outside the EU', () => {
    let exercised = 0;
    fc.assert(
      fc.property(estateArb, (estate) => {
        const { result, clouds, clients } = chosenClouds(estate);
        for (const p of result.placements) {
          if (clients.get(p.client)?.policy.sensitivity !== 'sensitive') continue;
          exercised++;
          const cloud = clouds.get(p.cloud)!;
          expect(cloud.qualifications).toContain('secnumcloud');
          expect(isEuMember(cloud.operator.headOfficeCountry)).toBe(true);
          expect(isEuMember(cloud.dataLocation.country)).toBe(true);
        }
      }),
      RUNS,
    );
    expect(exercised).toBeGreaterThan(40);
  });

  it('never chooses a retired cloud', () => {
    let exercised = 0; // retired clouds failing nothing but the lifecycle rule
    fc.assert(
      fc.property(estateArb, (estate) => {
        const { result, clouds } = chosenClouds(estate);
        for (const p of result.placements) {
          expect(clouds.get(p.cloud)?.lifecycle.status).not.toBe('retired');
          exercised += p.evaluations.filter((e) => {
            const failed = e.verdicts.filter((v) => v.status === 'fail').map((v) => v.rule);
            return failed.length === 1 && failed[0] === 'lifecycle';
          }).length;
        }
      }),
      RUNS,
    );
    expect(exercised).toBeGreaterThan(20);
  });

  it('lands a pinned client on its pin or fails it, never elsewhere', () => {
    const seen = { placed: 0, violation: 0, unknown: 0 };
    fc.assert(
      fc.property(estateArb, (estate) => {
        const { result, clouds } = chosenClouds(estate);
        for (const client of estate.clients) {
          const pin = client.policy.pin?.cloud;
          if (!pin) continue;
          const placed = result.placements.find((p) => p.client === client.id);
          const failed = result.failures.find((f) => f.client === client.id);
          if (placed) {
            expect(placed.cloud).toBe(pin);
            seen.placed++;
          } else {
            expect(failed?.kind).toBe(clouds.has(pin) ? 'pin-violation' : 'unknown-pin');
            if (failed?.kind === 'pin-violation') seen.violation++;
            else seen.unknown++;
          }
        }
      }),
      RUNS,
    );
    expect(seen.placed).toBeGreaterThan(5);
    expect(seen.violation).toBeGreaterThan(10);
    expect(seen.unknown).toBeGreaterThan(5);
  });

  it('chooses only clouds that pass every rule, re-checked independently', () => {
    let exercised = 0;
    fc.assert(
      fc.property(estateArb, (estate) => {
        const { result, clouds, clients } = chosenClouds(estate);
        for (const p of result.placements) {
          exercised++;
          const client = clients.get(p.client)!;
          const cloud = clouds.get(p.cloud)!;
          const usage = serviceUsage(client.service);
          for (const rule of defaultRules)
            expect(evaluateRule(rule, { client, cloud, usage, today: TODAY, horizonDays: 180 }).status).not.toBe('fail');
          const evaluation = p.evaluations.find((e) => e.cloud === p.cloud);
          expect(evaluation?.eligible).toBe(true);
          expect(evaluation?.verdicts.every((v) => v.status !== 'fail')).toBe(true);
        }
      }),
      RUNS,
    );
    expect(exercised).toBeGreaterThan(150);
  });

  it('places or fails every client exactly once, and evaluates every cloud', () => {
    fc.assert(
      fc.property(estateArb, (estate) => {
        const result = place(estate, { today: TODAY });
        const ids = [...result.placements.map((p) => p.client), ...result.failures.map((f) => f.client)].sort();
        expect(ids).toEqual(estate.clients.map((c) => c.id).sort());
        const cloudIds = estate.clouds.map((c) => c.id).sort();
        for (const o of [...result.placements, ...result.failures]) expect(o.evaluations.map((e) => e.cloud)).toEqual(cloudIds);
      }),
      RUNS,
    );
  });

  it('picks the best-ranked eligible cloud, and a deprecated one only as a last resort', () => {
    const seen = { contested: 0, fallback: 0, heldBack: 0 };
    fc.assert(
      fc.property(estateArb, (estate) => {
        const { result, clouds, clients } = chosenClouds(estate);
        for (const p of result.placements) {
          const client = clients.get(p.client)!;
          if (client.policy.pin) continue;
          const pref = client.policy.preferredClouds;
          const key = (id: string) => {
            const i = pref.indexOf(id);
            return [i === -1 ? Infinity : i, clouds.get(id)!.priority, id] as const;
          };
          const before = (a: string, b: string) => {
            const [x, y] = [key(a), key(b)];
            return x[0] < y[0] || (x[0] === y[0] && (x[1] < y[1] || (x[1] === y[1] && x[2] < y[2])));
          };
          const passing = p.evaluations.filter((e) => e.verdicts.every((v) => v.status !== 'fail'));
          if (passing.length > 1) seen.contested++;
          for (const e of p.evaluations) if (e.eligible && e.cloud !== p.cloud) expect(before(e.cloud, p.cloud)).toBe(false);
          const activePasses = passing.some((e) => clouds.get(e.cloud)?.lifecycle.status === 'active');
          if (clouds.get(p.cloud)?.lifecycle.status === 'deprecated') {
            seen.fallback++;
            expect(activePasses).toBe(false);
            expect(p.warnings.some((w) => w.includes('end of life 2026-06-30'))).toBe(true);
          } else {
            // Every passing deprecated cloud is held back and marked ineligible.
            for (const e of passing) {
              if (clouds.get(e.cloud)?.lifecycle.status !== 'deprecated') continue;
              seen.heldBack++;
              expect(e.eligible).toBe(false);
            }
          }
        }
      }),
      RUNS,
    );
    expect(seen.contested).toBeGreaterThan(30);
    expect(seen.fallback).toBeGreaterThan(5);
    expect(seen.heldBack).toBeGreaterThan(10);
  });

  it('is deterministic whatever the input order', () => {
    fc.assert(
      fc.property(
        estateArb.chain((estate) =>
          fc.tuple(
            fc.constant(estate),
            fc.shuffledSubarray(estate.clouds, { minLength: estate.clouds.length }),
            fc.shuffledSubarray(estate.clients, { minLength: estate.clients.length }),
          ),
        ),
        ([estate, clouds, clients]) => {
          expect(place({ clouds, clients }, { today: TODAY })).toEqual(place(estate, { today: TODAY }));
        },
      ),
      RUNS,
    );
  });

  it('what-if: only clients of the retired cloud move or strand, and none lands on it', () => {
    const seen = { moves: 0, stranded: 0 };
    fc.assert(
      fc.property(
        estateArb
          .filter((e) => e.clouds.length > 0)
          .chain((estate) => fc.tuple(fc.constant(estate), fc.constantFrom(...estate.clouds.map((c) => c.id)))),
        ([estate, cloudId]) => {
          const impact = whatIfRetire(estate, cloudId, { today: TODAY });
          for (const entry of impact.clients) {
            expect(entry.to).not.toBe(cloudId);
            if (entry.from !== null && entry.from !== cloudId) expect(entry.status).toBe('stays');
            if (entry.status === 'stranded') expect(impact.stranded).toContain(entry.client);
            if (entry.status === 'moves') seen.moves++;
            if (entry.status === 'stranded' && entry.from === cloudId) seen.stranded++;
          }
        },
      ),
      RUNS,
    );
    expect(seen.moves).toBeGreaterThan(8);
    expect(seen.stranded).toBeGreaterThan(10);
  });
});
