/**
 * An OpenStack API process dies mid-apply: nova-api is killed (-9) while the stack's servers are
 * being created; the deploy fails; `lab/up` brings nova-api back; the deploy rerun converges, a plan
 * shows no changes, nothing exists in the project that the state does not hold, and destroy leaves
 * nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cdktf,
  cleanupStack,
  cloudsYaml,
  describeInventory,
  dropStateSchema,
  ensureLab,
  inventory,
  labServicePid,
  log,
  makeWorkspace,
  orphans,
  planExitCode,
  sampleLabMemory,
  startClean,
  stateResources,
  tail,
} from './harness.js';
import { OpenStack } from './openstack.js';

const client = 'e2e-crs';
const cloud = 'lab-vendor';
const stack = `${client}-${cloud}`;
const ws = makeWorkspace('crash', [client]);
const killed: { pid?: number } = {};

beforeAll(async () => {
  await ensureLab();
  await startClean(cloud, client, stack);
});
afterAll(async () => {
  await ensureLab(); // nova-api back even if the test stopped between the kill and the restart
  await cleanupStack(ws, cloud, client, stack);
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe(`nova-api killed while ${stack} is being deployed`, () => {
  it('the deploy fails once nova-api is gone', async () => {
    const os = await OpenStack.login(cloudsYaml, cloud);
    let done = false;
    // one operation at a time, so that when the first server shows up in nova, no other nova call is in flight
    const deploy = cdktf(ws, cloud, ['deploy', stack, '--auto-approve', '--skip-provider-lock', '--terraform-parallelism', '1']).finally(
      () => {
        done = true;
      },
    );
    while (!done && killed.pid === undefined) {
      const servers = await os.servers(`${client}-`).catch(() => []);
      if (servers.length > 0) {
        await sleep(1000); // the POST's answer has reached the provider: the server is in the state
        const pid = labServicePid('nova-api');
        process.kill(pid, 'SIGKILL');
        killed.pid = pid;
        log(`killed nova-api (pid ${pid}) with ${servers.map((s) => `${s.name} ${s.status}`).join(', ')} in nova`);
      } else {
        await sleep(500);
      }
    }
    const result = await deploy;
    expect(killed.pid, `nova-api was never killed: no server appeared during the deploy\n${tail(result)}`).toBeDefined();
    expect(result.code, tail(result)).not.toBe(0);
    expect(result.output).toMatch(/connection refused|connection reset|EOF|8774/i);
    log(`deploy failed as expected:\n${tail(result, 12)}`);
  });

  it('lab/up brings nova-api back', async () => {
    await ensureLab();
    expect(labServicePid('nova-api')).not.toBe(killed.pid);
  });

  it('the deploy rerun converges and a plan shows no changes', async () => {
    const deploy = await cdktf(ws, cloud, ['deploy', stack, '--auto-approve', '--skip-provider-lock']);
    expect(deploy.code, tail(deploy)).toBe(0);
    sampleLabMemory(`after redeploying ${stack}`);
    const plan = await planExitCode(ws, cloud, stack);
    expect(plan.code, tail(plan)).toBe(0);
    const os = await OpenStack.login(cloudsYaml, cloud);
    expect((await os.servers(`${client}-`)).map((s) => s.status)).toEqual(['ACTIVE', 'ACTIVE']);
    expect((await os.volumes(`${client}-`)).map((v) => v.status)).toEqual(['in-use', 'in-use']);
  });

  it('no orphan: every resource of the client in the project is in the state', async () => {
    const state = await stateResources(ws, cloud, stack);
    expect(describeInventory(await orphans(cloud, client, state)), 'in the API, not in the state').toBe('');
  });

  it('cdktf destroy leaves nothing', async () => {
    const destroy = await cdktf(ws, cloud, ['destroy', stack, '--auto-approve', '--skip-provider-lock']);
    expect(destroy.code, tail(destroy)).toBe(0);
    expect(describeInventory(await inventory(cloud, client)), 'left in the lab').toBe('');
    dropStateSchema(cloud, stack);
  });
});
