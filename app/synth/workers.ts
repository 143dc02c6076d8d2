/**
 * Stacks synthesized on every core: the jobs are dealt round-robin (job i to share i mod n, so the
 * split depends only on the job list); the main thread synthesizes share 0 and n − 1 worker threads
 * the others, each loading cdktf and the bindings once, all into the shared staging folder. Results
 * are put back in job order, so the output, the manifest and the first reported error are those of
 * a single-threaded run. The workers are started before the estate is loaded ({@link WorkerPool}),
 * so that their module loading overlaps with the main thread's serial part.
 */
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../../core/threads.js';
import type { BuiltStack, IndexedJob, ShareResult, StackContext, StackJob } from './stacks.js';

/**
 * Below this many stacks to build, the default is to build them in the main thread only: a worker
 * thread spends ~0.6 s loading cdktf and the bindings before its first stack, and a stack takes
 * ~20 ms, so with the shares dealt in advance two threads take ≈ 0.6 s + N × 10 ms against N × 20 ms
 * for one, and only pay off from about 60 stacks (docs/performance.md).
 */
export const PARALLEL_THRESHOLD = 64;

/** What a worker is given. */
export interface WorkerInput {
  /** Folder the stacks are written into (the run's staging folder). */
  readonly outdir: string;
  readonly context: StackContext;
  /** The worker's share of the jobs, with their positions in the whole list. */
  readonly jobs: readonly IndexedJob[];
}

type Results = (BuiltStack | { error: string } | undefined)[];

const store = (results: Results, result: ShareResult): void => {
  results[result.index] = 'error' in result ? { error: result.error } : result.stack;
};

/** A started worker and how it ended, once it has. */
interface PooledWorker {
  readonly worker: Worker;
  /** Settles when the worker exits: undefined for a clean exit, else the error. */
  readonly ended: Promise<Error | undefined>;
}

/**
 * Worker threads started ahead of their work, so that loading cdktf and the bindings (~0.5 s per
 * thread) overlaps with the main thread loading, validating and placing the estate. A worker is
 * either given one share ({@link WorkerPool.take}) or stopped by {@link WorkerPool.close}.
 *
 * @example
 * const pool = new WorkerPool(1);
 * try { await synthesizeAll(outdir, jobs, context, { pool, mainThread: true }); } finally { await pool.close(); }
 */
export class WorkerPool {
  private readonly idle: PooledWorker[];

  /** @param size Worker threads to start now. */
  constructor(size: number) {
    this.idle = Array.from({ length: size }, () => {
      const worker = startModuleWorker(import.meta.url, 'stack-worker');
      const ended = new Promise<Error | undefined>((settle) => {
        worker.on('error', (error) => settle(error));
        worker.on('exit', (code) => settle(code === 0 ? undefined : new Error(`synth worker exited with code ${code}`)));
      });
      return { worker, ended };
    });
  }

  /** Worker threads not yet given work. */
  get size(): number {
    return this.idle.length;
  }

  /** Takes up to `count` idle workers out of the pool. */
  take(count: number): PooledWorker[] {
    return this.idle.splice(0, count);
  }

  /** Stops the workers that were given no work. */
  async close(): Promise<void> {
    await Promise.all(this.take(this.idle.length).map(({ worker }) => worker.terminate()));
  }
}

/** Gives `input` to a pooled worker and waits for it to end, storing its results at their job positions. */
async function runWorker(pooled: PooledWorker, input: WorkerInput, results: Results): Promise<void> {
  pooled.worker.on('message', (message: ShareResult) => store(results, message));
  pooled.worker.postMessage(input);
  const error = await pooled.ended;
  if (error) throw error;
}

/** Where the shares of a run go. */
export interface Threads {
  /** Started workers to take shares from; none when undefined. */
  readonly pool?: WorkerPool;
  /** Whether the main thread synthesizes a share too (the first). */
  readonly mainThread: boolean;
}

/**
 * Synthesizes `jobs` (each with its cache key) into `outdir`, dealing them round-robin over the main
 * thread (when `threads.mainThread`) and the workers of `threads.pool` — at most one share per job —
 * storing each built stack in `context.cacheDir` when set, and returns the stacks in job order. When
 * any stack fails, throws the error of the first failing one in job order, with the message a
 * single-threaded run gives.
 *
 * @example
 * const stacks = await synthesizeAll('cdktf.out', [{ job, key: '' }], { clouds, toolkitVersion }, { mainThread: true });
 */
export async function synthesizeAll(
  outdir: string,
  jobs: readonly { job: StackJob; key: string }[],
  context: StackContext,
  threads: Threads,
): Promise<BuiltStack[]> {
  const results: Results = Array.from({ length: jobs.length }, () => undefined);
  const main = threads.mainThread || !threads.pool || threads.pool.size === 0 ? 1 : 0;
  const workers = threads.pool?.take(Math.max(0, jobs.length - main)) ?? [];
  const count = Math.max(1, main + workers.length);
  const indexed = jobs.map(({ job, key }, index): IndexedJob => ({ index, job, key }));
  const shares = Array.from({ length: count }, (_, s) => indexed.filter(({ index }) => index % count === s));
  const running = workers.map((pooled, w) => runWorker(pooled, { outdir, context, jobs: shares[main + w] ?? [] }, results));
  try {
    if (main === 1) {
      const { synthesizeShare } = await import('./stacks.js');
      synthesizeShare(outdir, shares[0] ?? [], context, (result) => store(results, result));
    }
  } finally {
    await Promise.allSettled(running);
  }
  await Promise.all(running);
  return results.map((result, index) => {
    if (result === undefined) throw new Error(`synth returned no result for job ${index}`);
    if ('error' in result) throw new Error(result.error);
    return result;
  });
}
