/**
 * What the `sovstack-state-key provide` program does for OpenTofu: fetch the stack's data key of the
 * configured version from the key manager with the deployer's credentials, and answer in the external key
 * provider protocol (see protocol.ts). The key goes to OpenTofu's stdin pipe only: never to a file, a
 * log or a message.
 */
import { readNamedKey, type BarbicanSession } from './barbican.js';
import { resolveCredentials } from './credentials.js';
import type { Fetch } from './http.js';
import { issueToken } from './keystone.js';
import { stateKeyName } from './names.js';
import { decryptionVersion, formatKeyResponse, parseKeyRequest } from './protocol.js';

/** Which key to fetch and where (the arguments the stack's encryption block gives). */
export interface StateKeyTarget {
  /** Stack name, `<client>-<cloud>`. */
  readonly stack: string;
  /** Barbican API URL. */
  readonly keyManager: string;
  /** Key version. */
  readonly keyVersion: number;
  /** Keystone URL of the stack's cloud, used when the OS_* variables give none. Default: none. */
  readonly authUrl?: string;
  /** clouds.yaml entry of the stack's cloud. Default: OS_CLOUD, else the OS_* variables. */
  readonly osCloud?: string;
}

/**
 * A Barbican session for `target`, authenticated with the deployer's credentials from `env`.
 *
 * @example const session = await openSession(fetch, target, process.env);
 */
export async function openSession(fetchImpl: Fetch, target: StateKeyTarget, env: NodeJS.ProcessEnv): Promise<BarbicanSession> {
  const credentials = resolveCredentials(
    {
      ...(target.osCloud !== undefined ? { osCloud: target.osCloud } : {}),
      ...(target.authUrl !== undefined ? { authUrl: target.authUrl } : {}),
    },
    env,
  );
  return { fetch: fetchImpl, endpoint: target.keyManager, token: await issueToken(fetchImpl, credentials) };
}

/**
 * Answers one OpenTofu request (`input`, what it wrote on stdin): the JSON line to write after the header.
 *
 * @throws StateKeyError when the input, the credentials, Keystone, the key manager or the key fails.
 * @example await provideKeys(fetch, { stack: 'e2e-sov-lab-sovereign', keyManager: 'http://127.0.0.1:9311', keyVersion: 1 }, 'null', process.env);
 */
export async function provideKeys(fetchImpl: Fetch, target: StateKeyTarget, input: string, env: NodeJS.ProcessEnv): Promise<string> {
  const request = parseKeyRequest(input);
  const session = await openSession(fetchImpl, target, env);
  const name = stateKeyName(target.stack, target.keyVersion);
  const fix = `create it (sovstack state-key create ${target.stack} --key-version ${target.keyVersion}) or restore it; OpenTofu changed nothing`;
  const key = await readNamedKey(session, name, fix);
  const decrypting = decryptionVersion(request, target.keyVersion) !== undefined;
  return formatKeyResponse(key, decrypting ? key : undefined, target.keyVersion);
}
