/**
 * Progress and summary: plain lines per state change (CI), the live frame (counts, one line per running
 * stack with phase and elapsed time), JSON lines identical to the journal's events, and a summary that
 * names every failure with its log tail, sorted whatever the order stacks finished in.
 */
import { describe, expect, it } from 'vitest';
import type { RunEvent, StackDone, StackFailed } from '../../app/operate/events.js';
import { formatSeconds, jsonProgress, liveFrame, plainLine, plainProgress } from '../../app/operate/progress.js';
import { renderSummary } from '../../app/operate/summary.js';

const at = '2026-12-02T01:15:00.000Z';

describe('plain progress', () => {
  it('prints one line per state change, timed from the start of the run', () => {
    const lines: string[] = [];
    let clock = 0;
    const sink = plainProgress(
      (text) => lines.push(text),
      () => clock,
    );
    sink({ type: 'stack-queued', at, stack: 'a-c1', cloud: 'c1' });
    clock = 65_000;
    sink({ type: 'phase', at, stack: 'a-c1', phase: 'apply', pid: 7 });
    sink({
      type: 'stack-failed',
      at,
      stack: 'a-c1',
      error: 'tofu apply failed (exit 1): Error: flavor not found',
      logTail: [],
      seconds: 65,
    });
    expect(lines).toEqual([
      '[0s] a-c1: queued (c1)\n',
      '[1m05s] a-c1: apply\n',
      '[1m05s] a-c1: FAILED after 1m05s: tofu apply failed (exit 1): Error: flavor not found\n',
    ]);
  });

  it('says what the first and the second Ctrl-C do', () => {
    expect(plainLine({ type: 'interrupted', at, signal: 'SIGINT', forwarded: false })).toMatch(
      /starting nothing new, letting running stacks finish/,
    );
    expect(plainLine({ type: 'interrupted', at, signal: 'SIGINT', forwarded: true })).toMatch(
      /passing SIGINT to the running tofu processes/,
    );
  });

  it('formats durations', () => {
    expect([formatSeconds(0), formatSeconds(59.4), formatSeconds(60), formatSeconds(3725)]).toEqual(['0s', '59s', '1m00s', '62m05s']);
  });
});

describe('json progress', () => {
  it('streams each event as the journal writes it: one JSON object per line', () => {
    const out: string[] = [];
    const events: RunEvent[] = [
      { type: 'run-started', at, runId: '20261202T011500Z-abcd', action: 'plan', stacks: ['a-c1'], pid: 1, resumed: false, options: {} },
      { type: 'stack-done', at, stack: 'a-c1', outcome: 'planned', planHash: 'sha256:00', changes: true, seconds: 2 },
    ];
    events.forEach(jsonProgress((text) => out.push(text)));
    expect(
      out
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual(events);
  });
});

describe('live frame', () => {
  it('shows the counts, then each running stack with its phase and elapsed time, sorted', () => {
    const frame = liveFrame(
      {
        action: 'deploy',
        queued: new Set(['d-c2', 'e-c2']),
        running: new Map([
          ['c-c1', { phase: 'plan' as const, since: 50_000 }],
          ['b-c1', { phase: 'apply' as const, since: 0 }],
        ]),
        done: 3,
        failed: 1,
      },
      62_000,
    );
    expect(frame).toBe('deploy: 3 done, 1 failed, 2 running, 2 queued\n  b-c1  apply  1m02s\n  c-c1  plan  12s');
  });
});

describe('summary', () => {
  const done = (stack: string, changes: boolean): StackDone => ({ type: 'stack-done', at, stack, outcome: 'planned', changes, seconds: 1 });
  const failed = (stack: string): StackFailed => ({
    type: 'stack-failed',
    at,
    stack,
    error: 'tofu plan failed (exit 1): Error: Invalid resource type',
    logTail: ['Error: Invalid resource type', '  on cdk.tf.json line 12'],
    seconds: 1,
  });

  it('names every failure with its log tail, the orphans, and how to resume, in stack order', () => {
    const text = renderSummary({
      action: 'plan',
      runId: 'R',
      journal: 'runs/R/journal.jsonl',
      done: [done('c-c2', false), done('a-c1', true)],
      failed: [failed('z-c1'), failed('b-c1')],
      notStarted: [],
      skipped: [],
      orphans: ['old-c1'],
      interrupted: false,
    });
    expect(text).toBe(
      [
        'sovstack plan R: 4 stack(s): 2 ok, 2 failed',
        '  a-c1: planned, changes',
        '  c-c2: planned, no changes',
        'FAILED b-c1: tofu plan failed (exit 1): Error: Invalid resource type',
        '    | Error: Invalid resource type',
        '    |   on cdk.tf.json line 12',
        'FAILED z-c1: tofu plan failed (exit 1): Error: Invalid resource type',
        '    | Error: Invalid resource type',
        '    |   on cdk.tf.json line 12',
        'orphaned: old-c1 would be destroyed by `sovstack destroy old-c1`',
        'journal: runs/R/journal.jsonl; to retry what did not finish: sovstack plan --resume R',
        '',
      ].join('\n'),
    );
  });
});
