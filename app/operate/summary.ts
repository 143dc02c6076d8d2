/**
 * The end of a run, for people: what each stack did, every failure with the tail of its log, the
 * orphaned stacks, and where the journal is. Sorted by stack name, so two runs compare line by line.
 */
import { readFileSync } from 'node:fs';
import type { OperateAction, StackDone, StackFailed } from './events.js';

/** Lines of a stack's log shown with its failure. */
export const LOG_TAIL_LINES = 20;

/**
 * The last `n` non-empty lines of a (redacted) log file; none when it cannot be read.
 *
 * @example logTail('.sovstack/runs/…/logs/a-c1.log') // ['Error: …', …]
 */
export function logTail(file: string, n = LOG_TAIL_LINES): string[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .slice(-n);
  } catch {
    return [];
  }
}

/** Input of {@link renderSummary}. */
export interface RunSummary {
  action: OperateAction;
  runId: string;
  journal: string;
  done: readonly StackDone[];
  failed: readonly StackFailed[];
  notStarted: readonly string[];
  /** Stacks skipped because an earlier attempt of this run finished them (resume). */
  skipped: readonly string[];
  orphans: readonly string[];
  interrupted: boolean;
}

const byStack = <T extends { stack: string }>(items: readonly T[]): T[] => [...items].sort((a, b) => (a.stack < b.stack ? -1 : 1));

function doneLine(done: StackDone): string {
  // Whether a plan changes anything is news for plan and drift; for deploy and destroy the outcome says it.
  if (done.changes === undefined || (done.outcome !== 'planned' && done.outcome !== 'refreshed')) return `  ${done.stack}: ${done.outcome}`;
  const changes = done.outcome === 'refreshed' ? (done.changes ? ', drift' : ', no drift') : done.changes ? ', changes' : ', no changes';
  return `  ${done.stack}: ${done.outcome}${changes}`;
}

/**
 * The summary text.
 *
 * @example renderSummary({ action: 'deploy', runId, journal, done, failed: [], notStarted: [], skipped: [], orphans: [], interrupted: false })
 */
export function renderSummary(s: RunSummary): string {
  const total = s.done.length + s.failed.length + s.notStarted.length + s.skipped.length;
  const counts = [`${s.done.length} ok`, `${s.failed.length} failed`];
  if (s.notStarted.length > 0) counts.push(`${s.notStarted.length} not started`);
  if (s.skipped.length > 0) counts.push(`${s.skipped.length} already done`);
  const out = [`sovstack ${s.action} ${s.runId}: ${total} stack(s): ${counts.join(', ')}${s.interrupted ? ' (interrupted)' : ''}`];
  out.push(...byStack(s.done).map(doneLine));
  for (const failure of byStack(s.failed)) {
    out.push(`FAILED ${failure.stack}: ${failure.error}`, ...failure.logTail.map((line) => `    | ${line}`));
  }
  if (s.notStarted.length > 0) out.push(`not started: ${[...s.notStarted].sort().join(', ')}`);
  for (const orphan of [...s.orphans].sort()) out.push(`orphaned: ${orphan} would be destroyed by \`sovstack destroy ${orphan}\``);
  const resume =
    s.failed.length + s.notStarted.length > 0 ? `; to retry what did not finish: sovstack ${s.action} --resume ${s.runId}` : '';
  out.push(`journal: ${s.journal}${resume}`);
  return `${out.join('\n')}\n`;
}
