/**
 * `sovstack destroy --purge-state`: removes the emptied state a destroyed stack leaves behind in its
 * backend (a PostgreSQL schema, a local file), so that decommissioning a client leaves nothing. It is
 * judged on the state itself and fails closed: a state that still holds a resource, is locked, cannot be
 * read, or shares its place with anything else is left alone with an error saying why.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { parse as parseConnectionString, toClientConfig } from 'pg-connection-string';
import { asRecord, isRecord } from '../../core/json.js';
import { encryptionBlockOf } from '../../core/guardrails/encryption-block.js';

/**
 * Why a state was not purged, for the user: the stack, the backend, what was found and what to do.
 *
 * @example
 * try { await purgeState(json, process.env); } catch (e) { if (e instanceof PurgeError) console.error(e.message); }
 */
export class PurgeError extends Error {
  /** @param message What was refused or failed, naming the stack and the fix. */
  constructor(message: string) {
    super(message);
    this.name = 'PurgeError';
  }
}

/** Options of {@link purgeState}. */
export interface PurgeOptions {
  /**
   * The folder OpenTofu ran the stack in: a relative `local` backend path is resolved against it, as tofu did.
   * Default: the current directory. Example: `.sovstack/work/min-culture-sovereign-fr1`.
   */
  readonly cwd?: string;
  /**
   * For an encrypted state (its stored bytes are ciphertext): the managed resources OpenTofu read from it with
   * its key, e.g. from {@link managedResourcesOfShown}. Default: none, and an encrypted state is left alone.
   */
  readonly decryptedResources?: readonly string[];
}

/**
 * Whether a stack's Terraform JSON text encrypts its state (a `terraform.encryption` block).
 *
 * @example isEncrypted(readFileSync('cdktf.out/stacks/s/cdk.tf.json', 'utf8')); // true
 */
export function isEncrypted(stackJsonText: string): boolean {
  return encryptionBlockOf(JSON.parse(stackJsonText)) !== undefined;
}

/**
 * The managed resources of a state as `tofu show -json` prints it (decrypted), module-qualified addresses.
 *
 * @example managedResourcesOfShown({ values: { root_module: { resources: [{ mode: 'managed', address: 'a.b' }] } } }); // ['a.b']
 */
export function managedResourcesOfShown(shown: unknown): string[] {
  const walk = (module: unknown): string[] => {
    const m = asRecord(module);
    const own = (Array.isArray(m['resources']) ? m['resources'] : [])
      .map(asRecord)
      .filter((r) => r['mode'] === 'managed')
      .map((r) => String(r['address']));
    return [...own, ...(Array.isArray(m['child_modules']) ? m['child_modules'].flatMap(walk) : [])];
  };
  return walk(asRecord(asRecord(shown)['values'])['root_module']);
}

/**
 * Removes the state of a destroyed stack according to the backend block of its Terraform JSON
 * (`stackJson`, the configuration it was destroyed with): `pg` drops the stack's schema, `local` deletes
 * the state file and its `.backup`. Refuses with a {@link PurgeError} when the state still holds a managed
 * resource, is locked, cannot be found (a wrong `cwd`, a state already purged), or when the backend is one it does not
 * handle (`s3`, `http`: the message says what to delete by hand). `env` supplies PGPASSWORD and the other
 * PG* variables, as OpenTofu reads them.
 *
 * @example
 * await purgeState(JSON.parse(readDeployed(dir, stack)!), process.env, { cwd: workDir });
 */
export async function purgeState(stackJson: unknown, env: NodeJS.ProcessEnv, options: PurgeOptions = {}): Promise<void> {
  const stack = stackNameOf(stackJson);
  const backend = asRecord(asRecord(stackJson)['terraform'])['backend'];
  const kinds = isRecord(backend) ? Object.keys(backend) : [];
  if (kinds.length !== 1) {
    throw new PurgeError(`${stack} has ${kinds.length === 0 ? 'no backend block' : 'several backend blocks'}: no state to purge was found`);
  }
  const kind = kinds[0];
  const settings = asRecord(asRecord(backend)[kind]);
  switch (kind) {
    case 'local':
      purgeLocal(stack, settings, options.cwd ?? process.cwd(), options.decryptedResources);
      return;
    case 'pg':
      await purgePg(stack, settings, env, options.decryptedResources);
      return;
    default:
      throw new PurgeError(
        `${stack}: --purge-state cannot remove a state kept in the ${kind} backend; ` +
          `delete it by hand (${manualHint(kind, settings)}), or leave it`,
      );
  }
}

/**
 * The managed resources a state (its JSON text) still holds, as addresses (`type.name`, module-qualified);
 * data sources and emptied entries are not counted. Throws a {@link PurgeError} naming `where` when the text is
 * not a state.
 *
 * @example
 * managedResourcesOf(readFileSync('state/x.tfstate', 'utf8'), 'state/x.tfstate'); // ['openstack_networking_network_v2.net']
 */
export function managedResourcesOf(stateText: string, where: string): string[] {
  let state: unknown;
  try {
    state = JSON.parse(stateText);
  } catch {
    throw new PurgeError(`${where} is not an OpenTofu state (not JSON): left alone`);
  }
  const resources = asRecord(state)['resources'];
  if (!isRecord(state) || (resources !== undefined && !Array.isArray(resources))) {
    throw new PurgeError(`${where} is not an OpenTofu state: left alone`);
  }
  return (resources ?? [])
    .map(asRecord)
    .filter((resource) => resource['mode'] === 'managed' && Array.isArray(resource['instances']) && resource['instances'].length > 0)
    .map((resource) => [resource['module'], `${String(resource['type'])}.${String(resource['name'])}`].filter(Boolean).join('.'));
}

function refuseNonEmpty(stack: string, where: string, addresses: readonly string[]): void {
  if (addresses.length === 0) return;
  const shown = addresses.slice(0, 5).join(', ') + (addresses.length > 5 ? `, and ${addresses.length - 5} more` : '');
  throw new PurgeError(
    `${stack}: the state in ${where} still holds ${addresses.length} resource${addresses.length === 1 ? '' : 's'} (${shown}); ` +
      `not purged: destroy the stack first (sovstack destroy ${stack})`,
  );
}

/**
 * The managed resources of stored state text: read from it in clear, or, when it is ciphertext (OpenTofu's
 * `encrypted_data`), the ones OpenTofu decrypted; without those, fail closed.
 */
function resourcesOf(stateText: string, where: string, decrypted: readonly string[] | undefined): string[] {
  let encrypted = false;
  try {
    encrypted = 'encrypted_data' in asRecord(JSON.parse(stateText));
  } catch {
    // not JSON: managedResourcesOf says so
  }
  if (!encrypted) return managedResourcesOf(stateText, where);
  if (decrypted === undefined) throw new PurgeError(`${where} holds an encrypted state that was not read with its key: left alone`);
  return [...decrypted];
}

function purgeLocal(stack: string, settings: Record<string, unknown>, cwd: string, decrypted?: readonly string[]): void {
  const path = resolve(cwd, typeof settings['path'] === 'string' ? settings['path'] : 'terraform.tfstate');
  const lock = join(dirname(path), `.${basename(path)}.lock.info`);
  if (existsSync(lock)) {
    throw new PurgeError(`${stack}: the state ${path} is locked (${lock} exists): a tofu run holds it; not purged`);
  }
  if (!existsSync(path)) throw new PurgeError(`${stack}: no state at ${path}; nothing purged (is that the folder tofu ran the stack in?)`);
  refuseNonEmpty(stack, path, resourcesOf(readFileSync(path, 'utf8'), path, decrypted));
  rmSync(path, { force: true });
  rmSync(`${path}.backup`, { force: true });
}

function manualHint(kind: string, settings: Record<string, unknown>): string {
  if (kind === 's3') return `the object s3://${String(settings['bucket'])}/${String(settings['key'])} and its .tflock`;
  if (kind === 'http') return `DELETE ${String(settings['address'])}`;
  return 'see the backend block in the stack JSON';
}

function stackNameOf(stackJson: unknown): string {
  const name = asRecord(asRecord(asRecord(stackJson)['//'])['metadata'])['stackName'];
  return typeof name === 'string' ? name : 'the stack';
}

// ------------------------------------------------------------------ pg

/** Default schema of OpenTofu's pg backend when the block names none. */
const TOFU_DEFAULT_SCHEMA = 'terraform_remote_state';

async function purgePg(
  stack: string,
  settings: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  decrypted?: readonly string[],
): Promise<void> {
  const connStr = typeof settings['conn_str'] === 'string' ? settings['conn_str'] : env['PG_CONN_STR'];
  const schema = typeof settings['schema_name'] === 'string' ? settings['schema_name'] : (env['PG_SCHEMA_NAME'] ?? TOFU_DEFAULT_SCHEMA);
  if (connStr === undefined || connStr === '')
    throw new PurgeError(`${stack}: its pg backend has no conn_str (nor PG_CONN_STR): not purged`);
  const config = pgClientConfig(stack, connStr, env);
  const where = `schema ${schema} of ${config.host ?? 'localhost'}:${String(config.port ?? 5432)}/${config.database ?? ''}`;
  const client = new pg.Client(config);
  try {
    await client.connect();
  } catch (error) {
    throw new PurgeError(`${stack}: cannot reach the state database (${where}): ${messageOf(error)}; set PGPASSWORD or .pgpass`);
  }
  try {
    await dropStateSchema(client, { stack, schema, where, decrypted });
  } catch (error) {
    if (error instanceof PurgeError) throw error;
    throw new PurgeError(`${stack}: purging the ${where} failed: ${messageOf(error)}; nothing was dropped`);
  } finally {
    await client.end();
  }
}

/** Drops `schema` when it holds only an emptied, unlocked `states` table; session advisory locks keep tofu out meanwhile. */
async function dropStateSchema(
  client: pg.Client,
  target: { stack: string; schema: string; where: string; decrypted: readonly string[] | undefined },
): Promise<void> {
  const { stack, schema, where, decrypted } = target;
  const exists = await client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema]);
  if (exists.rowCount === 0) throw new PurgeError(`${stack}: the ${where} does not exist; nothing purged`);
  const tables = await client.query<{ table_name: string }>(
    'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
    [schema],
  );
  const names = tables.rows.map((row) => row.table_name);
  if (names.some((name) => name !== 'states')) {
    throw new PurgeError(`${stack}: the ${where} holds more than a state (tables: ${names.join(', ')}); not purged`);
  }
  const quoted = client.escapeIdentifier(schema);
  const rows =
    names.length === 0
      ? []
      : (await client.query<{ id: string; name: string; data: string | null }>(`SELECT id, name, data FROM ${quoted}.states ORDER BY id`))
          .rows;
  const others = rows.filter((row) => row.name !== 'default').map((row) => row.name);
  if (others.length > 0) throw new PurgeError(`${stack}: the ${where} holds other workspaces (${others.join(', ')}); not purged`);
  for (const row of rows) {
    const locked = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [row.id]);
    if (locked.rows[0]?.locked !== true) throw new PurgeError(`${stack}: the state in the ${where} is locked by a tofu run; not purged`);
    refuseNonEmpty(stack, `the ${where}`, resourcesOf(row.data ?? '{}', `the ${where}`, decrypted));
  }
  await client.query(`DROP SCHEMA ${quoted} CASCADE`);
  await client.query('SELECT pg_advisory_unlock_all()');
}

/** The connection of OpenTofu's lib/pq: the URL's settings, then PG* variables of `env`; sslmode `require` when neither says. */
function pgClientConfig(stack: string, connStr: string, env: NodeJS.ProcessEnv): pg.ClientConfig {
  if (!/^postgres(ql)?:\/\//.test(connStr)) {
    throw new PurgeError(`${stack}: its pg conn_str is not a postgres:// URL; --purge-state reads only URLs: not purged`);
  }
  const url = new URL(connStr);
  if (!url.searchParams.has('sslmode')) url.searchParams.set('sslmode', env['PGSSLMODE'] ?? 'require');
  const config = toClientConfig(parseConnectionString(url.toString(), { useLibpqCompat: true }));
  return {
    ...config,
    host: config.host || env['PGHOST'] || 'localhost',
    port: config.port !== undefined && config.port > 0 ? config.port : Number(env['PGPORT'] ?? 5432),
    user: config.user || env['PGUSER'],
    database: config.database || env['PGDATABASE'],
    password: config.password || env['PGPASSWORD'],
    connectionTimeoutMillis: 10_000,
  };
}

/** The error's message; its code when the message is empty (a refused connection is an AggregateError without one). */
function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.message || ((error as NodeJS.ErrnoException).code ?? error.name);
}
