/**
 * Stacks synthesized on every core: the jobs are dealt round-robin (job i to share i mod n, so the
 * split depends only on the job list); the main thread synthesizes share 0 and n − 1 worker threads
 * the others, each loading cdktf and the bindings once, all into the shared staging folder. Results
 * are put back in job order, so the output, the manifest and the first reported error are those of
 * a single-threaded run.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
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

/**
 * Number of parallel jobs: `requested` when given, else `SOVSTACK_JOBS` when set, else one per
 * available core. Throws on a value that is not a positive integer.
 *
 * @example
 * resolveJobs(undefined); // os.availableParallelism(), e.g. 2
 */
export function resolveJobs(requested: number | undefined, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = env.SOVSTACK_JOBS;
  const jobs = requested ?? (fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : availableParallelism());
  if (!Number.isInteger(jobs) || jobs < 1) {
    throw new Error(`jobs must be a positive integer, got ${requested ?? fromEnv} (set --jobs or SOVSTACK_JOBS to 1, 2, …)`);
  }
  return jobs;
}

/**
 * Starts a worker on `stack-worker.js`; when running from TypeScript sources (tests), on
 * `stack-worker.ts` through tsx, registered in the worker before the entry is imported.
 */
function startWorker(input: WorkerInput): Worker {
  const url = new URL(import.meta.url.endsWith('.ts') ? './stack-worker.ts' : './stack-worker.js', import.meta.url);
  if (url.pathname.endsWith('.js')) return new Worker(url, { workerData: input });
  const boot = `import(${JSON.stringify('tsx/esm/api')}).then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { eval: true, workerData: input });
}

/** Runs one worker to completion, storing its results at their job positions. */
function runWorker(input: WorkerInput, results: Results): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const worker = startWorker(input);
    worker.on('message', (message: ShareResult) => store(results, message));
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`synth worker exited with code ${code}`))));
  });
}

/**
 * Synthesizes `jobs` (each with its cache key) into `outdir` on `threads` threads — the main thread
 * and `threads` − 1 worker threads; `1` runs everything in the main thread — storing each built stack
 * in `context.cacheDir` when set, and returns the stacks in job order. When any stack fails, throws
 * the error of the first failing one in job order, with the message a single-threaded run gives.
 *
 * @example
 * const stacks = await synthesizeAll('cdktf.out', [{ job, key: '' }], { clouds, toolkitVersion }, 2);
 */
export async function synthesizeAll(
  outdir: string,
  jobs: readonly { job: StackJob; key: string }[],
  context: StackContext,
  threads: number,
): Promise<BuiltStack[]> {
  const results: Results = Array.from({ length: jobs.length }, () => undefined);
  const count = Math.max(1, Math.min(threads, jobs.length));
  const indexed = jobs.map(({ job, key }, index): IndexedJob => ({ index, job, key }));
  const shares = Array.from({ length: count }, (_, s) => indexed.filter(({ index }) => index % count === s));
  const running = shares.slice(1).map((share) => runWorker({ outdir, context, jobs: share }, results));
  try {
    const { synthesizeShare } = await import('./stacks.js');
    synthesizeShare(outdir, shares[0] ?? [], context, (result) => store(results, result));
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
