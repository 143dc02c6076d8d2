/**
 * Stale state locks. A tofu killed with SIGKILL cannot release a lock held in a remote backend (s3,
 * http); the pg and local backends release theirs with the process. On `--resume` only, a lock is
 * force-unlocked when it is provably this run's own: its holder is this user on this host, it was
 * taken after the run's tofu for that stack started, and that tofu (journalled pid) is dead.
 */
import { hostname, userInfo } from 'node:os';
import type { UnfinishedTofu } from './resume.js';

/** The `Lock Info` block of tofu's "Error acquiring the state lock". */
export interface LockInfo {
  id: string;
  who: string;
  /** When the lock was taken, as tofu prints it (`2026-12-02 01:15:00.123456 +0000 UTC`). */
  created: string;
}

/**
 * The lock of a failed command's output, when it failed on "Error acquiring the state lock".
 *
 * @example lockError('Error: Error acquiring the state lock\n…Lock Info:\n  ID: 42\n  Who: root@h\n  Created: 2026-…') // { id: '42', who: 'root@h', created: '2026-…' }
 */
export function lockError(output: string): LockInfo | undefined {
  if (!output.includes('Error acquiring the state lock')) return undefined;
  const field = (name: string): string => new RegExp(`^\\s*${name}:[ \\t]*(.*)$`, 'm').exec(output)?.[1]?.trim() ?? '';
  const id = field('ID');
  return id === '' ? undefined : { id, who: field('Who'), created: field('Created') };
}

/** `user@host` as tofu writes a lock's holder. */
export const lockHolder = (): string => `${userInfo().username}@${hostname()}`;

/** Whether process `pid` is gone. */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** tofu's `Created` time (`2026-12-02 01:15:00.123 +0000 UTC`) in ms, or NaN. */
function createdMs(created: string): number {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?) ([+-]\d{2})(\d{2})/.exec(created);
  if (!match) return NaN;
  const fraction = match[2].replace(/(\.\d{3})\d*$/, '$1');
  return Date.parse(`${match[1]}T${fraction}${match[3]}:${match[4]}`);
}

/** Tolerance between the journalled start of a tofu and the lock time it took (clock granularity). */
const SLACK_MS = 2000;

/**
 * Whether `lock` was left by `previous`, the journalled tofu of this run for the stack: same holder
 * as this process, taken at or after that tofu started, and that tofu is dead.
 *
 * @example isOwnStaleLock(lockError(output)!, resume.unfinished.get(stack)!) // true → tofu force-unlock -force <id>
 */
export function isOwnStaleLock(lock: LockInfo, previous: UnfinishedTofu, gone: (pid: number) => boolean = processGone): boolean {
  const created = createdMs(lock.created);
  const started = Date.parse(previous.at);
  return lock.who === lockHolder() && !Number.isNaN(created) && created + SLACK_MS >= started && gone(previous.pid);
}
