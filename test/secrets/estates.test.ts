/**
 * The detector on the real estates: the example estate (config/) and the lab estate (config/lab)
 * validate without a secret finding, and nothing in their synthesized stacks looks like a
 * credential. On the config side, `OS_PASSWORD=…` in a description fails `sovstack validate` with
 * the file and line, without the value.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateCommand } from '../../app/cli/commands/validate.js';
import { synthEstate } from '../../app/synth/run.js';
import { findSecretsIn } from '../../core/secrets/index.js';
import { repoRoot } from '../support/tools.js';

const work = mkdtempSync(join(tmpdir(), 'sovstack-secrets-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const ESTATES = [
  ['example', join(repoRoot, 'config')],
  ['lab', join(repoRoot, 'config', 'lab')],
] as const;

describe.each(ESTATES)('the %s estate', (name, configDir) => {
  it('validates with no secret finding', async () => {
    const result = await validateCommand({ config: configDir });
    // The lab estate carries lab-only warnings (plain http to loopback); none may be about a secret.
    expect(result.stderr ?? '').not.toMatch(/looks like|names a credential/);
    expect(result.exitCode).toBe(0);
  });

  it('synthesizes stacks in which nothing looks like a credential', async () => {
    const outdir = join(work, `${name}.out`);
    const outcome = await synthEstate({ configDir, outdir });
    if (!outcome.ok) throw new Error(outcome.message);
    const stacks = readdirSync(join(outdir, 'stacks'));
    expect(stacks.length).toBeGreaterThan(0);
    const found = stacks.flatMap((stack) => {
      const json = JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as unknown;
      return findSecretsIn(json).map((f) => `${stack} ${f.path}: ${f.what}`);
    });
    expect(found).toEqual([]);
    expect(findSecretsIn(JSON.parse(readFileSync(join(outdir, 'placement.json'), 'utf8')))).toEqual([]);
  });
});

describe('sovstack validate on a credential in free text', () => {
  it('fails on OS_PASSWORD=… in a security rule description, with file, line and path, without the value', async () => {
    const dir = join(work, 'estate-with-password');
    cpSync(join(repoRoot, 'config'), dir, { recursive: true, filter: (src) => !src.includes(`${join('config', 'lab')}`) });
    const file = join(dir, 'clients', 'ecologie-cartes.yaml');
    const original = readFileSync(file, 'utf8');
    const edited = original.replace(
      'description: SSH from the admin bastion network',
      'description: "SSH from the bastion, OS_PASSWORD=Vq7mR2pLx9"',
    );
    expect(edited).not.toBe(original);
    writeFileSync(file, edited);
    const line = edited.split('\n').findIndex((l) => l.includes('OS_PASSWORD')) + 1;
    const result = await validateCommand({ config: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `clients/ecologie-cartes\\.yaml:${line}:\\d+ service\\.securityGroups\\[\\d+\\]\\.rules\\[1\\]\\.description: .*credential assignment \\(OS_PASSWORD=…\\)`,
      ),
    );
    expect(result.stderr).toContain('clouds.yaml');
    expect(result.stderr).not.toContain('Vq7mR2pLx9');
  });
});
