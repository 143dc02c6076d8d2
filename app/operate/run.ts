/**
 * The orchestrator: runs a prepared selection of stacks with bounded parallelism per cloud, journals
 * every event, shows progress, survives failures (each stack alone) and Ctrl-C (nothing new starts),
 * and ends with a summary and the exit code of the command.
 */
import { join } from 'node:path';
import { failed as failedResult, type CommandResult } from '../command.js';
import { hasDrift, runDriftReportCommand, type DriftReport } from '../report/drift.js';
import { OperateExit, type EventSink, type RunEvent, type StackDone, type StackFailed } from './events.js';
import { DEFAULT_CLOUD_CONCURRENCY, DEFAULT_MAX_JOBS } from './inputs.js';
import { createRun, Journal, type RunPaths } from './journal.js';
import { prepareRun, type OperateOptions, type PreparedRun } from './prepare.js';
import { secretEnvValues } from './redact-log.js';
import { runPool, type PoolJob } from './scheduler.js';
import { forwardSigint, watchSignals } from './signals.js';
import { runStack, type StackInput, type StackResult, type StackRunContext } from './stack.js';
import { logTail, renderSummary } from './summary.js';
import { defaultWorkDir } from './workdir.js';

export type { OperateOptions } from './prepare.js';

/** Where progress and `--json` go. */
export interface OperateOutput {
  /** Progress sinks (live view, plain lines, JSON lines). */
  sinks: EventSink[];
  /** With `--json` the summary goes to stderr, so that stdout holds only events. */
  json: boolean;
  /** The clock (tests pin it). Default `() => new Date()`. */
  now?: () => Date;
}

/** The total cap: `-j`, else the sum of the caps of the selected stacks' clouds, at most {@link DEFAULT_MAX_JOBS}. */
export function totalCap(jobs: number | undefined, stacks: readonly StackInput[], caps: ReadonlyMap<string, number>): number {
  if (jobs !== undefined) return jobs;
  const clouds = [...new Set(stacks.map((s) => s.cloud))];
  const sum = clouds.reduce((total, cloud) => total + (caps.get(cloud) ?? DEFAULT_CLOUD_CONCURRENCY), 0);
  return Math.max(1, Math.min(DEFAULT_MAX_JOBS, sum));
}

/** What the run collects while it goes. */
interface Tally {
  done: StackDone[];
  failed: StackFailed[];
  interrupted: boolean;
  /** drift: why the report could not be built. */
  reportError?: string;
}

/** The per-stack context of `stack`. */
function stackContext(
  run: PreparedRun,
  options: OperateOptions,
  paths: RunPaths,
  emit: EventSink,
  shared: Shared,
  stack: string,
): StackRunContext {
  const previous = run.previous.get(stack);
  return {
    action: run.action,
    logs: paths.logs,
    plans: paths.plans,
    workRoot: options.workDir ?? defaultWorkDir(),
    tofu: run.toolchain.tofu,
    env: run.toolchain.env,
    secrets: shared.secrets,
    lockTimeout: process.env.SOVSTACK_LOCK_TIMEOUT ?? '5m',
    deployedDir: options.deployedDir,
    emit,
    now: shared.now,
    running: shared.running,
    ...(run.recorded.plansDir !== undefined ? { plansDir: run.recorded.plansDir } : {}),
    ...(run.recorded.replanUnreviewed === true ? { replanUnreviewed: true } : {}),
    ...(run.recorded.savePlansDir !== undefined ? { savePlansDir: run.recorded.savePlansDir } : {}),
    ...(run.recorded.purgeState === true ? { purgeState: true } : {}),
    ...(run.recorded.decommission === true ? { decommission: true } : {}),
    ...(run.recorded.rolling === true ? { rolling: true } : {}),
    ...(previous !== undefined ? { previous } : {}),
    ...(options.keyStore !== undefined ? { keyStore: options.keyStore } : {}),
  };
}

/** State shared by the stacks of a run. */
interface Shared {
  secrets: string[];
  now: () => Date;
  running: Set<number>;
  tally: Tally;
}

/** One pool job per stack: journals its end, isolates its failure. */
function stackJob(input: StackInput, context: StackRunContext, shared: Shared, emit: EventSink): PoolJob<StackResult> {
  return {
    key: input.stack,
    group: input.cloud,
    run: async () => {
      const started = shared.now().getTime();
      const seconds = (): number => Math.round((shared.now().getTime() - started) / 100) / 10;
      try {
        const result = await runStack(input, context);
        const done: StackDone = { type: 'stack-done', at: shared.now().toISOString(), stack: input.stack, ...result, seconds: seconds() };
        shared.tally.done.push(done);
        emit(done);
        return result;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const tail = logTail(join(context.logs, `${input.stack}.log`));
        const failure: StackFailed = {
          type: 'stack-failed',
          at: shared.now().toISOString(),
          stack: input.stack,
          error: message,
          logTail: tail,
          seconds: seconds(),
        };
        shared.tally.failed.push(failure);
        emit(failure);
        throw error;
      }
    },
  };
}

/**
 * The drift report of the run, through `sovstack report --drift` on the run's sanitized plans (every stack of
 * the run, resumed attempts included), written as `drift.md` and `drift.json` into `dir`. Returns whether
 * anything drifted; a report that cannot be built fails the run.
 */
function writeDrift(plans: string, dir: string, tally: Tally): boolean {
  const result = runDriftReportCommand({ plansDir: plans, format: 'json', out: dir });
  if (result.exitCode !== 0) {
    tally.reportError = (result.stderr ?? '').trim();
    return false;
  }
  return hasDrift(JSON.parse(result.stdout) as DriftReport);
}

/** The exit code of the run. */
function exitCode(run: PreparedRun, tally: Tally, notStarted: number, drifted: boolean): number {
  if (tally.failed.length > 0 || notStarted > 0 || tally.interrupted || tally.reportError !== undefined) return OperateExit.failed;
  if (run.action === 'plan' && tally.done.some((d) => d.changes === true)) return OperateExit.changes;
  if (run.action === 'drift' && drifted) return OperateExit.changes;
  return OperateExit.ok;
}

/** Starts the journal (new run, or appending to the resumed one) and the event fan-out. */
function openJournal(
  run: PreparedRun,
  options: OperateOptions,
  output: OperateOutput,
  now: () => Date,
): { paths: RunPaths; journal: Journal; emit: EventSink } {
  const paths = run.resumed ?? createRun(options.runDir, now());
  const journal = new Journal(paths.journal);
  const emit: EventSink = (event: RunEvent) => {
    journal.append(event);
    for (const sink of output.sinks) sink(event);
  };
  const stacks = [...run.stacks.map((s) => s.stack), ...run.skipped].sort();
  const at = now().toISOString();
  emit({
    type: 'run-started',
    at,
    runId: paths.runId,
    action: run.action,
    stacks,
    pid: process.pid,
    resumed: run.resumed !== undefined,
    options: run.recorded,
  });
  return { paths, journal, emit };
}

/** Ends a run: the drift report, `run-done`, the summary and the exit code. */
function finish(run: PreparedRun, paths: RunPaths, shared: Shared, notStarted: string[], emit: EventSink, json: boolean): CommandResult {
  const reportDir = run.recorded.reportDir ?? paths.dir;
  const anyPlan = shared.tally.done.length + run.skipped.length > 0;
  const drifted = run.action === 'drift' && anyPlan && writeDrift(paths.plans, reportDir, shared.tally);
  const code = exitCode(run, shared.tally, notStarted.length, drifted);
  const orphans = run.action === 'plan' ? run.orphans : [];
  const { done, failed, interrupted } = shared.tally;
  const at = shared.now().toISOString();
  emit({
    type: 'run-done',
    at,
    exitCode: code,
    done: done.length,
    failed: failed.length,
    notStarted: notStarted.length,
    interrupted,
    orphans,
  });
  const summary = {
    action: run.action,
    runId: paths.runId,
    journal: paths.journal,
    done,
    failed,
    notStarted,
    skipped: run.skipped,
    orphans,
    interrupted,
  };
  const drift =
    run.action !== 'drift' || !anyPlan
      ? ''
      : `${shared.tally.reportError ?? `drift report: ${join(reportDir, 'drift.md')} (and drift.json)`}\n`;
  const text = renderSummary(summary) + drift;
  return json ? { exitCode: code, stdout: '', stderr: text } : { exitCode: code, stdout: text };
}

/**
 * Executes a prepared run: journal, schedule, summary.
 *
 * @example const result = await executeRun(await prepareRun(options), options, { sinks: [], json: false });
 */
export async function executeRun(run: PreparedRun, options: OperateOptions, output: OperateOutput): Promise<CommandResult> {
  const now = output.now ?? ((): Date => new Date());
  const { paths, journal, emit } = openJournal(run, options, output, now);
  const shared: Shared = {
    secrets: secretEnvValues(run.toolchain.env),
    now,
    running: new Set(),
    tally: { done: [], failed: [], interrupted: false },
  };
  for (const input of run.stacks) emit({ type: 'stack-queued', at: now().toISOString(), stack: input.stack, cloud: input.cloud });
  const unwatch = watchSignals({
    first: (signal) => {
      shared.tally.interrupted = true;
      emit({ type: 'interrupted', at: now().toISOString(), signal, forwarded: false });
    },
    again: (signal) => {
      emit({ type: 'interrupted', at: now().toISOString(), signal, forwarded: true });
      forwardSigint(shared.running);
    },
  });
  try {
    const jobs = run.stacks.map((input) => stackJob(input, stackContext(run, options, paths, emit, shared, input.stack), shared, emit));
    const results = await runPool(jobs, {
      total: totalCap(options.jobs, run.stacks, run.caps),
      cap: (cloud) => run.caps.get(cloud) ?? DEFAULT_CLOUD_CONCURRENCY,
      stopped: () => shared.tally.interrupted,
    });
    const notStarted = [...results].filter(([, r]) => r.status === 'not-started').map(([stack]) => stack);
    return finish(run, paths, shared, notStarted, emit, output.json);
  } finally {
    unwatch();
    journal.close();
  }
}

/**
 * `sovstack plan | deploy | destroy | drift`: prepares, then executes the run. A user error before
 * anything ran (bad selection, configuration, missing toolchain) is exit 1 with the message.
 *
 * @example const result = await operate({ action: 'plan', configDir: 'config', outDir: 'cdktf.out', all: true, runDir: '.sovstack/runs', deployedDir: '.sovstack/deployed' }, { sinks: [], json: false });
 */
export async function operate(options: OperateOptions, output: OperateOutput): Promise<CommandResult> {
  let run: PreparedRun;
  try {
    run = await prepareRun(options);
  } catch (error) {
    return failedResult(`sovstack ${options.action}: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  if (run.stacks.length === 0 && run.resumed === undefined) {
    const orphans =
      options.action === 'plan' ? run.orphans.map((o) => `orphaned: ${o} would be destroyed by \`sovstack destroy ${o}\`\n`).join('') : '';
    return {
      exitCode: OperateExit.ok,
      stdout: `sovstack ${options.action}: no stack selected (nothing affected), nothing to do\n${orphans}`,
    };
  }
  return executeRun(run, options, output);
}
