/**
 * The `mixed` and `create` plan fixtures are real `tofu show -json` output: regenerate them with the
 * project's OpenTofu and offline provider mirror and check they still match, and that the report
 * reads them. Needs the toolchain (`npm run tools`); never skipped.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { readPlan, summarizePlan } from '../../app/report/index.js';
import { repoRoot, toolsEnv } from '../support/tools.js';
import { PLANS } from './scenario.js';

test('committed real plan fixtures equal a fresh tofu plan of their sources', () => {
  const out = mkdtempSync(join(tmpdir(), 'sovstack-plans-'));
  const run = spawnSync('bash', [join(PLANS, 'generate.sh'), out], { cwd: repoRoot, env: toolsEnv(), encoding: 'utf8', timeout: 300_000 });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  for (const name of ['mixed', 'create']) {
    const fresh = JSON.parse(readFileSync(join(out, `${name}.plan.json`), 'utf8')) as {
      resource_changes: unknown;
      terraform_version: string;
    };
    const committed = JSON.parse(readFileSync(join(PLANS, `${name}.plan.json`), 'utf8')) as typeof fresh;
    expect(fresh.terraform_version).toBe(committed.terraform_version);
    expect(fresh.resource_changes).toEqual(committed.resource_changes);
    expect(summarizePlan(readPlan(join(out, `${name}.plan.json`)))).toEqual(summarizePlan(readPlan(join(PLANS, `${name}.plan.json`))));
  }
  const mixed = summarizePlan(readPlan(join(out, 'mixed.plan.json')));
  expect(mixed.counts).toMatchObject({ create: 1, update: 1, replace: 1, destroy: 1, noop: 1 });
});
