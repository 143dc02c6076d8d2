/**
 * A stack's data keys before its first plan, and after its state is gone: what the orchestrator
 * (`sovstack plan|deploy|destroy|drift`) and the e2e harness do so that nobody creates or retires a key by
 * hand. A missing key is created only for a stack never deployed: for a deployed one, a new key could not
 * read the state it left, so the stack fails with the recovery steps instead.
 */
import { createKey, deleteKey, findSecrets, type BarbicanSession } from './barbican.js';
import { StateKeyError } from './errors.js';
import type { Fetch } from './http.js';
import { stateKeyName } from './names.js';
import { openSession, type StateKeyTarget } from './provide.js';
import type { StackKeys } from './target.js';

/** The key manager as the decision needs it: does a key exist, create one, delete every copy of one. */
export interface KeyStore {
  /** Whether the key of `target` exists (readable or not). */
  has(target: StateKeyTarget): Promise<boolean>;
  /** Creates the key of `target` (32 random bytes, named by {@link stateKeyName}). */
  create(target: StateKeyTarget): Promise<void>;
  /** Deletes every secret named like the key of `target`; whether there was one. */
  remove(target: StateKeyTarget): Promise<boolean>;
}

/**
 * The Barbican of each key's `keyManager`, reached with the deployer's credentials in `env`: one Keystone
 * token per key manager and credentials for the store's life (meant to be short: one stack's key step, one
 * command), so checking then creating a key authenticates once.
 *
 * @example const store = barbicanKeyStore(fetch, process.env);
 */
export function barbicanKeyStore(fetchImpl: Fetch, env: NodeJS.ProcessEnv): KeyStore {
  const sessions = new Map<string, Promise<BarbicanSession>>();
  const sessionFor = (target: StateKeyTarget): Promise<BarbicanSession> => {
    const key = JSON.stringify([target.keyManager, target.authUrl, target.osCloud]);
    let session = sessions.get(key);
    if (session === undefined) {
      session = openSession(fetchImpl, target, env);
      sessions.set(key, session);
      // A failed authentication is not kept: the next call tries again.
      session.catch(() => sessions.delete(key));
    }
    return session;
  };
  const nameOf = (target: StateKeyTarget): string => stateKeyName(target.stack, target.keyVersion);
  return {
    has: async (target) => (await findSecrets(await sessionFor(target), nameOf(target))).length > 0,
    create: async (target) => {
      await createKey(await sessionFor(target), nameOf(target));
    },
    remove: async (target) => {
      const session = await sessionFor(target);
      const name = nameOf(target);
      const uuids = await findSecrets(session, name);
      for (const uuid of uuids) await deleteKey(session, uuid, name);
      return uuids.length > 0;
    },
  };
}

/** The recovery steps of docs/state-encryption.md for a deployed stack whose key is gone. */
function missingKeyOfDeployed(target: StateKeyTarget): string {
  const name = stateKeyName(target.stack, target.keyVersion);
  return (
    `key ${name} is missing from ${target.keyManager}, and ${target.stack} was deployed: a new key could not read its state, ` +
    'so none was created and nothing ran; fix: restore the secret under the same name from a backup of the key manager ' +
    '(docs/state-encryption.md, "Recovering"), or, with no copy left, import the resources into a fresh encrypted state'
  );
}

/**
 * Makes sure every key `keys` names exists before tofu asks for it; returns the names of the keys it created.
 * Nothing to do when all exist. A missing primary key is created when `deployed` is false (the stack was never
 * deployed: no state to read); a missing key of a deployed stack, or a missing fallback key (it reads an older
 * state), is a {@link StateKeyError} with the fix, and nothing is created.
 *
 * @example await ensureStateKeys(barbicanKeyStore(fetch, env), stackKeys(json), false); // ['sovstack-state-x-lab-sovereign-v1']
 */
export async function ensureStateKeys(store: KeyStore, keys: StackKeys, deployed: boolean): Promise<string[]> {
  const missing: StateKeyTarget[] = [];
  for (const target of keys.all) if (!(await store.has(target))) missing.push(target);
  for (const target of missing) {
    if (deployed) throw new StateKeyError(missingKeyOfDeployed(target));
    if (target !== keys.primary)
      throw new StateKeyError(
        `fallback key ${stateKeyName(target.stack, target.keyVersion)} is missing from ${target.keyManager}: it reads the older state; ` +
          'fix: restore it, or remove the fallback from stateEncryption if no state was written with it',
      );
  }
  for (const target of missing) await store.create(target);
  return missing.map((target) => stateKeyName(target.stack, target.keyVersion));
}

/**
 * Deletes every key `keys` names (after the stack's state was purged: nothing can need them any more);
 * returns the names of those that existed.
 *
 * @example await deleteStateKeys(barbicanKeyStore(fetch, env), stackKeys(json)); // ['sovstack-state-x-lab-sovereign-v1']
 */
export async function deleteStateKeys(store: KeyStore, keys: StackKeys): Promise<string[]> {
  const deleted: string[] = [];
  for (const target of keys.all) if (await store.remove(target)) deleted.push(stateKeyName(target.stack, target.keyVersion));
  return deleted;
}
