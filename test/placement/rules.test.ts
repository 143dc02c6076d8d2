import { describe, expect, it } from 'vitest';
import type { ClientConfig, CloudConfig } from '../../core/config/schema.js';
import { EU_MEMBER_STATES, isEuMember } from '../../core/placement/eu.js';
import {
  catalogCoverage,
  dataLocation,
  defaultRules,
  excludedSuppliers,
  lifecycle,
  sensitiveRequiresSecNumCloud,
  servicesOffered,
} from '../../core/placement/rules/index.js';
import { evaluateRule } from '../../core/placement/engine.js';
import type { PlacementRule } from '../../core/placement/types.js';
import { serviceUsage } from '../../core/placement/usage.js';
import { makeClient, makeCloud, sovereign, vendor, webGroup } from '../support/fixtures.js';

const TODAY = '2025-06-01';
const judge = (rule: PlacementRule, client: ClientConfig, cloud: CloudConfig, today: string | undefined = TODAY) =>
  evaluateRule(rule, { client, cloud, usage: serviceUsage(client.service), today, horizonDays: 180 });

const sensitiveClient = makeClient({ id: 'interieur', policy: { sensitivity: 'sensitive' } });
const standardClient = makeClient({ id: 'culture' });

describe('eu member states', () => {
  it('lists the 27 member states with ISO codes (GR, not EL)', () => {
    expect(EU_MEMBER_STATES).toHaveLength(27);
    expect(new Set(EU_MEMBER_STATES).size).toBe(27);
    expect(isEuMember('GR')).toBe(true);
    expect(isEuMember('EL')).toBe(false);
    for (const outside of ['GB', 'CH', 'NO', 'US', 'CN', 'IS']) expect(isEuMember(outside)).toBe(false);
    for (const inside of ['FR', 'DE', 'IE', 'HR', 'CY', 'MT']) expect(isEuMember(inside)).toBe(true);
  });
});

describe('defaultRules', () => {
  it('registers every rule once, with a title and a source', () => {
    expect(defaultRules.map((r) => r.id)).toEqual([
      'sensitive-requires-secnumcloud',
      'data-location',
      'excluded-suppliers',
      'services-offered',
      'catalog-coverage',
      'lifecycle',
    ]);
    for (const r of defaultRules) {
      expect(r.title.length).toBeGreaterThan(3);
      expect(r.source.length).toBeGreaterThan(10);
    }
    expect(sensitiveRequiresSecNumCloud.source).toContain('6282/SG');
    expect(sensitiveRequiresSecNumCloud.source).toContain('6404/SG');
    expect(sensitiveRequiresSecNumCloud.source).toContain('§19.6');
  });
});

describe('sensitive-requires-secnumcloud', () => {
  it('passes a sensitive client on a qualified EU cloud, naming the facts', () => {
    const v = judge(sensitiveRequiresSecNumCloud, sensitiveClient, sovereign());
    expect(v).toEqual({
      rule: 'sensitive-requires-secnumcloud',
      status: 'pass',
      reason:
        "sensitive data requires a SecNumCloud-qualified cloud whose operator's head office and data location are in the EU; sovereign-fr1 holds secnumcloud, its operator's head office is in FR and its data is located in FR",
    });
  });

  it('fails without secnumcloud', () => {
    const v = judge(sensitiveRequiresSecNumCloud, sensitiveClient, vendor());
    expect(v.status).toBe('fail');
    expect(v.reason).toBe(
      "sensitive data requires a SecNumCloud-qualified cloud whose operator's head office and data location are in the EU; vendor-de1 does not hold secnumcloud",
    );
  });

  it('fails a qualified cloud whose operator is outside the EU', () => {
    const v = judge(sensitiveRequiresSecNumCloud, sensitiveClient, sovereign({ headOffice: 'US' }));
    expect(v.status).toBe('fail');
    expect(v.reason).toMatch(/; sovereign-fr1's operator has its head office in US, outside the EU$/);
  });

  it('names every unmet condition', () => {
    const cloud = makeCloud({ id: 'faraway', qualifications: [], headOffice: 'US', dataCountry: 'CH' });
    const v = judge(sensitiveRequiresSecNumCloud, sensitiveClient, cloud);
    expect(v.status).toBe('fail');
    expect(v.reason).toContain(
      "; faraway does not hold secnumcloud, faraway's operator has its head office in US, outside the EU and faraway keeps data in CH, outside the EU",
    );
  });

  it('does not apply to standard clients: a verdict of its own, neither pass nor fail', () => {
    expect(sensitiveRequiresSecNumCloud.appliesTo?.(standardClient)).toBe(false);
    expect(judge(sensitiveRequiresSecNumCloud, standardClient, vendor())).toEqual({
      rule: 'sensitive-requires-secnumcloud',
      status: 'not-applicable',
      reason: 'does not apply to culture (Sensitive data requires SecNumCloud)',
    });
  });
});

describe('data-location', () => {
  const fr = (loc: 'FR' | 'EU' | 'any') => makeClient({ id: 'c', policy: { dataLocation: loc } });

  it('FR accepts a French cloud', () => {
    expect(judge(dataLocation, fr('FR'), sovereign())).toEqual({
      rule: 'data-location',
      status: 'pass',
      reason: 'c requires data in France; sovereign-fr1 keeps data in FR (paris)',
    });
  });
  it('FR rejects a German cloud', () => {
    expect(judge(dataLocation, fr('FR'), vendor())).toEqual({
      rule: 'data-location',
      status: 'fail',
      reason: 'c requires data in France; vendor-de1 keeps data in DE (frankfurt)',
    });
  });
  it('EU accepts a member state, including Greece as GR', () => {
    const v = judge(dataLocation, fr('EU'), vendor());
    expect(v.status).toBe('pass');
    expect(v.reason).toBe('c requires data in the EU; vendor-de1 keeps data in DE (frankfurt), in the EU');
    expect(judge(dataLocation, fr('EU'), makeCloud({ id: 'athens', dataCountry: 'GR' })).status).toBe('pass');
  });
  it('EU rejects a non-member', () => {
    const v = judge(dataLocation, fr('EU'), makeCloud({ id: 'zurich', dataCountry: 'CH', region: 'zurich' }));
    expect(v.status).toBe('fail');
    expect(v.reason).toBe('c requires data in the EU; zurich keeps data in CH (zurich), outside the EU');
  });
  it('any accepts anywhere', () => {
    const v = judge(dataLocation, fr('any'), makeCloud({ id: 'far', dataCountry: 'US', region: 'virginia' }));
    expect(v).toEqual({ rule: 'data-location', status: 'pass', reason: 'c accepts any data location; far keeps data in US (virginia)' });
  });
});

describe('excluded-suppliers', () => {
  it('does not apply when nothing is excluded', () => {
    expect(judge(excludedSuppliers, standardClient, vendor())).toEqual({
      rule: 'excluded-suppliers',
      status: 'not-applicable',
      reason: 'does not apply to culture (Excluded stack suppliers)',
    });
  });
  it('fails on an excluded country', () => {
    const client = makeClient({ id: 'defense', policy: { excludedSuppliers: { countries: ['US', 'CN'] } } });
    const v = judge(excludedSuppliers, client, vendor());
    expect(v.status).toBe('fail');
    expect(v.reason).toBe(
      "defense excludes stack suppliers from US and CN; vendor-de1's OpenStack stack comes from Bigstack Inc (US), whose country US is excluded",
    );
  });
  it('fails on an excluded name, compared case-insensitively', () => {
    const client = makeClient({ id: 'defense', policy: { excludedSuppliers: { names: ['BIGSTACK inc'] } } });
    const v = judge(excludedSuppliers, client, vendor());
    expect(v.status).toBe('fail');
    expect(v.reason).toBe(
      "defense excludes stack suppliers named BIGSTACK inc; vendor-de1's OpenStack stack comes from Bigstack Inc (US), whose name Bigstack Inc is excluded",
    );
  });
  it('names both hits', () => {
    const client = makeClient({ id: 'd', policy: { excludedSuppliers: { countries: ['US'], names: ['bigstack inc'] } } });
    expect(judge(excludedSuppliers, client, vendor()).reason).toMatch(/whose country US and name Bigstack Inc are excluded$/);
  });
  it('passes a supplier that is not excluded', () => {
    const client = makeClient({ id: 'defense', policy: { excludedSuppliers: { countries: ['US'], names: ['Bigstack'] } } });
    const v = judge(excludedSuppliers, client, sovereign());
    expect(v.status).toBe('pass');
    expect(v.reason).toBe(
      "defense excludes stack suppliers from US and named Bigstack; sovereign-fr1's OpenStack stack comes from Libre Stack SAS (FR), which is not excluded",
    );
  });
});

describe('services-offered', () => {
  const client = makeClient({
    id: 'c',
    service: {
      loadBalancer: {
        subnet: 'app',
        listeners: [{ name: 'http', protocol: 'HTTP', port: 80, backend: { serverGroup: 'web', port: 8080 } }],
      },
      dns: { zone: 'c.gouv.fr.', email: 'ops@c.gouv.fr' },
    },
  });
  it('passes when every used service is offered', () => {
    expect(judge(servicesOffered, client, sovereign())).toEqual({
      rule: 'services-offered',
      status: 'pass',
      reason: 'c uses compute, network, blockStorage, loadBalancer and dns; sovereign-fr1 offers all of them',
    });
  });
  it('lists the missing services', () => {
    const v = judge(servicesOffered, client, sovereign({ services: ['compute', 'network', 'blockStorage'] }));
    expect(v.status).toBe('fail');
    expect(v.reason).toBe('c uses compute, network, blockStorage, loadBalancer and dns; sovereign-fr1 does not offer loadBalancer and dns');
  });
});

describe('catalog-coverage', () => {
  const client = makeClient({
    id: 'c',
    service: {
      serverGroups: [
        webGroup,
        { name: 'db', count: 1, size: 'xlarge', image: 'rhel-9', subnet: 'app', volumes: [{ name: 'pg', sizeGb: 100, tier: 'archive' }] },
      ],
    },
  });
  it('passes when everything is mapped', () => {
    const cloud = sovereign({ sizes: ['small', 'xlarge'], images: ['debian-12', 'rhel-9'], tiers: ['standard', 'archive'] });
    expect(judge(catalogCoverage, client, cloud)).toEqual({
      rule: 'catalog-coverage',
      status: 'pass',
      reason:
        "c uses size small, size xlarge, image debian-12, image rhel-9, volume tier archive and volume tier standard; sovereign-fr1's catalog maps all of them",
    });
  });
  it('lists each missing name with its kind', () => {
    const v = judge(catalogCoverage, client, sovereign());
    expect(v.status).toBe('fail');
    expect(v.reason).toMatch(/; sovereign-fr1's catalog lacks size xlarge, image rhel-9 and volume tier archive$/);
  });
  it('does not treat inherited object keys as mapped', () => {
    const odd = makeClient({ id: 'c', service: { serverGroups: [{ ...webGroup, size: 'constructor' }] } });
    expect(judge(catalogCoverage, odd, sovereign()).status).toBe('fail');
  });
  it('checks root-disk tiers only on a cloud whose servers boot from a volume', () => {
    const booted = makeClient({ id: 'c', service: { serverGroups: [{ ...webGroup, rootDisk: { sizeGb: 30, tier: 'archive' } }] } });
    const cloud = sovereign();
    expect(judge(catalogCoverage, booted, cloud).status).toBe('pass');
    const fromVolume = { ...cloud, catalog: { ...cloud.catalog, bootFromVolume: true } };
    const v = judge(catalogCoverage, booted, fromVolume);
    expect(v.status).toBe('fail');
    expect(v.reason).toMatch(/catalog lacks root-disk tier archive$/);
  });
  it('passes a client with no servers', () => {
    const v = judge(catalogCoverage, makeClient({ id: 'c', service: { serverGroups: [] } }), sovereign());
    expect(v).toEqual({
      rule: 'catalog-coverage',
      status: 'pass',
      reason: 'c uses no size, image or volume tier; nothing to map on sovereign-fr1',
    });
  });
});

describe('lifecycle', () => {
  it('passes an active cloud without warning', () => {
    expect(judge(lifecycle, standardClient, sovereign())).toEqual({
      rule: 'lifecycle',
      status: 'pass',
      reason: 'placement needs a cloud that is not retired nor past its end of life; sovereign-fr1 is active',
    });
  });
  it('passes a deprecated cloud with a warning carrying its end of life', () => {
    const v = judge(lifecycle, standardClient, sovereign({ lifecycle: { status: 'deprecated', endOfLife: '2026-06-30' } }));
    expect(v).toMatchObject({ status: 'pass', warnings: ['sovereign-fr1 is deprecated: end of life 2026-06-30'] });
    expect(v.reason).toContain('sovereign-fr1 is deprecated with end of life 2026-06-30');
  });
  it('fails a retired cloud', () => {
    expect(judge(lifecycle, standardClient, sovereign({ lifecycle: { status: 'retired', since: '2025-01-31' } }))).toEqual({
      rule: 'lifecycle',
      status: 'fail',
      reason: 'placement needs a cloud that is not retired nor past its end of life; sovereign-fr1 is retired since 2025-01-31',
    });
    expect(judge(lifecycle, standardClient, sovereign({ lifecycle: { status: 'retired' } })).reason).toMatch(/is retired$/);
  });
});
