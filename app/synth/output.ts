/**
 * An output folder that is never half-written, and never written by two runs at once.
 *
 * The output path (e.g. `cdktf.out`) is a symbolic link to a generation folder beside it
 * (`.cdktf.out.gen-<n>`). A run writes its whole output into a new generation, then switches the
 * link with one rename(2) of a fresh link over the old one: a reader, or a run killed at any point,
 * sees either the previous complete output or the new complete one. Stack folders the run found
 * unchanged are hard-linked from the previous generation, not copied. cdktf-cli and tofu follow the
 * link (`cdktf.out/manifest.json`, `cdktf.out/stacks/<name>/`), so `cdktf synth` and `cdktf deploy`
 * work as before.
 *
 * Runs into one output are serialized by a lock file beside it (`cdktf.out.lock`, created with
 * O_EXCL, holding the pid and host of its owner); a lock whose owner died on this host is taken
 * over. Every run first removes what killed runs left behind (generations other than the current
 * one, half-made links).
 *
 * The generation a run replaces is not deleted but kept as the spare (`.cdktf.out.spare`), and the
 * next run recycles it as its staging folder: creating and deleting 1,000 stack folders per run cost
 * about 1 s of an incremental synth on this file system, while most stack folders of the spare
 * already hold the very files (same inodes) the next generation links. Only the top-level files are
 * dropped at once; a stack folder of the spare is kept only when it holds exactly the files of the
 * current generation's folder, the same inodes, and is otherwise removed before anything is
 * written there (see {@link keepUnchangedStacks}), so no write ever goes through a link into
 * another generation. An output folder written by an older sovstack (a real folder) is moved to
 * `.cdktf.out.gen-0` and linked in: a run killed between those two renames leaves no `cdktf.out`,
 * and the next run links `.cdktf.out.gen-0` back.
 */
import { closeSync, existsSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { renameSync, rmSync, statSync, symlinkSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

/** One run's hold on an output folder, from {@link openOutput} to {@link commitOutput} or {@link abortOutput}. */
export interface OutputRun {
  /** The output path as given (the link). */
  readonly outdir: string;
  /** New generation folder the run writes into; becomes the output on commit. */
  readonly staging: string;
  /** Generation folder the output pointed at when the run started, if any. */
  readonly previous: string | undefined;
  /** Lock file held by this run. */
  readonly lock: string;
}

/** Options of {@link openOutput}. */
export interface OpenOutputOptions {
  /**
   * How long to wait for another run's lock before failing. Default: `SOVSTACK_LOCK_TIMEOUT` (the
   * variable the CI scripts also pass to tofu's `-lock-timeout`: `30s`, `5m`, `1h` or plain seconds), else 10 minutes.
   */
  timeoutMs?: number;
  /** Told once when the run has to wait for another one. Default: a line on stderr. */
  onWait?: (message: string) => void;
}

const GENERATION = /^\.(.+)\.gen-(\d+)$/;
const POLL_MS = 50;

/** Blocks the thread for `ms` milliseconds (the synth pipeline is synchronous). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Test-only hook (`SOVSTACK_TEST_OUTPUT_HOOK=<step>:kill` or `<step>:pause:<file>`): kills the process
 * with SIGKILL at `step`, or writes `<file>.paused` and waits there until `<file>.resume` exists. Lets
 * the crash and overlap tests stop a real run at an exact point instead of guessing with timers.
 */
function checkpoint(step: string): void {
  const hook = process.env.SOVSTACK_TEST_OUTPUT_HOOK;
  if (hook === undefined || !hook.startsWith(`${step}:`)) return;
  const [action, ...file] = hook.slice(step.length + 1).split(':');
  if (action === 'kill') process.kill(process.pid, 'SIGKILL');
  if (action === 'pause' && file.length > 0) {
    const marker = file.join(':');
    closeSync(openSync(`${marker}.paused`, 'w'));
    while (!existsSync(`${marker}.resume`)) sleep(POLL_MS);
  }
}

/** The lock file of the output folder `outdir` (see {@link openOutput}). */
export const lockPath = (outdir: string): string => `${resolve(outdir)}.lock`;

/**
 * Why `outdir` cannot be an output folder, or undefined when it can: it must be a folder, a link to
 * one or not exist yet, and every existing parent must be a folder. Checked before anything is written
 * (lock, cache, staging), so that a bad `--out` writes nothing anywhere.
 *
 * @example outputPathProblem('/etc/hostname') // '/etc/hostname is a file, not an output folder; fix: …'
 */
export function outputPathProblem(outdir: string): string | undefined {
  const absolute = resolve(outdir);
  try {
    const stat = existing(absolute, statSync);
    if (stat && !stat.isDirectory()) return `${outdir} is a file, not an output folder; fix: pass a folder to --out (or CDKTF_OUTDIR)`;
    if (!stat && existing(absolute, lstatSync)) return `${outdir} is a link to nothing; fix: remove it or pass another folder to --out`;
    for (let parent = dirname(absolute); ; parent = dirname(parent)) {
      const parentStat = existing(parent, statSync);
      if (parentStat && !parentStat.isDirectory()) return `${parent} is a file, so ${outdir} cannot be created; fix: pass another --out`;
      if (parentStat || parent === dirname(parent)) return undefined;
    }
  } catch (error) {
    return `${outdir} cannot be used as output folder (${(error as NodeJS.ErrnoException).code ?? String(error)}); fix: pass another --out`;
  }
}

/** `stat(path)`, or undefined when nothing is there (also when a parent is a file). */
function existing(path: string, stat: typeof statSync): ReturnType<typeof statSync> | undefined {
  try {
    return stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

const generationName = (outdir: string, n: number): string => `.${basename(resolve(outdir))}.gen-${n}`;

const spareName = (outdir: string): string => join(dirname(resolve(outdir)), `.${basename(resolve(outdir))}.spare`);

/** The generation folder `outdir` links to, if it is such a link. */
export function currentGeneration(outdir: string): string | undefined {
  const link = lstatSync(outdir, { throwIfNoEntry: false });
  if (!link?.isSymbolicLink()) return undefined;
  return resolve(dirname(resolve(outdir)), readlinkSync(outdir));
}

/** Replaces `outdir` by a link to `generation` in one rename(2). */
function pointAt(outdir: string, generation: string): void {
  const absolute = resolve(outdir);
  const temporary = join(dirname(absolute), `.${basename(absolute)}.link-${process.pid}`);
  rmSync(temporary, { force: true });
  symlinkSync(basename(generation), temporary);
  checkpoint('link-created');
  renameSync(temporary, absolute);
}

/** Turns a real output folder (older sovstack) into generation 0, or relinks a generation 0 left by a killed migration. */
function migrate(outdir: string): void {
  const absolute = resolve(outdir);
  const generation0 = join(dirname(absolute), generationName(outdir, 0));
  const link = lstatSync(absolute, { throwIfNoEntry: false });
  if (link?.isDirectory()) {
    rmSync(generation0, { recursive: true, force: true });
    renameSync(absolute, generation0);
    checkpoint('migrating');
    pointAt(outdir, generation0);
  } else if (!link && existsSync(generation0)) {
    pointAt(outdir, generation0);
  }
}

/** Removes generations other than `keep`, and links half-made by killed runs; returns the next generation number. */
function removeLeftovers(outdir: string, keep: string | undefined): number {
  const absolute = resolve(outdir);
  const parent = dirname(absolute);
  let highest = 0;
  for (const entry of readdirSync(parent)) {
    const generation = GENERATION.exec(entry);
    if (generation?.[1] === basename(absolute)) {
      highest = Math.max(highest, Number(generation[2]));
      if (join(parent, entry) !== keep) rmSync(join(parent, entry), { recursive: true, force: true });
    } else if (entry.startsWith(`.${basename(absolute)}.link-`) || entry.startsWith(`.${basename(absolute)}.staging-`)) {
      rmSync(join(parent, entry), { recursive: true, force: true });
    }
  }
  return highest + 1;
}

interface LockOwner {
  pid: number;
  host: string;
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? { pid: owner.pid, host: owner.host } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the lock's owner is known to be gone: a process of this host that no longer runs. */
function isStale(owner: LockOwner | undefined): boolean {
  if (owner === undefined || owner.host !== hostname()) return false;
  if (owner.pid === process.pid) return true;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Removes a stale lock. It is first renamed aside, so that of two runs taking over the same stale
 * lock, the second gets the first one's fresh lock back in place instead of deleting it.
 */
function breakStaleLock(lock: string, stale: LockOwner): void {
  const aside = `${lock}.stale-${process.pid}`;
  try {
    renameSync(lock, aside);
  } catch {
    return;
  }
  const owner = readOwner(aside);
  if (owner?.pid !== stale.pid || owner.host !== stale.host) {
    try {
      linkSync(aside, lock);
    } catch {
      // Someone holds a newer lock already; the one set aside was theirs to lose, not ours to restore over it.
    }
  }
  unlinkSync(aside);
}

function tryLock(lock: string): boolean {
  try {
    const fd = openSync(lock, 'wx');
    writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname() }));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A lock timeout written as tofu writes `-lock-timeout` (`30s`, `5m`, `1h`, `500ms`) or as plain seconds;
 * 10 minutes when unset or unreadable.
 *
 * @example lockTimeoutMs('5m') // 300000
 */
export function lockTimeoutMs(text: string | undefined): number {
  const match = /^\s*(\d+)\s*(ms|s|m|h)?\s*$/.exec(text ?? '');
  return match ? Number(match[1]) * UNIT_MS[match[2] ?? 's'] : 600_000;
}

/** Takes `lock`, waiting for its owner to finish (or taking it over when the owner died). */
function acquireLock(lock: string, options: OpenOutputOptions): void {
  const timeoutMs = options.timeoutMs ?? lockTimeoutMs(process.env.SOVSTACK_LOCK_TIMEOUT);
  let waited = 0;
  let told = false;
  while (!tryLock(lock)) {
    const owner = readOwner(lock);
    if (owner && isStale(owner)) {
      breakStaleLock(lock, owner);
      continue;
    }
    if (waited >= timeoutMs) {
      throw new Error(
        `another run (${owner ? `pid ${owner.pid} on ${owner.host}` : 'unknown owner'}) still holds ${lock}; fix: wait for it to end, or remove ${lock} if no sovstack or cdktf synth runs`,
      );
    }
    if (!told) (options.onWait ?? ((m: string) => process.stderr.write(`${m}\n`)))(`sovstack: waiting for the run holding ${lock}`);
    told = true;
    sleep(POLL_MS);
    waited += POLL_MS;
  }
}

/**
 * Starts writing a new output for `outdir`: takes the lock, migrates an old-style output folder,
 * removes leftovers of killed runs and creates the staging generation. Returns the run, or the reason
 * it cannot start (bad output path, lock held past the timeout); nothing is written in the latter cases.
 *
 * @example
 * const run = openOutput('cdktf.out');
 * if ('problem' in run) return fail(run.problem);
 * try { write(run.staging); commitOutput(run, { keepOrphanStacks: false }); } catch (e) { abortOutput(run); throw e; }
 */
export function openOutput(outdir: string, options: OpenOutputOptions = {}): OutputRun | { problem: string } {
  const problem = outputPathProblem(outdir);
  if (problem) return { problem };
  const absolute = resolve(outdir);
  mkdirSync(dirname(absolute), { recursive: true });
  const lock = lockPath(outdir);
  try {
    acquireLock(lock, options);
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
  try {
    checkpoint('locked');
    migrate(outdir);
    const previous = currentGeneration(outdir);
    const staging = join(dirname(absolute), generationName(outdir, removeLeftovers(outdir, previous)));
    mkdirSync(join(staging, 'stacks'), { recursive: true });
    checkpoint('staging');
    return { outdir, staging, previous, lock };
  } catch (error) {
    rmSync(lock, { force: true });
    return { problem: `cannot prepare ${outdir}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * Makes the spare generation the (still empty) staging folder, without its top-level files (the
 * reports and the manifest may be links to the current generation's). Returns false, leaving the
 * staging folder as it was, when there is no spare or something was written in the staging folder.
 */
function recycleSpare(run: OutputRun): boolean {
  const spare = spareName(run.outdir);
  const untouched = (): boolean => readdirSync(run.staging).join('/') === 'stacks' && readdirSync(join(run.staging, 'stacks')).length === 0;
  if (!existsSync(spare) || !untouched()) return false;
  try {
    rmSync(run.staging, { recursive: true, force: true });
    renameSync(spare, run.staging);
    for (const entry of readdirSync(run.staging))
      if (entry !== 'stacks') rmSync(join(run.staging, entry), { recursive: true, force: true });
    mkdirSync(join(run.staging, 'stacks'), { recursive: true });
    return true;
  } catch {
    rmSync(spare, { recursive: true, force: true });
    rmSync(run.staging, { recursive: true, force: true });
    mkdirSync(join(run.staging, 'stacks'), { recursive: true });
    return false;
  }
}

/** Whether folders `a` and `b` hold the same entries, each the same regular file (same inode). */
function sameFiles(a: string, b: string): boolean {
  try {
    const names = readdirSync(a).sort();
    const others = readdirSync(b).sort();
    if (names.length !== others.length || names.some((name, i) => name !== others[i])) return false;
    return names.every((name) => {
      const [x, y] = [lstatSync(join(a, name)), lstatSync(join(b, name))];
      return x.isFile() && y.isFile() && x.ino === y.ino && x.dev === y.dev;
    });
  } catch {
    return false;
  }
}

/**
 * Recycles the spare generation (the one before the current output) as the run's staging folder, for
 * the stacks in `upToDate` (stacks the run will not write, found identical in the current output):
 * keeps the spare's folder of each of them that holds exactly the current generation's files (same
 * inodes: the folder is then already what {@link commitOutput} would link) and removes every other
 * stack folder, so that every stack the run writes is written into a new folder, never through a
 * hard link shared with another generation. Does nothing once anything was written in the staging
 * folder; optional (without it, {@link commitOutput} links every up-to-date stack afresh).
 *
 * @example
 * const run = openOutput('cdktf.out');
 * if (!('problem' in run)) keepUnchangedStacks(run, new Set(['a-sovereign-fr1']));
 */
export function keepUnchangedStacks(run: OutputRun, upToDate: ReadonlySet<string>): void {
  if (!recycleSpare(run)) return;
  const stacks = join(run.staging, 'stacks');
  for (const name of readdirSync(stacks)) {
    const keep = upToDate.has(name) && run.previous !== undefined && sameFiles(join(stacks, name), join(run.previous, 'stacks', name));
    if (!keep) rmSync(join(stacks, name), { recursive: true, force: true });
  }
}

/** Hard-links every file of `from` into `to` (same file system), recreating folders. */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) linkTree(join(from, entry.name), join(to, entry.name));
    else if (entry.isFile()) linkSync(join(from, entry.name), join(to, entry.name));
  }
}

/**
 * Makes the run's staging generation the output in one atomic step, then keeps the previous
 * generation as the spare the next run recycles, and releases the lock. Stack folders listed in `upToDate` were found identical in the
 * previous output and are hard-linked from it. With `keepOrphanStacks` (the app runs under
 * cdktf-cli, which deletes stack folders the run no longer produced and fails if they are gone), the
 * previous output's other stack folders are hard-linked too.
 */
export function commitOutput(run: OutputRun, options: { keepOrphanStacks: boolean; upToDate?: readonly string[] }): void {
  const stacks = join(run.staging, 'stacks');
  if (run.previous !== undefined && existsSync(join(run.previous, 'stacks'))) {
    const reuse = new Set(options.upToDate ?? []);
    const produced = new Set(readdirSync(stacks));
    for (const stack of readdirSync(join(run.previous, 'stacks'))) {
      const orphan = options.keepOrphanStacks && !produced.has(stack);
      if ((reuse.has(stack) && !produced.has(stack)) || orphan) linkTree(join(run.previous, 'stacks', stack), join(stacks, stack));
    }
  }
  checkpoint('linked');
  pointAt(run.outdir, run.staging);
  checkpoint('switched');
  if (run.previous !== undefined && run.previous !== run.staging) keepAsSpare(run.outdir, run.previous);
  checkpoint('cleaned');
  rmSync(run.lock, { force: true });
}

/** Keeps the replaced generation as the spare the next run recycles (removed when that fails). */
function keepAsSpare(outdir: string, generation: string): void {
  const spare = spareName(outdir);
  try {
    rmSync(spare, { recursive: true, force: true });
    renameSync(generation, spare);
  } catch {
    rmSync(generation, { recursive: true, force: true });
  }
}

/**
 * Drops the run's staging generation and releases the lock; the output stays as it was. When there is
 * an output but no spare (the staging folder was recycled from it), the staging folder becomes the
 * spare: its stack folders are checked by inode before any reuse, whatever they hold.
 */
export function abortOutput(run: OutputRun): void {
  if (run.previous === undefined || existsSync(spareName(run.outdir))) rmSync(run.staging, { recursive: true, force: true });
  else keepAsSpare(run.outdir, run.staging);
  rmSync(run.lock, { force: true });
}
