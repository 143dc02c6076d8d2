/**
 * The lab estate (config/lab) and, when `lab/up` has it running on this machine, the lab itself:
 * every lab cloud profile must match what its cloud really offers (region, catalog, external
 * network, state database). `.ci/run` starts the lab before `npm test`, so CI runs the live checks;
 * on a machine without a lab they skip, and the estate checks always run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEstate } from '../../core/config/loader.js';
import type { CloudConfig } from '../../core/config/schema.js';
import { place } from '../../core/placement/index.js';
import { cloudsYamlEntry, OpenStack, type ServiceType } from '../e2e/openstack.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const labDir = process.env.SOVSTACK_LAB_DIR ?? '/var/lib/sovstack-lab';
const estate = await loadEstate(join(repoRoot, 'config', 'lab'));

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
  const cloudsYaml = join(labDir, 'clouds.yaml');
  const clouds: CloudConfig[] = estate.ok ? estate.estate.clouds : [];

  for (const cloud of clouds) {
    it(`${cloud.id}: region, services, catalog and external network are real`, async () => {
      const entry = cloudsYamlEntry(cloudsYaml, cloud.openstack.cloudsYamlName!);
      expect(entry.region_name).toBe(cloud.openstack.region);
      expect(entry.auth.auth_url.replace(/\/+$/, '')).toBe(cloud.openstack.authUrl);
      const api = await OpenStack.login(cloudsYaml, cloud.openstack.cloudsYamlName!);
      const types: Record<string, ServiceType> = {
        compute: 'compute',
        network: 'network',
        blockStorage: 'volumev3',
        loadBalancer: 'load-balancer',
        objectStorage: 'object-store',
        dns: 'dns',
      };
      for (const service of cloud.openstack.services) {
        expect(() => api.endpoint(types[service]), `${service} endpoint in ${cloud.openstack.region}`).not.toThrow();
      }
      const get = <T>(type: ServiceType, path: string): Promise<T> => api.get<T>(type, path);
      const flavors = await get<{ flavors: { name: string }[] }>('compute', '/flavors');
      for (const flavor of Object.values(cloud.catalog.sizes)) {
        expect(flavors.flavors.map((f) => f.name)).toContain(flavor);
      }
      const zones = await get<{ availabilityZoneInfo: { zoneName: string }[] }>('compute', '/os-availability-zone');
      for (const az of cloud.openstack.availabilityZones) {
        expect(zones.availabilityZoneInfo.map((z) => z.zoneName)).toContain(az);
      }
      const images = await get<{ images: { name: string; status: string }[] }>('image', '/v2/images?limit=1000');
      for (const name of Object.values(cloud.catalog.images)) {
        expect(images.images.filter((i) => i.status === 'active').map((i) => i.name)).toContain(name);
      }
      const volumeTypes = await get<{ volume_types: { name: string }[] }>('volumev3', '/types');
      for (const name of Object.values(cloud.catalog.volumeTiers)) {
        expect(volumeTypes.volume_types.map((t) => t.name)).toContain(name);
      }
      const nets = await get<{ networks: { 'router:external': boolean }[] }>(
        'network',
        `/v2.0/networks?name=${encodeURIComponent(cloud.openstack.externalNetwork)}`,
      );
      expect(nets.networks).toHaveLength(1);
      expect(nets.networks[0]['router:external']).toBe(true);
    });

    it(`${cloud.id}: the pg state database accepts the sovstack role with the lab's password`, () => {
      if (cloud.state.backend !== 'pg') return;
      const url = new URL(cloud.state.connStr);
      const password = readFileSync(join(labDir, 'secrets', 'pg-sovstack'), 'utf8').trim();
      const out = execFileSync(
        'psql',
        [
          '-X',
          '-A',
          '-t',
          '-h',
          url.hostname,
          '-p',
          url.port,
          '-U',
          url.username,
          '-d',
          url.pathname.slice(1),
          '-c',
          'select current_user',
        ],
        { env: { ...process.env, PGPASSWORD: password, PGSSLMODE: 'disable' }, encoding: 'utf8' },
      );
      expect(out.trim()).toBe('sovstack');
    });
  }
});
