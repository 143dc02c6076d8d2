/**
 * Test helpers that run the real OpenTofu built by scripts/tools.sh, with its offline provider mirror.
 * Tests that use them are never skipped: a missing toolchain is a failure telling how to build it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const toolsDir = join(repoRoot, '.tools');

/** Environment for tofu: our binary first on PATH, the offline CLI config, no telemetry. */
export function toolsEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const tofu = join(toolsDir, 'bin', 'tofu');
  if (!existsSync(tofu)) {
    throw new Error(`OpenTofu not found at ${tofu}: run \`npm run tools\` (scripts/tools.sh) first`);
  }
  return {
    ...process.env,
    PATH: `${join(toolsDir, 'bin')}:${process.env.PATH ?? ''}`,
    TF_CLI_CONFIG_FILE: join(toolsDir, 'tofurc'),
    TERRAFORM_BINARY_NAME: 'tofu',
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    ...extra,
  };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `tofu <args>` in `cwd` with the project's toolchain environment. */
export function tofu(args: string[], cwd: string, env: Record<string, string> = {}): RunResult {
  const result = spawnSync(join(toolsDir, 'bin', 'tofu'), [...args, '-no-color'], {
    cwd,
    env: toolsEnv(env),
    encoding: 'utf8',
    timeout: 180_000,
  });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Writes a Terraform JSON configuration into a fresh scratch folder and returns the folder. */
export function scratchWith(json: unknown, fileName = 'main.tf.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'sovstack-tofu-'));
  writeFileSync(join(dir, fileName), JSON.stringify(json, null, 2));
  return dir;
}

/** `tofu init -backend=false` then `tofu validate -json`; returns the parsed validate report. */
export function initAndValidate(dir: string): { valid: boolean; diagnostics: { summary: string; detail?: string }[]; init: RunResult } {
  const init = tofu(['init', '-backend=false', '-input=false'], dir);
  if (init.code !== 0) return { valid: false, diagnostics: [{ summary: 'tofu init failed', detail: init.stderr }], init };
  const validate = tofu(['validate', '-json'], dir);
  const report = JSON.parse(validate.stdout) as { valid: boolean; diagnostics: { summary: string; detail?: string }[] };
  return { ...report, init };
}
