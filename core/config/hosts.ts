/**
 * Which hosts each cloud owns, read from its config: derived from `openstack.authUrl` and the state
 * backend's endpoint, plus the names listed under `hosts` (service endpoints, key manager, …).
 * `openstack.endpointOverrides` and a state hosted in another cloud (`state.hostedIn`) *use* hosts:
 * each must be owned by the cloud that serves it.
 *
 * Works on raw (unvalidated) cloud data as well as on a parsed {@link CloudConfig}, so the config
 * layer and the guardrails read hosts the same way.
 */
import type { ConfigPath } from './errors.js';
import { asRecord } from '../json.js';
import { normalizeHost, parseEndpoint } from './endpoints.js';
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- referenced by the TSDoc {@link CloudConfig}
import type { CloudConfig } from './schema.js';

/** One URL or connection string of a cloud's config. */
export interface CloudEndpoint {
  /** Path of the value in the cloud file, e.g. `['openstack', 'endpointOverrides', 'compute']`. */
  readonly path: ConfigPath;
  /** The value as written. */
  readonly value: string;
  /** `pg` for a PostgreSQL connection string, else `url`. */
  readonly form: 'url' | 'pg';
  /** `claim`: the cloud `owner` owns the endpoint's hosts; `use`: they must be owned by `owner`. */
  readonly role: 'claim' | 'use';
  /** Cloud that owns (or must own) the hosts. */
  readonly owner: string;
}

/** One host a cloud owns, and where its config says so. */
export interface HostClaim {
  /** Normalized host. */
  readonly host: string;
  /** Owning cloud. */
  readonly cloudId: string;
  /** Path, in the owner's file, of the value the claim comes from. */
  readonly path: ConfigPath;
}

type Rec = Record<string, unknown>;
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The state backend's endpoint: s3 `endpoint`, http `address`, pg `connStr`; none for `local`. */
function stateEndpoint(state: Rec): Omit<CloudEndpoint, 'role' | 'owner'> | undefined {
  for (const [key, form] of [
    ['endpoint', 'url'],
    ['address', 'url'],
    ['connStr', 'pg'],
  ] as const) {
    const value = str(state[key]);
    if (value !== undefined) return { path: ['state', key], value, form };
  }
  return undefined;
}

/**
 * Every URL and connection string of a cloud (a {@link CloudConfig} or a cloud file's raw data), with the
 * cloud that owns or must own its hosts.
 *
 * @example
 * cloudEndpoints(sovereign); // [{ path: ['openstack', 'authUrl'], value: 'https://identity…/v3', form: 'url', role: 'claim', owner: 'sovereign-fr1' }, …]
 */
export function cloudEndpoints(cloud: unknown): CloudEndpoint[] {
  const data = asRecord(cloud);
  const id = str(data.id) ?? '';
  const openstack = asRecord(data.openstack);
  const found: CloudEndpoint[] = [];
  const authUrl = str(openstack.authUrl);
  if (authUrl !== undefined) found.push({ path: ['openstack', 'authUrl'], value: authUrl, form: 'url', role: 'claim', owner: id });
  for (const [service, url] of Object.entries(asRecord(openstack.endpointOverrides))) {
    if (typeof url === 'string')
      found.push({ path: ['openstack', 'endpointOverrides', service], value: url, form: 'url', role: 'use', owner: id });
  }
  const state = asRecord(data.state);
  const endpoint = stateEndpoint(state);
  const hostedIn = str(state.hostedIn) ?? id;
  if (endpoint) found.push({ ...endpoint, role: hostedIn === id ? 'claim' : 'use', owner: hostedIn });
  return found;
}

/**
 * The hosts a cloud (a {@link CloudConfig} or a cloud file's raw data) claims: its `hosts` list and the hosts of its claiming endpoints
 * (authUrl; the state endpoint unless the state is hosted in another cloud). Unparsable values are
 * skipped (validation reports them).
 */
export function cloudHostClaims(cloud: unknown): HostClaim[] {
  const data = asRecord(cloud);
  const id = str(data.id) ?? '';
  const claims: HostClaim[] = [];
  const listed = Array.isArray(data.hosts) ? (data.hosts as unknown[]) : [];
  listed.forEach((entry, i) => {
    const host = typeof entry === 'string' ? normalizeHost(entry) : undefined;
    if (host !== undefined) claims.push({ host, cloudId: id, path: ['hosts', i] });
  });
  for (const endpoint of cloudEndpoints(cloud)) {
    if (endpoint.role !== 'claim') continue;
    const parsed = parseEndpoint(endpoint.value, endpoint.form);
    if (!parsed.ok) continue;
    for (const host of parsed.endpoint.hosts) claims.push({ host, cloudId: endpoint.owner, path: endpoint.path });
  }
  return claims;
}
