/**
 * What a synth loads when there is little or nothing to do, checked on the built CLI with one job (so that
 * every module is loaded by the main thread) with the probe of test/support/cdktf-probe.ts:
 * - every stack up to date (the whole pipeline, without the last run's record): none of cdktf's library
 *   beyond its manifest writer, nor the guardrails, which load cdktf;
 * - nothing changed since the last run (answered from its record): neither cdktf nor the estate's parser.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runRecordPath } from '../../app/synth/up-to-date.js';
import { cdktfModulesLoadedBy } from '../support/cdktf-probe.js';

const work = mkdtempSync(join(tmpdir(), 'sovstack-lazy-cached-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const outdir = join(work, 'cdktf.out');

/** cdktf library modules (relative to cdktf/lib) and CommonJS packages loaded by a one-job synth of the example estate. */
function synthLoads(): { modules: string[]; packages: string[] } {
  const run = cdktfModulesLoadedBy('synth', '--config', 'config', '--out', outdir, '--jobs', '1');
  expect(run.status, run.stderr).toBe(0);
  return run;
}

it('a synth with every stack up to date loads only the manifest writer of cdktf; with nothing changed, neither cdktf nor yaml', () => {
  const cold = synthLoads();
  expect(cold.modules.length).toBeGreaterThan(50);
  expect(cold.packages).toEqual(expect.arrayContaining(['cdktf', 'yaml', 'commander']));
  const unchanged = synthLoads();
  expect(unchanged.modules).toEqual([]);
  expect(unchanged.packages).not.toContain('yaml');
  expect(unchanged.packages).toContain('commander');
  rmSync(runRecordPath({ configDir: 'config', outdir })!);
  const upToDate = synthLoads();
  expect(upToDate.modules).toEqual(['manifest.js']);
  expect(upToDate.packages).toContain('yaml');
});
