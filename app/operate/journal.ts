/**
 * The run folder: `<run-dir>/<run-id>/journal.jsonl` (one {@link RunEvent} per line, each appended
 * and fsynced before the run goes on, so a killed run leaves a journal `--resume` can trust),
 * `logs/<stack>.log` (redacted OpenTofu output) and `plans/` (`<stack>.tfplan`, `<stack>.plan.json`).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { RunEvent } from './events.js';

/** Default `--run-dir`: `SOVSTACK_RUN_DIR`, else `.sovstack/runs`. */
export const defaultRunDir = (): string => process.env.SOVSTACK_RUN_DIR ?? join('.sovstack', 'runs');

/** Paths of one run folder. */
export interface RunPaths {
  runId: string;
  dir: string;
  journal: string;
  logs: string;
  plans: string;
}

const RUN_ID = /^\d{8}T\d{6}Z-[0-9a-f]{4}$/;

/**
 * A new run id: the UTC time to the second, then 4 random hex digits; ids sort by start time.
 *
 * @example newRunId(new Date('2026-12-02T01:15:00Z')) // '20261202T011500Z-3fa1'
 */
export function newRunId(now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/** The paths of run `runId` under `runDir` (nothing is created). */
export function runPaths(runDir: string, runId: string): RunPaths {
  const dir = join(runDir, runId);
  return { runId, dir, journal: join(dir, 'journal.jsonl'), logs: join(dir, 'logs'), plans: join(dir, 'plans') };
}

/** Creates a new run folder under `runDir` with a fresh, unused id. */
export function createRun(runDir: string, now: Date = new Date()): RunPaths {
  mkdirSync(runDir, { recursive: true });
  for (;;) {
    const paths = runPaths(runDir, newRunId(now));
    try {
      mkdirSync(paths.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    mkdirSync(paths.logs);
    mkdirSync(paths.plans, { mode: 0o700 });
    return paths;
  }
}

/**
 * The folder of an existing run, for `--resume`.
 *
 * @throws a user-facing error when the id is malformed or no such run exists.
 */
export function existingRun(runDir: string, runId: string): RunPaths {
  if (!RUN_ID.test(runId)) throw new Error(`--resume ${runId}: not a run id (expected e.g. 20261202T011500Z-3fa1, a folder of ${runDir})`);
  const paths = runPaths(runDir, runId);
  if (!existsSync(paths.journal)) throw new Error(`--resume ${runId}: no run ${paths.dir} (no journal.jsonl there); fix: check --run-dir`);
  mkdirSync(paths.logs, { recursive: true });
  mkdirSync(paths.plans, { recursive: true, mode: 0o700 });
  return paths;
}

/** An append-only journal file: every event written and fsynced before {@link Journal.append} returns. */
export class Journal {
  private readonly fd: number;

  /** Opens (creating when missing) the journal at `path` for appending. */
  constructor(readonly path: string) {
    const cutShort = existsSync(path) && !/(^|\n)$/.test(readFileSync(path, 'utf8'));
    this.fd = openSync(path, 'a');
    // A line a killed run left half-written stays on its own line (readJournal skips it).
    if (cutShort) writeSync(this.fd, '\n');
  }

  /** Appends one event as one JSON line and fsyncs it. */
  append(event: RunEvent): void {
    writeSync(this.fd, `${JSON.stringify(event)}\n`);
    fsyncSync(this.fd);
  }

  /** Closes the file. */
  close(): void {
    closeSync(this.fd);
  }
}

/**
 * The events of a journal, in order. A line cut short by a crash (not JSON, followed by nothing
 * or by the newline a resumed run adds) is ignored; any other unreadable line is an error.
 *
 * @example readJournal('.sovstack/runs/20261202T011500Z-3fa1/journal.jsonl')[0].type // 'run-started'
 */
export function readJournal(path: string): RunEvent[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const events: RunEvent[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      events.push(JSON.parse(line) as RunEvent);
    } catch {
      const next = lines.slice(i + 1).find((rest) => rest.trim() !== '');
      if (next !== undefined && !next.startsWith('{"type":"run-started"'))
        throw new Error(`${path}:${i + 1}: not a journal event (invalid JSON); the journal was edited or damaged`);
    }
  });
  return events;
}
