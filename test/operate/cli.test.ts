/**
 * The four commands through the built `sovstack` binary: usage errors (exit 2), a bad selection (exit 1
 * with a "did you mean", nothing run), `--json` (stdout holds only the run's events, progress goes to
 * stderr), plan's exit 2 on changes, and drift's report in the run folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../app/operate/events.js';
import { repoRoot, toolsEnv } from '../support/tools.js';

const work = mkdtempSync(join(tmpdir(), 'sovstack-operate-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A synth output with two terraform_data stacks on the example estate's clouds (local state, no cloud needed). */
function writeOutput(dir: string): void {
  const stacks: Record<string, unknown> = {};
  for (const [stack, cloud] of [
    ['alpha-sovereign-fr1', 'sovereign-fr1'],
    ['beta-vendor-eu-west-0', 'vendor-eu-west-0'],
  ]) {
    mkdirSync(join(dir, 'stacks', stack), { recursive: true });
    const json = {
      '//': { sovstack: { placement: { clientId: stack.split('-')[0], cloudId: cloud } } },
      terraform: { backend: { local: { path: `state/${stack}.tfstate` } } },
      resource: { terraform_data: { marker: { input: 'v1' } } },
    };
    writeFileSync(join(dir, 'stacks', stack, 'cdk.tf.json'), JSON.stringify(json));
    stacks[stack] = { name: stack, synthesizedStackPath: `stacks/${stack}/cdk.tf.json` };
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks }));
}

const out = join(work, 'out');
writeOutput(out);

/** Runs the built CLI in `work` on the example estate's config and the output above. */
function sovstack(...args: string[]) {
  const common = [
    '--skip-synth',
    '-c',
    join(repoRoot, 'config'),
    '--out',
    out,
    '--run-dir',
    join(work, 'runs'),
    '--deployed-dir',
    join(work, 'deployed'),
  ];
  const result = spawnSync(process.execPath, [join(repoRoot, 'dist', 'app', 'cli', 'main.js'), ...args, ...common], {
    cwd: work,
    env: toolsEnv({ SOVSTACK_WORK_DIR: join(work, 'work'), CI: 'true' }),
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('sovstack plan | deploy | destroy | drift', () => {
  it('a wrong flag is a usage error (exit 2)', () => {
    expect(sovstack('deploy', '--all', '-j', '0')).toMatchObject({ status: 2 });
    expect(sovstack('plan', '--al').status).toBe(2);
  });

  it('flags that cannot go together are usage errors (exit 2), said before anything runs', () => {
    expect(sovstack('deploy', '--all', '--replan-unreviewed')).toMatchObject({
      status: 2,
      stderr: 'error: --replan-unreviewed goes with --plans <dir> (the folder of reviewed plans)\n',
    });
    expect(sovstack('deploy', '--all', '--rolling', '--plans', join(work, 'plans'))).toMatchObject({
      status: 2,
      stderr: "error: option '--rolling' cannot be used with option '--plans <dir>'\n",
    });
    expect(existsSync(join(work, 'runs'))).toBe(false);
  });

  it('an unknown stack stops the command before anything runs (exit 1, did you mean)', () => {
    const result = sovstack('deploy', 'alpha-sovereign-fr2');
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("sovstack deploy: no stack named 'alpha-sovereign-fr2' (did you mean 'alpha-sovereign-fr1'?)\n");
    expect(existsSync(join(work, 'runs'))).toBe(false);
  });

  it('plan --json: stdout holds only the run’s events, exit 2 on changes; progress and summary go to stderr', () => {
    const result = sovstack('plan', '--all', '--json');
    expect(result.status, result.stderr).toBe(2);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as RunEvent);
    expect(events[0]).toMatchObject({ type: 'run-started', action: 'plan', stacks: ['alpha-sovereign-fr1', 'beta-vendor-eu-west-0'] });
    expect(events.at(-1)).toMatchObject({ type: 'run-done', exitCode: 2, done: 2, failed: 0 });
    expect(events.filter((e) => e.type === 'stack-done').map((e) => (e as { changes: boolean }).changes)).toEqual([true, true]);
    expect(result.stderr).toContain('alpha-sovereign-fr1: planned (changes)');
    expect(result.stderr).toContain('sovstack plan ');
  });

  it('deploy --cloud deploys only that cloud’s stacks; drift then writes its report and exits 0', () => {
    const deploy = sovstack('deploy', '--cloud', 'sovereign-fr1');
    expect(deploy.status, deploy.stderr).toBe(0);
    expect(deploy.stdout).toMatch(/1 stack\(s\): 1 ok, 0 failed\n {2}alpha-sovereign-fr1: applied\n/);
    const drift = sovstack('drift', 'alpha-*');
    expect(drift.status, drift.stderr).toBe(0);
    const run = /drift report: (.*)\/drift\.md/.exec(drift.stdout)?.[1] ?? '';
    expect(readdirSync(run)).toEqual(expect.arrayContaining(['drift.md', 'drift.json', 'journal.jsonl']));
  });

  it('destroy takes the selected stack down (exit 0)', () => {
    const result = sovstack('destroy', 'alpha-sovereign-fr1');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('alpha-sovereign-fr1: destroyed');
  });
});
