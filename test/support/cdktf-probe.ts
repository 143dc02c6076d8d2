/**
 * Runs the built CLI with a preloaded probe that prints, when the process exits, the cdktf library modules
 * Node loaded (cdktf is CommonJS, so every cdktf module, even one imported from ES modules, passes through
 * `require.cache`): what the lazy-loading tests assert on.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './tools.js';

let probe: string | undefined;

function probeFile(): string {
  if (probe !== undefined) return probe;
  probe = join(mkdtempSync(join(tmpdir(), 'sovstack-probe-')), 'probe.cjs');
  writeFileSync(
    probe,
    `process.on('exit', () => {
  const cdktf = Object.keys(require.cache).filter((path) => /[\\\\/]node_modules[\\\\/]cdktf[\\\\/]lib[\\\\/]/.test(path));
  process.stderr.write('\\nloaded-cdktf-modules: ' + JSON.stringify(cdktf.map((path) => path.replace(/^.*[\\\\/]cdktf[\\\\/]lib[\\\\/]/, ''))) + '\\n');
});
`,
  );
  return probe;
}

/** Runs `dist/app/cli/main.js <args>` from the repository root; its exit code, stderr and the cdktf modules (relative to cdktf/lib) it loaded. */
export function cdktfModulesLoadedBy(...args: string[]): { status: number | null; stderr: string; modules: string[] } {
  const bin = join(repoRoot, 'dist', 'app', 'cli', 'main.js');
  const run = spawnSync(process.execPath, ['--require', probeFile(), bin, ...args], { cwd: repoRoot, encoding: 'utf8' });
  const match = /loaded-cdktf-modules: (.*)/.exec(run.stderr);
  if (!match) throw new Error(`probe printed nothing:\n${run.stderr}`);
  return { status: run.status, stderr: run.stderr, modules: JSON.parse(match[1]) as string[] };
}
