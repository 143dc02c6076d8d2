/**
 * Worker threads, one definition for every part that spreads work over the cores (the synth's stack
 * builders, the config loader's validation): how many to use, and how one is started on a module of
 * this package, from the compiled JavaScript or, in the tests, from the TypeScript sources.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

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
 * {@link resolveJobs}, or 1 when the requested value is invalid: how many threads to start ahead of work
 * whose caller reports an invalid value itself (the synth's builders, the loader's validation).
 *
 * @example threadCount(Number('two')) // 1
 */
export function threadCount(requested: number | undefined): number {
  try {
    return resolveJobs(requested);
  } catch {
    return 1;
  }
}

/**
 * Starts a worker thread on the module `name` beside the caller (`callerUrl` is the caller's
 * `import.meta.url`): `<name>.js` when the caller is compiled JavaScript; `<name>.ts` through tsx when
 * it runs from the TypeScript sources (the tests), tsx being registered in the worker before the
 * module is imported. The worker inherits this process's Node options as Node passes them on, except
 * `--input-type`, which Node refuses in a worker (a process run as `node --input-type=module -e …`
 * could start none). Throws when Node refuses the worker's options.
 *
 * @example
 * const worker = startModuleWorker(import.meta.url, 'stack-worker');
 */
export function startModuleWorker(callerUrl: string, name: string): Worker {
  const fromSources = callerUrl.endsWith('.ts');
  const url = new URL(`./${name}${fromSources ? '.ts' : '.js'}`, callerUrl);
  // Left to Node's default (inherit, skipping what a worker cannot take) unless `--input-type` must go:
  // a list given explicitly must hold only options a worker accepts.
  const filtered = workerExecArgv(process.execArgv);
  const options = filtered.length === process.execArgv.length ? {} : { execArgv: filtered };
  if (!fromSources) return new Worker(url, options);
  const boot = `import(${JSON.stringify('tsx/esm/api')}).then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { eval: true, ...options });
}

/**
 * `execArgv` without `--input-type` (as `--input-type=module` or `--input-type module`), which Node
 * refuses in a worker thread.
 *
 * @example workerExecArgv(['--input-type', 'module', '--max-old-space-size=512']) // ['--max-old-space-size=512']
 */
export function workerExecArgv(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i] ?? '';
    if (arg === '--input-type') i++;
    else if (!arg.startsWith('--input-type=')) kept.push(arg);
  }
  return kept;
}
