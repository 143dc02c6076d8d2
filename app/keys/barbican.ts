/**
 * The stack data keys in Barbican (OpenStack's key manager), by name (see `stateKeyName`): find, read,
 * create and delete, with the deployer's token. Keys are 32-byte symmetric secrets, stored base64 and
 * read back as raw bytes.
 */
import { randomBytes } from 'node:crypto';
import { StateKeyError } from './errors.js';
import { describeFailure, send, type Fetch } from './http.js';
import { STATE_KEY_BYTES } from './names.js';

/** A session on one Barbican: its API URL (without `/v1`) and a token. */
export interface BarbicanSession {
  /** `fetch`. */
  readonly fetch: Fetch;
  /** Barbican API base URL, e.g. `https://kms.fr1.sovereign.example`. */
  readonly endpoint: string;
  /** Keystone token. */
  readonly token: string;
}

/** The API base of a configured endpoint: no trailing slash, no `/v1`. */
export function barbicanBase(endpoint: string): string {
  return endpoint.replace(/\/+$/, '').replace(/\/v1$/, '');
}

function headers(session: BarbicanSession, extra: Record<string, string> = {}): Record<string, string> {
  return { 'x-auth-token': session.token, ...extra };
}

async function check(response: Response, what: string): Promise<void> {
  if (response.ok) return;
  const fix = response.status === 401 || response.status === 403 ? '; fix: use credentials of the project owning the key' : '';
  throw new StateKeyError(`the key manager refused to ${what} (${await describeFailure(response)})${fix}`);
}

/**
 * The uuids of the secrets named `name` (exact match).
 *
 * @example await findSecrets(session, 'sovstack-state-e2e-sov-lab-sovereign-v1'); // ['6e1c…']
 */
export async function findSecrets(session: BarbicanSession, name: string): Promise<string[]> {
  const url = `${barbicanBase(session.endpoint)}/v1/secrets?name=${encodeURIComponent(name)}&limit=10`;
  const response = await send(session.fetch, url, { headers: headers(session, { accept: 'application/json' }) }, 'the key manager');
  await check(response, `list secrets named ${name}`);
  const body = (await response.json()) as { secrets?: { name?: unknown; secret_ref?: unknown }[] };
  return (body.secrets ?? [])
    .filter((s) => s.name === name && typeof s.secret_ref === 'string')
    .map((s) => String(s.secret_ref).replace(/\/+$/, '').split('/').pop() ?? '');
}

/** The one secret named `name`: its uuid; a missing or ambiguous key is a {@link StateKeyError}. */
export async function findSecret(session: BarbicanSession, name: string, fix: string): Promise<string> {
  const found = await findSecrets(session, name);
  if (found.length === 0)
    throw new StateKeyError(`key ${name} not found in the key manager ${barbicanBase(session.endpoint)}; fix: ${fix}`);
  if (found.length > 1)
    throw new StateKeyError(
      `${found.length} secrets are named ${name} in the key manager ${barbicanBase(session.endpoint)}; fix: delete all but the one in use`,
    );
  return found[0] ?? '';
}

/**
 * The raw bytes of secret `uuid`; anything but a 32-byte key is refused.
 *
 * @example (await readKey(session, uuid, name)).length; // 32
 */
export async function readKey(session: BarbicanSession, uuid: string, name: string): Promise<Uint8Array> {
  const url = `${barbicanBase(session.endpoint)}/v1/secrets/${encodeURIComponent(uuid)}/payload`;
  const response = await send(session.fetch, url, { headers: headers(session, { accept: 'application/octet-stream' }) }, 'the key manager');
  await check(response, `read key ${name}`);
  const key = new Uint8Array(await response.arrayBuffer());
  if (key.length !== STATE_KEY_BYTES)
    throw new StateKeyError(
      `key ${name} holds ${key.length} bytes, not ${STATE_KEY_BYTES}; fix: it is not a sovstack data key — delete it and create one`,
    );
  return key;
}

/**
 * The data key stored as the one secret named `name`: {@link findSecret} (`fix` for a missing key), then {@link readKey}.
 *
 * @example (await readNamedKey(session, 'sovstack-state-s-v1', 'create it')).length; // 32
 */
export async function readNamedKey(session: BarbicanSession, name: string, fix: string): Promise<Uint8Array> {
  return readKey(session, await findSecret(session, name, fix), name);
}

/**
 * Creates secret `name` holding 32 random bytes; returns its uuid. The bytes never leave this call but to Barbican.
 *
 * @example await createKey(session, 'sovstack-state-e2e-sov-lab-sovereign-v1');
 */
export async function createKey(session: BarbicanSession, name: string): Promise<string> {
  const body = {
    name,
    payload: randomBytes(STATE_KEY_BYTES).toString('base64'),
    payload_content_type: 'application/octet-stream',
    payload_content_encoding: 'base64',
    secret_type: 'symmetric',
    algorithm: 'aes',
    bit_length: STATE_KEY_BYTES * 8,
    mode: 'gcm',
  };
  const url = `${barbicanBase(session.endpoint)}/v1/secrets`;
  const init = { method: 'POST', headers: headers(session, { 'content-type': 'application/json' }), body: JSON.stringify(body) };
  const response = await send(session.fetch, url, init, 'the key manager');
  await check(response, `create key ${name}`);
  const ref = ((await response.json()) as { secret_ref?: unknown }).secret_ref;
  return typeof ref === 'string' ? (ref.split('/').pop() ?? '') : '';
}

/** Deletes secret `uuid` (named `name`, for messages). */
export async function deleteKey(session: BarbicanSession, uuid: string, name: string): Promise<void> {
  const url = `${barbicanBase(session.endpoint)}/v1/secrets/${encodeURIComponent(uuid)}`;
  const response = await send(session.fetch, url, { method: 'DELETE', headers: headers(session) }, 'the key manager');
  await check(response, `delete key ${name}`);
}
