/**
 * Ctrl-C during a run. The first SIGINT or SIGTERM starts nothing new and lets the running OpenTofu
 * commands finish (an apply cut short leaves resources OpenTofu does not know about); the second
 * passes SIGINT to every running tofu, which then stops cleanly and releases its state lock. tofu runs in
 * its own process group (see tofu.ts), so the terminal's Ctrl-C reaches only the orchestrator.
 */

/** What {@link watchSignals} calls. */
export interface SignalHandlers {
  /** First signal: stop starting stacks. */
  first: (signal: string) => void;
  /** Second and later signals: interrupt the running tofu processes. */
  again: (signal: string) => void;
}

/**
 * Installs the handlers on SIGINT and SIGTERM; returns the function that removes them.
 *
 * @example const unwatch = watchSignals({ first: () => (stopping = true), again: () => forwardSigint(running) });
 */
export function watchSignals(handlers: SignalHandlers): () => void {
  let count = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    count += 1;
    if (count === 1) handlers.first(signal);
    else handlers.again(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/** Sends SIGINT to each running tofu's process group (tofu and the providers it started). */
export function forwardSigint(pids: Iterable<number>): void {
  for (const pid of pids) {
    try {
      process.kill(-pid, 'SIGINT');
    } catch {
      // Already gone.
    }
  }
}
