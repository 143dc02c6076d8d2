import { describe, expect, it } from 'vitest';
import { formatConfigErrors, validateEstate, type ClientConfig, type CloudConfig } from '../../core/config/index.js';
import { exampleFiles } from './helpers.js';

/** The cloud each example client is meant to land on, and the rule it showcases. */
const EXPECTED: Record<string, { cloud: string; rule: string }> = {
  'interieur-titres': { cloud: 'sovereign-fr1', rule: 'sensitive, FR' },
  'sante-dossiers': { cloud: 'sovereign-fr1', rule: 'sensitive health data' },
  'culture-portail': { cloud: 'sovereign-fr1', rule: 'no constraint: priority' },
  'meteo-archives': { cloud: 'vendor-eu-west-0', rule: 'preference' },
  'douane-stats': { cloud: 'sovereign-fr1', rule: 'excluded supplier country CN' },
  'insee-calcul': { cloud: 'sovereign-fr1', rule: 'image only in one catalog beats preference' },
  'service-public-annuaire': { cloud: 'sovereign-fr1', rule: 'service only one cloud offers beats preference' },
  'ecologie-cartes': { cloud: 'vendor-eu-west-0', rule: 'pin with justification' },
  'enseignement-eu': { cloud: 'vendor-eu-west-0', rule: 'EU location satisfied by FR, then preference' },
};

function load() {
  const result = validateEstate(exampleFiles(), 'config');
  if (!result.ok) throw new Error(formatConfigErrors(result.errors));
  return result.estate;
}

/** What a client needs from a cloud: every size, image, tier and optional service it uses. */
function missingOn(cloud: CloudConfig, client: ClientConfig): string[] {
  const missing: string[] = [];
  for (const group of client.service.serverGroups) {
    if (!(group.size in cloud.catalog.sizes)) missing.push(`size ${group.size}`);
    if (!(group.image in cloud.catalog.images)) missing.push(`image ${group.image}`);
    for (const volume of group.volumes) if (!(volume.tier in cloud.catalog.volumeTiers)) missing.push(`tier ${volume.tier}`);
  }
  for (const kind of ['loadBalancer', 'objectStorage', 'dns'] as const) {
    if (client.service[kind] !== undefined && !cloud.openstack.services.includes(kind)) missing.push(`service ${kind}`);
  }
  return missing;
}

describe('the example estate', () => {
  const estate = load();
  const cloud = (id: string) => estate.clouds.find((c) => c.id === id)!;
  const sovereign = cloud('sovereign-fr1');
  const vendor = cloud('vendor-eu-west-0');

  it('has the two clouds with the properties placement relies on', () => {
    expect(sovereign.qualifications).toContain('secnumcloud');
    expect([sovereign.stackSupplier.country, sovereign.operator.headOfficeCountry, sovereign.dataLocation.country]).toEqual([
      'FR',
      'FR',
      'FR',
    ]);
    expect(vendor.qualifications).not.toContain('secnumcloud');
    expect([vendor.stackSupplier.country, vendor.operator.headOfficeCountry, vendor.dataLocation.country]).toEqual(['CN', 'FR', 'FR']);
    expect(sovereign.priority).toBeLessThan(vendor.priority);
    expect(sovereign.openstack.services).toContain('dns');
    expect(vendor.openstack.services).not.toContain('dns');
    expect(Object.keys(sovereign.catalog.images)).toContain('rocky-9');
    expect(Object.keys(vendor.catalog.images)).not.toContain('rocky-9');
    for (const size of Object.keys(sovereign.catalog.sizes)) {
      expect(vendor.prices!.sizesPerMonth[size]).toBeLessThan(sovereign.prices!.sizesPerMonth[size]);
    }
  });

  it('lists exactly the showcased clients, sorted by id', () => {
    expect(estate.clients.map((c) => c.id)).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s can land on its expected cloud (%o)', (id, { cloud: cloudId }) => {
    const client = estate.clients.find((c) => c.id === id)!;
    const target = cloud(cloudId);
    expect(missingOn(target, client)).toEqual([]);
    if (client.policy.sensitivity === 'sensitive') expect(target.qualifications).toContain('secnumcloud');
    expect(client.policy.excludedSuppliers.countries).not.toContain(target.stackSupplier.country);
    if (client.policy.pin) expect(client.policy.pin.cloud).toBe(cloudId);
    const servers = client.service.serverGroups.reduce((n, g) => n + g.count, 0);
    expect(servers).toBeGreaterThan(0);
    expect(servers).toBeLessThanOrEqual(8);
  });

  it('makes preference lose only where the preferred cloud lacks something', () => {
    const overridden = estate.clients.filter(
      (c) => c.policy.preferredClouds[0] !== undefined && c.policy.preferredClouds[0] !== EXPECTED[c.id].cloud,
    );
    expect(overridden.map((c) => c.id)).toEqual(['insee-calcul', 'service-public-annuaire']);
    for (const client of overridden) expect(missingOn(cloud(client.policy.preferredClouds[0]), client)).not.toEqual([]);
  });

  it('covers every placement rule', () => {
    const clients = estate.clients;
    expect(clients.filter((c) => c.policy.sensitivity === 'sensitive').length).toBeGreaterThanOrEqual(2);
    expect(clients.some((c) => c.policy.dataLocation === 'EU')).toBe(true);
    expect(clients.some((c) => c.policy.excludedSuppliers.countries.includes('CN'))).toBe(true);
    expect(clients.some((c) => c.policy.pin !== undefined)).toBe(true);
    expect(
      clients.some(
        (c) =>
          c.policy.sensitivity === 'standard' &&
          c.policy.preferredClouds.length === 0 &&
          !c.policy.pin &&
          c.policy.excludedSuppliers.countries.length === 0,
      ),
    ).toBe(true);
    expect(clients.filter((c) => c.template === 'web-3tier').length).toBeGreaterThanOrEqual(2);
    expect(clients.filter((c) => c.service.loadBalancer !== undefined).length).toBeGreaterThanOrEqual(3);
    expect(clients.filter((c) => c.service.objectStorage !== undefined).length).toBeGreaterThanOrEqual(2);
  });

  it('opens to the whole internet only ports listed in publicPorts', () => {
    for (const client of estate.clients) {
      for (const group of client.service.securityGroups) {
        for (const rule of group.rules) {
          if (rule.cidr === '0.0.0.0/0') expect(client.service.publicPorts, `${client.id}/${group.name}`).toContain(rule.ports);
        }
      }
    }
  });

  it('uses only .example hosts in URLs and e-mail addresses', () => {
    for (const file of exampleFiles()) {
      for (const match of file.text.matchAll(/https?:\/\/([^/\s:]+)|@([a-z0-9.-]+)/g)) {
        expect(match[1] ?? match[2], file.path).toMatch(/\.example$/);
      }
    }
  });
});
