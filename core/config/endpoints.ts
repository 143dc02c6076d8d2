/**
 * Endpoints: the URLs and PostgreSQL connection strings a cloud's config (and a synthesized stack)
 * carries, parsed down to the hosts they reach, and the transport policy they must follow.
 *
 * Hosts are compared normalized (lower case, no trailing dot, no IPv6 brackets, IPv4 in dotted form),
 * so `IAM.Example.`, `iam.example:443` and `iam.example` are one host.
 */

/** What an endpoint reaches: its scheme, every host it names and whether it carries credentials. */
export interface Endpoint {
  /** Lower-case scheme without `:` (`https`, `http`, `file`, `postgres`); `postgres` for key=value connection strings. */
  readonly scheme: string;
  /** Normalized hosts; `(socket)` for a PostgreSQL Unix socket; empty when the endpoint names none. */
  readonly hosts: readonly string[];
  /** `password` when the endpoint embeds a password, `user` when only a user name, else `none`. */
  readonly credentials: 'none' | 'user' | 'password';
  /** PostgreSQL `sslmode`, when given. */
  readonly sslmode?: string;
}

/** Either the parsed endpoint or why the text is not one. */
export type EndpointParse = { readonly ok: true; readonly endpoint: Endpoint } | { readonly ok: false; readonly problem: string };

/** Host standing for a PostgreSQL Unix-domain socket (a path), which never leaves the machine. */
export const SOCKET_HOST = '(socket)';

/**
 * The canonical form of a host name or IP literal, or undefined when `text` is not one.
 *
 * @example
 * normalizeHost('IAM.Vendor.Example.'); // 'iam.vendor.example'
 * normalizeHost('[::1]'); // '::1'
 * normalizeHost('0x7f.1'); // '127.0.0.1'
 */
export function normalizeHost(text: string): string | undefined {
  const bare = text
    .trim()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.+$/, '');
  if (bare === '' || /[\s/?#@\\]/.test(bare)) return undefined;
  const literal = bare.includes(':') ? `[${bare}]` : bare;
  try {
    const url = new URL(`https://${literal}/`);
    if (url.port !== '') return undefined;
    return url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.+$/, '');
  } catch {
    return undefined;
  }
}

/**
 * True for hosts that never leave the machine: `localhost`, 127.0.0.0/8, `::1` (also IPv4-mapped)
 * and PostgreSQL sockets. The lab runs on them.
 *
 * @example isLoopbackHost('127.0.0.1'); // true
 */
export function isLoopbackHost(host: string): boolean {
  const h = normalizeHost(host) ?? host;
  return (
    h === SOCKET_HOST ||
    h === 'localhost' ||
    h === '::1' ||
    /^127\.\d+\.\d+\.\d+$/.test(h) ||
    /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(h)
  );
}

function credentialsOf(user: string, password: string): Endpoint['credentials'] {
  return password !== '' ? 'password' : user !== '' ? 'user' : 'none';
}

/** PostgreSQL `host`/`hostaddr` values: comma-separated, a leading `/` is a socket directory. */
function pgHosts(values: readonly string[]): string[] | undefined {
  const hosts: string[] = [];
  for (const part of values.flatMap((v) => v.split(','))) {
    let text: string;
    try {
      text = decodeURIComponent(part.trim());
    } catch {
      return undefined;
    }
    if (text === '') continue;
    if (text.startsWith('/')) {
      hosts.push(SOCKET_HOST);
      continue;
    }
    const host = normalizeHost(text.replace(/:\d+$/, ''));
    if (host === undefined) return undefined;
    hosts.push(host);
  }
  return hosts;
}

/** A PostgreSQL URL `postgres[ql]://user[:pw]@h1[:p1],h2[:p2]/db?host=…&sslmode=…` (multi-host aware). */
function parsePgUrl(text: string): EndpointParse {
  const match = /^(postgres(?:ql)?):\/\/(?:([^@/?#]*)@)?([^/?#]*)([^?#]*)(?:\?([^#]*))?/i.exec(text);
  if (!match) return { ok: false, problem: 'is not a PostgreSQL URL' };
  const [, , userinfo = '', hostList = '', , query = ''] = match;
  const params = new URLSearchParams(query);
  const [user = '', ...rest] = userinfo.split(':');
  const hosts = pgHosts([hostList, ...params.getAll('host'), ...params.getAll('hostaddr')]);
  if (hosts === undefined) return { ok: false, problem: 'names a host that is not a valid host name or IP address' };
  const sslmode = params.get('sslmode') ?? undefined;
  const password = rest.join(':') || (params.get('password') ?? '');
  const endpoint: Endpoint = { scheme: 'postgres', hosts, credentials: credentialsOf(user || (params.get('user') ?? ''), password) };
  return { ok: true, endpoint: sslmode === undefined ? endpoint : { ...endpoint, sslmode } };
}

/** A libpq key=value connection string: `host=db.example port=5432 dbname=state sslmode=verify-full`. */
function parsePgKeywords(text: string): EndpointParse {
  const pairs = [...text.matchAll(/(\w+)\s*=\s*(?:'((?:[^'\\]|\\.)*)'|(\S*))/g)].map(
    (m) => [m[1].toLowerCase(), m[2] ?? m[3] ?? ''] as const,
  );
  if (pairs.length === 0) return { ok: false, problem: 'is neither a URL nor a key=value connection string' };
  const all = (key: string) => pairs.filter(([k]) => k === key).map(([, v]) => v);
  const hosts = pgHosts([...all('host'), ...all('hostaddr')]);
  if (hosts === undefined) return { ok: false, problem: 'names a host that is not a valid host name or IP address' };
  const sslmode = all('sslmode').at(-1);
  const endpoint: Endpoint = {
    scheme: 'postgres',
    hosts,
    credentials: credentialsOf(all('user').at(-1) ?? '', all('password').at(-1) ?? ''),
  };
  return { ok: true, endpoint: sslmode === undefined ? endpoint : { ...endpoint, sslmode } };
}

/**
 * Parses a URL (`https://iam.example:5000/v3`) or, for `form: 'pg'`, a PostgreSQL connection string
 * in URL or key=value form.
 *
 * @example
 * parseEndpoint('https://IAM.example.:443/v3'); // { ok: true, endpoint: { scheme: 'https', hosts: ['iam.example'], credentials: 'none' } }
 * parseEndpoint('host=db.example sslmode=verify-full', 'pg'); // hosts ['db.example'], sslmode 'verify-full'
 */
export function parseEndpoint(text: string, form: 'url' | 'pg' = 'url'): EndpointParse {
  if (form === 'pg' && !/^[a-z][a-z0-9+.-]*:/i.test(text.trim())) return parsePgKeywords(text);
  if (/^postgres(ql)?:/i.test(text.trim())) return parsePgUrl(text.trim());
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, problem: 'is not a URL' };
  }
  const scheme = url.protocol.replace(/:$/, '').toLowerCase();
  const host = url.hostname === '' ? undefined : normalizeHost(url.hostname);
  return {
    ok: true,
    endpoint: { scheme, hosts: host === undefined ? [] : [host], credentials: credentialsOf(url.username, url.password) },
  };
}

/** A transport problem of an endpoint: `error` refuses it, `warning` lets it through (loopback only). */
export interface EndpointProblem {
  readonly level: 'error' | 'warning';
  readonly message: string;
  readonly fix: string;
}

const TLS_SSLMODES = new Set(['require', 'verify-ca', 'verify-full']);

function pgProblem(endpoint: Endpoint, loopback: boolean): EndpointProblem | undefined {
  if (endpoint.credentials === 'password') {
    return { level: 'error', message: 'embeds a password', fix: 'remove it; PGPASSWORD or .pgpass supplies it at deploy time' };
  }
  if (endpoint.sslmode !== undefined && TLS_SSLMODES.has(endpoint.sslmode)) return undefined;
  const got = endpoint.sslmode === undefined ? 'no sslmode (libpq then falls back to plain text)' : `sslmode=${endpoint.sslmode}`;
  if (loopback) {
    return {
      level: 'warning',
      message: `has ${got} on a loopback host, acceptable only in the lab`,
      fix: 'use sslmode=verify-full outside the lab',
    };
  }
  return { level: 'error', message: `has ${got}, so the state would cross the network unencrypted`, fix: 'set sslmode=verify-full' };
}

/**
 * What is wrong with an endpoint's transport, or undefined when nothing is: only `https` (or a
 * PostgreSQL connection with sslmode require/verify-ca/verify-full) to named hosts, no credentials;
 * plain `http` and unencrypted PostgreSQL only to loopback hosts (the lab), with a warning.
 *
 * @example
 * endpointProblem('http://127.0.0.1:5000/v3'); // { level: 'warning', … }
 * endpointProblem('file:///etc/passwd'); // { level: 'error', message: 'is a file: URL, …', … }
 */
export function endpointProblem(text: string, form: 'url' | 'pg' = 'url'): EndpointProblem | undefined {
  const parsed = parseEndpoint(text, form);
  if (!parsed.ok) return { level: 'error', message: parsed.problem, fix: 'write an https URL such as https://identity.example/v3' };
  const { endpoint } = parsed;
  if (endpoint.scheme === 'file') {
    return { level: 'error', message: 'is a file: URL, which reads the machine running tofu', fix: 'use the https URL of the service' };
  }
  if (endpoint.hosts.length === 0) return { level: 'error', message: 'names no host', fix: 'name the host the endpoint is on' };
  const loopback = endpoint.hosts.every(isLoopbackHost);
  if ((endpoint.scheme === 'postgres') !== (form === 'pg')) {
    const want = form === 'pg' ? 'a PostgreSQL connection string' : 'an https URL';
    return { level: 'error', message: `is a ${endpoint.scheme}: URL where ${want} is expected`, fix: `write ${want}` };
  }
  if (form === 'pg') return pgProblem(endpoint, loopback);
  if (endpoint.credentials !== 'none') {
    return {
      level: 'error',
      message: 'carries credentials in the URL',
      fix: 'remove them; credentials come from clouds.yaml or variables at deploy time',
    };
  }
  if (endpoint.scheme === 'https') return undefined;
  if (endpoint.scheme === 'http' && loopback) {
    return { level: 'warning', message: 'is plain http to a loopback host, acceptable only in the lab', fix: 'use https outside the lab' };
  }
  return {
    level: 'error',
    message: `uses ${endpoint.scheme}: to a host that is not loopback, so traffic (tokens, state) would cross the network unencrypted`,
    fix: 'use https',
  };
}
