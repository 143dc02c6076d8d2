/**
 * The loud warnings at the top of a report: placement failures, destroyed and replaced resources,
 * orphaned stacks, changes to sensitive clients, clients on deprecated or retired clouds.
 */
import type { SynthOutput } from '../affected/outdir.js';
import { failureText } from '../../core/placement/format.js';
import { stackNameFor } from '../../stacks/names.js';
import { redactText } from './redact.js';
import type { PlacementRow, ReportWarning, StackReport, WarningKind } from './types.js';

const MAX_LISTED = 5;

function listAddresses(addresses: string[]): string {
  const shown = addresses.slice(0, MAX_LISTED).join(', ');
  return addresses.length > MAX_LISTED ? `${shown} and ${addresses.length - MAX_LISTED} more` : shown;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function placementFailures(head: SynthOutput): ReportWarning[] {
  return (head.placement?.failures ?? []).map((failure) => ({
    kind: 'placement-failure',
    client: failure.client,
    message: redactText(`client ${failure.client} could not be placed (${failure.kind}): ${failureText(failure)}`),
  }));
}

function placementWarnings(head: SynthOutput): ReportWarning[] {
  return (head.placement?.placements ?? []).flatMap((placement) =>
    placement.warnings.map((message) => ({
      kind: 'placement-warning' as const,
      client: placement.client,
      message: redactText(`${placement.client}: ${message}`),
    })),
  );
}

/** Changes that lose data (see `markDataLoss`): one blocker per stack, each change with its reason. */
function dataLoss(stacks: StackReport[]): ReportWarning[] {
  return stacks.flatMap((s) => {
    const lost = s.resources.filter((r) => r.blocker !== undefined).map((r) => `${r.address} (${r.blocker})`);
    if (lost.length === 0) return [];
    const message =
      `${s.stack}: ${plural(lost.length, 'change')} would LOSE DATA: ${listAddresses(lost)}. Save the data first; ` +
      'OpenTofu refuses a protected volume or container still in the configuration until `protectVolumes: false` or `decommission: true` lifts it';
    return [{ kind: 'data-loss' as const, stack: s.stack, client: s.client, message }];
  });
}

/** An address, with the reason of its change when the plan gives one (`forced by user_data`). */
const withReason = (r: { address: string; reason?: string }): string => (r.reason ? `${r.address} (${r.reason})` : r.address);

function destroysAndReplacements(stacks: StackReport[]): ReportWarning[] {
  const out: ReportWarning[] = [];
  for (const s of stacks.filter((stack) => stack.status !== 'removed')) {
    const destroyed = s.resources.filter((r) => r.action === 'destroy').map((r) => r.address);
    if (destroyed.length > 0) {
      const message = `${s.stack}: ${plural(destroyed.length, 'resource')} will be DESTROYED (${s.source}): ${listAddresses(destroyed)}`;
      out.push({ kind: 'destroy', stack: s.stack, client: s.client, message });
    }
    const replaced = s.resources.filter((r) => r.action === 'replace').map(withReason);
    if (replaced.length > 0) {
      const message = `${s.stack}: ${plural(replaced.length, 'resource')} will be REPLACED (destroyed then re-created, data on them is lost): ${listAddresses(replaced)}`;
      out.push({ kind: 'replace', stack: s.stack, client: s.client, message });
    }
  }
  return out;
}

function movedOrRemoved(row: PlacementRow, stacks: StackReport[]): ReportWarning | undefined {
  const countOf = (stack: string): number => stacks.find((s) => s.stack === stack)?.resourceCount ?? 0;
  if (row.change === 'moved' && row.previousCloud) {
    const old = stackNameFor(row.client, row.previousCloud);
    const message =
      `client ${row.client} moves from ${row.previousCloud} to ${row.cloud}: new stack ${row.stack} is created, ` +
      `old stack ${old} is ORPHANED (its ${plural(countOf(old), 'resource')} keep running on ${row.previousCloud}) until decommissioned with \`cdktf destroy ${old}\` after the data is migrated`;
    return { kind: 'moved', client: row.client, stack: old, message };
  }
  if (row.change === 'removed') {
    const message =
      `client ${row.client} (${row.clientName}) is REMOVED from the configuration: stack ${row.stack} is ORPHANED ` +
      `(its ${plural(countOf(row.stack), 'resource')} keep running on ${row.cloud}) until decommissioned with \`cdktf destroy ${row.stack}\``;
    return { kind: 'removed-client', client: row.client, stack: row.stack, message };
  }
  return undefined;
}

/** Orphaned stacks: explained by a client that moved or was removed, or on their own. */
function orphans(placements: PlacementRow[], stacks: StackReport[]): ReportWarning[] {
  const out = placements.flatMap((row) => movedOrRemoved(row, stacks) ?? []);
  const explained = new Set(out.map((w) => w.stack));
  for (const s of stacks.filter((stack) => stack.status === 'removed' && !explained.has(stack.stack))) {
    const message = `stack ${s.stack} is no longer synthesized: it is ORPHANED (its ${plural(s.resourceCount, 'resource')} keep running) until decommissioned with \`cdktf destroy ${s.stack}\``;
    out.push({ kind: 'removed-client', stack: s.stack, client: s.client, message });
  }
  return out;
}

function sensitiveChanges(stacks: StackReport[]): ReportWarning[] {
  const out: ReportWarning[] = [];
  for (const s of stacks.filter((stack) => stack.sensitivity === 'sensitive')) {
    const statusTouches = s.status === 'new' || s.status === 'changed' || s.status === 'removed';
    const touched = statusTouches || s.resources.some((r) => r.action !== 'read') || s.otherChanges.length > 0;
    if (!touched) continue;
    const what = s.status === 'new' ? 'is new' : s.status === 'removed' ? 'is removed' : 'changes';
    const message = `${s.stack} holds SENSITIVE data and ${what}: review by the client's security officer required`;
    out.push({ kind: 'sensitive-change', stack: s.stack, client: s.client, message });
  }
  return out;
}

function cloudLifecycles(head: SynthOutput, placements: PlacementRow[]): ReportWarning[] {
  const clouds = new Map((head.placement?.clouds ?? []).map((c) => [c.id, c]));
  const out: ReportWarning[] = [];
  for (const row of placements.filter((p) => p.change !== 'removed')) {
    const lifecycle = clouds.get(row.cloud)?.lifecycle;
    const at = { kind: 'deprecated-cloud', client: row.client, stack: row.stack } as const;
    if (lifecycle?.status === 'deprecated') {
      const message = `client ${row.client} is placed on DEPRECATED cloud ${row.cloud} (end of life ${lifecycle.endOfLife}): plan its migration`;
      out.push({ ...at, message });
    } else if (lifecycle?.status === 'retired') {
      const since = lifecycle.since ? ` (retired since ${lifecycle.since})` : '';
      out.push({ ...at, message: `client ${row.client} is placed on RETIRED cloud ${row.cloud}${since}` });
    }
  }
  return out;
}

const WARNING_ORDER: WarningKind[] = [
  'data-loss',
  'placement-failure',
  'plan-errored',
  'destroy',
  'replace',
  'moved',
  'removed-client',
  'sensitive-change',
  'deprecated-cloud',
  'placement-warning',
];

/**
 * Every warning about a report's stacks and placements, most serious kind first (stable within a kind).
 * `planWarnings` are the ones found while reading plans (`plan-errored`).
 *
 * @example reportWarnings(head, placements, stacks, []).map((w) => w.kind) // ['destroy', 'sensitive-change']
 */
export function reportWarnings(
  head: SynthOutput,
  placements: PlacementRow[],
  stacks: StackReport[],
  planWarnings: ReportWarning[],
): ReportWarning[] {
  const warnings = [
    ...dataLoss(stacks),
    ...placementFailures(head),
    ...planWarnings,
    ...destroysAndReplacements(stacks),
    ...orphans(placements, stacks),
    ...sensitiveChanges(stacks),
    ...cloudLifecycles(head, placements),
    ...placementWarnings(head),
  ];
  return warnings.sort((a, b) => WARNING_ORDER.indexOf(a.kind) - WARNING_ORDER.indexOf(b.kind));
}
