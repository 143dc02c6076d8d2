/**
 * State and plan encryption on the lab (docs/state-encryption.md): a sensitive client on lab-sovereign
 * whose data key lives in the lab's Barbican, deployed with OpenTofu directly (the key provider
 * `sovstack-state-key` on PATH, the deployer's clouds.yaml credentials). The raw state in PostgreSQL and
 * the saved plan file hold no resource name, IP or id in clear; a replan and a destroy work; a key
 * manager that does not answer, a missing key and a wrong key each fail clearly and change nothing;
 * rotation (v1 → v2 with v1 as fallback, then v1 retired) and adoption of a clear state run for real; the
 * PR report renders from the encrypted plan through `tofu show -json`.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKey, findSecrets } from '../../app/keys/barbican.js';
import { openSession } from '../../app/keys/provide.js';
import { runReportCommand, runSanitizePlanCommand } from '../../app/report/index.js';
import {
  dropStateSchema,
  ensureLab,
  labEnv,
  makeWorkspace,
  pgSchemaOf,
  repoRoot,
  run,
  stackDir,
  stateResources,
  sweep,
  tail,
  tofu,
  type Workspace,
} from './harness.js';

const cloud = 'lab-sovereign' as const;
const KEY_MANAGER = 'http://127.0.0.1:9311';
const SENSITIVE = 'e2e-crypt';
const ADOPTED = 'e2e-adopt';
const stackOf = (client: string): string => `${client}-${cloud}`;
const DECOY = 'e2e-crypt-decoy-lab-sovereign';

const SENSITIVE_YAML = `id: ${SENSITIVE}
name: E2E — encrypted state
policy: { sensitivity: sensitive, dataLocation: FR }
service:
  network:
    cidr: 10.86.0.0/16
    subnets:
      - { name: front, cidr: 10.86.1.0/24 }
  securityGroups:
    - name: web
      rules:
        - { protocol: tcp, ports: 8443, cidr: 10.86.0.0/16, description: HTTPS inside }
  serverGroups:
    - { name: app, count: 1, size: small, image: debian-12, subnet: front, securityGroups: [web] }
`;
const ADOPTED_YAML = `id: ${ADOPTED}
name: E2E — clear state adopted
policy: { sensitivity: standard, preferredClouds: [${cloud}] }
service:
  network:
    cidr: 10.87.0.0/16
    subnets:
      - { name: front, cidr: 10.87.1.0/24 }
`;

let ws: Workspace;
let binDir: string;
const savedPath = process.env.PATH;

function writeClient(id: string, yaml: string, encryption = ''): void {
  writeFileSync(join(ws.estate, 'clients', `${id}.yaml`), `${yaml}${encryption}`);
}

function env(): NodeJS.ProcessEnv {
  return { ...process.env, ...labEnv(cloud) };
}

async function sovstack(args: string[]) {
  const result = await run(process.execPath, [join(repoRoot, 'dist', 'app', 'cli', 'main.js'), ...args], { env: env() });
  expect(result.code, tail(result)).toBe(0);
  return result;
}

const synth = () => sovstack(['synth', '-c', ws.estate, '--out', ws.outdir]);
const createKey = (stack: string, outdir = ws.outdir) => sovstack(['state-key', 'create', stack, '--out', outdir]);

async function tf(stack: string, args: string[], dir?: string) {
  const outdir = dir ?? ws.outdir;
  const init = await tofu(ws, cloud, stack, ['init', '-input=false', '-no-color'], { outdir });
  expect(init.code, tail(init)).toBe(0);
  return tofu(ws, cloud, stack, [...args, '-input=false', '-no-color'], { outdir });
}

function psql(sql: string): string {
  const result = spawnSync('psql', ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql], { env: env(), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
  return result.stdout.trim();
}

/** The state exactly as stored in PostgreSQL. */
function rawState(stack: string): string {
  return psql(`select data from ${pgSchemaOf(stack)}.states where name = 'default'`);
}

/** Names, ids and IP addresses of the resources a decrypted state holds. */
async function secretsOfState(stack: string): Promise<string[]> {
  const found = new Set<string>();
  const visit = (value: unknown, key: string): void => {
    if (typeof value === 'string') {
      if (/^(id|name|.*_id|.*address.*|ip.*|fixed_ip.*|cidr|gateway_ip|access_ip_v4)$/.test(key) && value.length >= 4) found.add(value);
    } else if (Array.isArray(value)) value.forEach((v) => visit(v, key));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, k);
  };
  for (const resource of await stateResources(ws, cloud, stack)) visit(resource.attributes, '');
  return [...found];
}

/** A copy (as stack `as`) of a stack folder whose key provider arguments are rewritten (another stack's key, a dead key manager). */
function tamperedCopy(stack: string, name: string, edit: (json: string) => string, as = stack): string {
  const out = join(ws.root, name);
  mkdirSync(join(out, 'stacks', as), { recursive: true });
  const json = readFileSync(join(stackDir(ws.outdir, stack), 'cdk.tf.json'), 'utf8');
  writeFileSync(join(out, 'stacks', as, 'cdk.tf.json'), edit(json));
  return out;
}

/** The stack JSON with the key provider asking for `other`'s key. */
const keyOf = (other: string) => (json: string) => json.replace(/("--stack",\s*)"[^"]+"/g, `$1"${other}"`);

/** init then apply in a tampered copy: it must fail (at init or apply) with `message`, and never apply. */
async function mustFail(stack: string, outdir: string, message: RegExp): Promise<void> {
  const init = await tofu(ws, cloud, stack, ['init', '-input=false', '-no-color'], { outdir });
  const result = init.code !== 0 ? init : await tofu(ws, cloud, stack, ['apply', '-auto-approve', '-input=false', '-no-color'], { outdir });
  expect(result.code).toBe(1);
  expect(result.output).toMatch(message);
  expect(result.output).not.toMatch(/Apply complete/);
}

async function forgetKeys(stack: string): Promise<void> {
  const session = await openSession(fetch, { stack, keyManager: KEY_MANAGER, keyVersion: 1, osCloud: cloud }, env());
  for (const version of [1, 2, 3]) {
    const name = `sovstack-state-${stack}-v${version}`;
    for (const uuid of await findSecrets(session, name)) await deleteKey(session, uuid, name);
  }
}

async function cleanUp(): Promise<void> {
  for (const client of [SENSITIVE, ADOPTED]) {
    const stack = stackOf(client);
    if (ws && rawState(stack) !== '' && !rawState(stack).includes('"resources":[]'))
      await tofu(ws, cloud, stack, ['destroy', '-auto-approve', '-input=false', '-no-color'], { outdir: ws.outdir }).catch(() => undefined);
    await sweep(cloud, client);
    dropStateSchema(cloud, stack);
    await forgetKeys(stack);
  }
  await forgetKeys(DECOY);
}

beforeAll(async () => {
  await ensureLab();
  binDir = mkdtempSync(join(tmpdir(), 'sovstack-state-key-bin-'));
  const program = join(binDir, 'sovstack-state-key');
  // what `npm install sovstack` links into node_modules/.bin: the built program, found by OpenTofu on PATH
  writeFileSync(program, `#!/bin/sh\nexec "${process.execPath}" "${join(repoRoot, 'dist', 'app', 'keys', 'main.js')}" "$@"\n`);
  chmodSync(program, 0o755);
  process.env.PATH = `${binDir}:${savedPath ?? ''}`;
  ws = makeWorkspace('crypt', []);
  writeClient(SENSITIVE, SENSITIVE_YAML);
  writeClient(ADOPTED, ADOPTED_YAML);
  await cleanUp().catch(() => undefined);
});

afterAll(async () => {
  await cleanUp();
  process.env.PATH = savedPath;
});

describe(`a sensitive client (${SENSITIVE}) on ${cloud}`, () => {
  const stack = stackOf(SENSITIVE);
  const planFile = () => join(ws.root, 'sensitive.tfplan');

  it('is synthesized with state and plan encryption enforced, its key created in Barbican', async () => {
    await synth();
    const json = JSON.parse(readFileSync(join(stackDir(ws.outdir, stack), 'cdk.tf.json'), 'utf8')) as {
      terraform: { encryption: { state: { enforced: boolean }; plan: { enforced: boolean } } };
    };
    expect(json.terraform.encryption.state.enforced).toBe(true);
    expect(json.terraform.encryption.plan.enforced).toBe(true);
    expect((await createKey(stack)).stdout).toContain(`created key sovstack-state-${stack}-v1`);
  });

  it('plans to a saved plan file and applies it', async () => {
    const plan = await tf(stack, ['plan', `-out=${planFile()}`]);
    expect(plan.code, tail(plan)).toBe(0);
    const apply = await tofu(ws, cloud, stack, ['apply', '-input=false', '-no-color', planFile()]);
    expect(apply.code, tail(apply)).toBe(0);
  });

  it('leaves no resource name, IP address or id in clear in PostgreSQL or in the saved plan file', async () => {
    const stored = rawState(stack);
    expect(JSON.parse(stored)).toHaveProperty('encrypted_data');
    const plan = readFileSync(planFile(), 'utf8');
    const values = await secretsOfState(stack);
    expect(values.length).toBeGreaterThan(10);
    expect(values.some((v) => /^\d+\.\d+\.\d+\.\d+$/.test(v))).toBe(true);
    for (const value of [...values, SENSITIVE, '10.86.1.0/24']) {
      expect(stored.includes(value), `state in pg holds ${value}`).toBe(false);
      expect(plan.includes(value), `saved plan holds ${value}`).toBe(false);
    }
  });

  it('renders the PR report from the encrypted plan, read with `tofu show -json` and the key', async () => {
    const shown = await tofu(ws, cloud, stack, ['show', '-json', planFile()]);
    expect(shown.code, tail(shown)).toBe(0);
    const plans = join(ws.root, 'plans');
    mkdirSync(plans, { recursive: true });
    writeFileSync(join(ws.root, 'raw.json'), shown.stdout);
    const sanitized = runSanitizePlanCommand({ input: join(ws.root, 'raw.json'), output: join(plans, `${stack}.plan.json`) });
    expect(sanitized.exitCode, sanitized.stderr).toBe(0);
    const report = runReportCommand({ head: ws.outdir, plansDir: plans, format: 'markdown' });
    expect(report.exitCode, report.stderr).toBe(0);
    expect(report.stdout).toContain(stack);
    expect(report.stdout).toMatch(/\| `e2e-crypt-lab-sovereign` \| — \| 11 \| 0 \| 0 \| 0 \| 0 \| plan \(tofu 1\.12\.6\) \|/);
  });

  it('replans with no changes', async () => {
    const plan = await tofu(ws, cloud, stack, ['plan', '-detailed-exitcode', '-input=false', '-no-color']);
    expect(plan.code, tail(plan)).toBe(0);
  });

  it('fails clearly and changes nothing when the key manager does not answer, the key is missing or wrong', async () => {
    const before = rawState(stack);
    const dead = tamperedCopy(stack, 'dead', (j) => j.replaceAll(KEY_MANAGER, 'http://127.0.0.1:9399'));
    await mustFail(
      stack,
      dead,
      /cannot\s+reach\s+the\s+key\s+manager\s+at\s+http:\/\/127\.0\.0\.1:9399\s+\(ECONNREFUSED\);\s+nothing\s+was\s+read\s+or\s+written/,
    );
    const missing = tamperedCopy(stack, 'missing', keyOf('e2e-crypt-nokey-lab-sovereign'));
    await mustFail(stack, missing, /key sovstack-state-e2e-crypt-nokey-lab-sovereign-v1\s+not\s+found\s+in\s+the\s+key\s+manager/);
    await createKey(DECOY, tamperedCopy(stack, 'decoy', keyOf(DECOY), DECOY));
    await mustFail(stack, tamperedCopy(stack, 'wrong', keyOf(DECOY)), /decryption failed/);
    expect(rawState(stack)).toBe(before);
  });

  it('rotates to key v2 with v1 as fallback, re-encrypts on apply, then retires v1', async () => {
    writeClient(SENSITIVE, SENSITIVE_YAML, 'stateEncryption: { keyVersion: 2, fallback: { keyVersion: 1 } }\n');
    await synth();
    await createKey(stack);
    const apply = await tf(stack, ['apply', '-auto-approve']);
    expect(apply.code, tail(apply)).toBe(0);
    expect(Object.keys((JSON.parse(rawState(stack)) as { meta: object }).meta)).toEqual(['key_provider.external.v2']);
    writeClient(SENSITIVE, SENSITIVE_YAML, 'stateEncryption: { keyVersion: 2 }\n');
    await synth();
    expect((await sovstack(['state-key', 'delete', stack, '--key-version', '1', '--out', ws.outdir])).stdout).toContain('deleted key');
    const plan = await tf(stack, ['plan', '-detailed-exitcode']);
    expect(plan.code, tail(plan)).toBe(0);
  });

  it('destroys with the key, leaving an empty state', async () => {
    const destroy = await tofu(ws, cloud, stack, ['destroy', '-auto-approve', '-input=false', '-no-color']);
    expect(destroy.code, tail(destroy)).toBe(0);
    expect(await stateResources(ws, cloud, stack)).toEqual([]);
  });
});

describe(`adoption: a standard client (${ADOPTED}) with a clear state turns encryption on`, () => {
  const stack = stackOf(ADOPTED);

  it('starts with a clear state', async () => {
    await synth();
    const apply = await tf(stack, ['apply', '-auto-approve']);
    expect(apply.code, tail(apply)).toBe(0);
    expect(rawState(stack)).toContain(`${ADOPTED}-front`);
  });

  it('reads the clear state through the unencrypted fallback and writes it encrypted', async () => {
    writeClient(ADOPTED, ADOPTED_YAML, 'stateEncryption: { enabled: true, fallback: { unencrypted: true } }\n');
    await synth();
    await createKey(stack);
    const apply = await tf(stack, ['apply', '-auto-approve']);
    expect(apply.code, tail(apply)).toBe(0);
    const stored = rawState(stack);
    expect(stored).toContain('encrypted_data');
    expect(stored).not.toContain(ADOPTED);
  });

  it('plans with no changes once the fallback is removed, then destroys', async () => {
    writeClient(ADOPTED, ADOPTED_YAML, 'stateEncryption: { enabled: true }\n');
    await synth();
    const plan = await tf(stack, ['plan', '-detailed-exitcode']);
    expect(plan.code, tail(plan)).toBe(0);
    const destroy = await tofu(ws, cloud, stack, ['destroy', '-auto-approve', '-input=false', '-no-color']);
    expect(destroy.code, tail(destroy)).toBe(0);
  });
});
