/**
 * Progress of a run, from its events: on a terminal, a live view (log-update) with one line per
 * running stack (phase, elapsed time) under the counts of done, failed, running and queued stacks,
 * finished stacks printed above it for good; elsewhere (CI), one plain line per state change; with
 * `--json`, every event as one JSON line (the journal's form) on stdout.
 */
import { createLogUpdate } from 'log-update';
import type { EventSink, OperateAction, Phase, RunEvent } from './events.js';

/** Seconds as `42s` or `3m07s`. */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** The line a plain log prints for an event, or undefined for none. */
export function plainLine(event: RunEvent): string | undefined {
  switch (event.type) {
    case 'run-started':
      return `${event.action} ${event.runId}: ${event.stacks.length} stack(s)${event.resumed ? ' (resumed)' : ''}`;
    case 'stack-queued':
      return `${event.stack}: queued (${event.cloud})`;
    case 'phase':
      return `${event.stack}: ${event.phase}`;
    case 'stack-done':
      return `${event.stack}: ${event.outcome}${event.changes === true ? ' (changes)' : ''} in ${formatSeconds(event.seconds)}`;
    case 'stack-failed':
      return `${event.stack}: FAILED after ${formatSeconds(event.seconds)}: ${event.error}`;
    case 'stack-note':
      return `${event.stack}: ${event.message}`;
    case 'interrupted':
      return event.forwarded
        ? `${event.signal} again: passing SIGINT to the running tofu processes so that they release their locks`
        : `${event.signal}: starting nothing new, letting running stacks finish (again to interrupt them)`;
    case 'run-done':
      return `done: ${event.done} ok, ${event.failed} failed, ${event.notStarted} not started`;
  }
}

/** A plain progress sink: one line per state change, prefixed with the time since the run started. */
export function plainProgress(write: (text: string) => void, now: () => number = Date.now): EventSink {
  const start = now();
  return (event) => {
    const line = plainLine(event);
    if (line !== undefined) write(`[${formatSeconds((now() - start) / 1000)}] ${line}\n`);
  };
}

/** `--json`: every event as one JSON line. */
export const jsonProgress =
  (write: (text: string) => void): EventSink =>
  (event) =>
    write(`${JSON.stringify(event)}\n`);

/** What the live view knows. */
interface LiveState {
  action: OperateAction | '';
  queued: Set<string>;
  running: Map<string, { phase: Phase; since: number }>;
  done: number;
  failed: number;
}

/** The live block: counts, then one line per running stack, sorted. */
export function liveFrame(state: LiveState, now: number): string {
  const counts = `${state.action}: ${state.done} done, ${state.failed} failed, ${state.running.size} running, ${state.queued.size} queued`;
  const lines = [...state.running]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([stack, r]) => `  ${stack}  ${r.phase}  ${formatSeconds((now - r.since) / 1000)}`);
  return [counts, ...lines].join('\n');
}

/** Updates the live state with an event; returns the line to print for good, if any. */
function absorb(state: LiveState, event: RunEvent, now: number): string | undefined {
  if (event.type === 'run-started') state.action = event.action;
  if (event.type === 'stack-queued') state.queued.add(event.stack);
  if (event.type === 'phase') {
    state.queued.delete(event.stack);
    const since = state.running.get(event.stack)?.since ?? now;
    state.running.set(event.stack, { phase: event.phase, since });
  }
  if (event.type === 'stack-done' || event.type === 'stack-failed') {
    state.queued.delete(event.stack);
    state.running.delete(event.stack);
    if (event.type === 'stack-done') state.done += 1;
    else state.failed += 1;
  }
  return event.type === 'stack-done' || event.type === 'stack-failed' || event.type === 'interrupted' || event.type === 'stack-note'
    ? plainLine(event)
    : undefined;
}

/** The live terminal view on `stream` (a TTY); call the returned `stop` when the run ends. */
export function liveProgress(stream: NodeJS.WriteStream): { sink: EventSink; stop: () => void } {
  const update = createLogUpdate(stream, { showCursor: true });
  const state: LiveState = { action: '', queued: new Set(), running: new Map(), done: 0, failed: 0 };
  const render = (): void => update(liveFrame(state, Date.now()));
  const timer = setInterval(render, 1000);
  timer.unref();
  return {
    sink: (event) => {
      const line = absorb(state, event, Date.now());
      if (line !== undefined) update.persist(line);
      render();
    },
    stop: () => {
      clearInterval(timer);
      update.clear();
      update.done();
    },
  };
}
