/**
 * Policy fidelity at the edges (issue 16): each case was found by a new user and fails on the code
 * before this change — wrong country codes, territories, end of life in the past, messages.
 */
import { describe, expect, it } from 'vitest';
import { CountrySchema } from '../../core/config/schema.js';
import { countryCodeProblem, ISO_COUNTRIES } from '../../core/config/countries.js';
import { place } from '../../core/placement/engine.js';
import { formatPlacementTable } from '../../core/placement/format.js';
import { countsAs, describeCountry, isInEu, TERRITORIES } from '../../core/placement/territories.js';
import { whatIfRetire } from '../../core/placement/what-if.js';
import { EU_MEMBER_STATES } from '../../core/placement/eu.js';
import { makeClient, makeCloud, sovereign, vendor } from '../support/fixtures.js';

const only = <T>(items: readonly T[]): T => {
  expect(items).toHaveLength(1);
  return items[0];
};

describe('country codes', () => {
  it('accepts exactly the 249 officially assigned ISO 3166-1 codes, upper case', () => {
    expect(Object.keys(ISO_COUNTRIES)).toHaveLength(249);
    for (const code of ['FR', 'GB', 'GR', 'DE', 'RE', 'NC', 'CN', 'US']) expect(CountrySchema.safeParse(code).success).toBe(true);
    for (const code of ['UK', 'EL', 'XK', 'EU', 'fr', 'ZZ', 'FRA', '']) expect(CountrySchema.safeParse(code).success).toBe(false);
  });

  it('explains the usual wrong codes: UK is GB, EL is GR, lower case', () => {
    expect(countryCodeProblem('UK')).toBe('UK is not an ISO 3166-1 code; the United Kingdom is GB: write GB');
    expect(countryCodeProblem('EL')).toBe("EL is the EU's abbreviation for Greece; the ISO 3166-1 code is GR: write GR");
    expect(countryCodeProblem('fr')).toBe('country codes are upper case: write FR');
    expect(countryCodeProblem('ZZ')).toMatch(/^ZZ is not an ISO 3166-1 alpha-2 country code/);
    expect(countryCodeProblem('GB')).toBeUndefined();
    const issue = CountrySchema.safeParse('UK').error?.issues[0];
    expect(issue?.message).toBe('UK is not an ISO 3166-1 code; the United Kingdom is GB: write GB');
  });

  it('every member state and territory is an ISO code', () => {
    for (const code of [...EU_MEMBER_STATES, ...Object.keys(TERRITORIES)]) expect(ISO_COUNTRIES[code], code).toBeDefined();
    for (const t of Object.values(TERRITORIES)) expect(EU_MEMBER_STATES).toContain(t.state);
  });
});

describe('territories', () => {
  it('counts the French outermost regions as France and the EU', () => {
    for (const code of ['GP', 'MQ', 'GF', 'RE', 'YT', 'MF']) {
      expect(countsAs(code)).toBe('FR');
      expect(isInEu(code)).toBe(true);
    }
    expect(countsAs('AX')).toBe('FI');
    expect(describeCountry('RE')).toBe('RE (La Réunion, an EU outermost region of FR)');
  });

  it('counts an overseas country or territory as neither its state nor the EU (fail closed)', () => {
    for (const code of ['NC', 'PF', 'WF', 'PM', 'BL', 'TF', 'GL', 'AW']) {
      expect(countsAs(code)).toBe(code);
      expect(isInEu(code)).toBe(false);
    }
    expect(describeCountry('NC')).toBe('NC (New Caledonia, an overseas territory of FR outside the EU)');
  });

  it('places a sensitive FR client on a SecNumCloud cloud with data in RE', () => {
    const reunion = makeCloud({ id: 'sovereign-re', dataCountry: 'RE', region: 'saint-denis' });
    for (const dataLocation of ['FR', 'EU'] as const) {
      const client = makeClient({ id: 'prefecture', policy: { sensitivity: 'sensitive', dataLocation } });
      const result = place({ clouds: [reunion], clients: [client] }, { today: '2026-12-01' });
      expect(result.failures).toEqual([]);
      expect(only(result.placements).cloud).toBe('sovereign-re');
    }
  });

  it('refuses data in New Caledonia for dataLocation FR, naming the territory', () => {
    const noumea = makeCloud({ id: 'cloud-nc', dataCountry: 'NC', region: 'noumea' });
    const client = makeClient({ id: 'c', policy: { dataLocation: 'FR' } });
    const failure = only(place({ clouds: [noumea], clients: [client] }, { today: '2026-12-01' }).failures);
    expect(failure.message).toContain('cloud-nc keeps data in NC (New Caledonia, an overseas territory of FR outside the EU) (noumea)');
  });
});

describe('excluded suppliers', () => {
  it('excludes a GB supplier when GB is named', () => {
    const british = makeCloud({ id: 'london', supplier: { name: 'Albion Stack Ltd', country: 'GB' } });
    const client = makeClient({ id: 'c', policy: { excludedSuppliers: { countries: ['GB'] } } });
    const failure = only(place({ clouds: [british], clients: [client] }, { today: '2026-12-01' }).failures);
    expect(failure.message).toContain('whose country GB is excluded');
  });

  it('warns when an excluded country is no cloud supplier’s: the exclusion excludes nothing', () => {
    const client = makeClient({ id: 'c', policy: { excludedSuppliers: { countries: ['RU', 'US'] } } });
    const p = only(place({ clouds: [sovereign(), vendor()], clients: [client] }, { today: '2026-12-01' }).placements);
    expect(p.warnings).toContain(
      "excludedSuppliers.countries names RU, which no cloud's stack supplier comes from: the exclusion excludes nothing",
    );
  });
});

describe('end of life', () => {
  const past = () => sovereign({ id: 'old-fr', lifecycle: { status: 'deprecated', endOfLife: '2020-01-01' } });
  const client = makeClient({ id: 'c' });

  it('refuses a deprecated cloud whose end of life is past, naming the date', () => {
    const failure = only(place({ clouds: [past()], clients: [client] }, { today: '2026-12-01' }).failures);
    expect(failure.kind).toBe('no-eligible-cloud');
    expect(failure.message).toContain('old-fr reached its end of life on 2020-01-01 (today is 2026-12-01)');
  });

  it('refuses a deprecated cloud when no date is given (fail closed)', () => {
    const failure = only(place({ clouds: [past()], clients: [client] }).failures);
    expect(failure.message).toContain('no date was given to check it against');
  });

  it('warns within the horizon of the end of life, and not before', () => {
    const soon = sovereign({ id: 'old-fr', lifecycle: { status: 'deprecated', endOfLife: '2027-03-01' } });
    const near = only(place({ clouds: [soon], clients: [client] }, { today: '2026-12-01' }).placements);
    expect(near.warnings).toContain('old-fr reaches its end of life on 2027-03-01, in 90 days (warning horizon 180 days): plan the move');
    const far = only(place({ clouds: [soon], clients: [client] }, { today: '2026-12-01', horizonDays: 30 }).placements);
    expect(far.warnings).toEqual(['old-fr is deprecated: end of life 2027-03-01']);
  });

  it('a pin to a retired cloud names the lifecycle rule, not sovereignty', () => {
    const retired = sovereign({ id: 'gone', lifecycle: { status: 'retired', since: '2024-01-01' } });
    const pinned = makeClient({ id: 'p', policy: { pin: { cloud: 'gone', justification: 'court records live here' } } });
    const failure = only(place({ clouds: [retired, vendor()], clients: [pinned] }, { today: '2026-12-01' }).failures);
    expect(failure.message).toMatch(
      /fails lifecycle \(.*gone is retired since 2024-01-01\); a pin cannot land on a retired cloud or one past its end of life$/,
    );
    expect(failure.message).not.toContain('sovereignty');
  });
});

describe('messages', () => {
  it('placement failures carry the client file when the estate names its folder', () => {
    const failure = only(place({ dir: 'config', clouds: [], clients: [makeClient({ id: 'x' })] }, { today: '2026-12-01' }).failures);
    expect(failure.file).toBe('config/clients/x.yaml');
    expect(formatPlacementTable({ placements: [], failures: [failure] })).toContain('config/clients/x.yaml: no cloud is eligible for x');
  });

  it('what-if carries each client’s warnings after the change', () => {
    const old = sovereign({ id: 'old-fr', lifecycle: { status: 'deprecated', endOfLife: '2027-03-01' } });
    const impact = whatIfRetire({ clouds: [sovereign(), old], clients: [makeClient({ id: 'c' })] }, 'sovereign-fr1', {
      today: '2026-12-01',
    });
    expect(only(impact.clients)).toMatchObject({ to: 'old-fr', status: 'moves' });
    expect(only(impact.clients).warnings).toContain(
      'old-fr reaches its end of life on 2027-03-01, in 90 days (warning horizon 180 days): plan the move',
    );
  });
});
