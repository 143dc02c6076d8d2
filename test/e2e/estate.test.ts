/**
 * Operating an estate on the lab (issue 13): the 12 clients of config/lab/clients/e2e-est-*.yaml,
 * six on each cloud, through `sovstack deploy | plan | drift | destroy` run as a user runs them.
 *
 * In order: deploy --all -j 4 (checked through the OpenStack APIs), a replan and a drift check
 * find nothing; an out-of-band change of each kind on the two clouds is reported by drift with the
 * right stack, resource and attribute, and deploy puts it back, while a 13th client with a flavor
 * its cloud does not have fails alone; the orchestrator killed with SIGKILL mid-deploy, then
 * --resume, converges with no duplicate and no lock; a client removed from the estate is an orphan
 * that `destroy <stack>` decommissions from what sovstack kept; destroy --all --purge-state leaves
 * nothing in either project and no state schema. Every assertion is scoped to these clients (other
 * tests use the lab at the same time).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import {
  cloudsYaml,
  describeInventory,
  ensureLab,
  inventory,
  type LabCloud,
  log,
  orphans,
  pgStateResources,
  pgStateSchemaExists,
  repoRoot,
  sampleLabMemory,
  stacksIn,
  tail,
} from './harness.js';
import { cleanEstate, driftedResources, ESTATE, type EstateClient, makeEstateWorkspace, sovstack } from './estate.js';
import { OpenStack } from './openstack.js';
import { changeVolumeMetadata, deleteSecurityGroupRule, type OutOfBandChange, renameServer, stopServer } from './out-of-band.js';
import { clientAndCloud, verifyDeployedService } from './verify.js';

const ws = makeEstateWorkspace('estate');
const other = (cloud: LabCloud): LabCloud => (cloud === 'lab-sovereign' ? 'lab-vendor' : 'lab-sovereign');
const byClient = (id: string): EstateClient => ESTATE.find((c) => c.client === id)!;

/** The 13th client: a copy of e2e-est-11 whose size maps to a flavor lab-vendor does not have. */
const FAILING: EstateClient = { client: 'e2e-est-13', cloud: 'lab-vendor', stack: 'e2e-est-13-lab-vendor' };
const ALL = [...ESTATE, FAILING];

function addFailingClient(): void {
  const cloudFile = join(ws.estate, 'clouds', 'lab-vendor.yaml');
  const cloud = parseDocument(readFileSync(cloudFile, 'utf8'));
  cloud.setIn(['catalog', 'sizes', 'retired'], 's3.retired.1'); // a flavor the lab never registered
  writeFileSync(cloudFile, cloud.toString());
  const client = parseDocument(readFileSync(join(repoRoot, 'config', 'lab', 'clients', 'e2e-est-11.yaml'), 'utf8'));
  client.set('id', FAILING.client);
  client.set('name', 'E2E estate — 13 (a flavor its cloud does not have)');
  client.setIn(['service', 'network', 'cidr'], '10.113.0.0/16');
  client.setIn(['service', 'network', 'subnets', 0, 'cidr'], '10.113.1.0/24');
  client.setIn(['service', 'securityGroups', 0, 'rules', 0, 'cidr'], '10.113.0.0/16');
  client.setIn(['service', 'serverGroups', 0, 'size'], 'retired');
  writeFileSync(join(ws.estate, 'clients', `${FAILING.client}.yaml`), client.toString());
}

/** Sets the server count of a client of the workspace's estate. */
function setServerCount(client: string, count: number): void {
  const file = join(ws.estate, 'clients', `${client}.yaml`);
  const doc = parseDocument(readFileSync(file, 'utf8'));
  doc.setIn(['service', 'serverGroups', 0, 'count'], count);
  writeFileSync(file, doc.toString());
}

/** Nothing in the client's project but what its state holds, and nothing of it on the other cloud. */
async function expectOnlyItsState(c: EstateClient): Promise<void> {
  const state = pgStateResources(c.cloud, c.stack);
  expect(state.length, `${c.stack} has a state`).toBeGreaterThan(0);
  expect(describeInventory(await orphans(c.cloud, c.client, state)), `${c.client}: in the APIs, not in the state`).toBe('');
  expect(describeInventory(await inventory(other(c.cloud), c.client)), `nothing of ${c.client} on ${other(c.cloud)}`).toBe('');
}

async function expectDeployed(c: EstateClient): Promise<void> {
  const { client, cloud } = await clientAndCloud(ws.estate, c.client, c.cloud);
  const servers = await verifyDeployedService(c.cloud, client, cloud);
  expect(servers, `servers of ${c.client}`).toBe(client.service.serverGroups.reduce((n, g) => n + g.count, 0));
  await expectOnlyItsState(c);
}

const summaryOf = (result: { stdout: string; stderr: string }): string => `${result.stdout}\n${result.stderr}`;

beforeAll(async () => {
  await ensureLab();
  await cleanEstate(ALL); // a run killed before its afterAll may have left resources: start from nothing
});

afterAll(async () => {
  const destroy = await sovstack(ws, ['destroy', '--all', '--decommission', '--purge-state', '-j', '4']);
  if (destroy.code !== 0) log(`cleanup: sovstack destroy --all failed, sweeping through the APIs:\n${tail(destroy, 30)}`);
  await cleanEstate(ALL);
});

describe('12 clients on the two lab clouds', () => {
  it('sovstack deploy --all -j 4 deploys them all', async () => {
    const deploy = await sovstack(ws, ['deploy', '--all', '-j', '4']);
    expect(deploy.code, tail(deploy, 60)).toBe(0);
    expect(stacksIn(ws.outdir)).toEqual(ESTATE.map((c) => c.stack).sort());
    for (const c of ESTATE) expect(summaryOf(deploy), `${c.stack} in the summary`).toMatch(new RegExp(`${c.stack}: applied`));
    sampleLabMemory('after deploying the estate');
  });

  it('the OpenStack APIs show every resource of every client as asked, in its project, and nothing else', async () => {
    for (const c of ESTATE) await expectDeployed(c);
  });

  it('sovstack plan --all shows no changes (exit 0)', async () => {
    const plan = await sovstack(ws, ['plan', '--all', '--skip-synth']);
    expect(plan.code, tail(plan, 60)).toBe(0);
  });

  it('sovstack drift --all right after the deploy finds no drift (exit 0)', async () => {
    const drift = await sovstack(ws, ['drift', '--all', '--skip-synth', '--report', join(ws.root, 'drift-0')]);
    expect(drift.code, `${tail(drift, 40)}\n${readFileSync(join(ws.root, 'drift-0', 'drift.md'), 'utf8').slice(0, 4000)}`).toBe(0);
    expect(driftedResources(join(ws.root, 'drift-0', 'drift.json'))).toEqual([]);
  });
});

describe('out-of-band changes on each cloud', () => {
  const changes: (OutOfBandChange & { stack: string; address: string })[] = [];

  it('are made through the OpenStack APIs', async () => {
    const made = [
      await deleteSecurityGroupRule('lab-sovereign', 'e2e-est-01', 22),
      await stopServer('lab-sovereign', 'e2e-est-02'),
      await renameServer('lab-vendor', 'e2e-est-08'),
      await changeVolumeMetadata('lab-vendor', 'e2e-est-10'),
    ];
    for (const change of made) {
      const stack = byClient(change.client).stack;
      const resource = pgStateResources(change.cloud, stack).find((r) => r.id === change.id);
      expect(resource, `${change.description}: the state holds it`).toBeDefined();
      expect(resource!.type).toBe(change.type);
      changes.push({ ...change, stack, address: resource!.address });
    }
  });

  it('sovstack drift --all exits 2 and its report names each stack, resource and attribute, and nothing else', async () => {
    const dir = join(ws.root, 'drift-1');
    const drift = await sovstack(ws, ['drift', '--all', '--skip-synth', '--report', dir]);
    expect(drift.code, tail(drift, 40)).toBe(2);
    const drifted = driftedResources(join(dir, 'drift.json'));
    const markdown = readFileSync(join(dir, 'drift.md'), 'utf8');
    for (const change of changes) {
      const found = drifted.find((d) => d.stack === change.stack && d.address === change.address);
      expect(found, `${change.description}: ${change.address} in the report\n${JSON.stringify(drifted, null, 1)}`).toBeDefined();
      expect(found!.change, change.description).toBe(change.change);
      if (change.attribute !== undefined) {
        expect(
          found!.paths.some((p) => p === change.attribute || p.startsWith(`${change.attribute}.`) || p.startsWith(`${change.attribute}[`)),
          `${change.description}: attribute ${change.attribute} among ${found!.paths.join(', ')}`,
        ).toBe(true);
      }
      expect(markdown, `${change.stack} in drift.md`).toContain(change.stack);
    }
    expect([...new Set(drifted.map((d) => d.stack))].sort(), 'only the changed stacks drifted').toEqual(
      [...new Set(changes.map((c) => c.stack))].sort(),
    );
  });

  it('sovstack deploy --all with a 13th client on a flavor its cloud lacks: that one fails alone, the drift is put back', async () => {
    addFailingClient();
    const deploy = await sovstack(ws, ['deploy', '--all', '-j', '4']);
    expect(deploy.code, tail(deploy, 60)).toBe(1);
    const summary = summaryOf(deploy);
    expect(summary.match(/^FAILED (\S+):/gm), 'the failures of the summary').toEqual([`FAILED ${FAILING.stack}:`]);
    expect(summary).toMatch(/flavor|s3\.retired\.1/i);
    for (const c of ESTATE) expect(summary, `${c.stack} succeeded`).toMatch(new RegExp(`^\\s+${c.stack}: (applied|unchanged)`, 'm'));
    for (const change of changes) expect(summary, `${change.stack} applied`).toMatch(new RegExp(`^\\s+${change.stack}: applied`, 'm'));
  });

  it('the APIs show each change put back', async () => {
    for (const client of ['e2e-est-01', 'e2e-est-02', 'e2e-est-08', 'e2e-est-10']) await expectDeployed(byClient(client));
    const os = await OpenStack.login(cloudsYaml, 'lab-vendor');
    const volume = (await os.volumes('e2e-est-10-app-1-data'))[0];
    expect(volume.metadata['changed-by'], 'the key added out of band is gone').toBeUndefined();
  });

  it('the failing client is destroyed and removed; sovstack drift --all then exits 0', async () => {
    const destroy = await sovstack(ws, ['destroy', FAILING.stack, '--decommission', '--purge-state']);
    expect(destroy.code, tail(destroy, 40)).toBe(0);
    expect(describeInventory(await inventory(FAILING.cloud, FAILING.client)), `nothing of ${FAILING.client} left`).toBe('');
    rmSync(join(ws.estate, 'clients', `${FAILING.client}.yaml`));
    const dir = join(ws.root, 'drift-2');
    const drift = await sovstack(ws, ['drift', '--all', '--report', dir]);
    expect(drift.code, `${tail(drift, 40)}\n${readFileSync(join(dir, 'drift.md'), 'utf8').slice(0, 4000)}`).toBe(0);
  });
});

describe('the orchestrator killed with SIGKILL mid-deploy, then --resume', () => {
  const grown = ['e2e-est-01', 'e2e-est-05', 'e2e-est-07', 'e2e-est-11'].map(byClient);
  const killed: { runId?: string; pid?: number; applying: string[]; scheduled: boolean } = { applying: [], scheduled: false };

  it('is killed while applies are in progress', async () => {
    for (const c of grown) setServerCount(c.client, 2);
    const deploy = await sovstack(ws, ['deploy', '--all', '-j', '4', '--json'], {
      onEvent: (event) => {
        if (event.type === 'run-started') Object.assign(killed, { runId: String(event.runId), pid: Number(event.pid) });
        if (event.type === 'phase' && event.phase === 'apply') killed.applying.push(String(event.stack));
        if (killed.applying.length >= 2 && killed.pid !== undefined && !killed.scheduled) {
          killed.scheduled = true;
          setTimeout(() => process.kill(killed.pid!, 'SIGKILL'), 3000); // in the middle of the applies
        }
      },
    });
    log(`orchestrator ${killed.pid} killed while applying ${killed.applying.join(', ')}`);
    expect(deploy.code, tail(deploy, 30)).toBe(128); // killed by a signal
    expect(killed.runId).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{4}$/);
    expect(killed.applying.length).toBeGreaterThanOrEqual(2);
  });

  it('--resume converges: exit 0, each grown client has exactly its two servers and nothing outside its state', async () => {
    const resume = await sovstack(ws, ['deploy', '--resume', killed.runId!]);
    expect(resume.code, tail(resume, 60)).toBe(0);
    const journal = readFileSync(join(ws.runDir, killed.runId!, 'journal.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(
      journal.filter((l) => l.includes('"type":"run-started"')),
      'the journal holds both attempts',
    ).toHaveLength(2);
    for (const c of grown) {
      const os = await OpenStack.login(cloudsYaml, c.cloud);
      const names = (await os.servers(`${c.client}-`)).map((s) => s.name).sort();
      expect(names, `servers of ${c.client}: no duplicate`).toEqual([`${c.client}-app-1`, `${c.client}-app-2`]);
      await expectDeployed(c);
    }
  });

  it('no lock is left and nothing changes: sovstack plan --all with a zero lock timeout exits 0', async () => {
    const plan = await sovstack(ws, ['plan', '--all', '--skip-synth'], { env: { SOVSTACK_LOCK_TIMEOUT: '0s' } });
    expect(plan.code, tail(plan, 60)).toBe(0);
  });
});

describe('an orphan: a client removed from the estate', () => {
  const gone = byClient('e2e-est-06');

  it('sovstack plan lists it as orphaned', async () => {
    rmSync(join(ws.estate, 'clients', `${gone.client}.yaml`));
    const plan = await sovstack(ws, ['plan', '--all', '--json']);
    expect(plan.code, tail(plan, 40)).toBe(0);
    expect(stacksIn(ws.outdir)).not.toContain(gone.stack);
    const done = plan.events.find((e) => e.type === 'run-done');
    expect(done?.orphans, 'run-done names the orphan').toEqual([gone.stack]);
    expect(summaryOf(plan)).toContain(`orphaned: ${gone.stack}`);
  });

  it('sovstack destroy <stack> --purge-state decommissions it without any copy of the synth output', async () => {
    rmSync(join(ws.workDir, gone.stack), { recursive: true, force: true }); // nothing but what sovstack keeps
    const destroy = await sovstack(ws, ['destroy', gone.stack, '--decommission', '--purge-state']);
    expect(destroy.code, tail(destroy, 40)).toBe(0);
    expect(describeInventory(await inventory(gone.cloud, gone.client)), `nothing of ${gone.client} left`).toBe('');
    expect(pgStateSchemaExists(gone.cloud, gone.stack), 'its state schema is dropped').toBe(false);
  });
});

describe('sovstack destroy --all --purge-state', () => {
  it('leaves nothing of the estate in either lab project and no state schema', async () => {
    const destroy = await sovstack(ws, ['destroy', '--all', '--decommission', '--purge-state', '-j', '4']);
    expect(destroy.code, tail(destroy, 60)).toBe(0);
    for (const c of ALL) {
      for (const cloud of ['lab-sovereign', 'lab-vendor'] as const) {
        expect(describeInventory(await inventory(cloud, c.client)), `${c.client} on ${cloud}`).toBe('');
      }
      expect(pgStateSchemaExists(c.cloud, c.stack), `state schema of ${c.stack}`).toBe(false);
    }
  });
});
