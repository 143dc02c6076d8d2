/**
 * The journal and what `--resume` makes of it: a journal left by a killed run (last line cut short)
 * is read, resumed runs append after it, and the resume plan skips finished stacks and re-runs the rest,
 * knowing which tofu each unfinished stack was running.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../app/operate/events.js';
import { createRun, existingRun, Journal, newRunId, readJournal } from '../../app/operate/journal.js';
import { resumePlan } from '../../app/operate/resume.js';

const work = mkdtempSync(join(tmpdir(), 'sovstack-journal-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const at = '2026-12-02T01:15:00.000Z';
/** A deploy of four stacks killed while b was applying and c planning; d never started; a finished; e failed. */
const killedRun: RunEvent[] = [
  {
    type: 'run-started',
    at,
    runId: '20261202T011500Z-abcd',
    action: 'deploy',
    stacks: ['a-c1', 'b-c1', 'c-c2', 'd-c2', 'e-c1'],
    pid: 101,
    resumed: false,
    options: {},
  },
  { type: 'stack-queued', at, stack: 'a-c1', cloud: 'c1' },
  { type: 'phase', at, stack: 'a-c1', phase: 'init', pid: 201 },
  { type: 'phase', at, stack: 'a-c1', phase: 'apply', pid: 202 },
  { type: 'stack-done', at, stack: 'a-c1', outcome: 'applied', planHash: 'sha256:aa', seconds: 3 },
  { type: 'phase', at, stack: 'b-c1', phase: 'plan', pid: 301 },
  { type: 'phase', at: '2026-12-02T01:16:00.000Z', stack: 'b-c1', phase: 'apply', pid: 302 },
  { type: 'phase', at, stack: 'c-c2', phase: 'plan', pid: 401 },
  { type: 'phase', at, stack: 'e-c1', phase: 'plan', pid: 501 },
  { type: 'stack-failed', at, stack: 'e-c1', error: 'tofu plan failed (exit 1)', logTail: [], seconds: 1 },
];

describe('run ids and folders', () => {
  it('are sortable by time and unique', () => {
    expect(newRunId(new Date('2026-12-02T01:15:00.123Z'))).toMatch(/^20261202T011500Z-[0-9a-f]{4}$/);
    const runs = Array.from({ length: 20 }, () => createRun(join(work, 'runs'), new Date(at)).runId);
    expect(new Set(runs).size).toBe(20);
  });

  it('refuses to resume a malformed or missing run, naming the fix', () => {
    expect(() => existingRun(join(work, 'runs'), '../etc')).toThrow(/not a run id/);
    expect(() => existingRun(join(work, 'runs'), '20991231T000000Z-0000')).toThrow(/no run .* fix: check --run-dir/);
  });
});

describe('journal', () => {
  it('reads the events of a killed run, ignoring a last line cut short, and a resumed run appends on a new line', () => {
    const file = join(work, 'killed.jsonl');
    writeFileSync(file, `${killedRun.map((e) => JSON.stringify(e)).join('\n')}\n{"type":"phase","at":"2026-12-02T01:1`);
    expect(readJournal(file)).toEqual(killedRun);
    const journal = new Journal(file);
    const resumed: RunEvent = { ...(killedRun[0] as Extract<RunEvent, { type: 'run-started' }>), pid: 102, resumed: true };
    journal.append(resumed);
    journal.close();
    expect(readJournal(file)).toEqual([...killedRun, resumed]);
    expect(readFileSync(file, 'utf8').split('\n').at(-2)).toBe(JSON.stringify(resumed));
  });

  it('rejects a damaged line in the middle', () => {
    const file = join(work, 'damaged.jsonl');
    writeFileSync(file, `${JSON.stringify(killedRun[0])}\nnot json\n${JSON.stringify(killedRun[1])}\n`);
    expect(() => readJournal(file)).toThrow(/damaged.jsonl:2: not a journal event/);
  });
});

describe('resumePlan', () => {
  it('skips finished stacks and re-runs failed, interrupted and never started ones', () => {
    const plan = resumePlan(killedRun);
    expect(plan).toMatchObject({
      runId: '20261202T011500Z-abcd',
      action: 'deploy',
      finished: ['a-c1'],
      rerun: ['b-c1', 'c-c2', 'd-c2', 'e-c1'],
    });
    expect(plan.orchestratorPids).toEqual([101]);
  });

  it('knows the last tofu of each interrupted stack (to wait for it, or release the lock it left)', () => {
    const plan = resumePlan(killedRun);
    expect([...plan.unfinished]).toEqual([
      ['b-c1', { pid: 302, phase: 'apply', at: '2026-12-02T01:16:00.000Z' }],
      ['c-c2', { pid: 401, phase: 'plan', at }],
    ]);
  });

  it('after a resumed run that finished b, only the rest remains', () => {
    const more: RunEvent[] = [
      { ...(killedRun[0] as Extract<RunEvent, { type: 'run-started' }>), pid: 102, resumed: true },
      { type: 'stack-done', at, stack: 'b-c1', outcome: 'unchanged', seconds: 2 },
      { type: 'stack-done', at, stack: 'e-c1', outcome: 'applied', seconds: 2 },
    ];
    const plan = resumePlan([...killedRun, ...more]);
    expect(plan.rerun).toEqual(['c-c2', 'd-c2']);
    expect(plan.orchestratorPids).toEqual([101, 102]);
  });

  it('refuses a journal that does not start with run-started', () => {
    expect(() => resumePlan(killedRun.slice(1))).toThrow(/does not start with a run-started event/);
  });
});
