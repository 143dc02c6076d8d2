/**
 * Runs the built CLI with a preloaded probe that prints, when the process exits, the cdktf library modules
 * Node loaded (cdktf is CommonJS, so every cdktf module, even one imported from ES modules, passes through
 * `require.cache`) and the CommonJS packages whose code it loaded (e.g. `yaml`, which parses the estate;
 * reading a package's `package.json` does not count): what the lazy-loading tests assert on.
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
  const packages = Object.keys(require.cache).filter((path) => !path.endsWith('package.json')).flatMap((path) => /[\\\\/]node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(path)?.[1] ?? []);
  process.stderr.write('loaded-packages: ' + JSON.stringify([...new Set(packages)].sort()) + '\\n');
});
`,
  );
  return probe;
}

/**
 * Runs `dist/app/cli/main.js <args>` from the repository root; its exit code, stderr, the cdktf modules
 * (relative to cdktf/lib) and the CommonJS packages it loaded.
 */
export function cdktfModulesLoadedBy(...args: string[]): { status: number | null; stderr: string; modules: string[]; packages: string[] } {
  const bin = join(repoRoot, 'dist', 'app', 'cli', 'main.js');
  const run = spawnSync(process.execPath, ['--require', probeFile(), bin, ...args], { cwd: repoRoot, encoding: 'utf8' });
  const match = /loaded-cdktf-modules: (.*)/.exec(run.stderr);
  if (!match) throw new Error(`probe printed nothing:\n${run.stderr}`);
  const packages = /loaded-packages: (.*)/.exec(run.stderr);
  if (!packages) throw new Error(`probe printed no packages:\n${run.stderr}`);
  return {
    status: run.status,
    stderr: run.stderr,
    modules: JSON.parse(match[1]) as string[],
    packages: JSON.parse(packages[1]) as string[],
  };
}
