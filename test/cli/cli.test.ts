/**
 * The sovstack CLI: commands as functions (exit code + output), and the built binary end to end.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { placeCommand } from '../../app/cli/commands/place.js';
import { validateCommand } from '../../app/cli/commands/validate.js';
import { whatIfCommand } from '../../app/cli/commands/what-if.js';
import { repoRoot } from '../support/tools.js';

const example = join(repoRoot, 'config');
const work = mkdtempSync(join(tmpdir(), 'sovstack-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A copy of the example estate with one file rewritten. */
function estateWith(file: string, edit: (text: string) => string): string {
  const dir = join(work, `estate-${Math.random().toString(36).slice(2)}`);
  cpSync(example, dir, { recursive: true });
  writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')));
  return dir;
}

describe('sovstack validate', () => {
  it('accepts the example estate', async () => {
    const result = await validateCommand({ config: example });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/valid \(2 clouds, 9 clients, 1 templates\)/);
  });

  it('rejects a bad CIDR and a secret with file, path, line and fix, and never echoes the secret', async () => {
    const dir = estateWith('clients/meteo-archives.yaml', (text) =>
      text.replace('cidr: 10.40.0.0/16', 'cidr: 10.40.0.0/33').replace('policy:\n', 'adminPassword: hunter2-Zq8!xL\npolicy:\n'),
    );
    const result = await validateCommand({ config: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/clients\/meteo-archives\.yaml:\d+:\d+ service\.network\.cidr: /);
    expect(result.stderr).toMatch(/clients\/meteo-archives\.yaml:\d+:\d+ adminPassword: .*clouds\.yaml/);
    expect(result.stderr).not.toContain('hunter2');
  });
});

describe('sovstack place', () => {
  it('prints one row per client with its cloud and reason', async () => {
    const result = await placeCommand({ config: example });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^interieur-titres\s+sovereign-fr1\s+sensitive\s+[\d.]+ EUR\s+only eligible cloud$/m);
    expect(result.stdout).toMatch(/^ecologie-cartes\s+vendor-eu-west-0\s+standard\s+[\d.]+ EUR\s+pinned: /m);
  });

  it('--json carries every cloud’s per-rule verdicts, the warnings and the cost', async () => {
    const result = await placeCommand({ config: example, json: true });
    const json = JSON.parse(result.stdout) as {
      placements: {
        client: string;
        cloud: string;
        warnings: string[];
        cost: { monthly: number };
        evaluations: { cloud: string; eligible: boolean; verdicts: { rule: string; passed: boolean; reason: string }[] }[];
      }[];
      failures: unknown[];
    };
    expect(json.failures).toEqual([]);
    const titres = json.placements.find((p) => p.client === 'interieur-titres')!;
    expect(titres.cloud).toBe('sovereign-fr1');
    expect(titres.cost.monthly).toBeGreaterThan(0);
    const vendor = titres.evaluations.find((e) => e.cloud === 'vendor-eu-west-0')!;
    expect(vendor.eligible).toBe(false);
    expect(vendor.verdicts.find((v) => v.rule === 'sensitive-requires-secnumcloud')).toMatchObject({ passed: false });
    expect(vendor.verdicts.map((v) => v.rule).sort()).toEqual([
      'catalog-coverage',
      'data-location',
      'excluded-suppliers',
      'lifecycle',
      'sensitive-requires-secnumcloud',
      'services-offered',
    ]);
  });

  it('exits 1 and names the failed rules when a pin would break sovereignty', async () => {
    const dir = estateWith('clients/sante-dossiers.yaml', (text) =>
      text.replace(/policy:\n/, 'policy:\n  pin: { cloud: vendor-eu-west-0, justification: negotiated discount for 2027 }\n'),
    );
    const result = await placeCommand({ config: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/sante-dossiers \(pin-violation\): .*sensitive-requires-secnumcloud/);
  });
});

describe('sovstack what-if', () => {
  it('lists who moves, who is stranded and the cost delta, exit 1 when someone is stranded', async () => {
    const result = await whatIfCommand({ config: example, retire: 'vendor-eu-west-0' });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/^meteo-archives\s+vendor-eu-west-0\s+sovereign-fr1\s+moves\s+\+[\d.]+/m);
    expect(result.stdout).toMatch(/^ecologie-cartes\s+vendor-eu-west-0\s+—\s+stranded/m);
    expect(result.stdout).toMatch(/total EUR: [\d.]+ → [\d.]+ per month/);
  });

  it('rejects an unknown cloud id', async () => {
    const result = await whatIfCommand({ config: example, retire: 'nowhere' });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('unknown cloud "nowhere"; the estate has: sovereign-fr1, vendor-eu-west-0');
  });
});

describe('the built `sovstack` binary', () => {
  const bin = join(repoRoot, 'dist', 'app', 'cli', 'main.js');
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: 'utf8' });

  it('synth then check: every synthesized stack matches the provider schema, exit 0', () => {
    const out = join(work, 'bin.out');
    const synth = run('synth', '--out', out);
    expect(synth.stderr).toBe('');
    expect(synth.status).toBe(0);
    const check = run('check', '--out', out);
    expect(check.stdout).toContain('9 stacks pass the guardrails and match the provider schema');
    expect(check.status).toBe(0);
  });

  it('exits 2 on a usage error', () => {
    const result = run('place', '--no-such-option');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("unknown option '--no-such-option'");
  });
});
