/**
 * Commands load only the modules they need: `validate` and `place` never load cdktf or the provider
 * bindings (only `synth` does). Checked on the built binary, with a preloaded script that lists, when
 * the process exits, the CommonJS modules Node loaded (cdktf is CommonJS, so every cdktf module, even
 * one imported from ES modules, passes through `require.cache`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/tools.js';

const work = mkdtempSync(join(tmpdir(), 'sovstack-lazy-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const probe = join(work, 'probe.cjs');
writeFileSync(
  probe,
  `process.on('exit', () => {
  const cdktf = Object.keys(require.cache).filter((path) => /[\\\\/]node_modules[\\\\/]cdktf[\\\\/]lib[\\\\/]/.test(path));
  process.stderr.write('\\nloaded-cdktf-modules: ' + cdktf.length + '\\n');
});
`,
);

/** Runs the built CLI with the probe; returns its exit code and the number of cdktf library modules it loaded. */
function cdktfModulesLoadedBy(...args: string[]): { status: number | null; cdktf: number } {
  const bin = join(repoRoot, 'dist', 'app', 'cli', 'main.js');
  const run = spawnSync(process.execPath, ['--require', probe, bin, ...args], { cwd: repoRoot, encoding: 'utf8' });
  const match = /loaded-cdktf-modules: (\d+)/.exec(run.stderr);
  if (!match) throw new Error(`probe printed nothing:\n${run.stderr}`);
  return { status: run.status, cdktf: Number(match[1]) };
}

describe('commands load only what they need', () => {
  it('validate loads no cdktf module', () => {
    expect(cdktfModulesLoadedBy('validate', '--config', 'config')).toEqual({ status: 0, cdktf: 0 });
  });

  it('place loads no cdktf module', () => {
    expect(cdktfModulesLoadedBy('place', '--config', 'config')).toEqual({ status: 0, cdktf: 0 });
  });

  it('synth does load cdktf (the probe sees it)', () => {
    const loaded = cdktfModulesLoadedBy('synth', '--config', 'config', '--out', join(work, 'cdktf.out'), '--jobs', '1');
    expect(loaded.status).toBe(0);
    expect(loaded.cdktf).toBeGreaterThan(50);
  });
});
