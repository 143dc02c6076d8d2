/**
 * The E2E suite's harness: the lab (up, environment, memory, API processes), estates built from
 * config/lab, the real cdktf-cli and OpenTofu on those estates, the state in the lab's PostgreSQL,
 * and an inventory of a client's resources read through the OpenStack APIs (and, for cleanup after
 * a failed test only, deleted through them).
 *
 * State policy: after a stack is destroyed its pg schema (`sovstack_<stack, - → _>`) is dropped,
 * so a run leaves neither resources nor state behind and the next run starts from nothing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { barbicanKeyStore, deleteStateKeys, ensureStateKeys } from '../../app/keys/ensure.js';
import { pathWithKeyProgram } from '../../app/keys/program.js';
import { stackKeys } from '../../app/keys/target.js';
import { repoRoot, toolsEnv } from '../support/tools.js';
import {
  OpenStack,
  type FloatingIp,
  type LoadBalancer,
  type Network,
  type Port,
  type Router,
  type SecurityGroup,
  type Subnet,
} from './openstack.js';

export { repoRoot };

/** The two lab clouds (clouds.yaml entries and estate cloud ids alike). */
export type LabCloud = 'lab-sovereign' | 'lab-vendor';

export const labDir = process.env.SOVSTACK_LAB_DIR ?? '/var/lib/sovstack-lab';
export const cloudsYaml = join(labDir, 'clouds.yaml');

/** Every line the suite logs also goes here, so a red run can be read afterwards. */
const logFile = process.env.SOVSTACK_E2E_LOG ?? join(tmpdir(), 'sovstack-e2e.log');

export function log(message: string): void {
  const line = `[e2e ${new Date().toISOString().slice(11, 19)}] ${message}`;
  console.log(line);
  writeFileSync(logFile, `${line}\n`, { flag: 'a' });
}

// ------------------------------------------------------------------ processes

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout + stderr, interleaved as they came. */
  output: string;
  seconds: number;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Called with every complete output line (stdout and stderr). */
  onLine?: (line: string) => void;
}

/** Runs a command to completion, asynchronously (vitest keeps its timers and the test can watch the output). */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? repoRoot,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let output = '';
    let pending = '';
    const feed = (chunk: string): void => {
      output += chunk;
      if (!options.onLine) return;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) options.onLine(line);
    };
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      feed(c);
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
      feed(c);
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs ?? 900_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (pending && options.onLine) options.onLine(pending);
      resolvePromise({
        code: code ?? (signal ? 128 : -1),
        stdout,
        stderr,
        output,
        seconds: Math.round((Date.now() - started) / 100) / 10,
      });
    });
  });
}

/** The last `n` lines of a command's output, for failure messages. */
export function tail(result: RunResult, n = 40): string {
  return result.output.trimEnd().split('\n').slice(-n).join('\n');
}

// ------------------------------------------------------------------ lab

/**
 * `lab/up` (idempotent: starts only what is down). Throws a message saying what to look at when
 * the lab cannot come up, so that no test runs against a half lab.
 */
export async function ensureLab(): Promise<void> {
  const result = await run(join(repoRoot, 'lab', 'up'), [], { timeoutMs: 900_000 });
  if (result.code !== 0) {
    throw new Error(
      `the lab did not come up (lab/up exit ${result.code} after ${result.seconds}s); see lab/README.md, ` +
        `\`lab/status\` and ${labDir}/log/. Last lines:\n${tail(result)}`,
    );
  }
  if (!existsSync(cloudsYaml)) throw new Error(`lab/up succeeded but ${cloudsYaml} is missing`);
  log(`lab up (${result.seconds}s)`);
}

/** The deploy environment of a lab cloud (OS_CLOUD, OS_CLIENT_CONFIG_FILE, PG*), from `lab/env`. */
export function labEnv(cloud: LabCloud | 'lab-admin'): Record<string, string> {
  const result = spawnSync(join(repoRoot, 'lab', 'env'), [cloud], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`lab/env ${cloud} failed: ${result.stderr}`);
  const env: Record<string, string> = {};
  for (const line of result.stdout.split('\n')) {
    const match = /^export ([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (!match) continue;
    env[match[1]] = match[2].replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
  }
  for (const key of ['OS_CLOUD', 'OS_CLIENT_CONFIG_FILE', 'PGPASSWORD', 'PGDATABASE']) {
    if (!env[key]) throw new Error(`lab/env ${cloud} does not set ${key}`);
  }
  return env;
}

/** Sum of the lab's RSS and PSS (MiB), from the `total` line of `lab/status`. */
export function labMemory(): { rssMiB: number; pssMiB: number; processes: number } | undefined {
  const result = spawnSync(join(repoRoot, 'lab', 'status'), [], { encoding: 'utf8' });
  const total = result.stdout.split('\n').find((l) => l.startsWith('total'));
  const fields = total?.trim().split(/\s+/);
  if (!fields || fields.length < 4) return undefined;
  return { processes: Number(fields[1]), rssMiB: Number(fields[2]), pssMiB: Number(fields[3]) };
}

const memorySamples: number[] = [];
/** Logs the lab's memory now (called after each deploy) and keeps the sample. */
export function sampleLabMemory(when: string): void {
  const m = labMemory();
  if (!m) return;
  memorySamples.push(m.rssMiB);
  log(`lab memory ${when}: RSS ${m.rssMiB} MiB, PSS ${m.pssMiB} MiB, ${m.processes} processes`);
}
export function peakLabRss(): number | undefined {
  return memorySamples.length ? Math.max(...memorySamples) : undefined;
}

/**
 * The pid of a lab service's live process from `$SOVSTACK_LAB_DIR/run/<service>.pid` ("pid
 * starttime"): the start time must match /proc, so a recycled pid is never taken for the service.
 */
export function labServicePid(service: string): number {
  const file = join(labDir, 'run', `${service}.pid`);
  const [pidText, start] = readFileSync(file, 'utf8').trim().split(/\s+/);
  const pid = Number(pidText);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[19] !== start) throw new Error(`${file}: pid ${pid} is not the service's process any more`);
  return pid;
}

// ------------------------------------------------------------------ estates and stacks

/** A scratch folder of the run: an estate (clouds from config/lab, chosen clients) and an output folder. */
export interface Workspace {
  root: string;
  estate: string;
  outdir: string;
}

/** A fresh estate holding config/lab's clouds and the given clients of config/lab/clients. */
export function makeWorkspace(name: string, clients: string[]): Workspace {
  const root = mkdtempSync(join(tmpdir(), `sovstack-e2e-${name}-`));
  const estate = join(root, 'estate');
  mkdirSync(join(estate, 'clients'), { recursive: true });
  cpSync(join(repoRoot, 'config', 'lab', 'clouds'), join(estate, 'clouds'), { recursive: true });
  for (const id of clients) {
    cpSync(join(repoRoot, 'config', 'lab', 'clients', `${id}.yaml`), join(estate, 'clients', `${id}.yaml`));
  }
  const userData = join(repoRoot, 'config', 'lab', 'user-data');
  if (existsSync(userData)) cpSync(userData, join(estate, 'user-data'), { recursive: true });
  return { root, estate, outdir: join(root, 'cdktf.out') };
}

/** Rewrites a client's `policy` in a workspace's estate (comments and the rest of the file kept). */
export function setPolicy(ws: Workspace, clientId: string, policy: Record<string, unknown>): void {
  const file = join(ws.estate, 'clients', `${clientId}.yaml`);
  const doc = parseDocument(readFileSync(file, 'utf8'));
  doc.set('policy', doc.createNode(policy));
  writeFileSync(file, doc.toString());
}

export function stackDir(outdir: string, stack: string): string {
  return join(outdir, 'stacks', stack);
}

/** Stack folders present in an output folder. */
export function stacksIn(outdir: string): string[] {
  const dir = join(outdir, 'stacks');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** The toolchain env with the lab env of `cloud` and the key program of encrypted stacks first on PATH. */
function labToolsEnv(cloud: LabCloud, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = toolsEnv({ ...labEnv(cloud), ...extra });
  return { ...env, PATH: pathWithKeyProgram(env.PATH) };
}

function deployEnv(ws: Workspace, cloud: LabCloud): NodeJS.ProcessEnv {
  return labToolsEnv(cloud, {
    SOVSTACK_CONFIG: ws.estate,
    CI: '1',
    FORCE_COLOR: '0',
    NO_COLOR: '1',
    CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1',
  });
}

const cdktfBin = join(repoRoot, 'node_modules', '.bin', 'cdktf');

/**
 * The real cdktf-cli (`cdktf <command> … --output <ws.outdir>`) from the repository root (its
 * cdktf.json runs `node dist/main.js`, which reads SOVSTACK_CONFIG), with the toolchain env and the
 * lab env of `cloud`.
 */
export async function cdktf(
  ws: Workspace,
  cloud: LabCloud,
  args: string[],
  options: Omit<RunOptions, 'env' | 'cwd'> & { outdir?: string } = {},
): Promise<RunResult> {
  const outdir = options.outdir ?? ws.outdir;
  if (args[0] === 'deploy') await createStateKeys(ws, cloud);
  const result = await run(cdktfBin, [...args, '--output', outdir], { ...options, env: deployEnv(ws, cloud), cwd: repoRoot });
  log(`cdktf ${args.join(' ')} [${cloud}] → exit ${result.code} (${result.seconds}s)`);
  for (const stack of stacksIn(outdir)) knowStackFolder(stack, stackDir(outdir, stack));
  // `cdktf synth` then tofu by hand: the user creates the keys after the synth
  if (args[0] === 'synth' && result.code === 0) await createKeysOf(outdir, cloud);
  return result;
}

// ------------------------------------------------------------------ state keys (encrypted stacks)

/** The latest folder tofu ran each stack in: where an encrypted state is read with its key. */
const stackFolders = new Map<string, string>();

/**
 * Notes `dir` as the folder (stack JSON, `.terraform`) an encrypted state of `stack` can be read from:
 * cdktf's output folders are noted by {@link cdktf}; callers of the orchestrator note its working directories.
 */
export function knowStackFolder(stack: string, dir: string): void {
  stackFolders.set(stack, dir);
}

/** The lab's key manager (Barbican on lab-sovereign, `keyManager` of config/lab/clouds/lab-sovereign.yaml). */
const LAB_KEY_MANAGER = 'http://127.0.0.1:9311';
/** Key versions a lab stack may use (the encryption suite rotates to 2). */
const LAB_KEY_VERSIONS = [1, 2, 3];

const labKeyStore = (cloud: LabCloud) => barbicanKeyStore(fetch, { ...process.env, ...labEnv(cloud) });

/**
 * What a user does once before the first `cdktf deploy` of an encrypted stack (docs/state-encryption.md):
 * `sovstack synth`, then the stack's key created when missing (the same code as `sovstack state-key create`).
 */
async function createStateKeys(ws: Workspace, cloud: LabCloud): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'sovstack-e2e-keys-'));
  const synth = await run(process.execPath, [join(repoRoot, 'dist', 'app', 'cli', 'main.js'), 'synth', '-c', ws.estate, '--out', out]);
  if (synth.code !== 0) return; // the deploy that follows reports the synth error itself
  await createKeysOf(out, cloud);
}

/** The missing keys of the encrypted stacks of synth output `out`, created (what `sovstack state-key create` does). */
async function createKeysOf(out: string, cloud: LabCloud): Promise<void> {
  for (const stack of stacksIn(out)) {
    const keys = stackKeys(JSON.parse(readFileSync(join(stackDir(out, stack), 'cdk.tf.json'), 'utf8')));
    if (keys.all.length === 0) continue;
    for (const name of await ensureStateKeys(labKeyStore(cloud), keys, false)) log(`created state key ${name}`);
  }
}

/** Deletes every key a lab stack may have in the lab's key manager (its state is gone, or about to be started anew). */
export async function deleteLabKeys(cloud: LabCloud, stack: string): Promise<void> {
  if (cloud !== 'lab-sovereign') return;
  const all = LAB_KEY_VERSIONS.map((keyVersion) => ({ stack, keyManager: LAB_KEY_MANAGER, keyVersion, osCloud: cloud }));
  for (const name of await deleteStateKeys(labKeyStore(cloud), { all })) log(`deleted state key ${name}`);
}

/** A state as stored in pg, decrypted (`tofu state pull` in its stack folder, with its key) when it is encrypted. */
function readableState(cloud: LabCloud, stack: string, data: string): string {
  if (!data.includes('"encrypted_data"')) return data;
  const dir = stackFolders.get(stack);
  if (dir === undefined) throw new Error(`the state of ${stack} is encrypted and no stack folder of it is known to decrypt it`);
  const env = labToolsEnv(cloud);
  const tofuBin = join(repoRoot, '.tools', 'bin', 'tofu');
  if (!existsSync(join(dir, '.terraform'))) spawnSync(tofuBin, ['init', '-input=false', '-no-color'], { cwd: dir, env, encoding: 'utf8' });
  const pulled = spawnSync(tofuBin, ['state', 'pull'], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
  if (pulled.status !== 0) throw new Error(`tofu state pull of the encrypted state of ${stack} failed: ${pulled.stderr}`);
  return pulled.stdout;
}

/** OpenTofu in a stack folder, with the toolchain env and the lab env of `cloud`. */
export async function tofu(
  ws: Workspace,
  cloud: LabCloud,
  stack: string,
  args: string[],
  options: Omit<RunOptions, 'env' | 'cwd'> & { outdir?: string } = {},
): Promise<RunResult> {
  const dir = stackDir(options.outdir ?? ws.outdir, stack);
  const result = await run(join(repoRoot, '.tools', 'bin', 'tofu'), [...args], { ...options, env: deployEnv(ws, cloud), cwd: dir });
  log(`tofu ${args.join(' ')} in ${stack} → exit ${result.code} (${result.seconds}s)`);
  return result;
}

/** `tofu init` (when needed) then `tofu plan -detailed-exitcode`: 0 = no changes, 2 = changes, 1 = error. */
export async function planExitCode(ws: Workspace, cloud: LabCloud, stack: string, outdir?: string): Promise<RunResult> {
  const opts = outdir ? { outdir } : {};
  if (!existsSync(join(stackDir(outdir ?? ws.outdir, stack), '.terraform'))) {
    const init = await tofu(ws, cloud, stack, ['init', '-input=false', '-no-color'], opts);
    if (init.code !== 0) return init;
  }
  return tofu(ws, cloud, stack, ['plan', '-detailed-exitcode', '-input=false', '-no-color', '-lock-timeout=60s'], opts);
}

/** A managed resource of a state: address, type and OpenStack id. */
export interface StateResource {
  address: string;
  type: string;
  id: string;
  attributes: Record<string, unknown>;
}

/** Managed resources of a stack's state (`tofu state pull`, read from the pg backend). */
export async function stateResources(ws: Workspace, cloud: LabCloud, stack: string, outdir?: string): Promise<StateResource[]> {
  const opts = outdir ? { outdir } : {};
  if (!existsSync(join(stackDir(outdir ?? ws.outdir, stack), '.terraform'))) {
    const init = await tofu(ws, cloud, stack, ['init', '-input=false', '-no-color'], opts);
    if (init.code !== 0) throw new Error(`tofu init failed in ${stack}:\n${tail(init)}`);
  }
  const pulled = await tofu(ws, cloud, stack, ['state', 'pull'], opts);
  if (pulled.code !== 0) throw new Error(`tofu state pull failed in ${stack}:\n${tail(pulled)}`);
  if (pulled.stdout.trim() === '') return [];
  return managedResources(pulled.stdout);
}

/** The managed resources of a state document (JSON text), one entry per instance. */
function managedResources(text: string): StateResource[] {
  const state = JSON.parse(text) as {
    resources?: { mode: string; type: string; module?: string; name: string; instances: { attributes: Record<string, unknown> }[] }[];
  };
  return (state.resources ?? [])
    .filter((r) => r.mode === 'managed')
    .flatMap((r) =>
      r.instances.map((i) => ({
        address: `${r.module ? `${r.module}.` : ''}${r.type}.${r.name}`,
        type: r.type,
        id: typeof i.attributes.id === 'string' ? i.attributes.id : '',
        attributes: i.attributes,
      })),
    );
}

// ------------------------------------------------------------------ state in pg

/** pg schema of a stack's state (stacks/backend.ts: `sovstack_<stack, - → _>`). */
export function pgSchemaOf(stack: string): string {
  return `sovstack_${stack.replace(/-/g, '_')}`;
}

function psql(cloud: LabCloud, sql: string): string {
  const env = labEnv(cloud);
  const result = spawnSync('psql', ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`psql on ${env.PGDATABASE} failed: ${result.stderr}`);
  return result.stdout.trim();
}

/** Number of managed resources in a stack's state as stored in pg, or undefined when its schema does not exist. */
export function pgStateResourceCount(cloud: LabCloud, stack: string): number | undefined {
  const schema = pgSchemaOf(stack);
  const exists = psql(cloud, `select count(*) from pg_tables where schemaname = '${schema}' and tablename = 'states'`);
  if (exists !== '1') return undefined;
  const data = psql(cloud, `select data from ${schema}.states where name = 'default'`);
  if (data === '') return 0;
  const state = JSON.parse(readableState(cloud, stack, data)) as { resources?: { mode: string; instances: unknown[] }[] };
  return (state.resources ?? []).filter((r) => r.mode === 'managed').reduce((n, r) => n + r.instances.length, 0);
}

/**
 * Managed resources of a stack's state read straight from its pg schema (no working directory or
 * `tofu init` needed); empty when the schema or the state does not exist.
 */
export function pgStateResources(cloud: LabCloud, stack: string): StateResource[] {
  const schema = pgSchemaOf(stack);
  if (psql(cloud, `select count(*) from pg_tables where schemaname = '${schema}' and tablename = 'states'`) !== '1') return [];
  const data = psql(cloud, `select data from ${schema}.states where name = 'default'`);
  if (data === '') return [];
  return managedResources(readableState(cloud, stack, data));
}

/** Whether a stack's state schema exists in its cloud's state database. */
export function pgStateSchemaExists(cloud: LabCloud, stack: string): boolean {
  return psql(cloud, `select count(*) from pg_namespace where nspname = '${pgSchemaOf(stack)}'`) === '1';
}

/** Drops a stack's state schema (after its destroy). */
export function dropStateSchema(cloud: LabCloud, stack: string): void {
  psql(cloud, `drop schema if exists ${pgSchemaOf(stack)} cascade`);
}

// ------------------------------------------------------------------ inventory

/** Every resource of a client in a project, by kind: what the APIs show, named or tagged for the client. */
export interface Inventory {
  servers: { id: string; name: string }[];
  serverGroups: { id: string; name: string }[];
  volumes: { id: string; name: string }[];
  networks: { id: string; name: string }[];
  subnets: { id: string; name: string }[];
  routers: { id: string; name: string }[];
  ports: { id: string; name: string }[];
  floatingIps: { id: string; name: string }[];
  securityGroups: { id: string; name: string }[];
  loadBalancers: { id: string; name: string }[];
  containers: { id: string; name: string }[];
}

export function inventoryIds(inv: Inventory): string[] {
  return Object.values(inv).flatMap((list: { id: string }[]) => list.map((r) => r.id));
}

export function inventoryCount(inv: Inventory): number {
  return inventoryIds(inv).length;
}

export function describeInventory(inv: Inventory): string {
  return Object.entries(inv)
    .filter(([, list]) => list.length > 0)
    .map(([kind, list]) => `${kind}: ${(list as { id: string; name: string }[]).map((r) => `${r.name || '(no name)'} ${r.id}`).join(', ')}`)
    .join('\n');
}

/**
 * What the APIs of `cloud` show of `client` in its project: resources whose name starts with
 * `<client>-` or that carry the tag `sovstack:client=<client>`, plus ports on the client's networks
 * and floating IPs described for the client (`sovstack <client>-…`).
 */
export async function inventory(cloud: LabCloud, client: string): Promise<Inventory> {
  const os = await OpenStack.login(cloudsYaml, cloud);
  const prefix = `${client}-`;
  const tag = encodeURIComponent(`sovstack:client=${client}`);
  const named = <T extends { name: string }>(list: T[]): T[] => list.filter((r) => (r.name ?? '').startsWith(prefix));
  const mine = <T extends { id: string; name: string; tags?: string[] }>(all: T[], tagged: T[]): T[] => {
    const byId = new Map<string, T>();
    for (const r of [...named(all), ...tagged]) byId.set(r.id, r);
    return [...byId.values()];
  };
  const scope = `project_id=${os.projectId}`;
  const [networksAll, networksTagged] = await Promise.all([
    os.neutron<Network>('networks', scope),
    os.neutron<Network>('networks', `${scope}&tags=${tag}`),
  ]);
  const networks = mine(networksAll, networksTagged);
  const networkIds = new Set(networks.map((n) => n.id));
  const [subnetsAll, subnetsTagged, routersAll, routersTagged, portsAll, fipsAll, sgsAll, sgsTagged] = await Promise.all([
    os.neutron<Subnet>('subnets', scope),
    os.neutron<Subnet>('subnets', `${scope}&tags=${tag}`),
    os.neutron<Router>('routers', scope),
    os.neutron<Router>('routers', `${scope}&tags=${tag}`),
    os.neutron<Port>('ports', scope),
    os.neutron<FloatingIp>('floatingips', scope),
    os.neutron<SecurityGroup>('security-groups', scope),
    os.neutron<SecurityGroup>('security-groups', `${scope}&tags=${tag}`),
  ]);
  const routers = mine(routersAll, routersTagged);
  const routerIds = new Set(routers.map((r) => r.id));
  const ports = portsAll.filter(
    (p) =>
      p.name.startsWith(prefix) ||
      p.tags.includes(`sovstack:client=${client}`) ||
      networkIds.has(p.network_id) ||
      routerIds.has(p.device_id),
  );
  const floatingIps = fipsAll.filter((f) => f.tags.includes(`sovstack:client=${client}`) || f.description.startsWith(`sovstack ${prefix}`));
  const [servers, serverGroups, volumes, lbsAll, lbsTagged, containers] = await Promise.all([
    os.servers(prefix),
    os.serverGroups(prefix),
    os.volumes(prefix),
    os.octavia<LoadBalancer>('loadbalancers', scope),
    os.octavia<LoadBalancer>('loadbalancers', `${scope}&tags=${tag}`),
    os.containers(prefix),
  ]);
  const slim = (list: { id: string; name?: string | null }[]): { id: string; name: string }[] =>
    list.map((r) => ({ id: r.id, name: r.name ?? '' }));
  return {
    servers: slim(servers),
    serverGroups: slim(serverGroups),
    volumes: slim(volumes),
    networks: slim(networks),
    subnets: slim(mine(subnetsAll, subnetsTagged)),
    routers: slim(routers),
    ports: slim(ports),
    floatingIps: floatingIps.map((f) => ({ id: f.id, name: f.description })),
    securityGroups: slim(mine(sgsAll, sgsTagged)),
    loadBalancers: slim(mine(lbsAll, lbsTagged)),
    containers: containers.map((c) => ({ id: c.name, name: c.name })),
  };
}

/**
 * Resources the APIs show for the client that its state does not hold. Router-interface ports and
 * the load balancer's VIP port are created by neutron / octavia for resources of the state (a
 * router interface, a load balancer), so they are matched through their owner.
 */
export async function orphans(cloud: LabCloud, client: string, state: StateResource[]): Promise<Inventory> {
  const inv = await inventory(cloud, client);
  const stateIds = new Set(state.map((r) => r.id));
  // router interfaces' ids in the state are the ports' ids; VIP ports belong to a load balancer of the state
  const vipPorts = new Set(state.filter((r) => r.type === 'openstack_lb_loadbalancer_v2').map((r) => String(r.attributes.vip_port_id)));
  const out = {} as Inventory;
  for (const [kind, list] of Object.entries(inv) as [keyof Inventory, { id: string; name: string }[]][]) {
    out[kind] = list.filter((r) => !stateIds.has(r.id) && !vipPorts.has(r.id));
  }
  return out;
}

// ------------------------------------------------------------------ cleanup

/** Polls `check` every 2 s until it answers true; throws after `timeoutMs`. */
export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Deletes through the APIs whatever the lab still holds of `client` (after a failed test whose
 * state could not destroy everything): load balancers (cascade), floating IPs, servers, volumes,
 * router interfaces and routers, ports, subnets, networks, security groups, server groups,
 * containers. Returns what was there.
 */
export async function sweep(cloud: LabCloud, client: string): Promise<Inventory> {
  const found = await inventory(cloud, client);
  if (inventoryCount(found) === 0) return found;
  log(`sweeping ${client} on ${cloud}:\n${describeInventory(found)}`);
  const os = await OpenStack.login(cloudsYaml, cloud);
  for (const lb of found.loadBalancers) await os.delete('load-balancer', `/v2/lbaas/loadbalancers/${lb.id}?cascade=true`);
  for (const f of found.floatingIps) await os.delete('network', `/v2.0/floatingips/${f.id}`);
  for (const s of found.servers) await os.delete('compute', `/servers/${s.id}`);
  await waitUntil(`servers of ${client} gone`, async () => (await os.servers(`${client}-`)).length === 0);
  await waitUntil(`load balancers of ${client} gone`, async () => {
    const lbs = await os.octavia<LoadBalancer>('loadbalancers', `project_id=${os.projectId}`);
    return !lbs.some((lb) => found.loadBalancers.some((f) => f.id === lb.id));
  });
  await waitUntil(`volumes of ${client} detached`, async () =>
    (await os.volumes(`${client}-`)).every((v) => v.status === 'available' || v.status === 'error'),
  );
  for (const v of found.volumes) await os.delete('volumev3', `/volumes/${v.id}`);
  const ports = await os.neutron<Port>('ports', `project_id=${os.projectId}`);
  for (const r of found.routers) {
    for (const p of ports.filter((p) => p.device_id === r.id && p.device_owner === 'network:router_interface')) {
      await os.put('network', `/v2.0/routers/${r.id}/remove_router_interface`, { port_id: p.id });
    }
    await os.delete('network', `/v2.0/routers/${r.id}`);
  }
  for (const p of found.ports) await os.delete('network', `/v2.0/ports/${p.id}`);
  for (const s of found.subnets) await os.delete('network', `/v2.0/subnets/${s.id}`);
  for (const n of found.networks) await os.delete('network', `/v2.0/networks/${n.id}`);
  for (const g of found.securityGroups) await os.delete('network', `/v2.0/security-groups/${g.id}`);
  for (const g of found.serverGroups) await os.delete('compute', `/os-server-groups/${g.id}`);
  await waitUntil(`volumes of ${client} deleted`, async () => (await os.volumes(`${client}-`)).length === 0);
  for (const c of found.containers) {
    await os.delete('object-store', `/${encodeURIComponent(c.name)}`);
  }
  return found;
}

/**
 * Starts a test from a clean lab for one stack: sweeps the client's leftovers of a killed run from
 * the cloud, then drops the stack's state schema.
 */
export async function startClean(cloud: LabCloud, client: string, stack: string): Promise<void> {
  await sweep(cloud, client);
  dropStateSchema(cloud, stack);
  await deleteLabKeys(cloud, stack);
}

/**
 * Leaves nothing of a stack behind, whatever state a test left it in: `tofu destroy` from the
 * output folder when the stack folder still exists, then an API sweep of the client, then the
 * state schema dropped. Used in afterAll so a red run does not poison the next one.
 */
export async function cleanupStack(ws: Workspace, cloud: LabCloud, client: string, stack: string, outdir?: string): Promise<void> {
  const dir = stackDir(outdir ?? ws.outdir, stack);
  const workDir = join(ws.root, 'work', stack); // where the orchestrator ran it, when it did (SOVSTACK_WORK_DIR)
  if (!stackFolders.has(stack)) knowStackFolder(stack, existsSync(join(workDir, '.terraform')) ? workDir : dir);
  // nothing to destroy when the state holds nothing (a green test already destroyed and dropped it)
  let inState: number;
  try {
    inState = pgStateResourceCount(cloud, stack) ?? 0;
  } catch (error) {
    log(`cleanup: the state of ${stack} could not be read (${String(error)}): destroying from its folder anyway`);
    inState = 1;
  }
  if (inState > 0 && existsSync(join(dir, 'cdk.tf.json'))) {
    const opts = outdir ? { outdir } : {};
    if (!existsSync(join(dir, '.terraform'))) await tofu(ws, cloud, stack, ['init', '-input=false', '-no-color'], opts);
    const destroyed = await tofu(ws, cloud, stack, ['destroy', '-auto-approve', '-input=false', '-no-color', '-lock-timeout=120s'], opts);
    if (destroyed.code !== 0) log(`cleanup: tofu destroy of ${stack} failed, sweeping through the APIs:\n${tail(destroyed, 15)}`);
  }
  await sweep(cloud, client);
  dropStateSchema(cloud, stack);
  await deleteLabKeys(cloud, stack);
}

/** Keeps a copy of an output folder (the "previous synth output" an operator destroys a moved stack from). */
export function keepAside(outdir: string, into: string): void {
  cpSync(outdir, into, { recursive: true, dereference: true }); // the output folder is a link to its generation folder
}
