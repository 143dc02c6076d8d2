/**
 * Deploy for real: one client on each lab cloud, with the whole service shape, through the real
 * cdktf-cli and OpenTofu; checked through the OpenStack APIs; planned again (no changes);
 * destroyed (nothing left, state schema dropped).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cdktf,
  cleanupStack,
  describeInventory,
  dropStateSchema,
  ensureLab,
  inventory,
  inventoryCount,
  type LabCloud,
  makeWorkspace,
  orphans,
  pgStateResourceCount,
  planExitCode,
  sampleLabMemory,
  stacksIn,
  startClean,
  stateResources,
  tail,
} from './harness.js';
import { clientAndCloud, verifyDeployedService } from './verify.js';

const cases: { client: string; cloud: LabCloud; other: LabCloud }[] = [
  { client: 'e2e-sov', cloud: 'lab-sovereign', other: 'lab-vendor' },
  { client: 'e2e-vnd', cloud: 'lab-vendor', other: 'lab-sovereign' },
];

beforeAll(async () => {
  await ensureLab();
});

for (const { client, cloud, other } of cases) {
  describe(`${client} on ${cloud}`, () => {
    const stack = `${client}-${cloud}`;
    const ws = makeWorkspace(client, [client]);

    beforeAll(async () => {
      // a run killed before its afterAll may have left resources: start from nothing
      await startClean(cloud, client, stack);
    });
    afterAll(async () => {
      await cleanupStack(ws, cloud, client, stack);
    });

    it(`cdktf deploy ${stack} succeeds`, async () => {
      const deploy = await cdktf(ws, cloud, ['deploy', stack, '--auto-approve', '--skip-provider-lock']);
      expect(deploy.code, tail(deploy)).toBe(0);
      expect(stacksIn(ws.outdir)).toEqual([stack]);
      expect(deploy.output).toMatch(/Apply complete! Resources: \d+ added, 0 changed, 0 destroyed/);
      sampleLabMemory(`after deploying ${stack}`);
    });

    it('the OpenStack APIs show every resource as asked, in the right project, with the sovstack labels', async () => {
      const { client: config, cloud: cloudConfig } = await clientAndCloud(ws.estate, client, cloud);
      const servers = await verifyDeployedService(cloud, config, cloudConfig);
      expect(servers).toBe(2);
      // the state holds exactly what the APIs show, and the other cloud's project holds nothing of the client
      const state = await stateResources(ws, cloud, stack);
      expect(describeInventory(await orphans(cloud, client, state)), 'resources not in the state').toBe('');
      expect(pgStateResourceCount(cloud, stack)).toBe(state.length);
      expect(describeInventory(await inventory(other, client)), `nothing of ${client} on ${other}`).toBe('');
    });

    it('a second plan shows no changes', async () => {
      const plan = await planExitCode(ws, cloud, stack);
      expect(plan.code, tail(plan)).toBe(0);
      expect(plan.output).toContain('No changes.');
    });

    it(`cdktf destroy ${stack} leaves nothing of ${client} in the lab`, async () => {
      const destroy = await cdktf(ws, cloud, ['destroy', stack, '--auto-approve', '--skip-provider-lock']);
      expect(destroy.code, tail(destroy)).toBe(0);
      expect(destroy.output).toMatch(/Destroy complete! Resources: \d+ destroyed/);
      const left = await inventory(cloud, client);
      expect(describeInventory(left), 'left in the lab').toBe('');
      expect(inventoryCount(left)).toBe(0);
      expect(pgStateResourceCount(cloud, stack), 'state empty after destroy').toBe(0);
      dropStateSchema(cloud, stack);
      expect(pgStateResourceCount(cloud, stack), 'state schema dropped').toBeUndefined();
    });
  });
}
