/**
 * The key program against the lab's real Barbican: `sovstack-state-key provide` (run by name from the
 * launcher folder the orchestrator puts on tofu's PATH) speaks OpenTofu's protocol with a key created by
 * `sovstack state-key create`, decrypts only its own version, and fails clearly on a missing key, a dead
 * key manager and without credentials; the orchestrator's key decision (create for a stack never deployed,
 * refuse for a deployed one, nothing when present) and the deletion after a purge, on the same Barbican.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKey, findSecrets } from '../../app/keys/barbican.js';
import { barbicanKeyStore, deleteStateKeys, ensureStateKeys } from '../../app/keys/ensure.js';
import { StateKeyError } from '../../app/keys/errors.js';
import { manageStateKey } from '../../app/keys/manage.js';
import { keyProgramDir } from '../../app/keys/program.js';
import { STATE_KEY_PROGRAM } from '../../core/guardrails/encryption-block.js';
import { openSession } from '../../app/keys/provide.js';
import { stackKeys } from '../../app/keys/target.js';
import { ensureLab, labDir } from './harness.js';

const KEY_MANAGER = 'http://127.0.0.1:9311';
/** The program as OpenTofu runs it: by name, from the launcher folder (app/keys/program.ts). */
const program = join(keyProgramDir(mkdtempSync(join(tmpdir(), 'sovstack-key-program-'))), STATE_KEY_PROGRAM);
const env = { ...process.env, OS_CLIENT_CONFIG_FILE: join(labDir, 'clouds.yaml'), OS_CLOUD: '' };
const stack = `keys-test-${process.pid}-lab-sovereign`;
const out = mkdtempSync(join(tmpdir(), 'sovstack-keys-'));
const args = (version: number, keyManager = KEY_MANAGER) => [
  'provide',
  '--stack',
  stack,
  '--key-manager',
  keyManager,
  '--key-version',
  String(version),
  '--os-cloud',
  'lab-sovereign',
];

function provide(argv: string[], input: string, extraEnv: NodeJS.ProcessEnv = env) {
  const result = spawnSync(program, argv, { input, env: extraEnv, encoding: 'utf8', timeout: 60_000 });
  const [header, answer] = result.stdout.split('\n');
  return {
    code: result.status,
    header,
    answer: answer ? (JSON.parse(answer) as { keys: Record<string, string>; meta: unknown }) : undefined,
    stderr: result.stderr,
  };
}

beforeAll(async () => {
  await ensureLab();
  expect(existsSync(program), `${program}: run npm run build first`).toBe(true);
});

describe("sovstack-state-key against the lab's Barbican", () => {
  mkdirSync(join(out, 'stacks', stack), { recursive: true });
  writeFileSync(
    join(out, 'stacks', stack, 'cdk.tf.json'),
    JSON.stringify({
      terraform: {
        encryption: {
          key_provider: { external: { v1: { command: ['sovstack-state-key', ...args(1)] } } },
          method: { aes_gcm: { v1: { keys: 'key_provider.external.v1' } } },
          state: { method: 'method.aes_gcm.v1', enforced: true },
          plan: { method: 'method.aes_gcm.v1', enforced: true },
        },
      },
    }),
  );
  afterAll(async () => {
    // whatever failed above, no key of this run stays in the lab's Barbican
    const session = await openSession(fetch, { stack, keyManager: KEY_MANAGER, keyVersion: 1, osCloud: 'lab-sovereign' }, env);
    const name = `sovstack-state-${stack}-v1`;
    for (const uuid of await findSecrets(session, name)) await deleteKey(session, uuid, name);
  });

  it('fails clearly while the key does not exist', () => {
    const result = provide(args(1), 'null');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`key sovstack-state-${stack}-v1 not found in the key manager ${KEY_MANAGER}; fix: create it`);
  });

  it('creates the key once, then serves it: encryption only for null, both keys for its own stored version', async () => {
    expect(await manageStateKey(fetch, 'create', { out, stack }, env)).toContain('created key');
    expect(await manageStateKey(fetch, 'create', { out, stack }, env)).toContain('already exists');
    const encrypt = provide(args(1), 'null');
    expect(encrypt.code, encrypt.stderr).toBe(0);
    expect(JSON.parse(encrypt.header ?? '')).toEqual({ magic: 'OpenTofu-External-Key-Provider', version: 1 });
    expect(Buffer.from(encrypt.answer?.keys.encryption_key ?? '', 'base64')).toHaveLength(32);
    expect(encrypt.answer?.keys.decryption_key).toBeUndefined();
    const decrypt = provide(args(1), '{"external_data":{"key_version":1}}');
    expect(decrypt.answer?.keys.decryption_key).toBe(encrypt.answer?.keys.encryption_key);
    expect(decrypt.answer?.meta).toEqual({ external_data: { key_version: 1 } });
  });

  it('refuses to retire a version the stack still uses', async () => {
    await expect(manageStateKey(fetch, 'delete', { out, stack, version: 1 }, env)).rejects.toThrow(/still uses key version 1/);
  });

  it('fails clearly when the key manager does not answer, or without credentials', () => {
    const dead = provide(args(1, 'http://127.0.0.1:9399'), 'null');
    expect(dead.code).toBe(1);
    expect(dead.stderr).toContain('cannot reach the key manager at http://127.0.0.1:9399 (ECONNREFUSED); nothing was read or written');
    const bare = provide(args(1).slice(0, -2), 'null', { PATH: process.env.PATH ?? '', HOME: out });
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain('no OpenStack credentials');
  });

  it('is deleted by state-key delete once the stack no longer uses it', async () => {
    const json = join(out, 'stacks', stack, 'cdk.tf.json');
    writeFileSync(json, readFileSync(json, 'utf8').replaceAll('"1"', '"2"').replaceAll('.v1', '.v2').replaceAll('"v1"', '"v2"'));
    expect(await manageStateKey(fetch, 'delete', { out, stack, version: 1 }, env)).toContain('deleted key');
  });
});

describe("the orchestrator's key decision, on the lab's Barbican", () => {
  const other = `keys-decision-${process.pid}-lab-sovereign`;
  const target = { stack: other, keyManager: KEY_MANAGER, keyVersion: 1, osCloud: 'lab-sovereign' };
  const keys = stackKeys({
    terraform: {
      encryption: {
        key_provider: {
          external: {
            v1: {
              command: [
                'sovstack-state-key',
                'provide',
                '--stack',
                other,
                '--key-manager',
                KEY_MANAGER,
                '--key-version',
                '1',
                '--os-cloud',
                'lab-sovereign',
              ],
            },
          },
        },
        method: { aes_gcm: { v1: { keys: 'key_provider.external.v1' } } },
        state: { method: 'method.aes_gcm.v1', enforced: true },
        plan: { method: 'method.aes_gcm.v1', enforced: true },
      },
    },
  });
  const store = barbicanKeyStore(fetch, env);
  afterAll(async () => {
    await store.remove(target);
  });

  it('a deployed stack whose key is missing fails with the recovery hint, and no key is created', async () => {
    await expect(ensureStateKeys(store, keys, true)).rejects.toThrow(StateKeyError);
    await expect(ensureStateKeys(store, keys, true)).rejects.toThrow(/was deployed: a new key could not read its state.*Recovering/);
    expect(await store.has(target)).toBe(false);
  });

  it('a stack never deployed gets its key created once; present, nothing is done', async () => {
    expect(await ensureStateKeys(store, keys, false)).toEqual([`sovstack-state-${other}-v1`]);
    expect(await store.has(target)).toBe(true);
    expect(await ensureStateKeys(store, keys, false)).toEqual([]);
    expect(await ensureStateKeys(store, keys, true)).toEqual([]);
  });

  it('after a purge every key of the stack is deleted', async () => {
    expect(await deleteStateKeys(store, keys)).toEqual([`sovstack-state-${other}-v1`]);
    expect(await store.has(target)).toBe(false);
    expect(await deleteStateKeys(store, keys)).toEqual([]);
  });
});
