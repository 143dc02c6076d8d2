/**
 * Bounded parallelism: at most `cap(group)` jobs of a group (a cloud, whose API has its own limits)
 * and at most `total` jobs in all run at once. When a slot frees, the next job comes from the group
 * with the fewest jobs running (ties: the group whose first waiting job comes first), so that a run
 * spreads its load over every cloud's API instead of filling one cloud's cap before touching the next;
 * within a group, jobs start in the order given (callers sort them). A job that throws fails alone;
 * once `stopped()` says so, nothing new starts and the rest is reported as not started.
 */

/** One job: a key (the stack), its group (the cloud) and what to run. */
export interface PoolJob<T> {
  key: string;
  group: string;
  run: () => Promise<T>;
}

/** How a job ended. */
export type Settled<T> = { status: 'done'; value: T } | { status: 'failed'; error: unknown } | { status: 'not-started' };

/** Limits of {@link runPool}. */
export interface PoolLimits {
  /** Most jobs running at once, all groups together (≥ 1). */
  total: number;
  /** Most jobs of `group` running at once (≥ 1). */
  cap: (group: string) => number;
  /** Checked before each start: true stops starting jobs (e.g. after Ctrl-C). Default: never. */
  stopped?: () => boolean;
}

/**
 * Runs `jobs` within `limits`; resolves, once every started job has ended, with each job's outcome by key.
 *
 * @example
 * await runPool([{ key: 'a-c1', group: 'c1', run: () => deploy('a-c1') }], { total: 8, cap: () => 4 });
 */
export function runPool<T>(jobs: readonly PoolJob<T>[], limits: PoolLimits): Promise<Map<string, Settled<T>>> {
  const results = new Map<string, Settled<T>>();
  const waiting = [...jobs];
  const running = new Map<string, number>();
  let active = 0;
  return new Promise((resolve) => {
    const finish = (job: PoolJob<T>, outcome: Settled<T>): void => {
      results.set(job.key, outcome);
      active -= 1;
      running.set(job.group, (running.get(job.group) ?? 1) - 1);
      pump();
    };
    const pump = (): void => {
      if (limits.stopped?.() === true) {
        for (const job of waiting.splice(0)) results.set(job.key, { status: 'not-started' });
      }
      while (active < Math.max(1, limits.total)) {
        const i = nextJob(waiting, running, limits.cap);
        if (i < 0) break;
        const [job] = waiting.splice(i, 1);
        active += 1;
        running.set(job.group, (running.get(job.group) ?? 0) + 1);
        Promise.resolve()
          .then(job.run)
          .then(
            (value) => finish(job, { status: 'done', value }),
            (error: unknown) => finish(job, { status: 'failed', error }),
          );
      }
      if (active === 0 && waiting.length === 0) resolve(results);
    };
    pump();
  });
}

/**
 * Index in `waiting` of the job to start next: the first waiting job of the group with the fewest
 * jobs running among the groups below their cap, or -1 when every waiting job's group is full.
 */
function nextJob<T>(waiting: readonly PoolJob<T>[], running: ReadonlyMap<string, number>, cap: (group: string) => number): number {
  let best = -1;
  let fewest = Infinity;
  const seen = new Set<string>();
  for (let i = 0; i < waiting.length; i++) {
    const group = waiting[i].group;
    if (seen.has(group)) continue;
    seen.add(group);
    const load = running.get(group) ?? 0;
    if (load < Math.max(1, cap(group)) && load < fewest) {
      best = i;
      fewest = load;
    }
  }
  return best;
}
