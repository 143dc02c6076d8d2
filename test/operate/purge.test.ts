/**
 * `purgeState` on real states made by OpenTofu: a local backend always, and the lab's PostgreSQL when
 * `lab/up` runs on this machine (those tests skip, saying so, when it does not answer).
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PurgeError, managedResourcesOf, purgeState } from '../../app/operate/purge.js';
import { labDir, labEnv } from '../e2e/harness.js';
import { scratchWith, tofu } from '../support/tools.js';

/** A stack as sovstack synthesizes one, reduced to what purge reads: name, backend, and two resources tofu needs no provider for. */
function stackWith(backend: Record<string, unknown>, stackName = 'purge-probe-local'): Record<string, unknown> {
  return {
    '//': { metadata: { stackName } },
    terraform: { backend },
    resource: { terraform_data: { web: { input: 'a' }, db: { input: 'b' } } },
  };
}

function run(args: string[], dir: string, env: Record<string, string> = {}): void {
  const result = tofu(args, dir, env);
  expect(result.code, `tofu ${args.join(' ')}\n${result.stderr}`).toBe(0);
}

const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('purgeState, local backend', () => {
  const stack = stackWith({ local: { path: 'state/purge-probe-local.tfstate' } });
  const dir = scratchWith(stack, 'cdk.tf.json');
  scratch.push(dir);
  const statePath = join(dir, 'state', 'purge-probe-local.tfstate');

  it('refuses while the state holds resources, naming them, and keeps the file', async () => {
    run(['init', '-input=false'], dir);
    run(['apply', '-auto-approve', '-input=false'], dir);
    await expect(purgeState(stack, {}, { cwd: dir })).rejects.toThrow(
      /purge-probe-local: the state in .*purge-probe-local\.tfstate still holds 2 resources \(terraform_data\.db, terraform_data\.web\); not purged: destroy the stack first \(sovstack destroy purge-probe-local\)/,
    );
    expect(existsSync(statePath)).toBe(true);
  });

  it('refuses while a tofu run holds the lock', async () => {
    const lock = join(dir, 'state', '.purge-probe-local.tfstate.lock.info');
    writeFileSync(lock, '{}');
    try {
      await expect(purgeState(stack, {}, { cwd: dir })).rejects.toThrow(/is locked .*a tofu run holds it; not purged/);
    } finally {
      rmSync(lock);
    }
  });

  it('deletes the emptied state and its backup after a destroy, and then says there is nothing left', async () => {
    run(['destroy', '-auto-approve', '-input=false'], dir);
    expect(readdirSync(join(dir, 'state')).sort()).toEqual(['purge-probe-local.tfstate', 'purge-probe-local.tfstate.backup']);
    await purgeState(stack, {}, { cwd: dir });
    expect(readdirSync(join(dir, 'state'))).toEqual([]);
    await expect(purgeState(stack, {}, { cwd: dir })).rejects.toThrow(/no state at .*purge-probe-local\.tfstate; nothing purged/);
  });

  it('resolves a relative path against the folder tofu ran in, not the current one', async () => {
    await expect(purgeState(stack, {})).rejects.toThrow(`no state at ${join(process.cwd(), 'state', 'purge-probe-local.tfstate')}`);
  });

  it('refuses a file that is not a state', async () => {
    mkdirSync(join(dir, 'state'), { recursive: true });
    writeFileSync(statePath, 'not json');
    await expect(purgeState(stack, {}, { cwd: dir })).rejects.toThrow(/is not an OpenTofu state \(not JSON\): left alone/);
    expect(existsSync(statePath)).toBe(true);
  });
});

describe('purgeState, other backends and broken stacks', () => {
  it.each([
    [
      { s3: { bucket: 'b', key: 'sovstack/x-fr1/terraform.tfstate' } },
      /s3 backend; delete it by hand \(the object s3:\/\/b\/sovstack\/x-fr1\/terraform\.tfstate/,
    ],
    [{ http: { address: 'https://state.example/x-fr1' } }, /http backend; delete it by hand \(DELETE https:\/\/state\.example\/x-fr1\)/],
    [{ consul: { path: 'x' } }, /consul backend/],
  ])('refuses %j with what to delete by hand', async (backend, message) => {
    await expect(purgeState(stackWith(backend, 'x-fr1'), {})).rejects.toThrow(PurgeError);
    await expect(purgeState(stackWith(backend, 'x-fr1'), {})).rejects.toThrow(message);
  });

  it('refuses a stack without exactly one backend block', async () => {
    await expect(purgeState({ resource: {} }, {})).rejects.toThrow('the stack has no backend block');
    await expect(purgeState(stackWith({ local: {}, pg: {} }), {})).rejects.toThrow('several backend blocks');
    await expect(purgeState('nonsense', {})).rejects.toThrow(PurgeError);
  });

  it('refuses a pg backend without a URL connection string, before connecting', async () => {
    await expect(purgeState(stackWith({ pg: { schema_name: 's' } }, 'x-fr1'), {})).rejects.toThrow('no conn_str (nor PG_CONN_STR)');
    await expect(purgeState(stackWith({ pg: { conn_str: 'host=db user=u', schema_name: 's' } }, 'x-fr1'), {})).rejects.toThrow(
      'not a postgres:// URL',
    );
  });

  it('says which database it cannot reach, without any password', async () => {
    const stack = stackWith(
      { pg: { conn_str: 'postgres://sovstack@127.0.0.1:1/tfstate?sslmode=disable', schema_name: 'sovstack_x' } },
      'x-fr1',
    );
    const error = await purgeState(stack, { PGPASSWORD: 'hunter2-not-shown' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PurgeError);
    expect((error as Error).message).toMatch(
      /x-fr1: cannot reach the state database \(schema sovstack_x of 127\.0\.0\.1:1\/tfstate\): .*ECONNREFUSED/,
    );
    expect((error as Error).message).not.toContain('hunter2');
  });
});

describe('managedResourcesOf', () => {
  it('counts managed resources with instances, module-qualified, and ignores data sources and emptied entries', () => {
    const state = {
      version: 4,
      resources: [
        { mode: 'managed', type: 'openstack_networking_network_v2', name: 'net', instances: [{}] },
        { module: 'module.app', mode: 'managed', type: 'terraform_data', name: 'x', instances: [{}, {}] },
        { mode: 'data', type: 'openstack_networking_network_v2', name: 'ext', instances: [{}] },
        { mode: 'managed', type: 'terraform_data', name: 'gone', instances: [] },
      ],
    };
    expect(managedResourcesOf(JSON.stringify(state), 's')).toEqual(['openstack_networking_network_v2.net', 'module.app.terraform_data.x']);
    expect(managedResourcesOf('{"version":4}', 's')).toEqual([]);
    expect(() => managedResourcesOf('{"resources":{}}', 'the file')).toThrow('the file is not an OpenTofu state: left alone');
  });
});

// ------------------------------------------------------------------ the lab's PostgreSQL

const labEnvFile = join(labDir, 'env', 'lab-sovereign.sh');
const pgEnv = existsSync(labEnvFile) ? labEnv('lab-sovereign') : undefined;

async function pgAnswers(): Promise<boolean> {
  if (!pgEnv) return false;
  const client = new pg.Client({ ...pgConfig(), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

function pgConfig(): pg.ClientConfig {
  const env = pgEnv ?? {};
  return {
    host: env['PGHOST'],
    port: Number(env['PGPORT']),
    user: env['PGUSER'],
    password: env['PGPASSWORD'],
    database: env['PGDATABASE'],
  };
}

const pgUp = await pgAnswers();
if (!pgUp) console.warn(`purge.test.ts: the lab's PostgreSQL does not answer (${labEnvFile}); the pg tests are skipped`);

describe.skipIf(!pgUp)("purgeState, pg backend on the lab's PostgreSQL", () => {
  const env = pgEnv ?? {};
  const schema = `sovstack_purge_probe_${process.pid}`;
  const connStr = `postgres://${env['PGUSER']}@${env['PGHOST']}:${env['PGPORT']}/${env['PGDATABASE']}?sslmode=disable`;
  const stack = stackWith({ pg: { conn_str: connStr, schema_name: schema } }, 'purge-probe-pg');
  const dir = scratchWith(stack, 'cdk.tf.json');
  scratch.push(dir);
  const admin = new pg.Client(pgConfig());

  const schemaExists = async (): Promise<boolean> =>
    ((await admin.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema])).rowCount ?? 0) > 0;

  afterAll(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS ${admin.escapeIdentifier(schema)} CASCADE`);
    await admin.end();
  });

  it('refuses while the state holds resources', async () => {
    await admin.connect();
    run(['init', '-input=false'], dir, env);
    run(['apply', '-auto-approve', '-input=false'], dir, env);
    await expect(purgeState(stack, env)).rejects.toThrow(
      new RegExp(`purge-probe-pg: the state in the schema ${schema} of .* still holds 2 resources .*destroy the stack first`),
    );
    expect(await schemaExists()).toBe(true);
  });

  it('refuses while a tofu run holds the state lock', async () => {
    run(['destroy', '-auto-approve', '-input=false'], dir, env);
    const id = (await admin.query<{ id: string }>(`SELECT id FROM ${schema}.states WHERE name = 'default'`)).rows[0]?.id;
    await admin.query('SELECT pg_advisory_lock($1::bigint)', [id]); // what tofu's pg backend takes while it runs
    try {
      await expect(purgeState(stack, env)).rejects.toThrow('is locked by a tofu run; not purged');
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1::bigint)', [id]);
    }
    expect(await schemaExists()).toBe(true);
  });

  it('refuses a schema that holds anything besides the state', async () => {
    await admin.query(`CREATE TABLE ${schema}.notes (text text)`);
    try {
      await expect(purgeState(stack, env)).rejects.toThrow('holds more than a state (tables: notes, states); not purged');
    } finally {
      await admin.query(`DROP TABLE ${schema}.notes`);
    }
  });

  it('drops the emptied schema, and then says there is nothing left', async () => {
    await purgeState(stack, env);
    expect(await schemaExists()).toBe(false);
    await expect(purgeState(stack, env)).rejects.toThrow(`the schema ${schema} of`);
  });
});
