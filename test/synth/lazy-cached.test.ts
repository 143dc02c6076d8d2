/**
 * A synth whose stacks are all up to date loads none of cdktf's library beyond its manifest writer
 * (nor the guardrails, which load cdktf): checked on the built CLI with one job, so that every module
 * is loaded by the main thread, with a preloaded script listing the cdktf modules in `require.cache`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { repoRoot } from '../support/tools.js';

const work = mkdtempSync(join(tmpdir(), 'sovstack-lazy-cached-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const probe = join(work, 'probe.cjs');
writeFileSync(
  probe,
  `process.on('exit', () => {
  const cdktf = Object.keys(require.cache).filter((path) => /[\\\\/]node_modules[\\\\/]cdktf[\\\\/]lib[\\\\/]/.test(path));
  process.stderr.write('\\nloaded-cdktf-modules: ' + JSON.stringify(cdktf.map((path) => path.replace(/^.*[\\\\/]cdktf[\\\\/]lib[\\\\/]/, ''))) + '\\n');
});
`,
);

/** cdktf library modules (relative to cdktf/lib) loaded by a one-job synth of the example estate. */
function synthLoads(): string[] {
  const bin = join(repoRoot, 'dist', 'app', 'cli', 'main.js');
  const args = ['--require', probe, bin, 'synth', '--config', 'config', '--out', join(work, 'cdktf.out'), '--jobs', '1'];
  const run = spawnSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  const match = /loaded-cdktf-modules: (.*)/.exec(run.stderr);
  if (!match) throw new Error(`probe printed nothing:\n${run.stderr}`);
  return JSON.parse(match[1]) as string[];
}

it('a synth with every stack up to date loads only the manifest writer of cdktf', () => {
  expect(synthLoads().length).toBeGreaterThan(50);
  expect(synthLoads()).toEqual(['manifest.js']);
});
