/**
 * Creating, checking and retiring a stack's data keys in its key manager (`sovstack state-key`), on the
 * keys its synthesized JSON names, with the deployer's credentials. Never prints a key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNamedKey } from './barbican.js';
import { barbicanKeyStore, ensureStateKeys } from './ensure.js';
import { StateKeyError } from './errors.js';
import type { Fetch } from './http.js';
import { stateKeyName } from './names.js';
import { openSession, type StateKeyTarget } from './provide.js';
import { stackKeys, type StackKeys } from './target.js';

/** What `sovstack state-key <action>` does. */
export type StateKeyAction = 'create' | 'check' | 'delete';

/** The keys of synthesized stack `stack` in synth output `out`. */
export function readStackKeys(out: string, stack: string): StackKeys {
  const file = join(out, 'stacks', stack, 'cdk.tf.json');
  if (!existsSync(file)) throw new StateKeyError(`no synthesized stack ${file}; fix: run sovstack synth first, or give --out`);
  const keys = stackKeys(JSON.parse(readFileSync(file, 'utf8')) as unknown);
  if (keys.all.length === 0)
    throw new StateKeyError(`${stack} is not encrypted with a key-manager key (no sovstack-state-key provider in ${file})`);
  return keys;
}

function pick(keys: StackKeys, stack: string, version: number | undefined): StateKeyTarget {
  const target = version === undefined ? keys.primary : keys.all.find((k) => k.keyVersion === version);
  if (target !== undefined) return target;
  const known = keys.all.map((k) => k.keyVersion).join(', ');
  throw new StateKeyError(
    `${stack} uses no key version ${version ?? '(primary)'} (its versions: ${known}); fix: synthesize the stack with that keyVersion first`,
  );
}

/**
 * Runs `action` on the key of `version` (default: the one encrypting the state) of `stack`; returns the line to print.
 * `create` is idempotent; `delete` refuses a version the synthesized stack still uses (retire it from the config first).
 *
 * @example await manageStateKey(fetch, 'create', { out: 'cdktf.out', stack: 'e2e-sov-lab-sovereign' }, process.env);
 */
export async function manageStateKey(
  fetchImpl: Fetch,
  action: StateKeyAction,
  options: { readonly out: string; readonly stack: string; readonly version?: number },
  env: NodeJS.ProcessEnv,
): Promise<string> {
  const keys = readStackKeys(options.out, options.stack);
  if (action === 'delete') return retire(fetchImpl, keys, options, env);
  const target = pick(keys, options.stack, options.version);
  const name = stateKeyName(target.stack, target.keyVersion);
  if (action === 'check') {
    const session = await openSession(fetchImpl, target, env);
    await readNamedKey(session, name, `sovstack state-key create ${target.stack} --key-version ${target.keyVersion}`);
    return `key ${name} is in ${target.keyManager} and readable with your credentials\n`;
  }
  const created = await ensureStateKeys(barbicanKeyStore(fetchImpl, env), { all: [target], primary: target }, false);
  if (created.length === 0) return `key ${name} already exists in ${target.keyManager}: nothing done\n`;
  return `created key ${name} in ${target.keyManager}\n`;
}

async function retire(
  fetchImpl: Fetch,
  keys: StackKeys,
  options: { readonly stack: string; readonly version?: number },
  env: NodeJS.ProcessEnv,
) {
  const { stack, version } = options;
  if (version === undefined) throw new StateKeyError('delete needs --key-version <n>: the version to retire');
  if (keys.all.some((k) => k.keyVersion === version))
    throw new StateKeyError(
      `${stack} still uses key version ${version}; fix: remove it from stateEncryption (keyVersion/fallback), synthesize and apply first`,
    );
  const template = keys.primary ?? keys.all[0];
  if (template === undefined) throw new StateKeyError(`${stack} has no key-manager key`);
  const target = { ...template, keyVersion: version };
  const name = stateKeyName(stack, version);
  if (!(await barbicanKeyStore(fetchImpl, env).remove(target))) return `no key ${name} in ${target.keyManager}: nothing done\n`;
  return `deleted key ${name} from ${target.keyManager}\n`;
}
