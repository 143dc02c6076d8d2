/**
 * Where OpenTofu finds `sovstack-state-key`: the launcher folder of app/keys/program.ts runs this package's
 * built program by name from PATH (as tofu does), says how to fix a package that is not built, is written once
 * per program, and is first on the PATH of the toolchain the orchestrator runs tofu with.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyProgramDir, keyProgramScript, pathWithKeyProgram } from '../../app/keys/program.js';
import { STATE_KEY_PROGRAM } from '../../core/guardrails/encryption-block.js';
import { resolveToolchain } from '../../app/operate/toolchain.js';
import { repoRoot, toolsEnv } from '../support/tools.js';

const cache = mkdtempSync(join(tmpdir(), 'sovstack-key-program-'));
const byName = (dir: string, args: string[]) =>
  spawnSync(STATE_KEY_PROGRAM, args, { env: { PATH: pathWithKeyProgram('/usr/bin:/bin', dir) }, encoding: 'utf8', input: 'null' });

describe('the key program on PATH', () => {
  it("runs this package's built program by name", () => {
    expect(keyProgramScript()).toBe(join(repoRoot, 'dist', 'app', 'keys', 'main.js'));
    const dir = keyProgramDir(cache);
    expect(statSync(join(dir, STATE_KEY_PROGRAM)).mode & 0o111).not.toBe(0);
    const result = byName(dir, ['provide']);
    // the real program's own usage message: it ran, with the node running sovstack
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'sovstack-state-key: usage: sovstack-state-key provide --stack <stack> --key-manager <url> --key-version <n> [--auth-url <url>] [--os-cloud <entry>]\n',
    );
  });

  it('is written once per program: the same folder again, another one for another program', () => {
    expect(keyProgramDir(cache)).toBe(keyProgramDir(cache));
    expect(keyProgramDir(cache, join(cache, 'other', 'main.js'))).not.toBe(keyProgramDir(cache));
  });

  it('says how to fix a package that is not built', () => {
    const missing = join(cache, 'not-built', 'dist', 'app', 'keys', 'main.js');
    const result = byName(keyProgramDir(cache, missing), ['provide']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`sovstack-state-key: ${missing} is missing; fix: npm run build\n`);
  });

  it("is on the PATH of the orchestrator's tofu, right after the toolchain's own bin and ahead of the caller's PATH", () => {
    const { env } = resolveToolchain(toolsEnv());
    const [tools, second] = (env.PATH ?? '').split(delimiter);
    expect(tools).toBe(join(repoRoot, '.tools', 'bin'));
    expect(second).toBe(keyProgramDir());
    expect(spawnSync('sh', ['-c', `command -v ${STATE_KEY_PROGRAM}`], { env, encoding: 'utf8' }).stdout.trim()).toBe(
      join(second, STATE_KEY_PROGRAM),
    );
  });
});
