/**
 * The CI glue end to end with the real OpenTofu: plan-stack.sh plans a synthesized stack (local
 * backend, all resources new, so offline) and keeps only the sanitized plan; report.sh reads it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot, toolsEnv } from '../support/tools.js';
import { resourcesOf } from './scenario.js';
import { SOVEREIGN, writeSynthOutput } from './synth-fixtures.js';

test('plan-stack.sh writes a sanitized real plan and report.sh reports it', () => {
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
  const env = toolsEnv({ SOVSTACK_CI_SOURCE: '1' });

  const plan = spawnSync(
    'bash',
    [join(repoRoot, 'scripts/ci/plan-stack.sh'), 'culture-portail-sovereign-fr1', '--out', outdir, '--plans', join(dir, 'plans')],
    {
      cwd: dir,
      env,
      encoding: 'utf8',
      timeout: 300_000,
    },
  );
  expect(plan.stderr).toBe('');
  expect(plan.status).toBe(0);
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

  const missing = spawnSync('bash', [join(repoRoot, 'scripts/ci/plan-stack.sh'), 'nope-sovereign-fr1', '--out', outdir], {
    cwd: dir,
    env,
    encoding: 'utf8',
  });
  expect(missing.status).toBe(1);
  expect(missing.stderr).toContain('no synthesized stack');
});
