/**
 * `sovstack synth --jobs`: a job count that is not a positive integer is a usage error (exit 2), and a
 * valid one synthesizes the same output as the default.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/tools.js';

const work = mkdtempSync(join(tmpdir(), 'sovstack-jobs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const bin = join(repoRoot, 'dist', 'app', 'cli', 'main.js');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: 'utf8' });

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      out[join(entry.parentPath, entry.name).slice(dir.length + 1)] = readFileSync(join(entry.parentPath, entry.name), 'latin1');
  }
  return out;
}

describe('sovstack synth --jobs', () => {
  it.each(['0', '-1', '1.5', 'two'])('rejects --jobs %s as a usage error, writing nothing', (value) => {
    const out = join(work, `bad-${value}`);
    const result = run('synth', '--out', out, '--jobs', value);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('positive integer');
    expect(() => readdirSync(out)).toThrow();
  });

  it('writes with --jobs 2 what it writes by default', () => {
    const parallel = join(work, 'two', 'cdktf.out');
    const plain = join(work, 'default', 'cdktf.out');
    expect(run('synth', '--out', parallel, '--jobs', '2').status).toBe(0);
    expect(run('synth', '--out', plain).status).toBe(0);
    expect(files(parallel)).toEqual(files(plain));
  });
});
