/**
 * Stacks synthesized on every core: the jobs are dealt round-robin (job i to worker i mod n, so the
 * split depends only on the job list) to worker threads, each of which loads cdktf and the bindings
 * once and synthesizes its share into the shared staging folder. Results are put back in job order,
 * so the output, the manifest and the first reported error are those of a single-threaded run.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { StackContext, StackJob, SynthesizedStack } from './stacks.js';

/**
 * Below this many stacks to build, the default is to build them in the main thread: a worker spends
 * ~0.6 s loading cdktf and the bindings, while a stack takes ~20 ms, so two workers only pay off from
 * roughly 60 stacks on (docs/performance.md).
 */
export const PARALLEL_THRESHOLD = 64;

/** What a worker is given. */
export interface WorkerInput {
  /** Folder the stacks are written into (the run's staging folder). */
  readonly outdir: string;
  readonly context: StackContext;
  /** The worker's share of the jobs, with their positions in the whole list. */
  readonly jobs: readonly { index: number; job: StackJob }[];
}

/** What a worker posts for each job it ran: the stack, or why it failed. */
export type WorkerMessage = { index: number; stack: SynthesizedStack } | { index: number; error: string };

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
function runWorker(input: WorkerInput, results: (SynthesizedStack | { error: string } | undefined)[]): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const worker = startWorker(input);
    worker.on('message', (message: WorkerMessage) => {
      if ('error' in message) results[message.index] = { error: message.error };
      else results[message.index] = { ...message.stack, content: Buffer.from(message.stack.content) };
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`synth worker exited with code ${code}`))));
  });
}

/**
 * Synthesizes `jobs` into `outdir` on `workers` worker threads and returns the stacks in job order.
 * When any stack fails, throws the error of the first failing one in job order, with the message a
 * single-threaded run gives.
 *
 * @example
 * const stacks = await synthesizeInWorkers('cdktf.out', jobs, { clouds, toolkitVersion }, 2);
 */
export async function synthesizeInWorkers(
  outdir: string,
  jobs: readonly StackJob[],
  context: StackContext,
  workers: number,
): Promise<SynthesizedStack[]> {
  const results: (SynthesizedStack | { error: string } | undefined)[] = new Array(jobs.length);
  const shares = Array.from({ length: Math.min(workers, jobs.length) }, (_, w) => ({
    outdir,
    context,
    jobs: jobs.map((job, index) => ({ index, job })).filter(({ index }) => index % workers === w),
  }));
  await Promise.all(shares.map((share) => runWorker(share, results)));
  const stacks: SynthesizedStack[] = [];
  for (const [index, result] of results.entries()) {
    if (result === undefined) throw new Error(`synth worker returned no result for job ${index}`);
    if ('error' in result) throw new Error(result.error);
    stacks.push(result);
  }
  return stacks;
}
