/**
 * The lab estate (config/lab) and, when `lab/up` has it running on this machine, the lab itself:
 * every lab cloud profile must match what its cloud really offers (region, catalog, external
 * network, state database). The live checks skip when no lab answers (e.g. in CI, which does
 * not start it); the estate checks always run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadEstate } from '../../src/config/loader.js';
import type { CloudConfig } from '../../src/config/schema.js';
import { place } from '../../src/placement/index.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const labDir = process.env.SOVSTACK_LAB_DIR ?? '/var/lib/sovstack-lab';
const estate = await loadEstate(join(repoRoot, 'config', 'lab'));

interface CloudsYamlEntry {
  auth: { auth_url: string; username: string; password: string; project_name: string };
  region_name: string;
}

async function labAnswers(): Promise<boolean> {
  if (!existsSync(join(labDir, 'clouds.yaml'))) return false;
  try {
    const res = await fetch('http://127.0.0.1:5000/v3', { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}
const labUp = await labAnswers();

/** Project-scoped token and catalog for a clouds.yaml entry. */
async function login(entry: CloudsYamlEntry, authUrl: string) {
  const res = await fetch(`${authUrl}/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: entry.auth.username, domain: { id: 'default' }, password: entry.auth.password } },
        },
        scope: { project: { name: entry.auth.project_name, domain: { id: 'default' } } },
      },
    }),
  });
  expect(res.status).toBe(201);
  const token = res.headers.get('x-subject-token')!;
  const body = (await res.json()) as {
    token: { catalog: { type: string; endpoints: { region_id: string; interface: string; url: string }[] }[] };
  };
  const endpoint = (type: string, region: string): string | undefined =>
    body.token.catalog
      .find((s) => s.type === type)
      ?.endpoints.find((e) => e.region_id === region && e.interface === 'public')?.url;
  const get = async <T>(url: string): Promise<T> => {
    const r = await fetch(url, { headers: { 'X-Auth-Token': token, Accept: 'application/json' } });
    expect(r.status, url).toBe(200);
    return (await r.json()) as T;
  };
  return { endpoint, get };
}

describe('lab estate (config/lab)', () => {
  it('is a valid estate with the two lab clouds on the loopback keystone and the pg state backend', () => {
    expect(estate.ok, estate.ok ? '' : JSON.stringify(estate.errors, null, 2)).toBe(true);
    if (!estate.ok) return;
    const clouds = estate.estate.clouds;
    expect(clouds.map((c) => c.id)).toEqual(['lab-sovereign', 'lab-vendor']);
    for (const cloud of clouds) {
      expect(cloud.openstack.authUrl).toBe('http://127.0.0.1:5000/v3');
      expect(cloud.openstack.cloudsYamlName).toBe(cloud.id);
      expect(cloud.state.backend).toBe('pg');
    }
    expect(clouds.map((c) => c.openstack.region)).toEqual(['fr1', 'eu-west-0']);
  });

  it('places each smoke client on its own lab cloud, as sovereignty rules decide in production', () => {
    if (!estate.ok) return;
    const result = place(estate.estate);
    expect(result.failures).toEqual([]);
    const placed = Object.fromEntries(result.placements.map((p) => [p.client, p.cloud]));
    expect(placed['lab-sov-smoke']).toBe('lab-sovereign');
    expect(placed['lab-vnd-smoke']).toBe('lab-vendor');
  });
});

describe.skipIf(!labUp)('running lab matches the lab cloud profiles', () => {
  const cloudsYaml = labUp
    ? (parse(readFileSync(join(labDir, 'clouds.yaml'), 'utf8')) as { clouds: Record<string, CloudsYamlEntry> })
    : { clouds: {} };
  const clouds: CloudConfig[] = estate.ok ? estate.estate.clouds : [];

  for (const cloud of clouds) {
    it(`${cloud.id}: region, services, catalog and external network are real`, async () => {
      const entry = cloudsYaml.clouds[cloud.openstack.cloudsYamlName!];
      expect(entry, `clouds.yaml entry ${cloud.openstack.cloudsYamlName}`).toBeDefined();
      expect(entry!.region_name).toBe(cloud.openstack.region);
      const { endpoint, get } = await login(entry!, cloud.openstack.authUrl);
      const region = cloud.openstack.region;
      const types: Record<string, string> = {
        compute: 'compute',
        network: 'network',
        blockStorage: 'volumev3',
        loadBalancer: 'load-balancer',
        objectStorage: 'object-store',
      };
      for (const service of cloud.openstack.services) {
        expect(endpoint(types[service] ?? service, region), `${service} endpoint in ${region}`).toBeDefined();
      }
      const compute = endpoint('compute', region)!;
      const flavors = await get<{ flavors: { name: string }[] }>(`${compute}/flavors`);
      for (const flavor of Object.values(cloud.catalog.sizes)) {
        expect(flavors.flavors.map((f) => f.name)).toContain(flavor);
      }
      const zones = await get<{ availabilityZoneInfo: { zoneName: string }[] }>(`${compute}/os-availability-zone`);
      for (const az of cloud.openstack.availabilityZones) {
        expect(zones.availabilityZoneInfo.map((z) => z.zoneName)).toContain(az);
      }
      const image = endpoint('image', region)!;
      const images = await get<{ images: { name: string; status: string }[] }>(`${image}/v2/images?limit=1000`);
      for (const name of Object.values(cloud.catalog.images)) {
        expect(images.images.filter((i) => i.status === 'active').map((i) => i.name)).toContain(name);
      }
      const volume = endpoint('volumev3', region)!;
      const volumeTypes = await get<{ volume_types: { name: string }[] }>(`${volume}/types`);
      for (const name of Object.values(cloud.catalog.volumeTiers)) {
        expect(volumeTypes.volume_types.map((t) => t.name)).toContain(name);
      }
      const network = endpoint('network', region)!;
      const nets = await get<{ networks: { 'router:external': boolean }[] }>(
        `${network}/v2.0/networks?name=${encodeURIComponent(cloud.openstack.externalNetwork)}`,
      );
      expect(nets.networks).toHaveLength(1);
      expect(nets.networks[0]!['router:external']).toBe(true);
    });

    it(`${cloud.id}: the pg state database accepts the sovstack role with the lab's password`, () => {
      if (cloud.state.backend !== 'pg') return;
      const url = new URL(cloud.state.connStr);
      const password = readFileSync(join(labDir, 'secrets', 'pg-sovstack'), 'utf8').trim();
      const out = execFileSync(
        'psql',
        ['-X', '-A', '-t', '-h', url.hostname, '-p', url.port, '-U', url.username, '-d', url.pathname.slice(1), '-c', 'select current_user'],
        { env: { ...process.env, PGPASSWORD: password, PGSSLMODE: 'disable' }, encoding: 'utf8' },
      );
      expect(out.trim()).toBe('sovstack');
    });
  }
});
