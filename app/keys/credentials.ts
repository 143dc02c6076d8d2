/**
 * The deployer's own OpenStack credentials, found as the OpenStack provider and the `openstack` CLI find
 * them: the clouds.yaml entry named by the stack (`--os-cloud`, the cloud's `cloudsYamlName`) or by
 * OS_CLOUD, in OS_CLIENT_CONFIG_FILE, ./clouds.yaml, ~/.config/openstack/clouds.yaml or
 * /etc/openstack/clouds.yaml; else the OS_* variables. Password and application-credential auth.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { asRecord } from '../../core/json.js';
import { StateKeyError } from './errors.js';

/** Keystone v3 credentials (never printed). */
export interface OpenStackCredentials {
  /** Keystone URL, with or without `/v3`. */
  readonly authUrl: string;
  /** Password or application credential. */
  readonly method: 'password' | 'application_credential';
  /** The `auth` fields: username/user_id, password, project_name/project_id, domain names or ids, application credential id/name/secret. */
  readonly auth: Readonly<Record<string, string>>;
  /** Where they came from, for messages: `clouds.yaml entry lab-sovereign (/path)` or `OS_* variables`. */
  readonly source: string;
}

const ENV_FIELDS: Record<string, string> = {
  OS_USERNAME: 'username',
  OS_USER_ID: 'user_id',
  OS_PASSWORD: 'password',
  OS_PROJECT_NAME: 'project_name',
  OS_TENANT_NAME: 'project_name',
  OS_PROJECT_ID: 'project_id',
  OS_TENANT_ID: 'project_id',
  OS_USER_DOMAIN_NAME: 'user_domain_name',
  OS_USER_DOMAIN_ID: 'user_domain_id',
  OS_PROJECT_DOMAIN_NAME: 'project_domain_name',
  OS_PROJECT_DOMAIN_ID: 'project_domain_id',
  OS_DOMAIN_NAME: 'domain_name',
  OS_APPLICATION_CREDENTIAL_ID: 'application_credential_id',
  OS_APPLICATION_CREDENTIAL_NAME: 'application_credential_name',
  OS_APPLICATION_CREDENTIAL_SECRET: 'application_credential_secret',
};

/** The clouds.yaml files looked at, in order. */
export function cloudsYamlCandidates(env: NodeJS.ProcessEnv, cwd = process.cwd()): string[] {
  const files = [join(cwd, 'clouds.yaml'), join(homedir(), '.config', 'openstack', 'clouds.yaml'), '/etc/openstack/clouds.yaml'];
  return env.OS_CLIENT_CONFIG_FILE ? [env.OS_CLIENT_CONFIG_FILE, ...files] : files;
}

function methodOf(authType: unknown, auth: Record<string, string>): OpenStackCredentials['method'] {
  if (authType === 'v3applicationcredential' || auth.application_credential_secret !== undefined) return 'application_credential';
  return 'password';
}

function stringsOf(record: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) if (typeof value === 'string' || typeof value === 'number') out[key] = String(value);
  return out;
}

function fromCloudsYaml(name: string, env: NodeJS.ProcessEnv, fallbackAuthUrl: string | undefined): OpenStackCredentials {
  const candidates = cloudsYamlCandidates(env);
  for (const file of candidates) {
    if (!existsSync(file)) continue;
    let doc: unknown;
    try {
      doc = parse(readFileSync(file, 'utf8'));
    } catch {
      throw new StateKeyError(`cannot read ${file} as YAML; fix: repair the clouds.yaml file`);
    }
    const entry = asRecord(asRecord(asRecord(doc).clouds)[name]);
    if (Object.keys(entry).length === 0) continue;
    const auth = stringsOf(asRecord(entry.auth));
    const authUrl = auth.auth_url ?? fallbackAuthUrl;
    if (authUrl === undefined) throw new StateKeyError(`clouds.yaml entry ${name} (${file}) has no auth.auth_url; fix: add it`);
    return { authUrl, method: methodOf(entry.auth_type, auth), auth, source: `clouds.yaml entry ${name} (${file})` };
  }
  throw new StateKeyError(
    `no clouds.yaml entry ${name} in ${candidates.join(', ')}; fix: add the entry, or point OS_CLIENT_CONFIG_FILE at the file holding it`,
  );
}

/**
 * The credentials to fetch a stack's key with: the clouds.yaml entry `osCloud` (else OS_CLOUD), else the
 * OS_* variables (OS_AUTH_URL defaulting to `authUrl`, the stack's cloud's Keystone).
 *
 * @throws StateKeyError when none are found.
 * @example resolveCredentials({ osCloud: 'lab-sovereign' }, process.env).source; // 'clouds.yaml entry lab-sovereign (/var/lib/sovstack-lab/clouds.yaml)'
 */
export function resolveCredentials(options: { osCloud?: string; authUrl?: string }, env: NodeJS.ProcessEnv): OpenStackCredentials {
  const name = options.osCloud ?? env.OS_CLOUD;
  if (name !== undefined && name !== '') return fromCloudsYaml(name, env, options.authUrl);
  const auth: Record<string, string> = {};
  for (const [variable, field] of Object.entries(ENV_FIELDS)) {
    const value = env[variable];
    if (value !== undefined && value !== '' && auth[field] === undefined) auth[field] = value;
  }
  const authUrl = env.OS_AUTH_URL ?? options.authUrl;
  const method = methodOf(env.OS_AUTH_TYPE, auth);
  const secret = method === 'password' ? auth.password : auth.application_credential_secret;
  if (authUrl === undefined || secret === undefined)
    throw new StateKeyError(
      'no OpenStack credentials: neither a clouds.yaml entry (OS_CLOUD) nor OS_AUTH_URL with OS_PASSWORD or OS_APPLICATION_CREDENTIAL_SECRET; fix: load your deploy environment (e.g. OS_CLOUD and OS_CLIENT_CONFIG_FILE)',
    );
  return { authUrl, method, auth, source: 'OS_* variables' };
}
