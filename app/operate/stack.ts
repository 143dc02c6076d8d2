/**
 * What each command does to one stack, in its working directory:
 * - plan: init → `plan -detailed-exitcode -out` → sanitized `<stack>.plan.json`;
 * - deploy: the same plan, then `apply` of that very plan file (its hash is journalled), or of the
 *   reviewed `<plans-dir>/<stack>.tfplan` with `--plans` (reviewed-plan.ts checks it was planned from the
 *   configuration synthesized now; the data guard judges it like a fresh plan); the configuration is then
 *   recorded as deployed;
 * - destroy: a destroy plan, then its apply; the stack is then forgotten (and its state purged on request);
 * - drift: a plan (it refreshes; nothing is applied), whose sanitized JSON feeds the run's drift report: what
 *   changed outside OpenTofu that the next deploy would put back (a refresh-only plan also lists what the
 *   provider reads back differently after every apply, e.g. a port's device_id, which nothing out of band caused).
 * A failure throws a {@link StackFailure}; the scheduler isolates it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildDriftReport, hasDrift } from '../report/drift.js';
import { PLAN_FILE_SUFFIX } from '../report/index.js';
import { parsePlan, sanitizePlan } from '../report/plan.js';
import { liftProtection, protectedDeletions, refusalMessage } from './data-guard.js';
import { forgetDeployed, readDeployed, recordDeployed } from './deployed.js';
import { deleteStackKeys, ensureStackKeys, type KeyStore } from './keys.js';
import type { EventSink, OperateAction, Phase, StackOutcome } from './events.js';
import { isOwnStaleLock, lockError, processGone } from './locks.js';
import { isEncrypted, managedResourcesOfShown, purgeState } from './purge.js';
import { applyRolling, rollingSteps } from './rolling.js';
import { poolReaderFor, tofuRollingDriver } from './rolling-tofu.js';
import type { UnfinishedTofu } from './resume.js';
import { runTofu, salvageRawOutput, showPlanJson, showStateJson, type TofuContext, type TofuResult } from './tofu.js';
import { prepareWorkDir } from './workdir.js';
import { recordSavedPlan, ReviewedPlanError, savedPlanPaths, savePlan, takeReviewedPlan, type ReviewedPlan } from './reviewed-plan.js';

/** A stack's failure, with the message the summary shows. */
export class StackFailure extends Error {}

/** One stack to operate on: its name, cloud and Terraform JSON (synthesized, or last deployed for an orphan). */
export interface StackInput {
  stack: string;
  cloud: string;
  json: string;
}

/** Everything a stack's run needs from the run. */
export interface StackRunContext {
  action: OperateAction;
  /** Run folder's `logs/` and `plans/`. */
  logs: string;
  plans: string;
  workRoot: string;
  tofu: string;
  env: NodeJS.ProcessEnv;
  secrets: readonly string[];
  /** `-lock-timeout` of every command, e.g. `5m`. */
  lockTimeout: string;
  deployedDir: string;
  emit: EventSink;
  now: () => Date;
  /** Pids of the tofu processes running (for the second Ctrl-C). */
  running: Set<number>;
  /** `deploy --plans <dir>`. */
  plansDir?: string;
  /** `deploy --plans <dir> --replan-unreviewed`: a stack without a reviewed plan there is planned afresh instead of failing. */
  replanUnreviewed?: boolean;
  /** `plan --save-plans <dir>`: where each plan is copied as far as it may leave the machine (reviewed-plan.ts). */
  savePlansDir?: string;
  purgeState?: boolean;
  /** `destroy --decommission`: `prevent_destroy` lifted in the working copy. */
  decommission?: boolean;
  /** `deploy --rolling`: a plan that disrupts servers is applied one server at a time (rolling.ts). */
  rolling?: boolean;
  /** On resume: the tofu this stack was running when the run stopped. */
  previous?: UnfinishedTofu;
  /** Where encrypted stacks' keys are checked, created and (after `--purge-state`) deleted. Default: their Barbican, with `env`'s credentials. */
  keyStore?: KeyStore;
}

/** How the stack ended (the `stack-done` event's fields). */
export interface StackResult {
  outcome: StackOutcome;
  planHash?: string;
  changes?: boolean;
}

/** A stack's tofu context, journalling each tofu's pid with its phase. */
function tofuContext(ctx: StackRunContext, stack: string, cwd: string, phase: { current: Phase }): TofuContext {
  return {
    tofu: ctx.tofu,
    env: ctx.env,
    cwd,
    log: join(ctx.logs, `${stack}.log`),
    secrets: ctx.secrets,
    started: (pid) => {
      ctx.running.add(pid);
      ctx.emit({ type: 'phase', at: ctx.now().toISOString(), stack, phase: phase.current, pid });
    },
    ended: (pid) => ctx.running.delete(pid),
  };
}

/** The last line of tofu's output that says `Error:`, for the failure message. */
function firstError(output: string): string {
  const line = output.split('\n').find((l) => /^\s*(│\s*)?Error:/.test(l));
  return line !== undefined ? line.replace(/^\s*│?\s*/, '') : 'see its log';
}

/** Fails unless `result` exited with one of `codes`. */
function check(result: TofuResult, what: string, codes: readonly number[] = [0]): TofuResult {
  if (!codes.includes(result.code)) throw new StackFailure(`tofu ${what} failed (exit ${result.code}): ${firstError(result.output)}`);
  return result;
}

/** One stack's run in progress. */
interface Step {
  ctx: StackRunContext;
  input: StackInput;
  tofu: TofuContext;
  phase: { current: Phase };
  /** Resuming a stack whose tofu died: the first lock wait is short, and its own stale lock is released. */
  recovering: boolean;
}

/** Emits a note about the stack (journal, progress, `--json`). */
function note(step: Step, message: string): void {
  step.ctx.emit({ type: 'stack-note', at: step.ctx.now().toISOString(), stack: step.input.stack, message });
}

/** On resume, a tofu of the previous attempt that still runs (the orchestrator was killed, not tofu) is waited for. */
async function waitForPrevious(step: Step): Promise<void> {
  const previous = step.ctx.previous;
  if (previous === undefined || processGone(previous.pid)) return;
  const cmdline = `/proc/${previous.pid}/cmdline`;
  if (existsSync(cmdline) && !readFileSync(cmdline, 'utf8').includes('tofu')) return;
  note(step, `waiting for tofu (pid ${previous.pid}, ${previous.phase}) of the interrupted run to finish`);
  while (!processGone(previous.pid)) await new Promise((r) => setTimeout(r, 500));
}

/** Runs a locking tofu command; on resume, releases a stale lock this run's killed tofu left, once. */
async function locking(step: Step, args: readonly string[], positional: readonly string[] = []): Promise<TofuResult> {
  const timeout = step.recovering ? '10s' : step.ctx.lockTimeout;
  const result = await runTofu(step.tofu, [...args, `-lock-timeout=${timeout}`, ...positional]);
  if (!step.recovering) return result;
  step.recovering = false;
  const lock = lockError(result.output);
  const previous = step.ctx.previous;
  if (lock === undefined || previous === undefined) return result;
  if (isOwnStaleLock(lock, previous)) {
    check(await runTofu(step.tofu, ['force-unlock', '-force', lock.id]), 'force-unlock');
    note(step, `released state lock ${lock.id} left by the killed tofu (pid ${previous.pid}) of this run`);
  }
  return runTofu(step.tofu, [...args, `-lock-timeout=${step.ctx.lockTimeout}`, ...positional]);
}

function enter(step: Step, phase: Phase): void {
  step.phase.current = phase;
}

/** The last `tofu init` of this process queued so far (see {@link oneInitAtATime}). */
let initQueue: Promise<unknown> = Promise.resolve();

/**
 * Runs `task` after every `tofu init` queued before it. A toolchain from the environment may bring a shared
 * plugin cache (`TF_PLUGIN_CACHE_DIR`), and concurrent inits sharing one are not safe in OpenTofu 1.12
 * (opentofu/opentofu#1483; on the lab one of four parallel inits panicked in
 * `providercache.(*Dir).LinkFromOtherCache`); an init takes well under a second, so queueing them costs little.
 */
function oneInitAtATime<T>(task: () => Promise<T>): Promise<T> {
  const next = initQueue.then(task, task);
  initQueue = next.catch(() => undefined);
  return next;
}

/** `tofu init` when the working directory needs it. */
async function init(step: Step, work: ReturnType<typeof prepareWorkDir>): Promise<void> {
  if (!work.needsInit) return;
  enter(step, 'init');
  check(await oneInitAtATime(() => locking(step, ['init', '-input=false', '-reconfigure'])), 'init');
  work.markInitialized();
}

/** `drift` is a normal plan journalled as the `refresh` phase. */
type PlanMode = 'apply' | 'destroy' | 'drift';

/** A saved plan: `plans/<stack>.tfplan`, its hash and whether it changes anything (drift: whether anything drifted). */
interface SavedPlan {
  file: string;
  hash: string;
  changes: boolean;
  /** The plan's `tofu show -json`, raw (never written): what `--rolling` splits into steps. */
  json: unknown;
}

/** `tofu plan -detailed-exitcode -out`, then its sanitized JSON beside it (`<stack>.plan.json`, what `sovstack report --plans` reads). */
async function plan(step: Step, mode: PlanMode): Promise<SavedPlan> {
  enter(step, mode === 'drift' ? 'refresh' : 'plan');
  // Absolute: OpenTofu runs in the stack's working directory.
  const file = resolve(savedPlanPaths(step.ctx.plans, step.input.stack).plan);
  const extra = mode === 'destroy' ? ['-destroy'] : [];
  const args = ['plan', '-input=false', '-detailed-exitcode', ...extra, `-out=${file}`];
  const result = check(await locking(step, args), 'plan', [0, 2]);
  const hash = recordSavedPlan(step.ctx.plans, step.input.stack, step.input.json);
  const json = await showPlanJson(step.tofu, file);
  const sanitized = sanitizePlan(parsePlan(json, `plan of ${step.input.stack}`));
  writeFileSync(join(step.ctx.plans, `${step.input.stack}${PLAN_FILE_SUFFIX}`), `${JSON.stringify(sanitized, null, 2)}\n`);
  // drift: whether the report of this plan names anything (its exit code also counts configuration not yet deployed)
  const changes = mode === 'drift' ? hasDrift(buildDriftReport([{ stack: step.input.stack, plan: sanitized }])) : result.code === 2;
  return { file, hash, changes, json };
}

/** `tofu apply <plan file>`; a stale plan (the state moved since it was made) fails with what to do. */
async function apply(step: Step, file: string, phase: Phase): Promise<void> {
  enter(step, phase);
  const result = await locking(step, ['apply', '-input=false'], [file]);
  if (result.code !== 0 && /Saved plan is stale|plan file can no longer be applied/i.test(result.output)) {
    throw new StackFailure(`the plan for ${step.input.stack} no longer matches the state; re-plan and review again`);
  }
  check(result, phase === 'destroy' ? 'apply (destroy)' : 'apply');
}

/** `deploy --rolling`: the plan's disrupted servers one at a time, then the rest (rolling.ts); a failure names the server. */
async function applyRollingPlan(step: Step, planJson: unknown): Promise<void> {
  enter(step, 'apply');
  const { ctx, input } = step;
  try {
    const driver = tofuRollingDriver({
      exec: (cwd, args) => runTofu({ ...step.tofu, cwd }, args),
      stackDir: step.tofu.cwd,
      planDir: step.tofu.cwd,
      poolMembers: poolReaderFor(JSON.parse(input.json), ctx.env),
      lockArgs: [`-lock-timeout=${ctx.lockTimeout}`],
      note: (message) => note(step, message),
    });
    await applyRolling(rollingSteps(planJson), driver);
  } catch (error) {
    throw new StackFailure(`rolling deploy stopped: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The data guard on a plan's JSON: a plan that deletes protected data of the deployed configuration fails the stack. */
function guard(step: Step, planJson: unknown): void {
  const refusals = protectedDeletions(planJson, readDeployed(step.ctx.deployedDir, step.input.stack));
  if (refusals.length > 0) throw new StackFailure(refusalMessage(step.input.stack, refusals));
}

/** `--plans <dir>`: the stack's reviewed plan, checked (reviewed-plan.ts), or undefined when the folder has none for it. */
function reviewedPlan(step: Step, plansDir: string): ReviewedPlan | undefined {
  try {
    return takeReviewedPlan(plansDir, step.input.stack, step.input.json, step.ctx.plans);
  } catch (error) {
    if (error instanceof ReviewedPlanError) throw new StackFailure(error.message);
    throw error;
  }
}

/**
 * deploy: a fresh plan applied when it changes something; with `--plans`, the stack's reviewed plan (or, with
 * `--replan-unreviewed`, a fresh plan when there is none). The data guard judges either. Then recorded as deployed.
 */
async function deploy(step: Step): Promise<StackResult> {
  const { ctx, input } = step;
  if (ctx.plansDir !== undefined) {
    const reviewed = reviewedPlan(step, ctx.plansDir);
    if (reviewed !== undefined) {
      guard(step, await showPlanJson(step.tofu, reviewed.file));
      await recordedApply(step, () => apply(step, reviewed.file, 'apply'));
      return { outcome: 'applied', planHash: reviewed.hash };
    }
    const missing = resolve(savedPlanPaths(ctx.plansDir, input.stack).plan);
    if (ctx.replanUnreviewed !== true) {
      throw new StackFailure(
        `no reviewed plan ${missing}; fix: plan it (sovstack plan --save-plans <dir>) and review it first, or deploy with --replan-unreviewed`,
      );
    }
    note(step, `no reviewed plan ${missing}: planned afresh (--replan-unreviewed)`);
  }
  const saved = await plan(step, 'apply');
  if (saved.changes) guard(step, saved.json);
  await recordedApply(step, async () => {
    if (saved.changes && ctx.rolling === true) await applyRollingPlan(step, saved.json);
    else if (saved.changes) await apply(step, saved.file, 'apply');
  });
  return { outcome: saved.changes ? 'applied' : 'unchanged', planHash: saved.hash, changes: saved.changes };
}

/**
 * Runs `applying`, then records the stack's configuration as deployed, whether it succeeded or not: once
 * an apply has started the state may hold this configuration's resources, and the record is what lets a
 * stack that later leaves the output be listed as orphaned and destroyed. (The data guard has already
 * passed this plan, so recording it drops no protection the previous record gave.)
 */
async function recordedApply(step: Step, applying: () => Promise<void>): Promise<void> {
  try {
    await applying();
  } finally {
    recordDeployed(step.ctx.deployedDir, step.input.stack, step.input.json);
  }
}

/** What the key steps of keys.ts need from this stack's run. */
function keyRun(step: Step) {
  const { ctx, input } = step;
  return {
    stack: input.stack,
    json: input.json,
    deployed: () => readDeployed(ctx.deployedDir, input.stack) !== undefined,
    env: ctx.env,
    note: (message: string) => note(step, message),
    fail: (message: string) => new StackFailure(message),
    ...(ctx.keyStore !== undefined ? { store: ctx.keyStore } : {}),
  };
}

/** An encrypted state cannot be judged from its stored bytes: the managed resources `tofu show -json` decrypts, for the purge. */
async function decryptedResources(step: Step): Promise<string[] | undefined> {
  if (!isEncrypted(step.input.json)) return undefined;
  return managedResourcesOfShown(await showStateJson(step.tofu));
}

/** destroy: a destroy plan and its apply; then forgotten, and with `--purge-state` its emptied state removed. */
async function destroy(step: Step): Promise<StackResult> {
  const { ctx, input } = step;
  const saved = await plan(step, 'destroy').catch((error: unknown) => {
    if (error instanceof StackFailure && /cannot be destroyed|prevent_destroy/i.test(error.message)) {
      throw new StackFailure(
        `${error.message}\nfix: its data is protected; to destroy it anyway: sovstack destroy ${input.stack} --decommission`,
      );
    }
    throw error;
  });
  if (saved.changes) await apply(step, saved.file, 'destroy');
  forgetDeployed(ctx.deployedDir, input.stack);
  if (ctx.purgeState === true) {
    try {
      const decrypted = await decryptedResources(step);
      await purgeState(JSON.parse(input.json) as unknown, ctx.env, {
        cwd: step.tofu.cwd,
        ...(decrypted ? { decryptedResources: decrypted } : {}),
      });
    } catch (error) {
      throw new StackFailure(`destroyed, but its state was not purged: ${error instanceof Error ? error.message : String(error)}`);
    }
    await deleteStackKeys(keyRun(step));
  }
  return { outcome: 'destroyed', planHash: saved.hash, changes: saved.changes };
}

/** `plan --save-plans`: the stack's plan copied as far as it may leave the machine; a clear binary plan stays in the run folder. */
function saveReviewable(step: Step, dir: string): void {
  if (!savePlan(step.ctx.plans, dir, step.input.stack, step.input.json)) {
    note(
      step,
      `only its sanitized plan was saved to ${dir}: its state and plans are not encrypted, and a binary plan holds every value in clear`,
    );
  }
}

/**
 * Runs `action` on one stack in its working directory under `ctx.workRoot`.
 *
 * @throws {@link StackFailure} (or any error) when the stack fails; the caller journals it.
 * @example const result = await runStack({ stack: 'a-c1', cloud: 'c1', json }, ctx); // { outcome: 'applied', planHash: 'sha256:…' }
 */
export async function runStack(input: StackInput, ctx: StackRunContext): Promise<StackResult> {
  const json = ctx.action === 'destroy' && ctx.decommission === true ? liftProtection(input.json) : input.json;
  const work = prepareWorkDir(ctx.workRoot, input.stack, json);
  const phase = { current: 'init' as Phase };
  const step: Step = { ctx, input, tofu: tofuContext(ctx, input.stack, work.dir, phase), phase, recovering: ctx.previous !== undefined };
  // The output a killed run's tofu wrote is logged once that tofu is gone (it may still be writing it).
  await waitForPrevious(step);
  salvageRawOutput(step.tofu);
  await ensureStackKeys(keyRun(step));
  await init(step, work);
  switch (ctx.action) {
    case 'plan': {
      const saved = await plan(step, 'apply');
      if (ctx.savePlansDir !== undefined) saveReviewable(step, ctx.savePlansDir);
      return { outcome: 'planned', planHash: saved.hash, changes: saved.changes };
    }
    case 'deploy':
      return deploy(step);
    case 'destroy':
      return destroy(step);
    case 'drift': {
      const saved = await plan(step, 'drift');
      return { outcome: 'refreshed', planHash: saved.hash, changes: saved.changes };
    }
  }
}
