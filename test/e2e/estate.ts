/**
 * The 12-client lab estate (config/lab/clients/e2e-est-01..12.yaml) and the sovstack operate
 * commands (`plan | deploy | destroy | drift`) run on it as a user runs them: the built CLI
 * (`node dist/app/cli/main.js`), from a scratch folder holding the estate, the synth output, the
 * run folders, the last-deployed store and the working directories. Shared by
 * test/e2e/estate.test.ts and bench/operate.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toolsEnv } from '../support/tools.js';
import {
  knowStackFolder,
  labEnv,
  log,
  makeWorkspace,
  repoRoot,
  run,
  startClean,
  type LabCloud,
  type RunOptions,
  type RunResult,
  type Workspace,
} from './harness.js';

/** A client of the estate and the lab cloud its policy places it on. */
export interface EstateClient {
  client: string;
  cloud: LabCloud;
  stack: string;
}

/** e2e-est-01..06 hold sensitive data (lab-sovereign only); e2e-est-07..12 are standard and prefer lab-vendor. */
export const ESTATE: readonly EstateClient[] = Array.from({ length: 12 }, (_, i) => {
  const client = `e2e-est-${String(i + 1).padStart(2, '0')}`;
  const cloud: LabCloud = i < 6 ? 'lab-sovereign' : 'lab-vendor';
  return { client, cloud, stack: `${client}-${cloud}` };
});

/** An estate workspace with the folders the operate commands keep. */
export interface EstateWorkspace extends Workspace {
  runDir: string;
  deployedDir: string;
  workDir: string;
}

/** A fresh workspace holding config/lab's clouds and the 12 clients of the estate. */
export function makeEstateWorkspace(name: string): EstateWorkspace {
  const ws = makeWorkspace(
    name,
    ESTATE.map((c) => c.client),
  );
  return {
    ...ws,
    runDir: join(ws.root, 'runs'),
    deployedDir: join(ws.root, 'deployed'),
    workDir: join(ws.root, 'work'),
  };
}

/**
 * The environment of the operate commands on the lab: the toolchain (tofu, offline mirror), the
 * clouds.yaml and the state database's PG* variables (one role serves both clouds' databases, and
 * each stack's backend names its database). No OS_CLOUD: each stack's provider names its cloud.
 */
export function operateEnv(ws: EstateWorkspace, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const lab = labEnv('lab-sovereign');
  delete lab.OS_CLOUD;
  const env = toolsEnv({ ...lab, SOVSTACK_WORK_DIR: ws.workDir, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0', ...extra });
  delete env.OS_CLOUD;
  return env;
}

const cli = join(repoRoot, 'dist', 'app', 'cli', 'main.js');

/** The result of an operate command, with its `--json` events when it streamed them. */
export interface OperateResult extends RunResult {
  events: Record<string, unknown>[];
}

/**
 * `sovstack <command> <args…> -c <estate> --out <outdir> --run-dir … --deployed-dir …` from the
 * workspace root, with {@link operateEnv}. `onEvent` sees each `--json` event as it comes.
 */
export async function sovstack(
  ws: EstateWorkspace,
  args: string[],
  options: { env?: Record<string, string>; onEvent?: (event: Record<string, unknown>) => void } & Pick<RunOptions, 'timeoutMs'> = {},
): Promise<OperateResult> {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
  const events: Record<string, unknown>[] = [];
  const onLine = (line: string): void => {
    if (!line.startsWith('{')) return;
    try {
      const event = JSON.parse(line) as Record<string, unknown>;
      events.push(event);
      options.onEvent?.(event);
    } catch {
      // not an event: a plain line of output
    }
  };
  const full = [...args, '-c', ws.estate, '--out', ws.outdir, '--run-dir', ws.runDir, '--deployed-dir', ws.deployedDir];
  const result = await run(process.execPath, [cli, ...full], {
    cwd: ws.root,
    env: operateEnv(ws, options.env),
    timeoutMs: options.timeoutMs ?? 1_500_000,
    onLine,
  });
  log(`sovstack ${args.join(' ')} → exit ${result.code} (${result.seconds}s)`);
  // where an encrypted state of these stacks is read with its key (harness.ts pgStateResources)
  if (existsSync(ws.workDir)) for (const stack of readdirSync(ws.workDir)) knowStackFolder(stack, join(ws.workDir, stack));
  return { ...result, events };
}

/** One drifted resource as the drift report's JSON names it. */
export interface DriftedResource {
  stack: string;
  address: string;
  type?: string;
  change?: string;
  /** Attribute paths, as text (`power_state`, `metadata.changed-by`, `rule[0].port_range_min`, …). */
  paths: string[];
}

function pathText(path: unknown): string {
  if (Array.isArray(path)) return path.map(String).join('.');
  return typeof path === 'string' ? path : JSON.stringify(path);
}

/**
 * Every drifted resource of a drift report (`drift.json`), whatever its nesting: objects with an
 * `address`, their stack taken from themselves or from the nearest enclosing object with a `stack`.
 */
export function driftedResources(file: string): DriftedResource[] {
  const out: DriftedResource[] = [];
  const walk = (node: unknown, stack: string | undefined): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item, stack);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const here = typeof record.stack === 'string' ? record.stack : stack;
    if (typeof record.address === 'string' && here !== undefined) {
      const attributes = Array.isArray(record.attributes) ? (record.attributes as Record<string, unknown>[]) : [];
      out.push({
        stack: here,
        address: record.address,
        ...(typeof record.type === 'string' ? { type: record.type } : {}),
        ...(typeof record.change === 'string' ? { change: record.change } : {}),
        paths: attributes.map((a) => pathText(a.path)),
      });
      return;
    }
    for (const value of Object.values(record)) walk(value, here);
  };
  walk(JSON.parse(readFileSync(file, 'utf8')), undefined);
  return out;
}

/** Sweeps whatever the lab holds of each client (through the APIs) and drops its stack's state schema. */
export async function cleanEstate(clients: readonly EstateClient[]): Promise<void> {
  for (const c of clients) await startClean(c.cloud, c.client, c.stack);
}
