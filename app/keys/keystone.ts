/**
 * A Keystone v3 token from the deployer's credentials (password scoped to the project, or an application
 * credential), to call the key manager with. The token is kept in memory only.
 */
import type { OpenStackCredentials } from './credentials.js';
import { StateKeyError } from './errors.js';
import { describeFailure, send, type Fetch } from './http.js';

type Rec = Record<string, unknown>;

/** `{ name, domain }` or `{ id }` from the fields `<prefix>_name`/`<prefix>_id` and their domain. */
function named(auth: Readonly<Record<string, string>>, prefix: 'user' | 'project', nameField: string, idField: string): Rec {
  const id = auth[idField];
  if (id !== undefined) return { id };
  const domainId = auth[`${prefix}_domain_id`];
  const domainName = auth[`${prefix}_domain_name`] ?? auth.domain_name ?? 'Default';
  return { name: auth[nameField], domain: domainId !== undefined ? { id: domainId } : { name: domainName } };
}

/** The JSON body of POST /v3/auth/tokens for `credentials`. */
export function tokenRequest(credentials: OpenStackCredentials): Rec {
  const auth = credentials.auth;
  if (credentials.method === 'application_credential') {
    const appCred: Rec =
      auth.application_credential_id !== undefined
        ? { id: auth.application_credential_id }
        : { name: auth.application_credential_name, user: named(auth, 'user', 'username', 'user_id') };
    appCred.secret = auth.application_credential_secret;
    return { auth: { identity: { methods: ['application_credential'], application_credential: appCred } } };
  }
  const user = { ...named(auth, 'user', 'username', 'user_id'), password: auth.password };
  return {
    auth: {
      identity: { methods: ['password'], password: { user } },
      scope: { project: named(auth, 'project', 'project_name', 'project_id') },
    },
  };
}

/** `…/v3/auth/tokens` of a Keystone URL given with or without `/v3`. */
export function tokensUrl(authUrl: string): string {
  const base = authUrl.replace(/\/+$/, '');
  return `${base.endsWith('/v3') ? base : `${base}/v3`}/auth/tokens`;
}

/**
 * Authenticates and returns the token.
 *
 * @throws StateKeyError when Keystone is unreachable or refuses the credentials.
 * @example const token = await issueToken(fetch, resolveCredentials({ osCloud: 'lab-sovereign' }, process.env));
 */
export async function issueToken(fetchImpl: Fetch, credentials: OpenStackCredentials): Promise<string> {
  const url = tokensUrl(credentials.authUrl);
  const response = await send(
    fetchImpl,
    url,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(tokenRequest(credentials)) },
    'Keystone',
  );
  const token = response.headers.get('x-subject-token');
  if (!response.ok || token === null)
    throw new StateKeyError(
      `Keystone at ${new URL(url).origin} refused the credentials of ${credentials.source} (${await describeFailure(response)}); fix: check them`,
    );
  return token;
}
