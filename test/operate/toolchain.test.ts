/**
 * The toolchain the operate commands run: the project's OpenTofu with its unpacked offline mirror and no
 * shared plugin cache, so that parallel `tofu init`s (within a run or across runs) have nothing to collide on.
 */
import { execFile } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { resolveToolchain } from '../../app/operate/toolchain.js';
import { repoRoot } from '../support/tools.js';

const run = promisify(execFile);
const PROVIDER_DIR = 'registry.opentofu.org/terraform-provider-openstack/openstack/3.4.0/linux_amd64';

describe('resolveToolchain', () => {
  it("uses the project's tofu and mirror, and drops a plugin cache set in the environment", () => {
    const cache = mkdtempSync(join(tmpdir(), 'sovstack-cache-'));
    const { tofu, env } = resolveToolchain(
      { PATH: '/usr/bin', TF_PLUGIN_CACHE_DIR: cache, TF_CLI_CONFIG_FILE: '/nowhere/tofurc' },
      repoRoot,
    );
    expect(tofu).toBe(join(repoRoot, '.tools', 'bin', 'tofu'));
    expect(env.TF_CLI_CONFIG_FILE).toBe(join(repoRoot, '.tools', 'tofurc'));
    expect(env.TF_PLUGIN_CACHE_DIR).toBeUndefined();
    expect(env.PATH?.split(':')[0]).toBe(join(repoRoot, '.tools', 'bin'));
    expect(env).toMatchObject({ TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', TERRAFORM_BINARY_NAME: 'tofu' });
  });

  it('lets six parallel inits link the provider from the read-only mirror, writing nothing to a cache', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sovstack-inits-'));
    const cache = join(root, 'cache');
    mkdirSync(cache);
    const { tofu, env } = resolveToolchain({ ...process.env, TF_PLUGIN_CACHE_DIR: cache }, repoRoot);
    const dirs = Array.from({ length: 6 }, (_, i) => join(root, `stack-${i}`));
    const config = {
      terraform: { required_providers: { openstack: { source: 'terraform-provider-openstack/openstack', version: '3.4.0' } } },
    };
    await Promise.all(
      dirs.map(async (dir) => {
        mkdirSync(dir);
        writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(config));
        await run(tofu, ['init', '-input=false', '-no-color'], { cwd: dir, env });
      }),
    );
    for (const dir of dirs) {
      const linked = join(dir, '.terraform', 'providers', PROVIDER_DIR);
      expect(lstatSync(linked).isSymbolicLink()).toBe(true);
      expect(readlinkSync(linked)).toContain(join('plugins', PROVIDER_DIR));
    }
    expect(readdirSync(cache)).toEqual([]);
  }, 60_000);
});
