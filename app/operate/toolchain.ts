/**
 * The OpenTofu the operate commands run: the project's toolchain (scripts/tools.sh: `.tools/bin/tofu`
 * and `.tools/tofurc`, the offline provider mirror), or one already set up in the environment
 * (`source .tools/env.sh`: `tofu` on PATH and `TF_CLI_CONFIG_FILE`). Never a registry: without a CLI
 * config naming a mirror, nothing runs.
 */
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { packageRoot } from '../../core/package-info.js';

/** The tofu binary and the environment to run it with. */
export interface Toolchain {
  tofu: string;
  env: NodeJS.ProcessEnv;
}

/** The first `tofu` on `PATH`, if any. */
function tofuOnPath(path: string | undefined): string | undefined {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, 'tofu'))) return join(dir, 'tofu');
  }
  return undefined;
}

/** `.tools` of the current folder, else of the sovstack package. */
function toolsDir(cwd: string): string | undefined {
  return [join(cwd, '.tools'), join(packageRoot, '.tools')].find((dir) => existsSync(join(dir, 'bin', 'tofu')));
}

/**
 * The toolchain for `base` (default `process.env`): `.tools` of `cwd` or of the package when built
 * (with its own CLI config), else `tofu` on PATH with `TF_CLI_CONFIG_FILE` naming an existing file. Sets
 * `TF_IN_AUTOMATION` and `CHECKPOINT_DISABLE`.
 *
 * With the project's toolchain there is no plugin cache: its mirror is unpacked, so `tofu init` links each
 * stack's `.terraform/providers` straight to the read-only mirror (about 0.1 s, nothing written that another
 * init could rewrite), whereas a shared `TF_PLUGIN_CACHE_DIR` is not safe for concurrent inits in OpenTofu
 * 1.12 (opentofu/opentofu#1483). With a toolchain from the environment, its own `TF_PLUGIN_CACHE_DIR`, if
 * any, is kept.
 *
 * @throws a user-facing error saying how to build the toolchain when neither is found.
 * @example const { tofu, env } = resolveToolchain();
 */
export function resolveToolchain(base: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Toolchain {
  const tools = toolsDir(resolve(cwd));
  const env: NodeJS.ProcessEnv = { ...base };
  let tofu: string | undefined;
  if (tools !== undefined) {
    tofu = join(tools, 'bin', 'tofu');
    env.PATH = `${join(tools, 'bin')}${delimiter}${base.PATH ?? ''}`;
    // The mirror that goes with this tofu, whatever the environment says (it may name a config that does not exist).
    env.TF_CLI_CONFIG_FILE = join(tools, 'tofurc');
    delete env.TF_PLUGIN_CACHE_DIR;
  } else if (base.TF_CLI_CONFIG_FILE !== undefined && existsSync(base.TF_CLI_CONFIG_FILE)) {
    tofu = tofuOnPath(base.PATH);
  }
  if (tofu === undefined) {
    throw new Error(
      'OpenTofu and its offline provider mirror were not found (no .tools/bin/tofu here or in the sovstack package, and no tofu on PATH ' +
        'with TF_CLI_CONFIG_FILE set); fix: run `npm run tools` (scripts/tools.sh), or `source .tools/env.sh`',
    );
  }
  env.TF_IN_AUTOMATION = '1';
  env.CHECKPOINT_DISABLE = '1';
  env.TERRAFORM_BINARY_NAME = 'tofu';
  return { tofu, env };
}
