/**
 * The CI deploy glue with the real git and OpenTofu: deploy-chunk.sh deploys a chunk with `sovstack deploy`
 * and keeps the deployed store on the `sovstack-deployed` branch of the remote (deployed-store.sh), so that
 * a later job on a fresh clone still knows what was deployed; two jobs pushing at once both land.
 * Stacks use a `local` backend and `terraform_data`: no cloud needed.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, toolsEnv } from '../support/tools.js';
import { readJournal } from '../../app/operate/journal.js';
import { encryptedStackJson, PASSPHRASE_ENV, stackJson, writeOutput } from '../support/operate-project.js';

const root = mkdtempSync(join(tmpdir(), 'sovstack-ci-deploy-'));
const env = toolsEnv({
  SOVSTACK_CI_SOURCE: '1',
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
  GITHUB_SHA: 'abc123',
  SOVSTACK_CONFIG: join(repoRoot, 'config'),
  ...PASSPHRASE_ENV,
});

function sh(cwd: string, command: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 300_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function git(cwd: string, ...args: string[]): string {
  const result = sh(cwd, 'git', args);
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

/** A bare "origin" with one commit on main, and `clone(name)` giving a fresh CI checkout of it. */
function remote() {
  const base = mkdtempSync(join(root, 'remote-'));
  const origin = join(base, 'origin.git');
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', origin);
  const seed = join(base, 'seed');
  git(root, 'clone', '--quiet', origin, seed);
  writeFileSync(join(seed, 'README.md'), 'estate\n');
  git(seed, 'add', 'README.md');
  git(seed, 'commit', '--quiet', '-m', 'estate');
  git(seed, 'push', '--quiet', 'origin', 'HEAD:main');
  const clone = (name: string): string => {
    const dir = join(base, name);
    git(root, 'clone', '--quiet', origin, dir);
    return dir;
  };
  return { origin, clone };
}

const script = (name: string): string => join(repoRoot, 'scripts', 'ci', name);
const deployedOnBranch = (origin: string): string[] =>
  git(origin, 'ls-tree', '--name-only', 'sovstack-deployed')
    .split('\n')
    .filter((line) => line !== '');

describe('CI deploy with the deployed store on a branch', () => {
  const { origin, clone } = remote();
  const stacks = {
    'alpha-sovereign-fr1': stackJson('alpha-sovereign-fr1', 'sovereign-fr1', { web: 'v1' }),
    'beta-sovereign-fr1': stackJson('beta-sovereign-fr1', 'sovereign-fr1', { web: 'v1' }),
  };

  it('deploys the chunk, leaves removed stacks alone, and records both stacks on the branch', () => {
    const job = clone('job-1');
    writeOutput(join(job, 'cdktf.out'), stacks);
    const chunk = JSON.stringify([
      { stack: 'alpha-sovereign-fr1', change: 'new' },
      { stack: 'beta-sovereign-fr1', change: 'new' },
      { stack: 'gone-sovereign-fr1', change: 'removed' },
    ]);
    const result = sh(job, 'bash', [script('deploy-chunk.sh'), chunk]);
    expect(result.stderr).toContain('gone-sovereign-fr1 is no longer synthesized; it stays deployed (orphaned)');
    expect(result.status).toBe(0);
    expect(deployedOnBranch(origin)).toEqual(['alpha-sovereign-fr1.tf.json', 'beta-sovereign-fr1.tf.json']);
    expect(git(origin, 'log', '-1', '--format=%s', 'sovstack-deployed')).toBe('deploy abc123: alpha-sovereign-fr1 beta-sovereign-fr1');
  });

  it('lets a later job on a fresh clone see the deployed store (the orphan is listed by plan)', () => {
    const job = clone('job-2');
    writeOutput(join(job, 'cdktf.out'), { 'alpha-sovereign-fr1': stacks['alpha-sovereign-fr1'] });
    // The state of the first job's stacks lives with the project in a real backend; here, copy the local one.
    cpSync(join(job, '..', 'job-1', '.sovstack', 'work'), join(job, '.sovstack', 'work'), { recursive: true });
    expect(sh(job, 'bash', [script('deployed-store.sh'), 'pull', '.sovstack/deployed']).status).toBe(0);
    const plan = sh(job, 'node', [
      '--import',
      join(repoRoot, 'node_modules/tsx/dist/loader.mjs'),
      join(repoRoot, 'app/cli/main.ts'),
      'plan',
      '--all',
      '--skip-synth',
    ]);
    expect(plan.stdout + plan.stderr).toContain('orphaned: beta-sovereign-fr1');
    expect(plan.status).toBe(0);
  });

  it('two jobs pushing at once both land: the second rebases on the first', () => {
    const first = clone('job-3');
    const second = clone('job-4');
    for (const job of [first, second]) {
      expect(sh(job, 'bash', [script('deployed-store.sh'), 'pull', 'store']).status).toBe(0);
    }
    writeFileSync(join(first, 'store', 'gamma-vendor-eu-west-0.tf.json'), '{}\n');
    writeFileSync(join(second, 'store', 'delta-vendor-eu-west-0.tf.json'), '{}\n');
    expect(sh(first, 'bash', [script('deployed-store.sh'), 'push', 'store', 'deploy gamma']).status).toBe(0);
    const late = sh(second, 'bash', [script('deployed-store.sh'), 'push', 'store', 'deploy delta']);
    expect(late.stderr).toContain('moved (attempt 1); rebasing on it');
    expect(late.status).toBe(0);
    expect(deployedOnBranch(origin)).toEqual([
      'alpha-sovereign-fr1.tf.json',
      'beta-sovereign-fr1.tf.json',
      'delta-vendor-eu-west-0.tf.json',
      'gamma-vendor-eu-west-0.tf.json',
    ]);
  });

  it('refuses to check the branch out over files that are not it', () => {
    const job = clone('job-5');
    mkdirSync(join(job, 'store'));
    writeFileSync(join(job, 'store', 'alpha-sovereign-fr1.tf.json'), '{}\n');
    const result = sh(job, 'bash', [script('deployed-store.sh'), 'pull', 'store']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('store already holds files that are not the sovstack-deployed branch; move them aside first');
  });
});

describe('the reviewed plans of a pull request reach the deploy after the merge', () => {
  const { clone } = remote();
  const stacks = {
    'clear-sovereign-fr1': stackJson('clear-sovereign-fr1', 'sovereign-fr1', { web: 'v1' }),
    'sealed-sovereign-fr1': encryptedStackJson('sealed-sovereign-fr1', 'sovereign-fr1', { web: 'sealed-marker-value' }),
  };
  const chunk = JSON.stringify(Object.keys(stacks).map((stack) => ({ stack, change: 'new' })));

  it('the plan job keeps the encrypted binary plan, the deploy job applies exactly it and plans the clear stack afresh', () => {
    const planJob = clone('review-plan');
    writeOutput(join(planJob, 'cdktf.out'), stacks);
    const planned = sh(planJob, 'bash', [script('plan-chunk.sh'), ...Object.keys(stacks), '--', '--plans', 'plans']);
    expect(planned.status, planned.stderr).toBe(0);
    expect(readdirSync(join(planJob, 'plans')).sort()).toEqual([
      'clear-sovereign-fr1.plan.json',
      'sealed-sovereign-fr1.plan.json',
      'sealed-sovereign-fr1.tfplan',
      'sealed-sovereign-fr1.tfplan.meta',
    ]);
    expect(readFileSync(join(planJob, 'plans', 'sealed-sovereign-fr1.tfplan')).includes('sealed-marker-value')).toBe(false);

    // The artifact reaches a fresh checkout of the merge commit, which synthesizes the same stacks.
    const deployJob = clone('review-deploy');
    writeOutput(join(deployJob, 'cdktf.out'), stacks);
    cpSync(join(planJob, 'plans'), join(deployJob, 'reviewed'), { recursive: true });
    const deployed = spawnSync('bash', [script('deploy-chunk.sh'), chunk], {
      cwd: deployJob,
      env: { ...env, SOVSTACK_REVIEWED_PLANS: 'reviewed' },
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(deployed.status, deployed.stderr).toBe(0);
    const runs = join(deployJob, '.sovstack', 'runs');
    const events = readJournal(join(runs, readdirSync(runs)[0], 'journal.jsonl'));
    const done = events.flatMap((e) => (e.type === 'stack-done' ? [[e.stack, e.outcome, e.planHash]] : []));
    const sealedHash = `sha256:${createHash('sha256')
      .update(readFileSync(join(planJob, 'plans', 'sealed-sovereign-fr1.tfplan')))
      .digest('hex')}`;
    expect(done).toEqual([
      ['clear-sovereign-fr1', 'applied', expect.stringMatching(/^sha256:/)],
      ['sealed-sovereign-fr1', 'applied', sealedHash],
    ]);
    expect(deployed.stderr).toContain('no reviewed plan');
  });

  it('refuses SOVSTACK_REVIEWED_PLANS that is not a folder', () => {
    const job = clone('review-missing');
    writeOutput(join(job, 'cdktf.out'), stacks);
    const result = spawnSync('bash', [script('deploy-chunk.sh'), chunk], {
      cwd: job,
      env: { ...env, SOVSTACK_REVIEWED_PLANS: 'nowhere' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('SOVSTACK_REVIEWED_PLANS=nowhere is not a folder');
  });
});
