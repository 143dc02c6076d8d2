/**
 * A synth whose stacks are all up to date loads none of cdktf's library beyond its manifest writer
 * (nor the guardrails, which load cdktf): checked on the built CLI with one job, so that every module
 * is loaded by the main thread, with the probe of test/support/cdktf-probe.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { cdktfModulesLoadedBy } from '../support/cdktf-probe.js';

const work = mkdtempSync(join(tmpdir(), 'sovstack-lazy-cached-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** cdktf library modules (relative to cdktf/lib) loaded by a one-job synth of the example estate. */
function synthLoads(): string[] {
  const run = cdktfModulesLoadedBy('synth', '--config', 'config', '--out', join(work, 'cdktf.out'), '--jobs', '1');
  expect(run.status, run.stderr).toBe(0);
  return run.modules;
}

it('a synth with every stack up to date loads only the manifest writer of cdktf', () => {
  expect(synthLoads().length).toBeGreaterThan(50);
  expect(synthLoads()).toEqual(['manifest.js']);
});
