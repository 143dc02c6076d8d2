/**
 * Two deploys of one stack at once: the pg backend's lock lets exactly one apply run; the other
 * fails at once (`-lock-timeout=0s`) with OpenTofu's lock error, and the state stays intact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cdktf,
  cleanupStack,
  describeInventory,
  dropStateSchema,
  ensureLab,
  inventory,
  makeWorkspace,
  orphans,
  planExitCode,
  startClean,
  stateResources,
  tail,
  tofu,
} from './harness.js';

const client = 'e2e-lck';
const cloud = 'lab-sovereign';
const stack = `${client}-${cloud}`;
const ws = makeWorkspace('lock', [client]);

beforeAll(async () => {
  await ensureLab();
  await startClean(cloud, client, stack);
});
afterAll(async () => {
  await cleanupStack(ws, cloud, client, stack);
});

describe(`concurrent deploys of ${stack}`, () => {
  it('synthesizes and initialises the stack', async () => {
    const synth = await cdktf(ws, cloud, ['synth']);
    expect(synth.code, tail(synth)).toBe(0);
    const init = await tofu(ws, cloud, stack, ['init', '-input=false', '-no-color']);
    expect(init.code, tail(init)).toBe(0);
  });

  it('two simultaneous `tofu apply -lock-timeout=0s`: exactly one succeeds, the other fails on the state lock', async () => {
    const apply = (): ReturnType<typeof tofu> =>
      tofu(ws, cloud, stack, ['apply', '-auto-approve', '-input=false', '-no-color', '-lock-timeout=0s']);
    const results = await Promise.all([apply(), apply()]);
    const succeeded = results.filter((r) => r.code === 0);
    const failed = results.filter((r) => r.code !== 0);
    expect(succeeded, results.map((r) => tail(r, 15)).join('\n----\n')).toHaveLength(1);
    expect(failed).toHaveLength(1);
    expect(failed[0].output).toContain('Error acquiring the state lock');
    expect(succeeded[0].output).toMatch(/Apply complete! Resources: \d+ added/);
  });

  it('the state is intact: a following plan shows no changes and the state holds every resource the APIs show', async () => {
    const plan = await planExitCode(ws, cloud, stack);
    expect(plan.code, tail(plan)).toBe(0);
    const state = await stateResources(ws, cloud, stack);
    expect(state.filter((r) => r.type === 'openstack_compute_instance_v2')).toHaveLength(1);
    expect(describeInventory(await orphans(cloud, client, state)), 'resources not in the state').toBe('');
  });

  it('cdktf destroy leaves nothing', async () => {
    const destroy = await cdktf(ws, cloud, ['destroy', stack, '--auto-approve', '--skip-provider-lock']);
    expect(destroy.code, tail(destroy)).toBe(0);
    expect(describeInventory(await inventory(cloud, client)), 'left in the lab').toBe('');
    dropStateSchema(cloud, stack);
  });
});
