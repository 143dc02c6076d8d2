/**
 * Operating the 12-client lab estate (config/lab/clients/e2e-est-*.yaml), in one run on the lab:
 *
 * 1. `sovstack deploy --all -j 4` from nothing (synth included), then a no-change `sovstack plan --all`,
 *    then `sovstack destroy --all --purge-state -j 4`;
 * 2. the same 12 stacks with `cdktf deploy <stack> --auto-approve --skip-provider-lock`, one after
 *    another (as the README deployed before the orchestrator), then destroyed again.
 *
 * Reports wall times and the ratio cdktf one-by-one / sovstack -j 4 (issue 13's target: at least 3×), and,
 * for both deploys, the CPU time the whole machine spent (tools and the lab's OpenStack services, which share
 * its cores) and how busy its cores were: when they are saturated, the wall ratio is bounded by the CPU
 * each approach needs per stack, whatever the parallelism.
 * Skipped, with the reason, when the lab is not up (`lab/status` fails): it never starts the lab.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { cleanEstate, ESTATE, makeEstateWorkspace, sovstack, type EstateWorkspace } from '../test/e2e/estate.js';
import { cdktf, cloudsYaml, inventory, inventoryCount, repoRoot, tail } from '../test/e2e/harness.js';

/** Figures of one run (milliseconds of wall time). */
export interface OperateFigures {
  stacks: number;
  sovstackDeployMs: number;
  sovstackPlanMs: number;
  sovstackDestroyMs: number;
  /** Sum of the one-by-one `cdktf deploy` runs, and each of them. */
  cdktfDeployMs: number;
  cdktfPerStackMs: number[];
  /** cdktf one-by-one / sovstack -j 4. */
  ratio: number;
  /** The machine's CPU during each deploy phase. */
  sovstackDeployCpu: MachineCpu;
  cdktfDeployCpu: MachineCpu;
  cores: number;
  loadBefore: string;
  loadAfter: string;
}

/** CPU the whole machine spent over a phase (every process: tools, lab services, anything else). */
export interface MachineCpu {
  /** Busy CPU seconds, all cores together (user, nice, system, interrupts, steal). */
  busySeconds: number;
  /** Busy share of the phase's total core time (1 = every core busy all along). */
  busyShare: number;
  /** CPU seconds of the commands the bench ran (the CLI, tofu, the provider, the key program), the rest being the lab's services. */
  toolSeconds: number;
}

interface CpuTicks {
  busy: number;
  total: number;
  /** User and system ticks of this process's waited-for children and their waited-for descendants. */
  children: number;
}

/** Busy and total ticks of all cores since boot, from /proc/stat (idle and iowait are not busy), and this process's children's. */
function cpuTicks(): CpuTicks {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const self = readFileSync('/proc/self/stat', 'utf8');
  // Fields after the command name: state is field 3, cutime and cstime fields 16 and 17.
  const after = self.slice(self.lastIndexOf(')') + 2).split(' ');
  return { busy: total - fields[3] - fields[4], total, children: Number(after[13]) + Number(after[14]) };
}

const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

function cpuSince(start: CpuTicks): MachineCpu {
  const end = cpuTicks();
  const busy = end.busy - start.busy;
  return {
    busySeconds: busy / TICKS_PER_SECOND,
    busyShare: busy / Math.max(1, end.total - start.total),
    toolSeconds: (end.children - start.children) / TICKS_PER_SECOND,
  };
}

/** Why the operate bench did not run, or its figures. */
export type OperateOutcome = { skipped: string } | { figures: OperateFigures; table: string };

const load = (): string =>
  loadavg()
    .map((v) => v.toFixed(1))
    .join(' ');

/** Undefined when the lab answers; else why the bench cannot run. */
function labDown(): string | undefined {
  const status = spawnSync(join(repoRoot, 'lab', 'status'), [], { encoding: 'utf8' });
  if (status.status !== 0) return `the lab is not up (lab/status exit ${status.status}); start it with lab/up (see lab/README.md)`;
  if (!existsSync(cloudsYaml)) return `the lab has no ${cloudsYaml}; run lab/up`;
  if (!existsSync(join(repoRoot, '.tools', 'bin', 'tofu'))) return 'the toolchain is missing: run npm run tools';
  return undefined;
}

/** Runs a sovstack command that must succeed; returns its wall time. */
async function timed(ws: EstateWorkspace, args: string[], ok: readonly number[] = [0]): Promise<number> {
  const started = performance.now();
  const result = await sovstack(ws, args);
  if (!ok.includes(result.code)) throw new Error(`sovstack ${args.join(' ')} exited ${result.code}:\n${tail(result, 40)}`);
  return performance.now() - started;
}

/** Fails when the APIs still show anything of the estate (a destroy that left something would bias the next deploy). */
async function expectEmpty(what: string): Promise<void> {
  for (const c of ESTATE) {
    const left = inventoryCount(await inventory(c.cloud, c.client));
    if (left > 0) throw new Error(`after ${what}, ${left} resource(s) of ${c.client} are still in ${c.cloud}`);
  }
}

/** `cdktf deploy` of every stack, one after another; returns the time of each. */
async function cdktfOneByOne(ws: EstateWorkspace, log: (line: string) => void): Promise<number[]> {
  const outdir = join(ws.root, 'cdktf-one-by-one.out');
  const times: number[] = [];
  for (const c of ESTATE) {
    const started = performance.now();
    const result = await cdktf(ws, c.cloud, ['deploy', c.stack, '--auto-approve', '--skip-provider-lock'], { outdir });
    if (result.code !== 0) throw new Error(`cdktf deploy ${c.stack} exited ${result.code}:\n${tail(result, 40)}`);
    times.push(performance.now() - started);
    log(`bench: cdktf deploy ${c.stack}: ${(times[times.length - 1] / 1000).toFixed(1)} s`);
  }
  return times;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** The Markdown table of a run. */
export function renderOperateTable(f: OperateFigures): string {
  const per = (ms: number): string => seconds(ms / f.stacks);
  return [
    `Lab estate: ${f.stacks} stacks (6 per cloud); load average ${f.loadBefore} before, ${f.loadAfter} after.`,
    '',
    '| What | Wall | Per stack |',
    '| --- | ---: | ---: |',
    `| \`sovstack deploy --all -j 4\` (synth included), from nothing | ${seconds(f.sovstackDeployMs)} | ${per(f.sovstackDeployMs)} |`,
    `| \`cdktf deploy <stack> --skip-provider-lock\`, one after another, from nothing | ${seconds(f.cdktfDeployMs)} | ${per(f.cdktfDeployMs)} |`,
    `| **ratio** cdktf one by one / sovstack -j 4 (target ≥ 3×) | **${f.ratio.toFixed(2)}×** | |`,
    `| \`sovstack plan --all\`, no changes (synth included) | ${seconds(f.sovstackPlanMs)} | ${per(f.sovstackPlanMs)} |`,
    `| \`sovstack destroy --all --purge-state -j 4\` | ${seconds(f.sovstackDestroyMs)} | ${per(f.sovstackDestroyMs)} |`,
    '',
    `Machine CPU during each deploy (${f.cores} cores; tools and the lab's services together):`,
    '',
    '| Deploy | CPU busy | Per stack | of which the tools | Cores busy |',
    '| --- | ---: | ---: | ---: | ---: |',
    cpuRow('sovstack -j 4', f.sovstackDeployCpu, f.stacks),
    cpuRow('cdktf one by one', f.cdktfDeployCpu, f.stacks),
    '',
    `With every core busy all along, the CPU a sovstack deploy needs per stack allows at most ` +
      `${ratioBound(f).toFixed(2)}× against cdktf's one-by-one wall time on these ${f.cores} cores.`,
  ].join('\n');
}

function cpuRow(what: string, cpu: MachineCpu, stacks: number): string {
  const perStack = (seconds: number): string => `${(seconds / stacks).toFixed(1)} s`;
  return `| ${what} | ${cpu.busySeconds.toFixed(1)} s | ${perStack(cpu.busySeconds)} | ${perStack(cpu.toolSeconds)} | ${(cpu.busyShare * 100).toFixed(0)} % |`;
}

/** cdktf's one-by-one wall time over the shortest time sovstack's deploy could take with its CPU spread over every core. */
function ratioBound(f: OperateFigures): number {
  return f.cdktfDeployMs / 1000 / (f.sovstackDeployCpu.busySeconds / f.cores);
}

/**
 * The operate bench: on the lab, sovstack's deploy of the estate against cdktf's one stack after another.
 *
 * @example const outcome = await operateBench((line) => process.stderr.write(`${line}\n`));
 */
export async function operateBench(log: (line: string) => void): Promise<OperateOutcome> {
  const down = labDown();
  if (down !== undefined) return { skipped: down };
  const ws = makeEstateWorkspace('bench-operate');
  log(`bench: operate: estate of ${ESTATE.length} clients in ${ws.root}`);
  const loadBefore = load();
  await cleanEstate(ESTATE);
  try {
    const deployStart = cpuTicks();
    const sovstackDeployMs = await timed(ws, ['deploy', '--all', '-j', '4']);
    const sovstackDeployCpu = cpuSince(deployStart);
    log(`bench: sovstack deploy --all -j 4: ${seconds(sovstackDeployMs)}`);
    const sovstackPlanMs = await timed(ws, ['plan', '--all']);
    log(`bench: sovstack plan --all (no changes): ${seconds(sovstackPlanMs)}`);
    const sovstackDestroyMs = await timed(ws, ['destroy', '--all', '--decommission', '--purge-state', '-j', '4']);
    await expectEmpty('sovstack destroy --all');
    const cdktfStart = cpuTicks();
    const cdktfPerStackMs = await cdktfOneByOne(ws, log);
    const cdktfDeployCpu = cpuSince(cdktfStart);
    const cdktfDeployMs = cdktfPerStackMs.reduce((a, b) => a + b, 0);
    const figures: OperateFigures = {
      stacks: ESTATE.length,
      sovstackDeployMs,
      sovstackPlanMs,
      sovstackDestroyMs,
      cdktfDeployMs,
      cdktfPerStackMs,
      ratio: cdktfDeployMs / sovstackDeployMs,
      sovstackDeployCpu,
      cdktfDeployCpu,
      cores: availableParallelism(),
      loadBefore,
      loadAfter: load(),
    };
    return { figures, table: renderOperateTable(figures) };
  } finally {
    // the cdktf-deployed stacks share their state schemas with sovstack's: its destroy reaches them all
    const destroy = await sovstack(ws, ['destroy', '--all', '--decommission', '--purge-state', '-j', '4', '--skip-synth']);
    if (destroy.code !== 0) log(`bench: cleanup destroy exited ${destroy.code}; sweeping through the APIs`);
    await cleanEstate(ESTATE);
  }
}
