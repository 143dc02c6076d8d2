/**
 * The orchestrator with the real OpenTofu of the toolchain, on stacks that need no cloud: a `local`
 * backend and the built-in `terraform_data` resource. Proves plan / deploy / destroy / drift, their
 * exit codes, the journal and plan hashes, failure isolation, orphans, the refusal of a stale reviewed
 * plan, and a resume after the orchestrator was killed with SIGKILL in the middle of an apply.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../app/operate/events.js';
import { readJournal } from '../../app/operate/journal.js';
import type { OperateOptions } from '../../app/operate/run.js';
import { repoRoot, toolsEnv } from '../support/tools.js';
import { encryptedStackJson, PASSPHRASE_ENV, project, stackJson, writeOutput } from '../support/operate-project.js';

/** Runs a deploy in a child process (so that it can be killed or interrupted), with the toolchain. */
function orchestrator(p: ReturnType<typeof project>, extra: Partial<OperateOptions>) {
  const script = join(p.dir, 'deploy.mts');
  writeFileSync(
    script,
    `import { operate } from ${JSON.stringify(join(repoRoot, 'app/operate/run.ts'))};\n` +
      `const options = JSON.parse(process.argv[2]);\n` +
      `options.concurrency = new Map(options.concurrency);\n` +
      `const result = await operate(options, { sinks: [], json: false });\n` +
      `process.stdout.write(result.stdout);\n` +
      `process.exitCode = result.exitCode;\n`,
  );
  const options = { ...p.options('deploy', extra), concurrency: [['c1', 1]] };
  return spawn(process.execPath, ['--import', join(repoRoot, 'node_modules/tsx/dist/loader.mjs'), script, JSON.stringify(options)], {
    env: toolsEnv(),
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

/** Waits (up to a minute) until a journal under `runs` holds an event matching `match`. */
async function journalShows(runs: string, match: (event: RunEvent) => boolean): Promise<boolean> {
  const shows = (): boolean =>
    existsSync(runs) &&
    readdirSync(runs).some((r) => existsSync(join(runs, r, 'journal.jsonl')) && readJournal(join(runs, r, 'journal.jsonl')).some(match));
  for (let i = 0; i < 600 && !shows(); i++) await new Promise((r) => setTimeout(r, 100));
  return shows();
}

/** A stack whose apply takes a while (a local-exec provisioner) and notes each time it runs in `ran`. */
const slowResource = (ran: string, seconds: number) => ({
  slow: { input: 'v1', provisioner: [{ 'local-exec': { command: `echo applied >> ${ran}; sleep ${seconds}` } }] },
});

const done = (events: RunEvent[]) => events.filter((e): e is Extract<RunEvent, { type: 'stack-done' }> => e.type === 'stack-done');

describe('plan, deploy, replan, destroy on real OpenTofu', () => {
  const p = project('cycle');
  writeOutput(p.out, {
    'a-c1': stackJson('a-c1', 'c1', { marker: 'v1' }),
    'b-c1': stackJson('b-c1', 'c1', { marker: 'v1' }),
    'c-c2': stackJson('c-c2', 'c2', { marker: 'v1' }),
  });

  it('plan exits 2 with changes and saves each plan (binary, its record and sanitized JSON) in the run folder', async () => {
    const result = await p.run('plan', { all: true });
    expect(result.exitCode, result.stdout + (result.stderr ?? '')).toBe(2);
    expect(result.stdout).toMatch(/a-c1: planned, changes\n {2}b-c1: planned, changes\n {2}c-c2: planned, changes/);
    const runId = (p.lastJournal()[0] as { runId: string }).runId;
    expect(readdirSync(join(p.dir, 'runs', runId, 'plans')).sort()).toEqual(
      ['a-c1', 'b-c1', 'c-c2'].flatMap((s) => [`${s}.plan.json`, `${s}.tfplan`, `${s}.tfplan.meta`]).sort(),
    );
  }, 120_000);

  it('deploy applies the plan it made (its hash journalled) and records what it deployed', async () => {
    const result = await p.run('deploy', { all: true });
    expect(result.exitCode, result.stdout + (result.stderr ?? '')).toBe(0);
    const events = p.lastJournal();
    const runId = (events[0] as { runId: string }).runId;
    for (const d of done(events)) {
      expect(d.outcome).toBe('applied');
      const planFile = join(p.dir, 'runs', runId, 'plans', `${d.stack}.tfplan`);
      expect(d.planHash).toBe(`sha256:${createHash('sha256').update(readFileSync(planFile)).digest('hex')}`);
    }
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['run-started', 'stack-queued', 'phase', 'stack-done', 'run-done']));
    // The working directory kept `.terraform` from the plan run: no init this time.
    expect(events.filter((e) => e.type === 'phase' && e.stack === 'a-c1').map((e) => (e as { phase: string }).phase)).toEqual([
      'plan',
      'apply',
    ]);
    expect(readdirSync(join(p.dir, 'deployed')).length).toBeGreaterThan(0);
    expect(p.state('a-c1').resources.map((r) => r.name)).toEqual(['marker']);
  }, 120_000);

  it('a replan shows no changes (exit 0) and does not init again', async () => {
    const result = await p.run('plan', { all: true });
    expect(result.exitCode, result.stdout).toBe(0);
    expect(p.lastJournal().filter((e) => e.type === 'phase' && e.phase === 'init')).toEqual([]);
  }, 120_000);

  it('a stack that left the output is listed as orphaned, then destroyed by name from its last deployed configuration', async () => {
    writeOutput(p.out, {
      'a-c1': stackJson('a-c1', 'c1', { marker: 'v1' }),
      'b-c1': stackJson('b-c1', 'c1', { marker: 'v1' }),
    });
    const plan = await p.run('plan', { all: true });
    expect(plan.exitCode).toBe(0);
    expect(plan.stdout).toContain('orphaned: c-c2 would be destroyed by `sovstack destroy c-c2`');
    const destroy = await p.run('destroy', { names: ['c-c2'] });
    expect(destroy.exitCode, destroy.stdout).toBe(0);
    expect(destroy.stdout).toContain('c-c2: destroyed');
    expect(p.state('c-c2').resources).toEqual([]);
    const again = await p.run('plan', { all: true });
    expect(again.stdout).not.toContain('orphaned');
  }, 120_000);

  it('destroy --purge-state also removes the emptied state; the stack is forgotten', async () => {
    const result = await p.run('destroy', { names: ['b-c1'], purgeState: true });
    expect(result.exitCode, result.stdout).toBe(0);
    expect(existsSync(join(p.dir, 'work', 'b-c1', 'state', 'b-c1.tfstate'))).toBe(false);
    expect(existsSync(join(p.dir, 'work', 'a-c1', 'state', 'a-c1.tfstate'))).toBe(true);
    expect(readdirSync(join(p.dir, 'deployed')).sort()).toEqual(['a-c1.tf.json']);
  }, 120_000);

  it('an unknown stack is a clear error before anything runs', async () => {
    const result = await p.run('deploy', { names: ['a-c2'] });
    expect(result).toMatchObject({ exitCode: 1, stdout: '' });
    expect(result.stderr).toBe("sovstack deploy: no stack named 'a-c2' (did you mean 'a-c1'?)\n");
  });
});

describe('a failed apply', () => {
  it('still records the configuration, so that the half-built stack is listed as orphaned once its client leaves', async () => {
    const p = project('failed-apply');
    // terraform_data `made` is created; `fails` is created, then its provisioner fails the apply.
    const failing = { made: { input: 'kept' }, fails: { input: 'x', provisioner: [{ 'local-exec': { command: 'exit 3' } }] } };
    writeOutput(p.out, { 'a-c1': stackJson('a-c1', 'c1', {}, failing), 'b-c1': stackJson('b-c1', 'c1', { marker: 'v1' }) });
    const deploy = await p.run('deploy', { all: true });
    expect(deploy.exitCode).toBe(1);
    expect(deploy.stdout).toMatch(/FAILED a-c1: tofu apply failed/);
    expect(
      p
        .state('a-c1')
        .resources.map((r) => r.name)
        .sort(),
    ).toEqual(['fails', 'made']);
    expect(readdirSync(join(p.dir, 'deployed')).sort()).toEqual(['a-c1.tf.json', 'b-c1.tf.json']);

    writeOutput(p.out, { 'b-c1': stackJson('b-c1', 'c1', { marker: 'v1' }) });
    const plan = await p.run('plan', { all: true });
    expect(plan.stdout).toContain('orphaned: a-c1 would be destroyed by `sovstack destroy a-c1`');
    const destroy = await p.run('destroy', { names: ['a-c1'] });
    expect(destroy.exitCode, destroy.stdout).toBe(0);
    expect(p.state('a-c1').resources).toEqual([]);
  }, 120_000);

  it('is not recorded when the plan already failed (nothing was applied)', async () => {
    const p = project('failed-plan');
    writeOutput(p.out, { 'a-c1': stackJson('a-c1', 'c1', {}, { broken: { input: 'x', no_such_argument: true } }) });
    expect((await p.run('deploy', { all: true })).exitCode).toBe(1);
    expect(existsSync(join(p.dir, 'deployed', 'a-c1.tf.json'))).toBe(false);
  }, 120_000);
});

describe('failures stay alone', () => {
  it('one broken stack fails with its log tail; the others are deployed; exit 1', async () => {
    const p = project('isolation');
    writeOutput(p.out, {
      'a-c1': stackJson('a-c1', 'c1', { marker: 'v1' }),
      'b-c1': stackJson('b-c1', 'c1', {}, { broken: { input: 'x', no_such_argument: true } }),
      'c-c2': stackJson('c-c2', 'c2', { marker: 'v1' }),
    });
    const result = await p.run('deploy', { all: true, jobs: 1 });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/3 stack\(s\): 2 ok, 1 failed/);
    expect(result.stdout).toMatch(/FAILED b-c1: tofu plan failed \(exit 1\): Error: Extraneous JSON object property/);
    expect(result.stdout).toMatch(/ {4}\| .*no_such_argument/);
    expect(done(p.lastJournal()).map((d) => [d.stack, d.outcome])).toEqual([
      ['a-c1', 'applied'],
      ['c-c2', 'applied'],
    ]);
  }, 120_000);
});

describe('deploy --plans', () => {
  it('applies the reviewed plan, and refuses one the state has moved past', async () => {
    const p = project('reviewed');
    writeOutput(p.out, { 'a-c1': stackJson('a-c1', 'c1', { marker: 'v1' }), 'b-c1': stackJson('b-c1', 'c1', { marker: 'v1' }) });
    expect((await p.run('plan', { all: true })).exitCode).toBe(2);
    const reviewed = join(p.dir, 'runs', (p.lastJournal()[0] as { runId: string }).runId, 'plans');
    // Someone deploys a-c1 meanwhile: its reviewed plan is now stale; b-c1's still matches.
    expect((await p.run('deploy', { names: ['a-c1'] })).exitCode).toBe(0);
    const result = await p.run('deploy', { plansDir: reviewed });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('FAILED a-c1: the plan for a-c1 no longer matches the state; re-plan and review again');
    const applied = done(p.lastJournal());
    expect(applied.map((d) => [d.stack, d.outcome])).toEqual([['b-c1', 'applied']]);
    expect(applied[0].planHash).toBe(
      `sha256:${createHash('sha256')
        .update(readFileSync(join(reviewed, 'b-c1.tfplan')))
        .digest('hex')}`,
    );
  }, 120_000);
});

describe('deploy --plans checks what each reviewed plan was made from', () => {
  const p = project('reviewed-checks');
  const v1 = (stack: string) => stackJson(stack, 'c1', { marker: 'v1' });
  const runPlans = () => join(p.dir, 'runs', (p.lastJournal()[0] as { runId: string }).runId, 'plans');

  it('applies the one that matches; refuses another configuration, a missing record, a swapped plan file and a missing plan', async () => {
    writeOutput(p.out, { 'a-c1': v1('a-c1'), 'b-c1': v1('b-c1'), 'c-c1': v1('c-c1'), 'd-c1': v1('d-c1') });
    expect((await p.run('plan', { all: true })).exitCode).toBe(2);
    const reviewed = join(p.dir, 'reviewed');
    cpSync(runPlans(), reviewed, { recursive: true });
    // Since the review: a-c1's configuration changed, b-c1's record was lost, c-c1's plan file was swapped for d-c1's, and e-c1 appeared.
    writeOutput(p.out, {
      'a-c1': stackJson('a-c1', 'c1', { marker: 'v2' }),
      'b-c1': v1('b-c1'),
      'c-c1': v1('c-c1'),
      'd-c1': v1('d-c1'),
      'e-c1': v1('e-c1'),
    });
    rmSync(join(reviewed, 'b-c1.tfplan.meta'));
    copyFileSync(join(reviewed, 'd-c1.tfplan'), join(reviewed, 'c-c1.tfplan'));

    const result = await p.run('deploy', { plansDir: reviewed, all: true });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      'FAILED a-c1: the reviewed plan of a-c1 was made from another configuration than the one synthesized now (the base branch or the estate changed since the review); re-plan it (sovstack plan) and review it again',
    );
    expect(result.stdout).toContain(
      `FAILED b-c1: the reviewed plan ${join(reviewed, 'b-c1.tfplan')} has no readable record (b-c1.tfplan.meta)`,
    );
    expect(result.stdout).toContain(
      `FAILED c-c1: the reviewed plan ${join(reviewed, 'c-c1.tfplan')} is not the file its record describes (its hash differs)`,
    );
    expect(result.stdout).toContain(
      `FAILED e-c1: no reviewed plan ${join(reviewed, 'e-c1.tfplan')}; fix: plan it (sovstack plan --save-plans <dir>)`,
    );
    expect(done(p.lastJournal()).map((d) => [d.stack, d.outcome, d.planHash])).toEqual([
      [
        'd-c1',
        'applied',
        `sha256:${createHash('sha256')
          .update(readFileSync(join(reviewed, 'd-c1.tfplan')))
          .digest('hex')}`,
      ],
    ]);
    for (const stack of ['a-c1', 'b-c1', 'c-c1', 'e-c1'])
      expect(existsSync(join(p.dir, 'work', stack, 'state', `${stack}.tfstate`))).toBe(false);
  }, 180_000);

  it('--replan-unreviewed plans afresh only the stacks without a reviewed plan, and says so', async () => {
    const reviewed = join(p.dir, 'reviewed');
    const result = await p.run('deploy', { plansDir: reviewed, replanUnreviewed: true, names: ['a-c1', 'e-c1'] });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('FAILED a-c1: the reviewed plan of a-c1 was made from another configuration');
    const events = p.lastJournal();
    expect(done(events).map((d) => [d.stack, d.outcome])).toEqual([['e-c1', 'applied']]);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'stack-note',
        stack: 'e-c1',
        message: `no reviewed plan ${join(reviewed, 'e-c1.tfplan')}: planned afresh (--replan-unreviewed)`,
      }),
    );
  }, 120_000);
});

describe('plan --save-plans', () => {
  const p = project('save-plans');
  const env = toolsEnv(PASSPHRASE_ENV);
  const saved = join(p.dir, 'artifact');

  it('keeps every sanitized plan, and the binary plan and its record only of the stack whose plans are encrypted', async () => {
    writeOutput(p.out, {
      'a-c1': stackJson('a-c1', 'c1', { marker: 'clear-marker-value' }),
      's-c1': encryptedStackJson('s-c1', 'c1', { marker: 'secret-marker-value' }),
    });
    const result = await p.run('plan', { all: true, env, savePlansDir: saved });
    expect(result.exitCode, result.stdout).toBe(2);
    expect(readdirSync(saved).sort()).toEqual(['a-c1.plan.json', 's-c1.plan.json', 's-c1.tfplan', 's-c1.tfplan.meta']);
    const binary = readFileSync(join(saved, 's-c1.tfplan'));
    expect(binary.includes('secret-marker-value')).toBe(false);
    expect(binary.includes('terraform_data')).toBe(false);
    expect(p.lastJournal()).toContainEqual(
      expect.objectContaining({
        type: 'stack-note',
        stack: 'a-c1',
        message: expect.stringMatching(/^only its sanitized plan was saved to .*not encrypted/),
      }),
    );
  }, 180_000);

  it('deploy --plans applies the saved encrypted plan and re-plans the clear stack with --replan-unreviewed', async () => {
    const result = await p.run('deploy', { plansDir: saved, replanUnreviewed: true, all: true, env });
    expect(result.exitCode, result.stdout).toBe(0);
    const events = p.lastJournal();
    expect(done(events).map((d) => [d.stack, d.outcome, d.planHash])).toEqual([
      ['a-c1', 'applied', expect.stringMatching(/^sha256:/)],
      [
        's-c1',
        'applied',
        `sha256:${createHash('sha256')
          .update(readFileSync(join(saved, 's-c1.tfplan')))
          .digest('hex')}`,
      ],
    ]);
    expect(events.filter((e) => e.type === 'stack-note').map((e) => (e as { stack: string }).stack)).toEqual(['a-c1']);
    expect(p.state('a-c1').resources.map((r) => r.name)).toEqual(['marker']);
  }, 180_000);
});

describe('resume after SIGKILL', () => {
  it('waits for the tofu the killed run left applying, skips what finished and converges without applying twice', async () => {
    const p = project('killed');
    const ran = join(p.dir, 'provisioner-runs.txt');
    writeOutput(p.out, { 'a-c1': stackJson('a-c1', 'c1', { marker: 'v1' }), 'b-c1': stackJson('b-c1', 'c1', {}, slowResource(ran, 4)) });
    const child = orchestrator(p, { all: true, jobs: 1 });
    // Kill the orchestrator once b-c1's apply (the slow provisioner) has started.
    const runs = join(p.dir, 'runs');
    const applying = (): boolean =>
      existsSync(runs) &&
      readdirSync(runs).some((r) =>
        readJournal(join(runs, r, 'journal.jsonl')).some((e) => e.type === 'phase' && e.stack === 'b-c1' && e.phase === 'apply'),
      );
    for (let i = 0; i < 600 && !applying(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(applying()).toBe(true);
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const runId = readdirSync(runs)[0];
    const result = await p.run('deploy', { resume: runId });
    expect(result.exitCode, result.stdout + (result.stderr ?? '')).toBe(0);
    expect(result.stdout).toContain('1 already done');
    const events = readJournal(join(runs, runId, 'journal.jsonl'));
    expect(events.filter((e) => e.type === 'run-started').map((e) => (e as { resumed: boolean }).resumed)).toEqual([false, true]);
    expect(events.some((e) => e.type === 'stack-note' && e.stack === 'b-c1' && e.message.includes('waiting for tofu'))).toBe(true);
    // The apply the killed run started finished on its own; the resume re-planned and found nothing to do.
    expect(done(events).map((d) => [d.stack, d.outcome])).toEqual([
      ['a-c1', 'applied'],
      ['b-c1', 'unchanged'],
    ]);
    expect(readFileSync(ran, 'utf8')).toBe('applied\n');
    expect(p.state('b-c1').resources.map((r) => r.name)).toEqual(['slow']);
    expect(readFileSync(join(runs, runId, 'logs', 'b-c1.log'), 'utf8')).toContain('# output of a command of an interrupted run');
  }, 180_000);
});

describe('Ctrl-C', () => {
  it('the first one starts nothing new and lets the running apply finish; the run exits 1 and can be resumed', async () => {
    const p = project('interrupted');
    const ran = join(p.dir, 'provisioner-runs.txt');
    writeOutput(p.out, { 'a-c1': stackJson('a-c1', 'c1', {}, slowResource(ran, 3)), 'b-c1': stackJson('b-c1', 'c1', { marker: 'v1' }) });
    const child = orchestrator(p, { all: true, jobs: 1 });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const runs = join(p.dir, 'runs');
    expect(await journalShows(runs, (e) => e.type === 'phase' && e.stack === 'a-c1' && e.phase === 'apply')).toBe(true);
    child.kill('SIGINT');
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(1);
    const events = readJournal(join(runs, readdirSync(runs)[0], 'journal.jsonl'));
    expect(events.filter((e) => e.type === 'interrupted')).toMatchObject([{ signal: 'SIGINT', forwarded: false }]);
    expect(done(events).map((d) => [d.stack, d.outcome])).toEqual([['a-c1', 'applied']]);
    expect(events.at(-1)).toMatchObject({ type: 'run-done', exitCode: 1, done: 1, notStarted: 1, interrupted: true });
    expect(stdout).toContain('not started: b-c1');
    expect(readFileSync(ran, 'utf8')).toBe('applied\n');
  }, 120_000);

  it('the second one passes SIGINT to tofu, which stops and releases its lock; the stack fails, the rest is not started', async () => {
    const p = project('interrupted-twice');
    const ran = join(p.dir, 'provisioner-runs.txt');
    writeOutput(p.out, { 'a-c1': stackJson('a-c1', 'c1', {}, slowResource(ran, 30)), 'b-c1': stackJson('b-c1', 'c1', { marker: 'v1' }) });
    const child = orchestrator(p, { all: true, jobs: 1 });
    const runs = join(p.dir, 'runs');
    expect(await journalShows(runs, (e) => e.type === 'phase' && e.stack === 'a-c1' && e.phase === 'apply')).toBe(true);
    child.kill('SIGINT');
    expect(await journalShows(runs, (e) => e.type === 'interrupted')).toBe(true);
    child.kill('SIGINT');
    const started = Date.now();
    expect(await new Promise((r) => child.on('exit', r))).toBe(1);
    expect(Date.now() - started).toBeLessThan(25_000); // not the 30 s of the provisioner: tofu was interrupted
    const events = readJournal(join(runs, readdirSync(runs)[0], 'journal.jsonl'));
    expect(events.filter((e) => e.type === 'interrupted').map((e) => (e as { forwarded: boolean }).forwarded)).toEqual([false, true]);
    expect(events.filter((e) => e.type === 'stack-failed').map((e) => (e as { stack: string }).stack)).toEqual(['a-c1']);
    expect(existsSync(join(p.dir, 'work', 'a-c1', 'state', '.a-c1.tfstate.lock.info'))).toBe(false);
  }, 120_000);
});
