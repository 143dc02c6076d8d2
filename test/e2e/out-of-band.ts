/**
 * Out-of-band changes: what an operator (or a script) does to a deployed client through the
 * OpenStack APIs, behind OpenTofu's back, so that `sovstack drift` has something to find. Each
 * change returns what a drift report must say about it: the OpenStack id of the resource (the test
 * maps it to the resource address through the stack's state), its Terraform type, the kind of
 * change a refresh-only plan sees, and the attribute that moved.
 */
import { cloudsYaml, log, waitUntil, type LabCloud } from './harness.js';
import { OpenStack, type SecurityGroup, type Server } from './openstack.js';

/** What a drift report must name for one out-of-band change. */
export interface OutOfBandChange {
  cloud: LabCloud;
  client: string;
  /** One line for logs and assertion messages. */
  description: string;
  /** OpenStack id of the changed resource (the `id` attribute of its state resource). */
  id: string;
  /** Terraform resource type of the changed resource. */
  type: string;
  /** How a refresh-only plan sees it: gone (`delete`) or changed in place (`update`). */
  change: 'delete' | 'update';
  /** The top-level attribute that moved (undefined for a deleted resource). */
  attribute?: string;
}

async function session(cloud: LabCloud): Promise<OpenStack> {
  return OpenStack.login(cloudsYaml, cloud);
}

/** The one server `<client>-<group>-<n>` (default the first server of group `app`). */
async function serverOf(os: OpenStack, client: string, name = `${client}-app-1`): Promise<Server> {
  const found = (await os.servers(name)).filter((s) => s.name === name);
  if (found.length !== 1) throw new Error(`expected one server ${name} on ${os.cloud}, found ${found.length}`);
  return found[0];
}

/**
 * Deletes the ingress rule of the client's security group `<client>-<group>` that opens `port`
 * (as someone "tidying up" rules would).
 */
export async function deleteSecurityGroupRule(cloud: LabCloud, client: string, port: number, group = 'app'): Promise<OutOfBandChange> {
  const os = await session(cloud);
  const groups = await os.neutron<SecurityGroup>('security-groups', `name=${encodeURIComponent(`${client}-${group}`)}`);
  if (groups.length !== 1) throw new Error(`expected one security group ${client}-${group} on ${cloud}, found ${groups.length}`);
  const rule = groups[0].security_group_rules.find((r) => r.direction === 'ingress' && r.port_range_min === port);
  if (!rule) throw new Error(`no ingress rule for port ${port} in ${client}-${group} on ${cloud}`);
  await os.delete('network', `/v2.0/security-group-rules/${rule.id}`);
  const description = `ingress rule ${port}/tcp of ${client}-${group} deleted on ${cloud}`;
  log(`out of band: ${description}`);
  return { cloud, client, description, id: rule.id, type: 'openstack_networking_secgroup_rule_v2', change: 'delete' };
}

/** Stops the client's first server (nova `os-stop`) and waits until nova reports it SHUTOFF. */
export async function stopServer(cloud: LabCloud, client: string): Promise<OutOfBandChange> {
  const os = await session(cloud);
  const server = await serverOf(os, client);
  await os.post('compute', `/servers/${server.id}/action`, { 'os-stop': null });
  await waitUntil(`${server.name} SHUTOFF`, async () => (await serverOf(os, client)).status === 'SHUTOFF', 120_000);
  const description = `server ${server.name} stopped on ${cloud}`;
  log(`out of band: ${description}`);
  return { cloud, client, description, id: server.id, type: 'openstack_compute_instance_v2', change: 'update', attribute: 'power_state' };
}

/** Renames the client's first server to `<name>-renamed` (the name still carries the client prefix). */
export async function renameServer(cloud: LabCloud, client: string): Promise<OutOfBandChange> {
  const os = await session(cloud);
  const server = await serverOf(os, client);
  await os.put('compute', `/servers/${server.id}`, { server: { name: `${server.name}-renamed` } });
  const description = `server ${server.name} renamed ${server.name}-renamed on ${cloud}`;
  log(`out of band: ${description}`);
  return { cloud, client, description, id: server.id, type: 'openstack_compute_instance_v2', change: 'update', attribute: 'name' };
}

/**
 * Changes one metadata key of the client's first volume (`<client>-app-1-data`) and adds another,
 * through cinder's metadata merge (`POST /volumes/{id}/metadata`).
 */
export async function changeVolumeMetadata(cloud: LabCloud, client: string): Promise<OutOfBandChange> {
  const os = await session(cloud);
  const name = `${client}-app-1-data`;
  const volumes = (await os.volumes(name)).filter((v) => v.name === name);
  if (volumes.length !== 1) throw new Error(`expected one volume ${name} on ${cloud}, found ${volumes.length}`);
  const volume = volumes[0];
  await os.post('volumev3', `/volumes/${volume.id}/metadata`, {
    metadata: { 'sovstack:sensitivity': 'public', 'changed-by': 'out-of-band' },
  });
  const description = `metadata of volume ${name} changed on ${cloud}`;
  log(`out of band: ${description}`);
  return { cloud, client, description, id: volume.id, type: 'openstack_blockstorage_volume_v3', change: 'update', attribute: 'metadata' };
}
