/**
 * The orchestrator on encrypted stacks, with the real OpenTofu: the key decision before the first plan
 * (created for a stack never deployed, refused for a deployed one, nothing when present), the key program
 * found by name on tofu's PATH, and `destroy --purge-state` on an encrypted state (read with its key, then
 * purged; never judged from its ciphertext). The key manager is an in-memory store standing in for Barbican
 * (the real one is exercised by test/e2e/state-key.test.ts); the pbkdf2 stack needs none.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordDeployed } from '../../app/operate/deployed.js';
import type { KeyStore } from '../../app/operate/keys.js';
import { purgeState } from '../../app/operate/purge.js';
import { stateKeyName } from '../../app/keys/names.js';
import { toolsEnv } from '../support/tools.js';
import { encryptedStackJson, PASSPHRASE_ENV, project, stackJson, writeOutput } from '../support/operate-project.js';

/** Barbican's part as the decision sees it: the names of the keys that exist. */
function memoryStore(names: string[] = []) {
  const keys = new Set(names);
  const store: KeyStore = {
    has: (t) => Promise.resolve(keys.has(stateKeyName(t.stack, t.keyVersion))),
    create: (t) => {
      keys.add(stateKeyName(t.stack, t.keyVersion));
      return Promise.resolve();
    },
    remove: (t) => Promise.resolve(keys.delete(stateKeyName(t.stack, t.keyVersion))),
  };
  return { store, keys };
}

/** A local-backend stack whose state and plans are encrypted with the key `sovstack-state-key` fetches from a key manager that is not there. */
function keyManagerStack(stack: string): string {
  const json = JSON.parse(stackJson(stack, 'c1', { marker: 'v1' })) as Record<string, Record<string, unknown>>;
  const command = ['sovstack-state-key', 'provide', '--stack', stack, '--key-manager', 'http://127.0.0.1:9', '--key-version', '1'];
  json.terraform.encryption = {
    key_provider: { external: { v1: { command } } },
    method: { aes_gcm: { v1: { keys: 'key_provider.external.v1' } } },
    state: { method: 'method.aes_gcm.v1', enforced: true },
    plan: { method: 'method.aes_gcm.v1', enforced: true },
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

const noteOf = (events: { type: string; message?: string }[]) => events.filter((e) => e.type === 'stack-note').map((e) => e.message);
/** Credentials for an OpenStack that is not there: the key program gets as far as asking Keystone. */
const deadCloud = { OS_AUTH_URL: 'http://127.0.0.1:9/v3', OS_USERNAME: 'u', OS_PASSWORD: 'p', OS_PROJECT_NAME: 'x' };

describe('the key decision before the first plan of a key-manager stack', () => {
  const p = project('keys');
  const stack = 'k-c1';
  const name = stateKeyName(stack, 1);
  writeOutput(p.out, { [stack]: keyManagerStack(stack) });

  it('never deployed, key missing: the key is created and journalled by name, then tofu runs the key program from PATH', async () => {
    const { store, keys } = memoryStore();
    const result = await p.run('plan', { names: [stack], keyStore: store, env: toolsEnv(deadCloud) });
    expect([...keys]).toEqual([name]);
    expect(noteOf(p.lastJournal())).toEqual([`created state key ${name} in http://127.0.0.1:9 (stack never deployed)`]);
    // the key manager is not there, so the plan fails: in the program OpenTofu found by name on PATH
    expect(result.exitCode).toBe(1);
    const runId = (p.lastJournal()[0] as { runId: string }).runId;
    const log = readFileSync(join(p.dir, 'runs', runId, 'logs', `${stack}.log`), 'utf8');
    expect(log).toContain('sovstack-state-key: ');
    expect(log).not.toMatch(/executable file not found|no such file/i);
  }, 120_000);

  it('key present: nothing is created and nothing journalled about keys', async () => {
    const { store, keys } = memoryStore([name]);
    await p.run('plan', { names: [stack], keyStore: store, env: toolsEnv(deadCloud) });
    expect([...keys]).toEqual([name]);
    expect(noteOf(p.lastJournal())).toEqual([]);
  }, 120_000);

  it('deployed, key missing: the stack fails before any tofu runs, with the recovery hint, and no key is created', async () => {
    const deployed = project('keys-deployed');
    writeOutput(deployed.out, { [stack]: keyManagerStack(stack) });
    recordDeployed(join(deployed.dir, 'deployed'), stack, keyManagerStack(stack));
    const { store, keys } = memoryStore();
    const result = await deployed.run('deploy', { names: [stack], keyStore: store });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`state key: key ${name} is missing from http://127.0.0.1:9, and ${stack} was deployed`);
    expect(result.stdout).toContain('docs/state-encryption.md, "Recovering"');
    expect(keys.size).toBe(0);
    expect(existsSync(join(deployed.dir, 'work', stack, '.terraform'))).toBe(false);
  }, 120_000);
});

describe('destroy --purge-state on an encrypted (pbkdf2) state', () => {
  const p = project('keys-pbkdf2');
  const stack = 'e-c1';
  const text = encryptedStackJson(stack, 'c1', { web: 'v1', db: 'v1' });
  writeOutput(p.out, { [stack]: text });
  const env = toolsEnv(PASSPHRASE_ENV);
  const statePath = join(p.dir, 'work', stack, 'state', `${stack}.tfstate`);

  it('the deployed state is ciphertext, and purge refuses to judge it unread', async () => {
    expect((await p.run('deploy', { names: [stack], env })).exitCode).toBe(0);
    const stored = readFileSync(statePath, 'utf8');
    expect(stored).toContain('"encrypted_data"');
    expect(stored).not.toContain('terraform_data');
    await expect(purgeState(JSON.parse(text), env, { cwd: join(p.dir, 'work', stack) })).rejects.toThrow(
      /holds an encrypted state that was not read with its key: left alone/,
    );
    expect(existsSync(statePath)).toBe(true);
  }, 180_000);

  it('a non-empty encrypted state read with its key is still refused', async () => {
    await expect(
      purgeState(JSON.parse(text), env, { cwd: join(p.dir, 'work', stack), decryptedResources: ['terraform_data.web'] }),
    ).rejects.toThrow(/still holds 1 resource \(terraform_data\.web\); not purged/);
  });

  it('destroy --purge-state reads it with the key, finds it empty after the destroy and removes it', async () => {
    const result = await p.run('destroy', { names: [stack], env, purgeState: true });
    expect(result.exitCode, result.stdout).toBe(0);
    expect(existsSync(statePath)).toBe(false);
  }, 180_000);
});
