/**
 * Projects for the orchestrator's tests on the real OpenTofu: synth output folders of stacks that need
 * no cloud (a `local` backend and the built-in `terraform_data`), and a project folder (output, runs,
 * deployed store, working directories) with helpers to run `operate` on it.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { RunEvent } from '../../app/operate/events.js';
import { readJournal } from '../../app/operate/journal.js';
import { operate, type OperateOptions } from '../../app/operate/run.js';
import { toolsEnv } from './tools.js';

const root = mkdtempSync(join(tmpdir(), 'sovstack-operate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A stack of client `client` on `cloud`: one terraform_data per entry of `markers`, plus `extra` resources. */
export function stackJson(stack: string, cloud: string, markers: Record<string, string>, extra: Record<string, unknown> = {}): string {
  const resources = Object.fromEntries(Object.entries(markers).map(([name, input]) => [name, { input }]));
  return `${JSON.stringify(
    {
      '//': { sovstack: { placement: { clientId: stack.split('-')[0], cloudId: cloud } } },
      terraform: { backend: { local: { path: `state/${stack}.tfstate` } } },
      resource: { terraform_data: { ...resources, ...extra } },
    },
    null,
    2,
  )}\n`;
}

/** The environment variable holding the passphrase of {@link encryptedStackJson}'s stacks, and a value for it. */
export const PASSPHRASE_ENV = { TF_VAR_sovstack_state_passphrase: 'a passphrase of the unit tests' };

/**
 * {@link stackJson} with OpenTofu's state and plan encryption enforced (aes_gcm, a pbkdf2 key from the
 * passphrase in {@link PASSPHRASE_ENV}): its state and saved plans are ciphertext.
 */
export function encryptedStackJson(stack: string, cloud: string, markers: Record<string, string>): string {
  const json = JSON.parse(stackJson(stack, cloud, markers)) as Record<string, Record<string, unknown>>;
  json.terraform.encryption = {
    key_provider: { pbkdf2: { passphrase: { passphrase: '${var.sovstack_state_passphrase}' } } },
    method: { aes_gcm: { passphrase: { keys: 'key_provider.pbkdf2.passphrase' } } },
    state: { method: 'method.aes_gcm.passphrase', enforced: true },
    plan: { method: 'method.aes_gcm.passphrase', enforced: true },
  };
  json.variable = { sovstack_state_passphrase: { type: 'string', sensitive: true } };
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** A synth output folder (manifest + stacks/<name>/cdk.tf.json) holding exactly `stacks`. */
export function writeOutput(dir: string, stacks: Record<string, string>): void {
  rmSync(dir, { recursive: true, force: true });
  const manifest: Record<string, unknown> = {};
  for (const [name, json] of Object.entries(stacks)) {
    mkdirSync(join(dir, 'stacks', name), { recursive: true });
    writeFileSync(join(dir, 'stacks', name, 'cdk.tf.json'), json);
    manifest[name] = { name, synthesizedStackPath: `stacks/${name}/cdk.tf.json` };
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks: manifest }));
}

/** A project folder: output, runs, deployed store and working directories. */
export function project(name: string) {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const options = (action: OperateOptions['action'], extra: Partial<OperateOptions> = {}): OperateOptions => ({
    action,
    configDir: join(dir, 'config-unused'),
    outDir: join(dir, 'out'),
    skipSynth: true,
    runDir: join(dir, 'runs'),
    deployedDir: join(dir, 'deployed'),
    workDir: join(dir, 'work'),
    concurrency: new Map([
      ['c1', 2],
      ['c2', 1],
    ]),
    env: toolsEnv(),
    ...extra,
  });
  const runIds = (): string[] => (existsSync(join(dir, 'runs')) ? readdirSync(join(dir, 'runs')) : []);
  let last = '';
  const run = async (action: OperateOptions['action'], extra: Partial<OperateOptions> = {}) => {
    const before = new Set(runIds());
    const result = await operate(options(action, extra), { sinks: [], json: false });
    // Run ids sort by second only: the new one is the folder that was not there before.
    last = runIds().find((id) => !before.has(id)) ?? extra.resume ?? last;
    return result;
  };
  const lastJournal = (): RunEvent[] => readJournal(join(dir, 'runs', last, 'journal.jsonl'));
  const state = (stack: string): { resources: { name: string }[] } =>
    JSON.parse(readFileSync(join(dir, 'work', stack, 'state', `${stack}.tfstate`), 'utf8')) as { resources: { name: string }[] };
  return { dir, out: join(dir, 'out'), options, run, lastJournal, state };
}
