/**
 * The key steps of an encrypted stack's run: its data keys made sure of before the first tofu command
 * (created for a stack never deployed), and deleted once `destroy --purge-state` removed its state.
 * Journalled as stack notes naming the key, never its value.
 */
import { barbicanKeyStore, deleteStateKeys, ensureStateKeys, type KeyStore } from '../keys/ensure.js';
import { StateKeyError } from '../keys/errors.js';
import { stackKeys } from '../keys/target.js';

export type { KeyStore } from '../keys/ensure.js';

/** What the key steps need from a stack's run. */
export interface StackKeyRun {
  /** Stack name. */
  stack: string;
  /** The stack's Terraform JSON text (its encryption block names the keys). */
  json: string;
  /** Whether the deployed store records the stack; asked only for a stack whose encryption names key-manager keys. */
  deployed: () => boolean;
  /** Environment holding the deployer's OpenStack credentials. */
  env: NodeJS.ProcessEnv;
  /** Journals a stack note. */
  note: (message: string) => void;
  /** The error that fails the stack with `message`. */
  fail: (message: string) => Error;
  /** Default: the Barbican each key names, with `env`'s credentials. */
  store?: KeyStore;
}

const storeOf = (run: StackKeyRun): KeyStore => run.store ?? barbicanKeyStore(fetch, run.env);

/**
 * Before the stack's first tofu command: every key its encryption block fetches exists, the primary one
 * created when the stack was never deployed (see `ensureStateKeys`). No-op for a stack without a key-manager key.
 *
 * @throws `run.fail(…)` with the fix when a key is missing from a deployed stack, or the key manager cannot be asked.
 * @example await ensureStackKeys({ stack, json, deployed: () => false, env, note, fail: (m) => new StackFailure(m) });
 */
export async function ensureStackKeys(run: StackKeyRun): Promise<void> {
  const keys = stackKeys(JSON.parse(run.json));
  if (keys.all.length === 0) return;
  try {
    for (const name of await ensureStateKeys(storeOf(run), keys, run.deployed()))
      run.note(`created state key ${name} in ${keys.primary?.keyManager ?? 'the key manager'} (stack never deployed)`);
  } catch (error) {
    if (error instanceof StateKeyError) throw run.fail(`state key: ${error.message}`);
    throw error;
  }
}

/**
 * After `destroy --purge-state` removed the stack's state: its keys are deleted (nothing can need them any more).
 *
 * @throws `run.fail(…)` naming the command to finish by hand when the key manager refuses.
 * @example await deleteStackKeys({ stack, json, deployed: () => false, env, note, fail: (m) => new StackFailure(m) });
 */
export async function deleteStackKeys(run: StackKeyRun): Promise<void> {
  const keys = stackKeys(JSON.parse(run.json));
  if (keys.all.length === 0) return;
  try {
    for (const name of await deleteStateKeys(storeOf(run), keys)) run.note(`deleted state key ${name} (state purged)`);
  } catch (error) {
    if (!(error instanceof StateKeyError)) throw error;
    const versions = keys.all.map((k) => k.keyVersion).join(', ');
    throw run.fail(
      `destroyed and purged, but its state keys (versions ${versions}) were not deleted: ${error.message}; ` +
        `fix: sovstack state-key delete ${run.stack} --key-version <n> once the key manager answers`,
    );
  }
}
