/**
 * Changes that lose data: a data volume or an object-storage container destroyed or replaced, or a
 * server with volumes destroyed or replaced. The report marks each as a blocker with the reason;
 * OpenTofu refuses most of them anyway (`prevent_destroy`) until the protection is lifted on purpose.
 */
import { isRecord } from '../../core/json.js';
import { stackResources, type TerraformJson } from '../affected/outdir.js';
import { parsePlan, summarizePlan } from './plan.js';
import type { ResourceChange } from './types.js';

const VOLUME = 'openstack_blockstorage_volume_v3';
const CONTAINER = 'openstack_objectstorage_container_v1';
const INSTANCE = 'openstack_compute_instance_v2';
const ATTACHMENT = 'openstack_compute_volume_attach_v2';

/** `${openstack_compute_instance_v2.<name>.id}` → `openstack_compute_instance_v2.<name>`. */
const INSTANCE_REF = /^\$\{(openstack_compute_instance_v2\.[^.}]+)\.id\}$/;
const VOLUME_REF = /^\$\{openstack_blockstorage_volume_v3\.([^.}]+)\.id\}$/;

/**
 * What each server of the given stacks keeps on volumes, by instance address: the data volumes
 * attached to it (by resource name) and `boot volume` when it boots from one.
 */
function volumesByServer(stacks: readonly TerraformJson[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (address: string, what: string) => out.set(address, (out.get(address) ?? new Set()).add(what));
  for (const stack of stacks) {
    for (const [address, body] of stackResources(stack)) {
      if (!isRecord(body)) continue;
      if (address.startsWith(`${ATTACHMENT}.`) && typeof body.instance_id === 'string') {
        const server = INSTANCE_REF.exec(body.instance_id)?.[1];
        const volume = typeof body.volume_id === 'string' ? VOLUME_REF.exec(body.volume_id)?.[1] : undefined;
        if (server !== undefined) add(server, volume !== undefined ? `${VOLUME}.${volume}` : 'an attached volume');
      }
      const devices = address.startsWith(`${INSTANCE}.`) && Array.isArray(body.block_device) ? body.block_device : [];
      if (devices.some((device) => isRecord(device) && device.destination_type === 'volume')) add(address, 'its boot volume');
    }
  }
  return out;
}

const verb = (change: ResourceChange): string => (change.action === 'destroy' ? 'destroyed' : 'replaced');

/** Why one change loses data, or undefined when it does not. */
function lossReason(change: ResourceChange, servers: Map<string, Set<string>>): string | undefined {
  if (change.action !== 'destroy' && change.action !== 'replace') return undefined;
  if (change.type === VOLUME) return `data volume ${verb(change)}: its data is lost`;
  if (change.type === CONTAINER) return `object-storage container ${verb(change)}: its objects are lost`;
  const volumes = change.type === INSTANCE ? servers.get(change.address) : undefined;
  if (volumes === undefined) return undefined;
  const what = [...volumes].sort().join(', ');
  return `server with volumes (${what}) ${verb(change)}: what it wrote outside its data volumes is lost, and its volumes are detached`;
}

/**
 * Marks every change of `resources` that loses data with a `blocker` reason, in place, and returns the
 * marked ones. `stacks` are the synthesized JSON documents the changes come from (head, and base when
 * known): they tell which servers have volumes.
 *
 * @example markDataLoss(report.resources, [headJson]).map((r) => r.blocker) // ['data volume replaced: its data is lost']
 */
export function markDataLoss(resources: ResourceChange[], stacks: readonly TerraformJson[]): ResourceChange[] {
  const servers = volumesByServer(stacks);
  const marked: ResourceChange[] = [];
  for (const change of resources) {
    const reason = lossReason(change, servers);
    if (reason === undefined) continue;
    change.blocker = reason;
    marked.push(change);
  }
  return marked;
}

/**
 * The changes of a `tofu show -json` plan that lose data, each with its reason: what a deploy should refuse
 * to apply unless the loss is intended (a scale-down removes resource blocks, which `prevent_destroy`
 * cannot protect). `stack` is the stack's synthesized JSON, which tells which servers have volumes.
 *
 * @throws when `plan` is not `tofu show -json` output.
 * @example planDataLoss(JSON.parse(readFileSync('plans/x.json', 'utf8')), stackJson) // [{ address: 'openstack_blockstorage_volume_v3.…', reason: 'data volume destroyed: its data is lost' }]
 */
export function planDataLoss(plan: unknown, stack: TerraformJson): { address: string; reason: string }[] {
  const { resources } = summarizePlan(parsePlan(plan));
  return markDataLoss(resources, [stack]).map((change) => ({ address: change.address, reason: change.blocker ?? '' }));
}
