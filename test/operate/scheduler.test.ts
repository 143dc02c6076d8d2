/**
 * The scheduler: per-cloud caps and the total cap are never exceeded, a run is spread over the clouds,
 * jobs of a cloud start in the order given, a failing job fails alone, and once stopped nothing new starts.
 */
import { describe, expect, it } from 'vitest';
import { runPool, type PoolJob } from '../../app/operate/scheduler.js';

/** Jobs that record when they start and end, each ending when the test releases it (no timers). */
function recorder() {
  const running = new Map<string, number>();
  let total = 0;
  const peaks = { total: 0, byGroup: new Map<string, number>() };
  const started: string[] = [];
  const job = (key: string, group: string, outcome: 'ok' | 'fail' = 'ok'): PoolJob<string> => ({
    key,
    group,
    run: async () => {
      started.push(key);
      total += 1;
      running.set(group, (running.get(group) ?? 0) + 1);
      peaks.total = Math.max(peaks.total, total);
      peaks.byGroup.set(group, Math.max(peaks.byGroup.get(group) ?? 0, running.get(group) ?? 0));
      // Yield a few times so that other jobs can start while this one "runs".
      for (let i = 0; i < 5; i++) await Promise.resolve();
      total -= 1;
      running.set(group, (running.get(group) ?? 1) - 1);
      if (outcome === 'fail') throw new Error(`${key} broke`);
      return `${key} ok`;
    },
  });
  return { job, peaks, started };
}

describe('runPool', () => {
  it('honours each cloud’s cap and the total cap', async () => {
    const r = recorder();
    const jobs = [
      ...Array.from({ length: 10 }, (_, i) => r.job(`a${String(i).padStart(2, '0')}-c1`, 'c1')),
      ...Array.from({ length: 10 }, (_, i) => r.job(`b${String(i).padStart(2, '0')}-c2`, 'c2')),
    ];
    const caps: Record<string, number> = { c1: 2, c2: 3 };
    const results = await runPool(jobs, { total: 4, cap: (g) => caps[g] ?? 1 });
    expect(r.peaks.byGroup.get('c1')).toBe(2);
    expect(r.peaks.byGroup.get('c2')).toBeLessThanOrEqual(3);
    expect(r.peaks.total).toBe(4);
    expect([...results.values()].every((s) => s.status === 'done')).toBe(true);
    expect(results.size).toBe(20);
  });

  it('lets a cloud use its whole cap when the total allows it', async () => {
    const r = recorder();
    const jobs = Array.from({ length: 8 }, (_, i) => r.job(`s${i}-c2`, 'c2'));
    await runPool(jobs, { total: 8, cap: () => 3 });
    expect(r.peaks.byGroup.get('c2')).toBe(3);
  });

  it('-j 1 runs one job at a time, in the order given', async () => {
    const r = recorder();
    const keys = ['a-c1', 'b-c2', 'c-c1', 'd-c2'];
    await runPool(
      keys.map((k) => r.job(k, k.slice(-2))),
      { total: 1, cap: () => 4 },
    );
    expect(r.peaks.total).toBe(1);
    expect(r.started).toEqual(keys);
  });

  it('spreads a run over the clouds instead of filling one cloud’s cap first', async () => {
    const r = recorder();
    const jobs = [
      ...['a1', 'a2', 'a3', 'a4'].map((k) => r.job(`${k}-c1`, 'c1')),
      ...['b1', 'b2', 'b3', 'b4'].map((k) => r.job(`${k}-c2`, 'c2')),
    ];
    await runPool(jobs, { total: 4, cap: () => 4 });
    // Given in cloud order, started alternately; within a cloud, in the order given.
    expect(r.started.slice(0, 4)).toEqual(['a1-c1', 'b1-c2', 'a2-c1', 'b2-c2']);
    expect(r.started.filter((k) => k.endsWith('c1'))).toEqual(['a1-c1', 'a2-c1', 'a3-c1', 'a4-c1']);
    expect(r.started.filter((k) => k.endsWith('c2'))).toEqual(['b1-c2', 'b2-c2', 'b3-c2', 'b4-c2']);
  });

  it('gives a free slot to the cloud that still has room when the other is at its cap', async () => {
    const r = recorder();
    const jobs = [...['a1', 'a2', 'a3'].map((k) => r.job(`${k}-c1`, 'c1')), r.job('b1-c2', 'c2')];
    const caps: Record<string, number> = { c1: 3, c2: 1 };
    await runPool(jobs, { total: 4, cap: (g) => caps[g] ?? 1 });
    expect(r.started).toEqual(['a1-c1', 'b1-c2', 'a2-c1', 'a3-c1']);
    expect(r.peaks.byGroup.get('c1')).toBe(3);
  });

  it('isolates a failure: the other jobs run and succeed', async () => {
    const r = recorder();
    const jobs = [r.job('a-c1', 'c1'), r.job('b-c1', 'c1', 'fail'), r.job('c-c1', 'c1'), r.job('d-c2', 'c2')];
    const results = await runPool(jobs, { total: 2, cap: () => 1 });
    expect(results.get('b-c1')).toMatchObject({ status: 'failed' });
    expect((results.get('b-c1') as { error: Error }).error.message).toBe('b-c1 broke');
    for (const key of ['a-c1', 'c-c1', 'd-c2']) expect(results.get(key)).toEqual({ status: 'done', value: `${key} ok` });
  });

  it('starts nothing once stopped, and reports the rest as not started', async () => {
    const r = recorder();
    let stopped = false;
    const jobs = ['a', 'b', 'c', 'd'].map((k) => ({
      ...r.job(k, 'c1'),
      run: async () => ((stopped = k === 'a' || stopped), r.job(k, 'c1').run()),
    }));
    const results = await runPool(jobs, { total: 1, cap: () => 1, stopped: () => stopped });
    expect(results.get('a')).toMatchObject({ status: 'done' });
    expect(['b', 'c', 'd'].map((k) => results.get(k)?.status)).toEqual(['not-started', 'not-started', 'not-started']);
  });

  it('resolves at once with no jobs', async () => {
    expect((await runPool([], { total: 2, cap: () => 1 })).size).toBe(0);
  });
});
