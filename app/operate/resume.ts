/**
 * What `--resume <run-id>` does, read from the run's journal: the same action on the same stacks,
 * skipping every stack that finished, re-running the others from a fresh plan (OpenTofu's state is
 * the truth: a stack killed mid-apply is planned again, never re-applied from an old plan).
 */
import type { OperateAction, PhaseEvent, RecordedOptions, RunEvent, RunStarted } from './events.js';

/** The last OpenTofu process a stack was running when its run stopped, as journalled. */
export interface UnfinishedTofu {
  /** Process id of that tofu. */
  pid: number;
  phase: PhaseEvent['phase'];
  /** When it started (ISO 8601). */
  at: string;
}

/** The resume plan of a run. */
export interface ResumePlan {
  runId: string;
  action: OperateAction;
  options: RecordedOptions;
  /** Every stack of the run, sorted. */
  stacks: string[];
  /** Stacks that finished (done): skipped. */
  finished: string[];
  /** Stacks to run again, sorted: failed, interrupted or never started. */
  rerun: string[];
  /** Of the stacks to rerun, those that were inside an OpenTofu command when the run stopped. */
  unfinished: Map<string, UnfinishedTofu>;
  /** Process ids of every orchestrator that ran this run (to tell whether one still runs). */
  orchestratorPids: number[];
}

/**
 * The resume plan of a journal's events.
 *
 * @throws when the journal does not start with `run-started`.
 * @example resumePlan(readJournal(paths.journal)).rerun // ['b-sovereign-fr1']
 */
export function resumePlan(events: readonly RunEvent[]): ResumePlan {
  const started = events.filter((e): e is RunStarted => e.type === 'run-started');
  const first = started[0];
  if (first === undefined || events[0]?.type !== 'run-started') throw new Error('the journal does not start with a run-started event');
  const finished = new Set<string>();
  const running = new Map<string, UnfinishedTofu>();
  for (const event of events) {
    if (event.type === 'stack-done') finished.add(event.stack);
    if (event.type === 'stack-done' || event.type === 'stack-failed') running.delete(event.stack);
    if (event.type === 'stack-failed') finished.delete(event.stack);
    if (event.type === 'phase' && event.pid !== undefined) running.set(event.stack, { pid: event.pid, phase: event.phase, at: event.at });
  }
  const stacks = [...first.stacks].sort();
  const rerun = stacks.filter((s) => !finished.has(s));
  return {
    runId: first.runId,
    action: first.action,
    options: first.options,
    stacks,
    finished: stacks.filter((s) => finished.has(s)),
    rerun,
    unfinished: new Map([...running].filter(([stack]) => rerun.includes(stack))),
    orchestratorPids: started.map((e) => e.pid),
  };
}
