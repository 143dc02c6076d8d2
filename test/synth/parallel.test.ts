/**
 * Stacks built in worker threads: whatever the number of jobs, the output folder is byte for byte the
 * one a single-threaded run writes, and a guardrail failure is reported as a single-threaded run
 * reports it (the first failing stack in stack order, same message), leaving the output untouched.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codeFingerprint } from '../../app/synth/cache.js';
import { synthEstate, synthPlacedEstate, type SynthOutcome } from '../../app/synth/run.js';
import { resolveJobs } from '../../core/threads.js';
import { WorkerPool } from '../../app/synth/workers.js';
import { loadEstate } from '../../core/config/index.js';
import { toolkitVersion } from '../../core/package-info.js';
import { place } from '../../core/placement/index.js';
import { snapshotTree } from '../support/files.js';

const exampleConfig = resolve('config');
const work = mkdtempSync(join(tmpdir(), 'sovstack-parallel-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function synth(configDir: string, jobs: number, cache = false): Promise<{ outcome: SynthOutcome; files: Record<string, string> }> {
  const outdir = join(work, `${jobs}-${Math.random().toString(36).slice(2)}`, 'cdktf.out');
  const outcome = await synthEstate({ configDir, outdir, jobs, ...(cache ? {} : { cache: false as const }) });
  return { outcome, files: outcome.ok ? snapshotTree(outdir) : {} };
}

/** A copy of the example estate where two clients (meteo-archives, then sante-dossiers in stack order) open SSH to the world. */
function estateWithTwoViolations(): string {
  const dir = join(work, 'violations');
  for (const folder of ['clouds', 'clients', 'templates', 'user-data'])
    cpSync(join(exampleConfig, folder), join(dir, folder), { recursive: true });
  for (const client of ['meteo-archives', 'sante-dossiers']) {
    const file = join(dir, 'clients', `${client}.yaml`);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('ports: 22, cidr: 198.51.100.0/24');
    writeFileSync(file, text.replace('ports: 22, cidr: 198.51.100.0/24', 'ports: 22, cidr: 0.0.0.0/0'));
  }
  return dir;
}

describe('parallel synth', () => {
  it('writes the same output folder with 1, 2 and 3 jobs, with and without cache', async () => {
    const single = await synth(exampleConfig, 1);
    expect(single.outcome.ok).toBe(true);
    expect(Object.keys(single.files).filter((path) => path.endsWith('cdk.tf.json'))).toHaveLength(9);
    for (const jobs of [2, 3]) {
      const parallel = await synth(exampleConfig, jobs);
      expect(parallel.outcome).toEqual(single.outcome);
      expect(parallel.files).toEqual(single.files);
    }
    const cached = await synth(exampleConfig, 2, true);
    expect(cached.outcome.ok && cached.outcome.cache?.misses).toHaveLength(9);
    expect(cached.files).toEqual(single.files);
  });

  it('writes the same output when a worker started ahead builds a small run alone', async () => {
    const single = await synth(exampleConfig, 1);
    const loaded = await loadEstate(exampleConfig);
    if (!loaded.ok) throw new Error('the example estate does not load');
    const pool = new WorkerPool(1);
    const previous = process.env.SOVSTACK_JOBS;
    process.env.SOVSTACK_JOBS = '2';
    try {
      // Nine stacks to build, under PARALLEL_THRESHOLD, by default jobs: the pooled worker builds them all, the main thread none.
      const outdir = join(work, 'pooled', 'cdktf.out');
      const input = { estate: loaded.estate, result: place(loaded.estate), configDir: exampleConfig, outdir, keepOrphanStacks: false };
      const outcome = await synthPlacedEstate({ ...input, cache: false, toolkitVersion, code: codeFingerprint(), pool });
      expect(pool.size).toBe(0);
      expect(outcome).toEqual(single.outcome);
      expect(snapshotTree(outdir)).toEqual(single.files);
    } finally {
      await pool.close();
      if (previous === undefined) delete process.env.SOVSTACK_JOBS;
      else process.env.SOVSTACK_JOBS = previous;
    }
  });

  it('reports the first failing stack in stack order, with the single-threaded message', async () => {
    const configDir = estateWithTwoViolations();
    const single = await synth(configDir, 1);
    expect(single.outcome.ok).toBe(false);
    if (single.outcome.ok) return;
    expect(single.outcome.message).toMatch(/\[guardrail no-world-open-ingress\] meteo-archives-vendor-eu-west-0\b/);
    expect(single.outcome.message).not.toContain('sante-dossiers');
    for (const jobs of [2, 3]) expect((await synth(configDir, jobs)).outcome).toEqual(single.outcome);
  });
});

describe('resolveJobs', () => {
  it('takes the requested value, else SOVSTACK_JOBS, else one per core', () => {
    expect(resolveJobs(3, { SOVSTACK_JOBS: '2' })).toBe(3);
    expect(resolveJobs(undefined, { SOVSTACK_JOBS: '2' })).toBe(2);
    expect(resolveJobs(undefined, {})).toBeGreaterThanOrEqual(1);
  });

  it('rejects a value that is not a positive integer, naming the setting', () => {
    expect(() => resolveJobs(undefined, { SOVSTACK_JOBS: 'two' })).toThrow(/SOVSTACK_JOBS/);
    expect(() => resolveJobs(0, {})).toThrow(/positive integer/);
  });
});
