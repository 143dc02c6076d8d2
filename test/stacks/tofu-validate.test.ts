import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { ClientStack } from '../../stacks/index.js';
import { registerGuardrails } from '../../core/guardrails/index.js';
import { FULL_SERVICE, FULL_USER_DATA, makeClient, sovereignCloud, vendorCloud } from '../support/fixtures.js';

/** PATH and TF_CLI_CONFIG_FILE as `.tools/env.sh` sets them: real tofu with the offline provider mirror. */
function toolsEnv(): NodeJS.ProcessEnv {
  const tools = resolve('.tools');
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
  env['PATH'] = `${join(tools, 'bin')}:${process.env['PATH'] ?? ''}`;
  env['TF_CLI_CONFIG_FILE'] = join(tools, 'tofurc');
  return env;
}

describe('tofu validate on a synthesized stack', () => {
  it('accepts a stack containing every construct', () => {
    expect(existsSync(join('.tools', 'bin', 'tofu')), 'run `npm run tools` first').toBe(true);
    const cloud = sovereignCloud({
      openstack: { endpointOverrides: { 'load-balancer': 'https://lb.fr1.sovereign.example/' } },
      hosts: ['lb.fr1.sovereign.example'],
      operations: { maxRetries: 7, loadBalancerTimeouts: { create: '30m', update: '1h', delete: '5m30s' } },
    });
    const stack = new ClientStack(Testing.app(), {
      client: makeClient({ service: FULL_SERVICE, sensitivity: 'sensitive', userData: FULL_USER_DATA }),
      cloud,
      toolkitVersion: '0.1.0',
    });
    registerGuardrails(stack, { clouds: [cloud, vendorCloud()] });
    const dir = join(Testing.fullSynth(stack), 'stacks', stack.stackName);
    const tf = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) as {
      provider: { openstack: { max_retries?: number }[] };
      resource: Record<string, Record<string, { timeouts?: unknown }>>;
    };
    expect(Object.keys(tf.resource)).toHaveLength(22); // every resource type the constructs use
    // The cloud's operations block lands where tofu reads it, so validate judges it too.
    expect(tf.provider.openstack[0]?.max_retries).toBe(7);
    expect(Object.values(tf.resource['openstack_lb_loadbalancer_v2'] ?? {})[0]?.timeouts).toEqual({
      create: '30m',
      update: '1h',
      delete: '5m30s',
    });

    const env = toolsEnv();
    execFileSync('tofu', ['init', '-backend=false', '-input=false', '-no-color'], { cwd: dir, env, stdio: 'pipe' });
    const out = execFileSync('tofu', ['validate', '-json', '-no-color'], { cwd: dir, env, stdio: 'pipe' }).toString();
    const result = JSON.parse(out) as { valid: boolean; error_count: number; warning_count: number; diagnostics: unknown[] };
    expect(result.diagnostics).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('accepts servers booted from a volume, the same client on a cloud whose catalog says so', () => {
    const cloud = vendorCloud({ catalog: { bootFromVolume: true } });
    const { dns: _dns, ...service } = FULL_SERVICE;
    const withRootDisk = {
      ...service,
      serverGroups: service.serverGroups.map((g) => ({ ...g, rootDisk: { sizeGb: 30, tier: 'performance' } })),
    };
    const stack = new ClientStack(Testing.app(), {
      client: makeClient({ service: withRootDisk, userData: FULL_USER_DATA }),
      cloud,
      toolkitVersion: '0.1.0',
    });
    registerGuardrails(stack, { clouds: [sovereignCloud(), cloud] });
    const dir = join(Testing.fullSynth(stack), 'stacks', stack.stackName);
    const json = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) as {
      resource: Record<string, Record<string, { block_device?: unknown }>>;
    };
    const instances = Object.values(json.resource['openstack_compute_instance_v2']);
    expect(instances.every((instance) => Array.isArray(instance.block_device))).toBe(true);

    const env = toolsEnv();
    execFileSync('tofu', ['init', '-backend=false', '-input=false', '-no-color'], { cwd: dir, env, stdio: 'pipe' });
    const out = execFileSync('tofu', ['validate', '-json', '-no-color'], { cwd: dir, env, stdio: 'pipe' }).toString();
    const result = JSON.parse(out) as { valid: boolean; diagnostics: unknown[] };
    expect(result.diagnostics).toEqual([]);
    expect(result.valid).toBe(true);
  });
});
