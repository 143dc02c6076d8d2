/**
 * Everything a run decides before the first tofu starts: synthesize (unless skipped), read the
 * candidates, select the stacks (or, on `--resume`, take them from the journal), per-cloud caps and
 * the toolchain. Any problem here is a user error: nothing has run, nothing was written but the synth.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { decisionDate } from '../today.js';
import type { OperateAction, RecordedOptions } from './events.js';
import { readDeployed } from './deployed.js';
import { affectedSince, cloudConcurrency, orphanStacks, synthesizedStacks } from './inputs.js';
import { existingRun, readJournal, type RunPaths } from './journal.js';
import { processGone } from './locks.js';
import { resumePlan, type UnfinishedTofu } from './resume.js';
import { SAVED_PLAN_SUFFIX } from './reviewed-plan.js';
import { selectStacks } from './select.js';
import type { StackInput } from './stack.js';
import type { KeyStore } from './keys.js';
import { resolveToolchain, type Toolchain } from './toolchain.js';

/** Options of an operate run (the four commands' flags). */
export interface OperateOptions {
  action: OperateAction;
  /** Estate folder (`-c`). */
  configDir: string;
  /** Synth output folder (`--out`). */
  outDir: string;
  /** `--skip-synth`: use the output as it is. Default false. */
  skipSynth?: boolean;
  /** Stack names or globs. */
  names?: string[];
  all?: boolean;
  clouds?: string[];
  /** `--affected <git ref>`. */
  affected?: string;
  /** `-j`: total cap. Default: sum of the selected clouds' caps, at most 8. */
  jobs?: number;
  /** `--run-dir`. Default `.sovstack/runs`. */
  runDir: string;
  /** `--resume <run-id>`. */
  resume?: string;
  /** `--deployed-dir`. */
  deployedDir: string;
  /** Working directories. Default `SOVSTACK_WORK_DIR`, else `.sovstack/work`. */
  workDir?: string;
  /** `deploy --plans <dir>`: apply the reviewed plans of this folder (reviewed-plan.ts). */
  plansDir?: string;
  /** `deploy --plans <dir> --replan-unreviewed`: a stack without a reviewed plan there is planned afresh. Default false: it fails. */
  replanUnreviewed?: boolean;
  /** `plan --save-plans <dir>`: sanitized plans, and the binary plans of encrypted stacks, copied there. */
  savePlansDir?: string;
  purgeState?: boolean;
  /** `destroy --decommission`. */
  decommission?: boolean;
  reportDir?: string;
  /** `deploy --rolling`. */
  rolling?: boolean;
  /** Per-cloud caps instead of the estate's `operations.concurrency` (the estate is then not loaded). */
  concurrency?: ReadonlyMap<string, number>;
  /** Date of the placement decision of the synth (`--today`, `YYYY-MM-DD`). Default `SOVSTACK_TODAY`, else the real date. */
  today?: string;
  /** Environment of tofu (credentials). Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Where encrypted stacks' keys are checked, created and deleted. Default: the Barbican each stack names, with `env`'s credentials. */
  keyStore?: KeyStore;
}

/** A run ready to execute. */
export interface PreparedRun {
  action: OperateAction;
  toolchain: Toolchain;
  /** Stacks to run, sorted. */
  stacks: StackInput[];
  /** Resume: stacks of the run already finished. */
  skipped: string[];
  /** Resume: the run folder; else undefined (a new one is created). */
  resumed?: RunPaths;
  previous: Map<string, UnfinishedTofu>;
  caps: ReadonlyMap<string, number>;
  orphans: string[];
  recorded: RecordedOptions;
}

/** Synthesizes the estate into the output folder (the same pipeline as `sovstack synth`). */
async function synthesize(options: OperateOptions): Promise<void> {
  const date = decisionDate(options.today);
  if ('error' in date) throw new Error(date.error);
  const { synthEstate } = await import('../synth/run.js');
  const outcome = await synthEstate({ configDir: options.configDir, outdir: options.outDir, placeOptions: { today: date.today } });
  if (!outcome.ok) throw new Error(`${outcome.stage} error, nothing deployed or planned:\n${outcome.message}`);
}

/** The run being resumed, checked: same command, no new selection, not still running. */
function resumed(options: OperateOptions, runId: string): { paths: RunPaths; plan: ReturnType<typeof resumePlan> } {
  const paths = existingRun(options.runDir, runId);
  const plan = resumePlan(readJournal(paths.journal));
  if (plan.action !== options.action)
    throw new Error(`run ${runId} was a ${plan.action}; resume it with: sovstack ${plan.action} --resume ${runId}`);
  if ((options.names ?? []).length > 0 || options.all === true || (options.clouds ?? []).length > 0 || options.affected !== undefined) {
    throw new Error('--resume takes the stacks of the run it resumes: give no stack names, --all, --cloud or --affected with it');
  }
  const alive = plan.orchestratorPids.find((pid) => pid !== process.pid && !processGone(pid) && isNode(pid));
  if (alive !== undefined) throw new Error(`run ${runId} is still running (pid ${alive}); wait for it, or stop it first`);
  return { paths, plan };
}

/** Whether `pid` runs node (a reused pid of another program is not the run). True where /proc is missing. */
function isNode(pid: number): boolean {
  const cmdline = `/proc/${pid}/cmdline`;
  return !existsSync(cmdline) || readFileSync(cmdline, 'utf8').includes('node');
}

/** The stacks of a resumed run that can still be found: synthesized, or deployed (orphans). */
function resumeInputs(plan: ReturnType<typeof resumePlan>, candidates: ReadonlyMap<string, StackInput>): StackInput[] {
  const missing = plan.rerun.filter((stack) => !candidates.has(stack));
  if (missing.length > 0) {
    throw new Error(`cannot resume: ${missing.join(', ')} is neither synthesized nor recorded as deployed any more`);
  }
  return plan.rerun.map((stack) => candidates.get(stack)!);
}

/** For destroy: the configuration last deployed when there is one (its backend holds the state), else the synthesized one. */
function deployedInput(deployedDir: string, input: StackInput): StackInput {
  const json = readDeployed(deployedDir, input.stack);
  return json === undefined ? input : { ...input, json };
}

/** `deploy --plans <dir>` without any selection: every stack with a `<stack>.tfplan` there. */
function reviewedStacks(plansDir: string): string[] {
  if (!existsSync(plansDir)) throw new Error(`--plans ${plansDir}: no such folder`);
  return readdirSync(plansDir)
    .filter((file) => file.endsWith(SAVED_PLAN_SUFFIX))
    .map((file) => file.slice(0, -SAVED_PLAN_SUFFIX.length))
    .sort();
}

/** Selection from the flags (not resuming). */
function selected(options: OperateOptions, candidates: ReadonlyMap<string, StackInput>, clouds: readonly string[]): StackInput[] {
  const bare = (options.names ?? []).length === 0 && options.all !== true && (options.clouds ?? []).length === 0;
  if (bare && options.affected === undefined && options.action === 'deploy' && options.plansDir !== undefined) {
    options = { ...options, names: reviewedStacks(options.plansDir) };
  }
  const affected = options.affected !== undefined ? affectedSince(options.affected, options.outDir, options.action) : undefined;
  const result = selectStacks(
    new Map([...candidates].map(([stack, input]) => [stack, input.cloud])),
    { names: options.names ?? [], all: options.all === true, clouds: options.clouds ?? [], ...(affected ? { affected } : {}) },
    clouds,
  );
  if ('error' in result) throw new Error(result.error);
  return result.stacks.map((stack) => candidates.get(stack)!);
}

/**
 * Prepares a run: toolchain, synth, candidates, selection or resume, caps.
 *
 * @throws a user-facing error (exit 1) when anything is wrong; no tofu ran.
 */
export async function prepareRun(options: OperateOptions): Promise<PreparedRun> {
  const toolchain = resolveToolchain(options.env ?? process.env);
  const resuming = options.resume !== undefined ? resumed(options, options.resume) : undefined;
  if (options.skipSynth !== true) await synthesize(options);
  const caps = options.concurrency ?? (await cloudConcurrency(options.configDir));
  const cloudIds = [...caps.keys()];
  const synthesized = synthesizedStacks(options.outDir, cloudIds);
  const orphans = orphanStacks(options.deployedDir, synthesized, cloudIds);
  // Destroy reaches orphans too, and destroys from the configuration last deployed (its backend holds the state).
  const candidates = new Map(synthesized);
  if (options.action === 'destroy') for (const [stack, input] of orphans) candidates.set(stack, input);
  const recorded: RecordedOptions = resuming?.plan.options ?? {
    ...(options.plansDir !== undefined ? { plansDir: options.plansDir } : {}),
    ...(options.replanUnreviewed === true ? { replanUnreviewed: true } : {}),
    ...(options.savePlansDir !== undefined ? { savePlansDir: options.savePlansDir } : {}),
    ...(options.purgeState === true ? { purgeState: true } : {}),
    ...(options.decommission === true ? { decommission: true } : {}),
    ...(options.reportDir !== undefined ? { reportDir: options.reportDir } : {}),
    ...(options.rolling === true ? { rolling: true } : {}),
  };
  let stacks = resuming ? resumeInputs(resuming.plan, candidates) : selected(options, candidates, cloudIds);
  if (options.action === 'destroy') stacks = stacks.map((s) => deployedInput(options.deployedDir, s));
  return {
    action: options.action,
    toolchain,
    stacks,
    skipped: resuming?.plan.finished ?? [],
    ...(resuming ? { resumed: resuming.paths } : {}),
    previous: resuming?.plan.unfinished ?? new Map<string, UnfinishedTofu>(),
    caps,
    orphans: [...orphans.keys()].sort(),
    recorded,
  };
}
