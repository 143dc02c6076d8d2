/**
 * {@link validateEstate} spread over the cores: parsing and validating a client file (YAML with
 * positions, the secret scan, the schema, the template merge) is most of a cold load, about 3 ms per
 * file. It rests on the contract the validation cache rests on (`validation-cache.ts`): everything
 * checked about a client file depends only on that file and on the cloud, template and user-data
 * files, so each thread validates those with its part of the client files.
 */
import type { Worker } from 'node:worker_threads';
import { startModuleWorker, threadCount } from '../threads.js';
import { byId, isClientFile, validateEstate, type LoadResult, type SourceFile } from './validate.js';
import type { ValidationInput } from './validate-worker.js';

/**
 * Below this many client files to validate, one thread validates them all: a worker spends ~0.3 s
 * loading the YAML parser and the schemas before its first file, as long as ~100 files take.
 */
export const PARALLEL_VALIDATION_THRESHOLD = 256;

/** A validation worker (none when it could not be started), and when it ended: an error, or its exit. */
interface ValidationWorker {
  readonly worker?: Worker;
  readonly ended: Promise<void>;
}

/**
 * Starts a validation worker. Its `error` and `exit` are listened to at once: a worker that fails
 * before it is given files (e.g. it cannot load) must not throw an unhandled `error` in this thread;
 * one that cannot be started at all (options Node refuses in a worker) counts as ended.
 */
function startValidationWorker(): ValidationWorker {
  let worker: Worker;
  try {
    worker = startModuleWorker(import.meta.url, 'validate-worker');
  } catch {
    return { ended: Promise.resolve() };
  }
  const ended = new Promise<void>((settle) => {
    worker.once('error', () => settle());
    worker.once('exit', () => settle());
  });
  return { worker, ended };
}

/**
 * Validation worker threads started ahead of their files, so that loading the YAML parser and the
 * schemas (~0.3 s per thread) overlaps with reading the estate's files. A worker is either given one
 * part ({@link ValidationWorkers.take}) or stopped by {@link ValidationWorkers.close}.
 *
 * @example
 * const workers = new ValidationWorkers(1);
 * try { await validateEstateOnThreads(files, 'config', 2, workers); } finally { await workers.close(); }
 */
export class ValidationWorkers {
  private readonly idle: ValidationWorker[];

  /** @param count worker threads to start now */
  constructor(count: number) {
    this.idle = Array.from({ length: count }, startValidationWorker);
  }

  /** A started worker, or a new one when none is left. */
  take(): ValidationWorker {
    return this.idle.shift() ?? startValidationWorker();
  }

  /** Stops the workers that were given no part. */
  async close(): Promise<void> {
    const started = this.idle.splice(0).flatMap(({ worker }) => (worker ? [worker] : []));
    await Promise.all(started.map((worker) => worker.terminate()));
  }
}

/**
 * The files' validation in a worker; undefined when the worker failed or ended without answering,
 * also before it was given the files (the caller then validates them itself).
 */
function validateInWorker({ worker, ended }: ValidationWorker, input: ValidationInput): Promise<LoadResult | undefined> {
  return new Promise((settle) => {
    void ended.then(() => settle(undefined));
    if (worker === undefined) return;
    worker.once('message', (result: LoadResult) => settle(result));
    worker.postMessage(input);
  });
}

/**
 * One valid estate from the valid estates of the parts, or undefined when a part is missing or
 * invalid, or when two parts declare the same client (impossible once every id matches its file
 * name, checked all the same).
 */
function merge(parts: readonly (LoadResult | undefined)[]): LoadResult | undefined {
  const estates = parts.map((part) => (part?.ok ? part.estate : undefined));
  const [first] = estates;
  if (first === undefined || estates.some((estate) => estate === undefined)) return undefined;
  const clients = estates.flatMap((estate) => estate?.clients ?? []).sort(byId);
  if (new Set(clients.map((client) => client.id)).size !== clients.length) return undefined;
  return { ok: true, estate: { ...first, clients } };
}

/** How {@link validateEstateInParts} validated an estate. */
export interface PartsOutcome {
  result: LoadResult;
  /** Threads that validated a part (1: this thread validated everything). */
  threads: number;
  /** Whether the result was put together from the parts (false: validated again in this thread, or in one part only). */
  merged: boolean;
}

/**
 * {@link validateEstateOnThreads}, telling how the result was reached.
 *
 * @internal exposed for the tests
 */
export async function validateEstateInParts(
  files: readonly SourceFile[],
  dir: string,
  jobs?: number,
  workers?: ValidationWorkers,
): Promise<PartsOutcome> {
  const clients = files.filter(isClientFile).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const threads = clients.length < PARALLEL_VALIDATION_THRESHOLD ? 1 : Math.min(threadCount(jobs), clients.length);
  if (threads <= 1) return { result: validateEstate(files, dir), threads: 1, merged: false };
  const context = files.filter((file) => !isClientFile(file));
  const size = Math.ceil(clients.length / threads);
  const parts = Array.from({ length: threads }, (_, i) => clients.slice(i * size, (i + 1) * size)).filter((part) => part.length > 0);
  // The workers start now and run while this thread validates the first part.
  const pool = workers ?? new ValidationWorkers(0);
  const running = parts.slice(1).map((part) => validateInWorker(pool.take(), { files: [...context, ...part], dir }));
  const own = validateEstate([...context, ...(parts[0] ?? [])], dir);
  const merged = merge([own, ...(await Promise.all(running))]);
  return merged
    ? { result: merged, threads: parts.length, merged: true }
    : { result: validateEstate(files, dir), threads: parts.length, merged: false };
}

/**
 * `validateEstate(files, dir)`, with the client files dealt to `jobs` threads (this one and
 * `jobs` − 1 worker threads) when there are at least {@link PARALLEL_VALIDATION_THRESHOLD} of them.
 * Each thread validates the clouds, templates and user data with its part of the clients; when every
 * part is valid, the estate is put together from them. When any part has an error, or a worker
 * fails, the whole estate is validated again in this thread, so that the errors, their order and
 * the redaction of secrets in their messages are exactly those of {@link validateEstate}.
 *
 * @param jobs threads; default `SOVSTACK_JOBS` when set, else one per available core (an invalid
 * `SOVSTACK_JOBS` counts as 1 here; the commands that read it report it).
 * @param workers workers started ahead, taken before new ones are started; the caller closes it.
 * @example
 * const result = await validateEstateOnThreads(files, 'config');
 */
export async function validateEstateOnThreads(
  files: readonly SourceFile[],
  dir: string,
  jobs?: number,
  workers?: ValidationWorkers,
): Promise<LoadResult> {
  return (await validateEstateInParts(files, dir, jobs, workers)).result;
}
