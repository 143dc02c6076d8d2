/**
 * The example estate end to end through the synth pipeline: one stack per client on its placed cloud,
 * the placement report beside them, real `tofu validate` and the fast schema check on every stack,
 * offline plans, byte-identical reruns, and previous output untouched on any error.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSynthOutput } from '../../core/check/index.js';
import { loadEstate } from '../../core/config/index.js';
import { place } from '../../core/placement/index.js';
import { synthEstate } from '../../app/synth/run.js';
import { repoRoot, tofu } from '../support/tools.js';
import { snapshotTree } from '../support/files.js';

const exampleConfig = join(repoRoot, 'config');
const work = mkdtempSync(join(tmpdir(), 'sovstack-estate-'));
const outdir = join(work, 'cdktf.out');
afterAll(() => rmSync(work, { recursive: true, force: true }));

function stackJson(name: string): Record<string, any> {
  return JSON.parse(readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')) as Record<string, any>;
}

beforeAll(async () => {
  const outcome = await synthEstate({ configDir: exampleConfig, outdir });
  if (!outcome.ok) throw new Error(outcome.message);
});

describe('synth of the example estate', () => {
  it('writes one stack per client, named <client>-<cloud> after its placement, plus the placement report', async () => {
    const loaded = await loadEstate(exampleConfig);
    if (!loaded.ok) throw new Error('example estate must load');
    const expected = place(loaded.estate)
      .placements.map((p) => `${p.client}-${p.cloud}`)
      .sort();
    expect(expected).toHaveLength(loaded.estate.clients.length);
    expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual(expected);
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, unknown> };
    expect(Object.keys(manifest.stacks).sort()).toEqual(expected);

    const report = JSON.parse(readFileSync(join(outdir, 'placement.json'), 'utf8')) as {
      placements: { client: string; cloud: string; reason: string }[];
    };
    expect(report.placements.map((p) => `${p.client}-${p.cloud}`).sort()).toEqual(expected);
    expect(report.placements.every((p) => p.reason.length > 0)).toBe(true);
    expect(readFileSync(join(outdir, 'placement.md'), 'utf8')).toContain('interieur-titres');
  });

  it('configures each provider for its placed cloud, with no credentials, and the cloud’s own state backend', () => {
    const sovereign = stackJson('interieur-titres-sovereign-fr1');
    expect(sovereign.provider.openstack).toEqual([
      expect.objectContaining({ auth_url: 'https://identity.fr1.sovereign.example/v3', region: 'fr1' }),
    ]);
    const vendor = stackJson('meteo-archives-vendor-eu-west-0');
    expect(vendor.provider.openstack).toEqual([
      expect.objectContaining({ auth_url: 'https://iam.eu-west-0.vendor.example/v3', region: 'eu-west-0' }),
    ]);
    for (const json of [sovereign, vendor]) {
      const keys = Object.keys(json.provider.openstack[0]);
      expect(keys.filter((k) => /password|token|secret|credential/.test(k))).toEqual([]);
    }
    expect(sovereign.terraform.backend.s3.bucket).toBe('sovstack-state');
    expect(vendor.terraform.backend.s3.bucket).toBe('sovstack-state-eu-west-0');
  });

  it('every stack passes the fast schema check', () => {
    const result = checkSynthOutput(outdir);
    expect(result.stacks).toBe(readdirSync(join(outdir, 'stacks')).length);
    expect(result.issues).toEqual([]);
  });

  it('every stack passes real `tofu validate`', () => {
    // One initialised folder serves every stack: they all use the same provider.
    const scratch = join(work, 'validate');
    const stacks = readdirSync(join(outdir, 'stacks')).sort();
    cpSync(join(outdir, 'stacks', stacks[0], 'cdk.tf.json'), join(scratch, 'cdk.tf.json'));
    expect(tofu(['init', '-backend=false', '-input=false'], scratch).code).toBe(0);
    const results = stacks.map((stack) => {
      cpSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), join(scratch, 'cdk.tf.json'));
      const report = JSON.parse(tofu(['validate', '-json'], scratch).stdout) as { valid: boolean; error_count: number };
      return [stack, report.valid, report.error_count];
    });
    expect(results).toEqual(stacks.map((stack) => [stack, true, 0]));
  });

  it.each([['interieur-titres-sovereign-fr1'], ['meteo-archives-vendor-eu-west-0']])(
    'tofu plan of %s runs offline and only creates',
    (stack) => {
      const dir = join(work, `plan-${stack}`);
      cpSync(join(outdir, 'stacks', stack), dir, { recursive: true });
      // The example clouds' S3 state endpoints are fictional: plan against a local state instead.
      writeFileSync(join(dir, 'backend_override.tf.json'), JSON.stringify({ terraform: { backend: { local: { path: 'plan.tfstate' } } } }));
      // A sensitive stack's key comes from the sovereign cloud's Barbican (fictional here): encrypt with a passphrase instead.
      const offlineKey = { pbkdf2: { offline: { passphrase: 'offline plan of the synth test only' } } };
      const methods = { aes_gcm: { v1: { keys: 'key_provider.pbkdf2.offline' } } };
      writeFileSync(
        join(dir, 'encryption_override.tf.json'),
        JSON.stringify({ terraform: { encryption: { key_provider: offlineKey, method: methods } } }),
      );
      expect(tofu(['init', '-input=false'], dir).code).toBe(0);
      // The provider names a clouds.yaml entry; credentials in it point at a closed loopback port, so a
      // plan that tried to authenticate would fail.
      const cloudName = (stackJson(stack).provider.openstack[0] as { cloud: string }).cloud;
      const cloudsYaml = join(dir, 'clouds.yaml');
      writeFileSync(
        cloudsYaml,
        `clouds:\n  ${cloudName}:\n    auth:\n      auth_url: http://127.0.0.1:9/v3\n      username: nobody\n      password: unused\n      project_name: none\n      user_domain_name: Default\n      project_domain_name: Default\n`,
      );
      const env = { OS_CLIENT_CONFIG_FILE: cloudsYaml };
      const plan = tofu(['plan', '-input=false', '-lock=false', '-out=plan.bin'], dir, env);
      expect(plan.stderr).toBe('');
      expect(plan.code).toBe(0);
      const shown = JSON.parse(tofu(['show', '-json', 'plan.bin'], dir, env).stdout) as {
        resource_changes: { address: string; change: { actions: string[] } }[];
      };
      const created = Object.keys(stackJson(stack).resource).length;
      expect(created).toBeGreaterThan(5);
      expect(new Set(shown.resource_changes.map((c) => c.change.actions.join('+')))).toEqual(new Set(['create']));
      expect(plan.stdout).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy\./);
    },
  );

  it('synth twice gives byte-identical output', async () => {
    const again = join(work, 'again.out');
    const outcome = await synthEstate({ configDir: exampleConfig, outdir: again });
    expect(outcome.ok).toBe(true);
    expect(snapshotTree(again)).toEqual(snapshotTree(outdir));
  });
});

describe('a failed synth leaves the previous output untouched', () => {
  async function failingRun(mutate: (configDir: string) => void): Promise<{ message: string; stage: string }> {
    const configDir = join(work, `config-${Math.random().toString(36).slice(2)}`);
    cpSync(exampleConfig, configDir, { recursive: true });
    mutate(configDir);
    const before = snapshotTree(outdir);
    const outcome = await synthEstate({ configDir, outdir });
    expect(outcome.ok).toBe(false);
    expect(snapshotTree(outdir)).toEqual(before);
    expect(readdirSync(work).filter((name) => name.includes('staging'))).toEqual([]);
    if (outcome.ok) throw new Error('unreachable');
    return outcome;
  }

  it('on a config error, naming the file and the path', async () => {
    const failure = await failingRun((dir) => {
      const file = join(dir, 'clients', 'meteo-archives.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('sensitivity: standard', 'sensitivity: secret-defense'));
    });
    expect(failure.stage).toBe('config');
    expect(failure.message).toMatch(/clients\/meteo-archives\.yaml:\d+:\d+ policy\.sensitivity/);
  });

  it('on a placement error (a pin that would break sovereignty)', async () => {
    const failure = await failingRun((dir) => {
      const file = join(dir, 'clients', 'interieur-titres.yaml');
      const text = readFileSync(file, 'utf8').replace(
        '  dataLocation: FR\n',
        '  dataLocation: FR\n  pin:\n    cloud: vendor-eu-west-0\n    justification: cheaper hosting for the next budget year\n',
      );
      writeFileSync(file, text);
    });
    expect(failure.stage).toBe('placement');
    expect(failure.message).toMatch(/interieur-titres \(pin-violation\).*sensitive-requires-secnumcloud/s);
  });

  it('on a guardrail violation at synth (SSH open to the world), naming the rule and construct path', async () => {
    const failure = await failingRun((dir) => {
      const file = join(dir, 'clients', 'meteo-archives.yaml');
      const text = readFileSync(file, 'utf8');
      expect(text).toMatch(/rules:\n/);
      writeFileSync(file, text.replace(/rules:\n/, 'rules:\n        - { protocol: tcp, ports: 22, cidr: 0.0.0.0/0 }\n'));
    });
    expect(failure.stage).toBe('synth');
    expect(failure.message).toMatch(
      /\[guardrail no-world-open-ingress\] meteo-archives-vendor-eu-west-0 resource\.openstack_networking_secgroup_rule_v2\.\S+\.remote_ip_prefix: .*22/,
    );
  });
});

describe('output folder bookkeeping', () => {
  it('removes stack folders of clients that are gone when run without cdktf-cli', async () => {
    const configDir = join(work, 'config-removed');
    const out = join(work, 'removed.out');
    cpSync(exampleConfig, configDir, { recursive: true });
    expect((await synthEstate({ configDir, outdir: out })).ok).toBe(true);
    rmSync(join(configDir, 'clients', 'meteo-archives.yaml'));
    expect((await synthEstate({ configDir, outdir: out })).ok).toBe(true);
    expect(existsSync(join(out, 'stacks', 'meteo-archives-vendor-eu-west-0'))).toBe(false);
    expect(readdirSync(join(out, 'stacks'))).toHaveLength(8);
  });
});
