/**
 * Resource changes between two synthesized stacks, for stacks without a plan: what a change to the
 * configuration does, by resource address, values redacted.
 */
import { canonicalJson } from '../../core/json.js';
import { changedBlocks, stackResources, type TerraformJson } from '../affected/outdir.js';
import { countAction, showValue, zeroCounts } from './plan.js';
import { redactPair } from './redact.js';
import type { AttributeChange, ResourceChange, StackReport } from './types.js';

/** Orders strings by code unit, the same on every machine. */
export const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Top-level attributes that differ between two synthesized resource bodies, redacted. */
function configAttributeChanges(before: unknown, after: unknown): AttributeChange[] {
  const [b, a] = redactPair(before, after) as [Record<string, unknown>, Record<string, unknown>];
  const out: AttributeChange[] = [];
  for (const key of [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])].sort()) {
    if (canonicalJson(b?.[key]) === canonicalJson(a?.[key])) continue;
    const shownBefore = showValue(b?.[key]);
    const shownAfter = showValue(a?.[key]);
    out.push({
      path: key,
      ...(shownBefore !== undefined ? { before: shownBefore } : {}),
      ...(shownAfter !== undefined ? { after: shownAfter } : {}),
    });
  }
  return out;
}

const typeOf = (address: string): string => (address.startsWith('data.') ? (address.split('.')[1] ?? '') : (address.split('.')[0] ?? ''));
const isManaged = (address: string): boolean => !address.startsWith('data.');

/** Number of managed resources (data sources left out) in a synthesized stack. */
export const managedCount = (stack: TerraformJson): number => [...stackResources(stack).keys()].filter(isManaged).length;

/**
 * Attributes whose change the OpenStack provider can only apply by replacing the resource (ForceNew in its
 * schema), for the resources where a config change commonly hits one: without a plan, such a change is
 * known to be a replacement.
 */
const FORCES_REPLACEMENT: Readonly<Record<string, readonly string[]>> = {
  openstack_compute_instance_v2: ['user_data', 'key_pair', 'image_name', 'image_id', 'block_device', 'availability_zone'],
  openstack_blockstorage_volume_v3: ['availability_zone'],
};

/** The change of one resource address, or undefined when it is unchanged. */
function resourceChange(address: string, b: unknown, a: unknown, removedReason: string | undefined): ResourceChange | undefined {
  const type = typeOf(address);
  if (b === undefined) return { address, type, action: 'create', attributes: [] };
  if (a === undefined) return { address, type, action: 'destroy', ...(removedReason ? { reason: removedReason } : {}), attributes: [] };
  if (canonicalJson(b) === canonicalJson(a)) return undefined;
  const attributes = configAttributeChanges(b, a);
  const forcing = attributes.filter((change) => (FORCES_REPLACEMENT[type] ?? []).includes(change.path));
  if (forcing.length === 0) return { address, type, action: 'change', attributes };
  for (const change of forcing) change.forcesReplacement = true;
  const reason = `forced by ${forcing.map((change) => change.path).join(', ')}`;
  return { address, type, action: 'replace', reason, attributes };
}

/**
 * Resource changes between two synthesized stacks (either may be absent): counts, changed managed
 * resources sorted by address, and other changed blocks (data sources, providers, outputs).
 *
 * @example synthDiff(baseStack, headStack).counts.change // 1
 */
export function synthDiff(
  base: TerraformJson | undefined,
  head: TerraformJson | undefined,
  removedReason?: string,
): Pick<StackReport, 'counts' | 'resources' | 'otherChanges'> {
  const before = base ? stackResources(base) : new Map<string, unknown>();
  const after = head ? stackResources(head) : new Map<string, unknown>();
  const counts = zeroCounts();
  const resources: ResourceChange[] = [];
  const otherChanges = base && head ? changedBlocks(base, head) : [];
  for (const address of [...new Set([...before.keys(), ...after.keys()])].sort(byName)) {
    const b = before.get(address);
    const a = after.get(address);
    if (!isManaged(address)) {
      if (canonicalJson(b) !== canonicalJson(a)) otherChanges.push(address);
      continue;
    }
    const change = resourceChange(address, b, a, removedReason);
    countAction(counts, change?.action ?? 'no-op');
    if (change) resources.push(change);
  }
  return { counts, resources, otherChanges };
}
