/**
 * `--format` through the built binary: the document on stdout, the human text on stderr, the exit
 * code unchanged; warnings appear as SARIF warnings and do not fail the run.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/tools.js';

const bin = join(repoRoot, 'dist', 'app', 'cli', 'main.js');
const work = mkdtempSync(join(tmpdir(), 'sovstack-formats-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });

interface SarifLog {
  runs: {
    results: {
      ruleId: string;
      level: string;
      locations?: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[];
    }[];
  }[];
}

describe('sovstack --format', () => {
  it('validate --format sarif: a CIDR error located at its file and line, exit 1, text on stderr', () => {
    const dir = join(work, 'estate');
    cpSync(join(repoRoot, 'config'), dir, { recursive: true });
    const file = join(dir, 'clients', 'meteo-archives.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('cidr: 10.40.0.0/16', 'cidr: 10.40.0.0/33'));
    const result = run('validate', '--config', dir, '--format', 'sarif');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('1 configuration error');
    const results = (JSON.parse(result.stdout) as SarifLog).runs[0].results;
    expect(
      results.map((r) => [
        r.ruleId,
        r.level,
        r.locations?.[0]?.physicalLocation.artifactLocation.uri.endsWith('/clients/meteo-archives.yaml'),
      ]),
    ).toEqual([['config/cidr', 'error', true]]);
    expect(results[0].locations![0].physicalLocation.region!.startLine).toBeGreaterThan(1);
  });

  it('synth --format sarif: placement warnings are SARIF warnings and the run still exits 0', () => {
    const result = run('synth', '--out', join(work, 'out'), '--format', 'sarif');
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^synthesized 9 stacks/);
    const results = (JSON.parse(result.stdout) as SarifLog).runs[0].results;
    expect(results.length).toBeGreaterThan(0);
    expect(new Set(results.map((r) => r.level))).toEqual(new Set(['warning']));
  });

  it('check --format junit and --format json after that synth: one passing case per stack, exit 0', () => {
    const junit = run('check', '--out', join(work, 'out'), '--format', 'junit');
    expect(junit.status).toBe(0);
    expect(XMLValidator.validate(junit.stdout)).toBe(true);
    expect(junit.stdout).toContain('<testsuite name="sovstack check" tests="9" failures="0" errors="0">');
    const json = run('check', '--out', join(work, 'out'), '--format', 'json');
    expect(JSON.parse(json.stdout)).toMatchObject({ command: 'check', ok: true, findings: [] });
  });

  it('rejects an unknown format as a usage error (exit 2)', () => {
    const result = run('validate', '--format', 'xml');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Allowed choices are text, json, sarif, junit');
  });
});
