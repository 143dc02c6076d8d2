/**
 * Day-2 changes on one running client (docs/day2.md), each applied with `sovstack deploy` on the lab and
 * checked through the APIs for the outcome the doc promises: scale up (new servers join the pool), scale
 * down (refused while the data volumes are protected; then only the highest-numbered server, its member,
 * volume and port go), resize (in place), grow a volume (in place), a new image with `--rolling` (rebuilt
 * one server at a time; the pool always keeps a member whose server is up), security rules added and
 * removed (no server touched); and no data volume of the remaining servers is ever destroyed.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { repoRoot, toolsEnv } from '../support/tools.js';
import {
  cleanupStack,
  cloudsYaml,
  ensureLab,
  labEnv,
  log,
  makeWorkspace,
  run,
  type RunResult,
  startClean,
  tail,
  waitUntil,
  type Workspace,
} from './harness.js';
import { OpenStack, type LbMember, type LbPool, type Port, type SecurityGroup, type Server, type Volume } from './openstack.js';

const client = 'e2e-day2';
const cloud = 'lab-sovereign';
const stack = `${client}-${cloud}`;

/** Edits the client's YAML in the workspace's estate (comments kept). */
function editClient(ws: Workspace, edit: (doc: ReturnType<typeof parseDocument>) => void): void {
  const file = join(ws.estate, 'clients', `${client}.yaml`);
  const doc = parseDocument(readFileSync(file, 'utf8'));
  edit(doc);
  writeFileSync(file, doc.toString());
}
const group = ['service', 'serverGroups', 0];

/** `sovstack deploy <stack>` from the built CLI, on the lab's sovereign cloud. */
async function deploy(ws: Workspace, ...extra: string[]): Promise<RunResult> {
  const env = toolsEnv({ ...labEnv(cloud), SOVSTACK_WORK_DIR: join(ws.root, 'work'), CI: '1', NO_COLOR: '1' });
  const args = [
    'deploy',
    stack,
    '-c',
    ws.estate,
    '--out',
    ws.outdir,
    '--run-dir',
    join(ws.root, 'runs'),
    '--deployed-dir',
    join(ws.root, 'deployed'),
  ];
  const result = await run(process.execPath, [join(repoRoot, 'dist', 'app', 'cli', 'main.js'), ...args, '--json', ...extra], {
    env,
    cwd: ws.root,
  });
  log(`sovstack deploy ${extra.join(' ')} → exit ${result.code} (${result.seconds}s)`);
  return result;
}

interface PlannedChange {
  address: string;
  type: string;
  change: { actions: string[] };
}

/** What the last run's plan changes (its sanitized plan in the run folder), no-ops left out. */
function plannedChanges(ws: Workspace): PlannedChange[] {
  const runs = readdirSync(join(ws.root, 'runs')).sort();
  const plan = JSON.parse(readFileSync(join(ws.root, 'runs', runs.at(-1)!, 'plans', `${stack}.plan.json`), 'utf8')) as {
    resource_changes: PlannedChange[];
  };
  return plan.resource_changes.filter((rc) => rc.change.actions.join() !== 'no-op');
}

/** Resource types the last run's plan changed. */
function changedTypes(ws: Workspace): string[] {
  return [...new Set(plannedChanges(ws).map((rc) => rc.type))].sort();
}

/** A server's instance action (compute microversion ≥ 2.51 shows its events to the server's owner). */
interface InstanceAction {
  action: string;
  request_id: string;
  events?: InstanceActionEvent[];
}
interface InstanceActionEvent {
  event: string;
  result: string | null;
}

interface Snapshot {
  servers: Server[];
  volumes: Volume[];
  ports: Port[];
  members: LbMember[];
}

describe('day-2 changes on a running client (docs/day2.md)', () => {
  const ws = makeWorkspace(client, [client]);
  let os: OpenStack;
  let pool: LbPool;
  const dataVolumes = new Map<string, string>(); // server name → data volume id, from the first deploy

  const snapshot = async (): Promise<Snapshot> => {
    const servers = (await os.servers(`${client}-app-`)).sort((a, b) => a.name.localeCompare(b.name));
    const volumes = await os.volumes(`${client}-app-`);
    const ports = (await os.neutron<Port>('ports', `project_id=${os.projectId}`)).filter((p) => p.name.startsWith(`${client}-app-`));
    return { servers, volumes, ports, members: pool ? await os.poolMembers(pool.id) : [] };
  };
  const ids = (list: { id: string; name?: string | null }[]): Record<string, string> =>
    Object.fromEntries(list.map((r) => [r.name ?? '', r.id]));
  /** The events of the server's `extend_volume` actions: what Nova did on each `volume-extended` event from Cinder. */
  const extendVolumeEvents = async (serverId: string): Promise<InstanceActionEvent[]> => {
    const { instanceActions } = await os.get<{ instanceActions: InstanceAction[] }>('compute', `/servers/${serverId}/os-instance-actions`);
    const events: InstanceActionEvent[] = [];
    for (const action of instanceActions.filter((a) => a.action === 'extend_volume')) {
      const { instanceAction } = await os.get<{ instanceAction: InstanceAction }>(
        'compute',
        `/servers/${serverId}/os-instance-actions/${action.request_id}`,
      );
      events.push(...(instanceAction.events ?? []));
    }
    return events;
  };
  const expectDataVolumesKept = async (): Promise<void> => {
    const volumes = await os.volumes(`${client}-app-`);
    for (const [server, id] of dataVolumes)
      expect(volumes.find((v) => v.name === `${server}-data`)?.id, `${server}'s data volume`).toBe(id);
  };

  beforeAll(async () => {
    await ensureLab();
    await startClean(cloud, client, stack);
    os = await OpenStack.login(cloudsYaml, cloud);
  });
  afterAll(async () => {
    // a test client: lift the protection so its data volumes can go
    editClient(ws, (doc) => doc.set('decommission', true));
    const synth = await run(process.execPath, [
      join(repoRoot, 'dist', 'app', 'cli', 'main.js'),
      'synth',
      '-c',
      ws.estate,
      '--out',
      ws.outdir,
    ]);
    if (synth.code !== 0) log(`synth before cleanup failed:\n${tail(synth, 10)}`);
    await cleanupStack(ws, cloud, client, stack);
  });

  it('deploys two servers with a data volume each behind the pool', async () => {
    const result = await deploy(ws);
    expect(result.code, tail(result)).toBe(0);
    [pool] = (await os.octavia<LbPool>('pools', `project_id=${os.projectId}`)).filter((p) => p.name.startsWith(client));
    const now = await snapshot();
    expect(now.servers.map((s) => s.name)).toEqual([`${client}-app-1`, `${client}-app-2`]);
    expect(now.members).toHaveLength(2);
    for (const v of now.volumes) dataVolumes.set(v.name!.replace(/-data$/, ''), v.id);
    expect(dataVolumes.size).toBe(2);
  });

  it('scale up: the new server, its volume and port are created and it joins the pool; the others are untouched', async () => {
    const before = await snapshot();
    editClient(ws, (doc) => doc.setIn([...group, 'count'], 3));
    const result = await deploy(ws);
    expect(result.code, tail(result)).toBe(0);
    const after = await snapshot();
    expect(after.servers.map((s) => s.name)).toEqual([`${client}-app-1`, `${client}-app-2`, `${client}-app-3`]);
    expect(ids(after.servers)).toMatchObject(ids(before.servers));
    const third = after.ports.find((p) => p.name === `${client}-app-3`)!;
    expect(after.members.map((m) => m.address)).toContain(third.fixed_ips[0].ip_address);
    expect(after.members).toHaveLength(3);
    expect(after.volumes.map((v) => v.name)).toContain(`${client}-app-3-data`);
    await expectDataVolumesKept();
  });

  it('scale down is refused while the group protects its data volumes, and nothing changes', async () => {
    const before = await snapshot();
    editClient(ws, (doc) => doc.setIn([...group, 'count'], 2));
    const result = await deploy(ws);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/would lose protected data/);
    const after = await snapshot();
    expect(ids(after.servers)).toEqual(ids(before.servers));
    expect(ids(after.volumes)).toEqual(ids(before.volumes));
  });

  it('scale down after protectVolumes: false was deployed on its own removes only app-3, its member, data volume and port', async () => {
    const before = await snapshot();
    editClient(ws, (doc) => {
      doc.setIn([...group, 'count'], 3);
      doc.setIn([...group, 'protectVolumes'], false);
    });
    const lifted = await deploy(ws);
    expect(lifted.code, tail(lifted)).toBe(0);
    editClient(ws, (doc) => doc.setIn([...group, 'count'], 2));
    const result = await deploy(ws);
    expect(result.code, tail(result)).toBe(0);
    const after = await snapshot();
    expect(after.servers.map((s) => s.name)).toEqual([`${client}-app-1`, `${client}-app-2`]);
    const keep = (list: { id: string; name?: string | null }[]): Record<string, string> =>
      Object.fromEntries(Object.entries(ids(list)).filter(([name]) => !name.startsWith(`${client}-app-3`)));
    expect(ids(after.servers)).toEqual(keep(before.servers));
    expect(ids(after.volumes)).toEqual(keep(before.volumes));
    expect(ids(after.ports)).toEqual(keep(before.ports));
    const gone = before.ports.find((p) => p.name === `${client}-app-3`)!.fixed_ips[0].ip_address;
    expect(after.members.map((m) => m.address).sort()).toEqual(
      before.members
        .map((m) => m.address)
        .filter((a) => a !== gone)
        .sort(),
    );
    await expectDataVolumesKept();
    editClient(ws, (doc) => doc.deleteIn([...group, 'protectVolumes'])); // protected again from the next change on
  });

  it('resize: a bigger flavor resizes the servers in place (same ids, volumes still attached)', async () => {
    const before = await snapshot();
    editClient(ws, (doc) => doc.setIn([...group, 'size'], 'medium'));
    const result = await deploy(ws);
    expect(result.code, tail(result)).toBe(0);
    expect(changedTypes(ws)).toEqual(['openstack_compute_instance_v2']);
    const after = await snapshot();
    expect(ids(after.servers)).toEqual(ids(before.servers));
    for (const s of after.servers) {
      expect(s.flavor.original_name).toBe('n2.cw.standard-2');
      expect(s.status).toBe('ACTIVE');
    }
    for (const v of after.volumes) expect(v.status, `${v.name} attached`).toBe('in-use');
    await expectDataVolumesKept();
  });

  // The lab's Cinder extends with lab/py/sovstack_lab_cinder.py (the fake driver lacks an extend) and then, as on a real
  // cloud, sends Nova the `volume-extended` event; Nova records it as the server's `extend_volume` action.
  it('grow a volume: extended in place, same volume, still attached to its server, and Nova told', async () => {
    const before = await snapshot();
    editClient(ws, (doc) => doc.setIn([...group, 'volumes', 0, 'sizeGb'], 2));
    const result = await deploy(ws);
    expect(result.code, tail(result)).toBe(0);
    expect(plannedChanges(ws).map((rc) => [rc.type, rc.change.actions])).toEqual([
      ['openstack_blockstorage_volume_v3', ['update']],
      ['openstack_blockstorage_volume_v3', ['update']],
    ]);
    const after = await snapshot();
    expect(ids(after.servers)).toEqual(ids(before.servers));
    expect(ids(after.volumes)).toEqual(ids(before.volumes));
    expect(after.volumes).toHaveLength(2);
    for (const v of after.volumes) {
      const server = after.servers.find((s) => `${s.name}-data` === v.name)!;
      expect(v.size, `${v.name} size`).toBe(2);
      expect(v.status, `${v.name} status`).toBe('in-use');
      expect(v.attachments.map((a) => a.server_id)).toEqual([server.id]);
      await waitUntil(
        `Nova's extend_volume of ${v.name} on ${server.name}`,
        async () => {
          const events = await extendVolumeEvents(server.id);
          expect(
            events.filter((e) => e.result === 'Error'),
            `${server.name}: Nova failed to extend`,
          ).toEqual([]);
          return events.some((e) => e.result === 'Success');
        },
        60_000,
      );
    }
    await expectDataVolumesKept();
  });

  it('a new image with --rolling: each server is rebuilt in turn and the pool always keeps a member whose server is up', async () => {
    const before = await snapshot();
    editClient(ws, (doc) => doc.setIn([...group, 'image'], 'ubuntu-24'));
    const samples: { up: number; rebuilding: number }[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [servers, members] = await Promise.all([os.servers(`${client}-app-`), os.poolMembers(pool.id)]);
        const ports = new Map(before.ports.map((p) => [p.fixed_ips[0].ip_address, p.device_id]));
        const serving = members.filter(
          (m) => m.provisioning_status === 'ACTIVE' && servers.find((s) => s.id === ports.get(m.address))?.status === 'ACTIVE',
        );
        samples.push({ up: serving.length, rebuilding: servers.filter((s) => s.status !== 'ACTIVE').length });
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    const result = await deploy(ws, '--rolling');
    sampling = false;
    await sampler;
    expect(result.code, tail(result)).toBe(0);
    const notes = result.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { type: string; message?: string })
      .filter((e) => e.type === 'stack-note' && e.message?.startsWith('rolling: rebuild'))
      .map((e) => e.message);
    expect(notes).toEqual([`rolling: rebuild of ${client}-app-1 (1/2)`, `rolling: rebuild of ${client}-app-2 (2/2)`]);
    log(`rolling samples: ${samples.length}, servers not ACTIVE at once: max ${Math.max(...samples.map((s) => s.rebuilding))}`);
    expect(samples.length).toBeGreaterThan(3);
    expect(Math.min(...samples.map((s) => s.up)), 'members whose server is up, at every sample').toBeGreaterThanOrEqual(1);
    expect(Math.max(...samples.map((s) => s.rebuilding)), 'servers rebuilding at the same time').toBeLessThanOrEqual(1);
    const after = await snapshot();
    expect(ids(after.servers)).toEqual(ids(before.servers)); // rebuilt in place, not replaced
    for (const s of after.servers) expect(await os.serverImageName(s)).toBe('Ubuntu 24.04 LTS');
    expect(after.members).toHaveLength(2);
    await expectDataVolumesKept();
  });

  it('security rules added then removed: only rules change, no server is touched', async () => {
    const before = await snapshot();
    const sshRule = { protocol: 'tcp', ports: 22, cidr: '10.91.0.0/16', description: 'SSH from the network' };
    editClient(ws, (doc) => doc.addIn(['service', 'securityGroups', 0, 'rules'], doc.createNode(sshRule)));
    let result = await deploy(ws);
    expect(result.code, tail(result)).toBe(0);
    expect(changedTypes(ws)).toEqual(['openstack_networking_secgroup_rule_v2']);
    const [web] = (await os.neutron<SecurityGroup>('security-groups', `project_id=${os.projectId}`)).filter(
      (g) => g.name === `${client}-web`,
    );
    expect(web.security_group_rules.some((r) => r.port_range_min === 22 && r.remote_ip_prefix === '10.91.0.0/16')).toBe(true);
    editClient(ws, (doc) => doc.deleteIn(['service', 'securityGroups', 0, 'rules', 2]));
    result = await deploy(ws);
    expect(result.code, tail(result)).toBe(0);
    expect(changedTypes(ws)).toEqual(['openstack_networking_secgroup_rule_v2']);
    const after = await snapshot();
    expect(after.servers.map((s) => [s.id, s.status])).toEqual(before.servers.map((s) => [s.id, 'ACTIVE']));
    await expectDataVolumesKept();
  });
});
