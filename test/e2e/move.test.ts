/**
 * A policy change moves a client: standard and preferring lab-vendor it is deployed there; made
 * sensitive, the next synth has a new stack on lab-sovereign and no longer the old one. The new
 * stack is deployed while the old one's resources and state stay untouched, until an operator
 * decommissions it explicitly from the previous synth output.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cdktf,
  cleanupStack,
  describeInventory,
  dropStateSchema,
  ensureLab,
  inventory,
  inventoryIds,
  keepAside,
  makeWorkspace,
  orphans,
  pgStateResourceCount,
  planExitCode,
  sampleLabMemory,
  setPolicy,
  stacksIn,
  startClean,
  stateResources,
  tail,
} from './harness.js';
import { OpenStack } from './openstack.js';
import { cloudsYaml } from './harness.js';

const client = 'e2e-mov';
const oldStack = `${client}-lab-vendor`;
const newStack = `${client}-lab-sovereign`;
const ws = makeWorkspace('move', [client]);
const previous = join(ws.root, 'previous.out');

function placedOn(outdir: string): string | undefined {
  const report = JSON.parse(readFileSync(join(outdir, 'placement.json'), 'utf8')) as { placements: { client: string; cloud: string }[] };
  return report.placements.find((p) => p.client === client)?.cloud;
}

beforeAll(async () => {
  await ensureLab();
  await startClean('lab-vendor', client, oldStack);
  await startClean('lab-sovereign', client, newStack);
});
afterAll(async () => {
  await cleanupStack(ws, 'lab-vendor', client, oldStack, previous);
  await cleanupStack(ws, 'lab-sovereign', client, newStack);
});

describe(`${client} moves from lab-vendor to lab-sovereign when it becomes sensitive`, () => {
  it(`standard and preferring lab-vendor: synth gives ${oldStack}, deployed with cdktf deploy`, async () => {
    const deploy = await cdktf(ws, 'lab-vendor', ['deploy', oldStack, '--auto-approve', '--skip-provider-lock']);
    expect(deploy.code, tail(deploy)).toBe(0);
    expect(stacksIn(ws.outdir)).toEqual([oldStack]);
    expect(placedOn(ws.outdir)).toBe('lab-vendor');
    sampleLabMemory(`after deploying ${oldStack}`);
    keepAside(ws.outdir, previous);
  });

  it(`made sensitive: resynth has ${newStack} and no longer ${oldStack}`, async () => {
    setPolicy(ws, client, { sensitivity: 'sensitive', dataLocation: 'FR' });
    const synth = await cdktf(ws, 'lab-sovereign', ['synth']);
    expect(synth.code, tail(synth)).toBe(0);
    expect(stacksIn(ws.outdir)).toEqual([newStack]);
    expect(placedOn(ws.outdir)).toBe('lab-sovereign');
    // the kept-aside previous output still has the old stack, to decommission it from
    expect(stacksIn(previous)).toEqual([oldStack]);
  });

  it(`deploys ${newStack}; ${oldStack} stays intact in the vendor project and its state stays in pg`, async () => {
    const before = await inventory('lab-vendor', client);
    const deploy = await cdktf(ws, 'lab-sovereign', ['deploy', newStack, '--auto-approve', '--skip-provider-lock']);
    expect(deploy.code, tail(deploy)).toBe(0);
    sampleLabMemory(`after deploying ${newStack}`);

    const sovereign = await OpenStack.login(cloudsYaml, 'lab-sovereign');
    const newServers = await sovereign.servers(`${client}-`);
    expect(newServers.map((s) => [s.name, s.status, s.flavor.original_name])).toEqual([[`${client}-app-1`, 'ACTIVE', 's1.cw.small-1']]);
    expect(newServers[0].metadata['sovstack:cloud']).toBe('lab-sovereign');

    // the old stack: same resources (same ids) as before the move, all in its state, servers ACTIVE, volumes attached
    const after = await inventory('lab-vendor', client);
    expect(inventoryIds(after).sort()).toEqual(inventoryIds(before).sort());
    expect(after.servers).toHaveLength(1);
    const vendor = await OpenStack.login(cloudsYaml, 'lab-vendor');
    expect((await vendor.servers(`${client}-`)).map((s) => [s.status, s.metadata['sovstack:cloud']])).toEqual([['ACTIVE', 'lab-vendor']]);
    expect((await vendor.volumes(`${client}-`)).map((v) => v.status)).toEqual(['in-use']);
    const oldState = await stateResources(ws, 'lab-vendor', oldStack, previous);
    expect(describeInventory(await orphans('lab-vendor', client, oldState))).toBe('');
    expect(pgStateResourceCount('lab-vendor', oldStack), `state of ${oldStack} in pg`).toBe(oldState.length);
    expect(oldState.length).toBeGreaterThan(5);
    const oldPlan = await planExitCode(ws, 'lab-vendor', oldStack, previous);
    expect(oldPlan.code, `the old stack is unchanged: ${tail(oldPlan)}`).toBe(0);
  });

  it(`decommissions ${oldStack} from the previous output, then destroys ${newStack}: nothing left on either cloud`, async () => {
    const decommission = await cdktf(ws, 'lab-vendor', ['destroy', oldStack, '--auto-approve', '--skip-synth', '--skip-provider-lock'], {
      outdir: previous,
    });
    expect(decommission.code, tail(decommission)).toBe(0);
    expect(describeInventory(await inventory('lab-vendor', client)), 'left on lab-vendor').toBe('');
    expect((await inventory('lab-sovereign', client)).servers, 'the new stack is untouched by the decommission').toHaveLength(1);
    dropStateSchema('lab-vendor', oldStack);

    const destroy = await cdktf(ws, 'lab-sovereign', ['destroy', newStack, '--auto-approve', '--skip-provider-lock']);
    expect(destroy.code, tail(destroy)).toBe(0);
    expect(describeInventory(await inventory('lab-sovereign', client)), 'left on lab-sovereign').toBe('');
    dropStateSchema('lab-sovereign', newStack);
    expect(pgStateResourceCount('lab-vendor', oldStack)).toBeUndefined();
    expect(pgStateResourceCount('lab-sovereign', newStack)).toBeUndefined();
  });
});
