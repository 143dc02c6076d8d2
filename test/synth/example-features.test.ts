/**
 * The shipped example estate uses what a real service needs on day 1: SSH keys and user data on several
 * clients, boot from volume on the vendor-style cloud, DNS records where the cloud offers DNS, and
 * protected data volumes and containers. Checked on its synthesized stacks.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthEstate } from '../../app/synth/run.js';
import { repoRoot } from '../support/tools.js';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

describe('the example estate', () => {
  const work = mkdtempSync(join(tmpdir(), 'sovstack-example-'));
  const stacks = new Map<string, Resources>();
  beforeAll(async () => {
    const outdir = join(work, 'out');
    const outcome = await synthEstate({ configDir: join(repoRoot, 'config'), outdir, cache: false, jobs: 1 });
    if (!outcome.ok) throw new Error(outcome.message);
    for (const stack of outcome.stacks) {
      const json = JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as { resource: Resources };
      stacks.set(stack, json.resource);
    }
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const instances = (stack: string) => Object.values(stacks.get(stack)?.['openstack_compute_instance_v2'] ?? {});
  const named = (pattern: RegExp) => [...stacks.keys()].filter((stack) => pattern.test(stack));

  it('gives servers SSH keys on several clients: created keypairs and an existing one', () => {
    const keyed = [...stacks.keys()].filter((stack) => instances(stack).some((i) => i.key_pair !== undefined));
    expect(keyed.length).toBeGreaterThanOrEqual(3);
    const created = [...stacks.values()].filter((r) => r['openstack_compute_keypair_v2'] !== undefined);
    expect(created.length).toBeGreaterThanOrEqual(2);
  });

  it('bootstraps servers of several clients with rendered user data', () => {
    const withUserData = [...stacks.keys()].filter((stack) => instances(stack).some((i) => typeof i.user_data === 'string'));
    expect(withUserData.length).toBeGreaterThanOrEqual(3);
    for (const stack of withUserData) for (const i of instances(stack)) expect(String(i.user_data ?? '')).not.toContain('{{');
  });

  it('boots servers from a volume on the vendor cloud only', () => {
    const vendor = named(/-vendor-eu-west-0$/).filter((stack) => instances(stack).length > 0);
    expect(vendor.length).toBeGreaterThan(0);
    for (const stack of vendor) for (const i of instances(stack)) expect(i.block_device, stack).toBeDefined();
    for (const stack of named(/-sovereign-fr1$/)) for (const i of instances(stack)) expect(i.block_device, stack).toBeUndefined();
  });

  it('records floating IPs in DNS where the client has a zone, on the cloud that offers DNS', () => {
    const withRecords = [...stacks.entries()].filter(([, r]) => r['openstack_dns_recordset_v2'] !== undefined).map(([s]) => s);
    expect(withRecords.length).toBeGreaterThanOrEqual(2);
    for (const stack of withRecords) expect(stack).toMatch(/-sovereign-fr1$/);
  });

  it('protects every data volume and container', () => {
    let protectedCount = 0;
    for (const resources of stacks.values()) {
      for (const type of ['openstack_blockstorage_volume_v3', 'openstack_objectstorage_container_v1']) {
        for (const body of Object.values(resources[type] ?? {})) {
          expect(body.lifecycle).toEqual({ prevent_destroy: true });
          protectedCount++;
        }
      }
    }
    expect(protectedCount).toBeGreaterThan(10);
  });
});
