/**
 * The CI glue end to end with the real OpenTofu: plan-chunk.sh plans a synthesized stack (local
 * backend, all resources new, so offline) with `sovstack plan --save-plans` and keeps only the sanitized
 * plan of this clear stack; report.sh reads it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot, toolsEnv } from '../support/tools.js';
import { resourcesOf } from './scenario.js';
import { SOVEREIGN, writeSynthOutput } from './synth-fixtures.js';

test('plan-chunk.sh writes a sanitized real plan, no clear binary plan, and report.sh reports it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sovstack-ci-'));
  const outdir = join(dir, 'cdktf.out');
  writeSynthOutput(outdir, {
    clouds: [SOVEREIGN],
    clients: [{ id: 'culture-portail', cloud: 'sovereign-fr1', monthly: 121.35, resources: resourcesOf('create') }],
  });
  // Point the fixture's local backend at the temp folder and pin the provider like the real stacks do.
  const stackFile = join(outdir, 'stacks', 'culture-portail-sovereign-fr1', 'cdk.tf.json');
  const stack = JSON.parse(readFileSync(stackFile, 'utf8')) as { terraform: { backend: unknown } };
  stack.terraform.backend = { local: { path: join(dir, 'state', 'culture-portail.tfstate') } };
  writeFileSync(stackFile, JSON.stringify(stack));
  // The example estate declares the fixture's cloud (its concurrency is read from there).
  const env = toolsEnv({ SOVSTACK_CI_SOURCE: '1', SOVSTACK_CONFIG: join(repoRoot, 'config') });

  const plan = spawnSync(
    'bash',
    [join(repoRoot, 'scripts/ci/plan-chunk.sh'), 'culture-portail-sovereign-fr1', '--', '--out', outdir, '--plans', join(dir, 'plans')],
    {
      cwd: dir,
      env,
      encoding: 'utf8',
      timeout: 300_000,
    },
  );
  expect(plan.status, plan.stderr).toBe(0);
  expect(plan.stdout).toContain('plan-chunk.sh: 1 plans');
  expect(readdirSync(join(dir, 'plans'))).toEqual(['culture-portail-sovereign-fr1.plan.json']);
  const planFile = join(dir, 'plans', 'culture-portail-sovereign-fr1.plan.json');
  const text = readFileSync(planFile, 'utf8');
  expect(text).not.toContain('Cr3ate-Secret-N0t-In-Report');
  expect(text).toContain('"admin_pass": "(redacted)"');
  expect(Object.keys(JSON.parse(text) as object)).not.toContain('planned_values');

  const report = spawnSync(
    'bash',
    [
      join(repoRoot, 'scripts/ci/report.sh'),
      '--head',
      outdir,
      '--base',
      join(dir, 'missing.out'),
      '--plans',
      join(dir, 'plans'),
      '--write',
      join(dir, 'report'),
    ],
    {
      cwd: dir,
      env,
      encoding: 'utf8',
    },
  );
  expect(report.status).toBe(0);
  expect(report.stderr).toContain('reporting without comparison');
  expect(report.stdout).toMatch(/culture-portail-sovereign-fr1\s+—\s+4\s+0\s+0\s+0\s+0\s+plan \(tofu 1\.12\.6\)/);
  for (const f of ['report.md', 'report.txt', 'report.json']) expect(existsSync(join(dir, 'report', f))).toBe(true);

  const missing = spawnSync('bash', [join(repoRoot, 'scripts/ci/plan-chunk.sh'), 'nope-sovereign-fr1', '--', '--out', outdir], {
    cwd: dir,
    env,
    encoding: 'utf8',
  });
  expect(missing.status).toBe(1);
  expect(missing.stderr).toContain('plan-chunk.sh: 1 of 1 plans failed: nope-sovereign-fr1');
});
