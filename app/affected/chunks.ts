/**
 * Splits the affected stacks into CI jobs of N stacks, so that the fan-out stays within the CI
 * services' limits however many stacks a change touches: a GitHub matrix holds at most 256 jobs,
 * a GitLab job at most 50 `needs`.
 */
import type { MatrixEntry } from './affected.js';

/** Most jobs one GitHub Actions matrix may generate (GitHub refuses the workflow beyond). */
export const GITHUB_MAX_MATRIX_JOBS = 256;

/** Most entries in one GitLab job's `needs` (GitLab refuses the pipeline beyond). */
export const GITLAB_MAX_NEEDS = 50;

/** One CI job of the fan-out: stacks of one cloud, planned (or deployed) one after another. */
export interface MatrixChunk {
  /** Display name, `<cloud> <i>/<n>`, e.g. `sovereign-fr1 2/3`; unique in the matrix. */
  chunk: string;
  /** Cloud of every stack of the chunk: the job runs in that cloud's CI environment (its secrets). */
  cloud: string;
  /** Stacks of the chunk, sorted by name. */
  stacks: MatrixEntry[];
}

function byCloud(entries: readonly MatrixEntry[]): Map<string, MatrixEntry[]> {
  const groups = new Map<string, MatrixEntry[]>();
  const sorted = [...entries].sort((a, b) => (a.cloud === b.cloud ? compare(a.stack, b.stack) : compare(a.cloud, b.cloud)));
  for (const entry of sorted) {
    const group = groups.get(entry.cloud);
    if (group === undefined) groups.set(entry.cloud, [entry]);
    else group.push(entry);
  }
  return groups;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * How many jobs {@link chunkMatrix} makes of `entries` with `perJob` stacks per job: each cloud's
 * stacks are split separately, so `Σ ceil(stacks of cloud / perJob)`.
 *
 * @example chunkCount([{ stack: 'a-c1', client: 'a', cloud: 'c1', change: 'new' }], 10) // 1
 */
export function chunkCount(entries: readonly MatrixEntry[], perJob: number): number {
  let count = 0;
  for (const group of byCloud(entries).values()) count += Math.ceil(group.length / perJob);
  return count;
}

/**
 * The automatic number of stacks per job: the smallest N (at least 1) for which {@link chunkMatrix}
 * makes at most `maxJobs` jobs. Default `maxJobs` is {@link GITHUB_MAX_MATRIX_JOBS}; the GitLab
 * pipeline never comes near {@link GITLAB_MAX_NEEDS} whatever N is (its report job is gathered by
 * stage, see `renderGitlabPlanPipeline`), so the GitHub limit decides. Fails closed when even one
 * job per cloud is too many.
 *
 * @example autoPerJob(thousandStacksOnTwoClouds) // 4 (500 / 4 = 125 jobs per cloud, 250 in all)
 */
export function autoPerJob(entries: readonly MatrixEntry[], maxJobs = GITHUB_MAX_MATRIX_JOBS): number {
  const groups = [...byCloud(entries).values()];
  if (groups.length > maxJobs) {
    throw new Error(
      `the affected stacks span ${groups.length} clouds: more than ${maxJobs} CI jobs even with every stack of a cloud in one job`,
    );
  }
  let perJob = Math.max(1, Math.ceil(entries.length / maxJobs));
  while (chunkCount(entries, perJob) > maxJobs) perJob += 1;
  return perJob;
}

function split(entries: MatrixEntry[], parts: number): MatrixEntry[][] {
  const base = Math.floor(entries.length / parts);
  const larger = entries.length % parts;
  const chunks: MatrixEntry[][] = [];
  let start = 0;
  for (let i = 0; i < parts; i += 1) {
    const size = base + (i < larger ? 1 : 0);
    chunks.push(entries.slice(start, start + size));
    start += size;
  }
  return chunks;
}

/**
 * Splits `entries` into jobs of at most `perJob` stacks: per cloud (clouds sorted), stacks sorted
 * by name, each cloud's stacks in `ceil(n / perJob)` contiguous chunks whose sizes differ by at
 * most one. The same entries always give the same chunks.
 *
 * @example chunkMatrix(entries, 2) // [{ chunk: 'sovereign-fr1 1/2', cloud: 'sovereign-fr1', stacks: [a, b] }, ...]
 */
export function chunkMatrix(entries: readonly MatrixEntry[], perJob: number): MatrixChunk[] {
  if (!Number.isInteger(perJob) || perJob < 1) throw new Error(`stacks per job must be a whole number of at least 1, not ${perJob}`);
  const chunks: MatrixChunk[] = [];
  for (const [cloud, group] of byCloud(entries)) {
    const parts = split(group, Math.ceil(group.length / perJob));
    parts.forEach((stacks, i) => chunks.push({ chunk: `${cloud || 'unknown-cloud'} ${i + 1}/${parts.length}`, cloud, stacks }));
  }
  return chunks;
}
