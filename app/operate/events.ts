/**
 * The events of an operate run (`sovstack plan | deploy | destroy | drift`): what the journal
 * records, what `--json` streams and what the progress view shows. One definition for all three.
 */

/** The four commands that operate the estate. */
export type OperateAction = 'plan' | 'deploy' | 'destroy' | 'drift';

/** What OpenTofu is doing for a stack. `destroy` applies a destroy plan; `refresh` is drift's plan (it refreshes the state). */
export type Phase = 'init' | 'plan' | 'apply' | 'destroy' | 'refresh';

/**
 * How a stack finished: `planned` (plan), `applied` or `unchanged` (deploy: a plan without changes is
 * not applied), `destroyed` (destroy), `refreshed` (drift).
 */
export type StackOutcome = 'planned' | 'applied' | 'unchanged' | 'destroyed' | 'refreshed';

/** Options of a run that `--resume` must reuse, as recorded in its `run-started` event. */
export interface RecordedOptions {
  /** `deploy --plans <dir>`: folder of reviewed `<stack>.tfplan` files. */
  plansDir?: string;
  /** `deploy --plans <dir> --replan-unreviewed`: stacks without a reviewed plan are planned afresh. */
  replanUnreviewed?: boolean;
  /** `plan --save-plans <dir>`: where plans are copied as far as they may leave the machine. */
  savePlansDir?: string;
  /** `destroy --purge-state`. */
  purgeState?: boolean;
  /** `destroy --decommission`: protected data (`prevent_destroy`) goes too. */
  decommission?: boolean;
  /** `drift --report <dir>`. */
  reportDir?: string;
  /** `deploy --rolling`: disrupted servers one at a time (see rolling.ts). */
  rolling?: boolean;
}

/** Common fields: the event's type and when it happened (ISO 8601, UTC). */
interface Base<T extends string> {
  type: T;
  at: string;
}

/** A run started (or was resumed: `resumed` true, same run id, same stacks). */
export interface RunStarted extends Base<'run-started'> {
  runId: string;
  action: OperateAction;
  /** Every selected stack, sorted. */
  stacks: string[];
  /** The orchestrator's process id (to tell, on resume, whether it still runs). */
  pid: number;
  resumed: boolean;
  options: RecordedOptions;
}

/** A stack waits for a slot of its cloud. */
export interface StackQueued extends Base<'stack-queued'> {
  stack: string;
  cloud: string;
}

/** A stack entered a phase; `pid` is the OpenTofu process running it (to detect, on resume, a tofu still running or killed). */
export interface PhaseEvent extends Base<'phase'> {
  stack: string;
  phase: Phase;
  pid?: number;
}

/** A stack finished. `planHash` is the sha256 of the plan file planned or applied; `changes` whether that plan changes anything (drift: whether drift was found). */
export interface StackDone extends Base<'stack-done'> {
  stack: string;
  outcome: StackOutcome;
  planHash?: string;
  changes?: boolean;
  seconds: number;
}

/** A stack failed; the others go on. `logTail` is the last lines of its log, redacted. */
export interface StackFailed extends Base<'stack-failed'> {
  stack: string;
  error: string;
  logTail: string[];
  seconds: number;
}

/** Something worth recording about a stack that is neither a phase nor an end (a stale lock released, a previous tofu waited for). */
export interface StackNote extends Base<'stack-note'> {
  stack: string;
  message: string;
}

/** The first SIGINT / SIGTERM: nothing new starts; running stacks finish. */
export interface Interrupted extends Base<'interrupted'> {
  signal: string;
  /** true on the second signal, forwarded to the running OpenTofu processes. */
  forwarded: boolean;
}

/** The run ended. `orphans`: deployed stacks no longer synthesized (plan lists them). */
export interface RunDone extends Base<'run-done'> {
  exitCode: number;
  done: number;
  failed: number;
  notStarted: number;
  interrupted: boolean;
  orphans: string[];
}

/** One line of `journal.jsonl` and of `--json`. */
export type RunEvent = RunStarted | StackQueued | PhaseEvent | StackDone | StackFailed | StackNote | Interrupted | RunDone;

/** Distributes {@link RunEvent}s: the journal, the progress view and `--json` each subscribe. */
export type EventSink = (event: RunEvent) => void;

/** Exit codes of the operate commands: tofu's `-detailed-exitcode` convention for plan and drift. */
export const OperateExit = {
  ok: 0,
  /** A stack failed, the run was interrupted, or the command line or configuration is wrong. */
  failed: 1,
  /** plan: some stack has changes; drift: some stack drifted. */
  changes: 2,
} as const;
