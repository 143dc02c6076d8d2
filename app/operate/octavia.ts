/**
 * Reads the members of an Octavia pool with the stack's own credentials: the provider block's `cloud`
 * entry of clouds.yaml (where the OpenStack provider finds it too), Keystone v3 with a password or an
 * application credential, the `load-balancer` endpoint of the provider's region. The provider's data
 * sources give a pool's member ids only, not their status, hence this small client.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { asRecord } from '../../core/json.js';
import type { MemberHealth } from './rolling.js';

/** Where clouds.yaml is looked for, in the OpenStack clients' order. */
export function cloudsYamlPaths(env: NodeJS.ProcessEnv): string[] {
  return [
    env.OS_CLIENT_CONFIG_FILE,
    'clouds.yaml',
    join(homedir(), '.config', 'openstack', 'clouds.yaml'),
    '/etc/openstack/clouds.yaml',
  ].filter((p): p is string => typeof p === 'string' && p !== '');
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The Keystone v3 `identity` of a clouds.yaml `auth` block: an application credential or a password. */
function identity(auth: Record<string, unknown>): unknown {
  const credentialId = str(auth.application_credential_id);
  if (credentialId)
    return {
      methods: ['application_credential'],
      application_credential: { id: credentialId, secret: auth.application_credential_secret },
    };
  return {
    methods: ['password'],
    password: { user: { name: auth.username, domain: { name: str(auth.user_domain_name) ?? 'Default' }, password: auth.password } },
  };
}

function scope(auth: Record<string, unknown>): unknown {
  if (str(auth.application_credential_id)) return undefined;
  const domain = { name: str(auth.project_domain_name) ?? 'Default' };
  return str(auth.project_id) ? { project: { id: auth.project_id } } : { project: { name: auth.project_name, domain } };
}

interface Catalog {
  token: string;
  endpoint: string;
}

async function login(cloud: string, region: string, env: NodeJS.ProcessEnv): Promise<Catalog> {
  const file = cloudsYamlPaths(env).find((p) => existsSync(p));
  if (file === undefined) throw new Error(`no clouds.yaml found (looked in ${cloudsYamlPaths(env).join(', ')}) for cloud ${cloud}`);
  const entry = asRecord(asRecord(asRecord(parse(readFileSync(file, 'utf8'))).clouds)[cloud]);
  const auth = asRecord(entry.auth);
  const authUrl = str(auth.auth_url)?.replace(/\/+$/, '');
  if (authUrl === undefined) throw new Error(`${file}: cloud ${cloud} has no auth.auth_url`);
  const body = { auth: { identity: identity(auth), ...(scope(auth) !== undefined ? { scope: scope(auth) } : {}) } };
  const res = await fetch(`${authUrl}/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  if (res.status !== 201) throw new Error(`Keystone refused cloud ${cloud}'s credentials (${res.status})`);
  const token = res.headers.get('x-subject-token') ?? '';
  const catalog = (await res.json()) as {
    token: { catalog?: { type: string; endpoints: { region_id: string; interface: string; url: string }[] }[] };
  };
  const endpoint = catalog.token.catalog
    ?.find((s) => s.type === 'load-balancer')
    ?.endpoints.find((e) => e.region_id === region && e.interface === (str(entry.interface) ?? 'public'))?.url;
  if (endpoint === undefined) throw new Error(`cloud ${cloud} has no load-balancer endpoint in region ${region}`);
  return { token, endpoint: endpoint.replace(/\/+$/, '') };
}

/**
 * A reader of pool members for the provider block `provider` of a stack (`{ cloud, region }`), logging in once.
 *
 * @example const members = await octaviaPoolReader({ cloud: 'lab-sovereign', region: 'fr1' }, process.env)(poolId);
 */
export function octaviaPoolReader(
  provider: { cloud: string; region: string },
  env: NodeJS.ProcessEnv,
): (poolId: string) => Promise<MemberHealth[]> {
  let session: Promise<Catalog> | undefined;
  return async (poolId) => {
    const get = async (): Promise<Response> => {
      session ??= login(provider.cloud, provider.region, env);
      const { token, endpoint } = await session;
      return fetch(`${endpoint}/v2/lbaas/pools/${encodeURIComponent(poolId)}/members`, {
        headers: { 'X-Auth-Token': token, Accept: 'application/json' },
        signal: AbortSignal.timeout(30_000),
      });
    };
    let res = await get();
    if (res.status === 401) {
      session = undefined; // the token expired during a long roll
      res = await get();
    }
    if (!res.ok) throw new Error(`Octavia answered ${res.status} for the members of pool ${poolId}`);
    const { members } = (await res.json()) as { members: { address: string; provisioning_status: string; operating_status: string }[] };
    return members.map((m) => ({ address: m.address, provisioningStatus: m.provisioning_status, operatingStatus: m.operating_status }));
  };
}
