/**
 * Building a plan report from a synth output, an optional base synth output and optional plans.
 */
import type { Sensitivity } from '../../core/config/schema.js';
import {
  canonicalJson,
  canonicalStack,
  changedBlocks,
  readSynthOutput,
  stackOwner,
  stackResources,
  type PlacementFile,
  type SynthOutput,
  type TerraformJson,
} from '../affected/outdir.js';
import type { Placement } from '../../core/placement/types.js';
import { countAction, readPlan, showValue, summarizePlan, zeroCounts, type PlanJson } from './plan.js';
import { redactPair } from './redact.js';
import type {
  AttributeChange,
  CostTotal,
  Money,
  PlacementRow,
  Report,
  ReportWarning,
  ResourceChange,
  StackReport,
  WarningKind,
} from './types.js';

/** Inputs of {@link buildReport}. */
export interface BuildReportOptions {
  /** Synth output folder of the head (the change under review). */
  head: string;
  /** Synth output folder of the base branch. Default: none (no comparison, no deltas). */
  base?: string;
  /** `tofu show -json` file per stack name. Default: none (counts come from the synth comparison). */
  plans?: Record<string, string>;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const MAX_LISTED = 5;

function listAddresses(addresses: string[]): string {
  const shown = addresses.slice(0, MAX_LISTED).join(', ');
  return addresses.length > MAX_LISTED ? `${shown} and ${addresses.length - MAX_LISTED} more` : shown;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

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

/** Resource changes between two synthesized stacks (either may be absent). */
function synthDiff(
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
    if (b === undefined) {
      countAction(counts, 'create');
      resources.push({ address, type: typeOf(address), action: 'create', attributes: [] });
    } else if (a === undefined) {
      countAction(counts, 'destroy');
      resources.push({
        address,
        type: typeOf(address),
        action: 'destroy',
        ...(removedReason ? { reason: removedReason } : {}),
        attributes: [],
      });
    } else if (canonicalJson(b) !== canonicalJson(a)) {
      countAction(counts, 'change');
      resources.push({ address, type: typeOf(address), action: 'change', attributes: configAttributeChanges(b, a) });
    } else {
      countAction(counts, 'no-op');
    }
  }
  return { counts, resources, otherChanges };
}

const managedCount = (stack: TerraformJson): number => [...stackResources(stack).keys()].filter(isManaged).length;

function placementOf(file: PlacementFile | undefined, stack: string): Placement | undefined {
  return file?.placements.find((p) => `${p.client}-${p.cloud}` === stack);
}

const money = (p: Placement | undefined): Money | undefined =>
  p?.cost ? { currency: p.cost.currency, amount: p.cost.monthly } : undefined;

function placementRows(head: SynthOutput, base: SynthOutput | undefined): PlacementRow[] {
  const headPlacements = new Map((head.placement?.placements ?? []).map((p) => [p.client, p]));
  const basePlacements = new Map((base?.placement?.placements ?? []).map((p) => [p.client, p]));
  const clients = [...new Set([...headPlacements.keys(), ...basePlacements.keys()])].sort(byName);
  return clients.map((client) => {
    const h = headPlacements.get(client);
    const b = basePlacements.get(client);
    const p = (h ?? b)!;
    const row: PlacementRow = {
      client,
      clientName: p.clientName,
      cloud: p.cloud,
      stack: `${client}-${p.cloud}`,
      sensitivity: p.sensitivity,
      reason: p.reason,
    };
    if (base) {
      row.change = !b ? 'new' : !h ? 'removed' : b.cloud !== h.cloud ? 'moved' : 'unchanged';
      if (h && b && b.cloud !== h.cloud) row.previousCloud = b.cloud;
    }
    const now = money(h);
    const before = base ? money(b) : undefined;
    if (now) row.monthly = now;
    if (before) row.baseMonthly = before;
    if (base && (now || before)) {
      const currency = (now ?? before)!.currency;
      if (!now || !before || now.currency === before.currency) {
        row.delta = { currency, amount: round2((now?.amount ?? 0) - (before?.amount ?? 0)) };
      }
    }
    return row;
  });
}

function costTotals(rows: PlacementRow[], withBase: boolean): CostTotal[] {
  const totals = new Map<string, CostTotal>();
  const get = (currency: string): CostTotal => {
    let total = totals.get(currency);
    if (!total) {
      total = { currency, monthly: 0, ...(withBase ? { baseMonthly: 0, delta: 0 } : {}) };
      totals.set(currency, total);
    }
    return total;
  };
  for (const row of rows) {
    if (row.monthly) get(row.monthly.currency).monthly = round2(get(row.monthly.currency).monthly + row.monthly.amount);
    if (withBase && row.baseMonthly) {
      const total = get(row.baseMonthly.currency);
      total.baseMonthly = round2((total.baseMonthly ?? 0) + row.baseMonthly.amount);
    }
  }
  for (const total of totals.values()) if (withBase) total.delta = round2(total.monthly - (total.baseMonthly ?? 0));
  return [...totals.values()].sort((a, b) => byName(a.currency, b.currency));
}

const WARNING_ORDER: WarningKind[] = [
  'placement-failure',
  'plan-errored',
  'destroy',
  'replace',
  'moved',
  'removed-client',
  'sensitive-change',
  'deprecated-cloud',
];

/**
 * Builds a report: placements with their change against the base, one summary per stack (counts
 * from its plan when given, else from comparing the base and head synthesized JSON per resource
 * address), warnings and monthly cost estimates. Reads files only; plan values are redacted
 * as they are read.
 *
 * @throws when a folder or plan cannot be read, or a plan is given for a stack the head does not have.
 * @example
 * const report = buildReport({ head: 'cdktf.out', base: '/tmp/base.out', plans: { 'sante-dossiers-sovereign-fr1': 'plans/sante.json' } });
 * console.log(renderReportText(report));
 */
export function buildReport(options: BuildReportOptions): Report {
  const head = readSynthOutput(options.head);
  const base = options.base !== undefined ? readSynthOutput(options.base) : undefined;
  const plans = new Map<string, { file: string; plan: PlanJson }>();
  for (const [stack, file] of Object.entries(options.plans ?? {}).sort(([a], [b]) => byName(a, b))) {
    if (!head.stacks.has(stack)) {
      throw new Error(`plan ${file} is for stack ${stack}, which the head synth output (${options.head}) does not have`);
    }
    plans.set(stack, { file, plan: readPlan(file) });
  }
  const cloudIds = [...(head.placement?.clouds ?? []), ...(base?.placement?.clouds ?? [])].map((c) => c.id);
  const warnings: ReportWarning[] = [];
  const warn = (w: ReportWarning): void => void warnings.push(w);
  const placements = placementRows(head, base);
  const sensitivityOf = (stack: string, from: SynthOutput | undefined): Sensitivity | undefined =>
    placementOf(from?.placement, stack)?.sensitivity;

  const stacks: StackReport[] = [];
  for (const [name, stack] of head.stacks) {
    const owner = stackOwner(name, head.placement, cloudIds);
    const sensitivity = sensitivityOf(name, head);
    const before = base?.stacks.get(name);
    const report: StackReport = {
      stack: name,
      ...owner,
      ...(sensitivity ? { sensitivity } : {}),
      source: 'none',
      counts: zeroCounts(),
      resourceCount: managedCount(stack),
      resources: [],
      otherChanges: [],
    };
    if (base) report.status = before === undefined ? 'new' : canonicalStack(before) === canonicalStack(stack) ? 'unchanged' : 'changed';
    const planned = plans.get(name);
    if (planned) {
      Object.assign(report, summarizePlan(planned.plan), { source: 'plan', planFile: planned.file });
      if (planned.plan.terraform_version) report.engineVersion = planned.plan.terraform_version;
      if (planned.plan.errored) {
        warn({
          kind: 'plan-errored',
          stack: name,
          client: owner.client,
          message: `the plan of ${name} errored: its counts are incomplete`,
        });
      }
    } else if (base) {
      Object.assign(report, { source: 'synth' }, synthDiff(before, stack));
    }
    stacks.push(report);
  }
  const removedStacks = base ? [...base.stacks.keys()].filter((s) => !head.stacks.has(s)) : [];
  for (const name of removedStacks) {
    const stack = base!.stacks.get(name)!;
    const owner = stackOwner(name, base?.placement, cloudIds);
    const sensitivity = sensitivityOf(name, base);
    stacks.push({
      stack: name,
      ...owner,
      ...(sensitivity ? { sensitivity } : {}),
      status: 'removed',
      source: 'synth',
      resourceCount: managedCount(stack),
      ...synthDiff(stack, undefined, 'orphaned: destroyed only when the stack is decommissioned'),
    });
  }
  stacks.sort((a, b) => byName(a.stack, b.stack));

  for (const failure of head.placement?.failures ?? []) {
    warn({
      kind: 'placement-failure',
      client: failure.client,
      message: `client ${failure.client} could not be placed (${failure.kind}): ${failure.message}`,
    });
  }
  for (const s of stacks) {
    if (s.status === 'removed') continue;
    const destroyed = s.resources.filter((r) => r.action === 'destroy').map((r) => r.address);
    if (destroyed.length > 0) {
      warn({
        kind: 'destroy',
        stack: s.stack,
        client: s.client,
        message: `${s.stack}: ${plural(destroyed.length, 'resource')} will be DESTROYED (${s.source}): ${listAddresses(destroyed)}`,
      });
    }
    const replaced = s.resources.filter((r) => r.action === 'replace').map((r) => r.address);
    if (replaced.length > 0) {
      warn({
        kind: 'replace',
        stack: s.stack,
        client: s.client,
        message: `${s.stack}: ${plural(replaced.length, 'resource')} will be REPLACED (destroyed then re-created, data on them is lost): ${listAddresses(replaced)}`,
      });
    }
  }
  const explained = new Set<string>();
  for (const row of placements) {
    if (row.change === 'moved' && row.previousCloud) {
      const old = `${row.client}-${row.previousCloud}`;
      explained.add(old);
      const count = stacks.find((s) => s.stack === old)?.resourceCount ?? 0;
      warn({
        kind: 'moved',
        client: row.client,
        stack: old,
        message:
          `client ${row.client} moves from ${row.previousCloud} to ${row.cloud}: new stack ${row.stack} is created, ` +
          `old stack ${old} is ORPHANED (its ${plural(count, 'resource')} keep running on ${row.previousCloud}) until decommissioned with \`cdktf destroy ${old}\` after the data is migrated`,
      });
    }
    if (row.change === 'removed') {
      explained.add(row.stack);
      const count = stacks.find((s) => s.stack === row.stack)?.resourceCount ?? 0;
      warn({
        kind: 'removed-client',
        client: row.client,
        stack: row.stack,
        message:
          `client ${row.client} (${row.clientName}) is REMOVED from the configuration: stack ${row.stack} is ORPHANED ` +
          `(its ${plural(count, 'resource')} keep running on ${row.cloud}) until decommissioned with \`cdktf destroy ${row.stack}\``,
      });
    }
  }
  for (const s of stacks) {
    if (s.status === 'removed' && !explained.has(s.stack)) {
      warn({
        kind: 'removed-client',
        stack: s.stack,
        client: s.client,
        message: `stack ${s.stack} is no longer synthesized: it is ORPHANED (its ${plural(s.resourceCount, 'resource')} keep running) until decommissioned with \`cdktf destroy ${s.stack}\``,
      });
    }
  }
  for (const s of stacks) {
    if (s.sensitivity !== 'sensitive') continue;
    const touched =
      s.status === 'new' ||
      s.status === 'changed' ||
      s.status === 'removed' ||
      s.resources.some((r) => r.action !== 'read') ||
      s.otherChanges.length > 0;
    if (touched) {
      const what = s.status === 'new' ? 'is new' : s.status === 'removed' ? 'is removed' : 'changes';
      warn({
        kind: 'sensitive-change',
        stack: s.stack,
        client: s.client,
        message: `${s.stack} holds SENSITIVE data and ${what}: review by the client's security officer required`,
      });
    }
  }
  const clouds = new Map((head.placement?.clouds ?? []).map((c) => [c.id, c]));
  for (const row of placements) {
    if (row.change === 'removed') continue;
    const lifecycle = clouds.get(row.cloud)?.lifecycle;
    if (lifecycle?.status === 'deprecated') {
      warn({
        kind: 'deprecated-cloud',
        client: row.client,
        stack: row.stack,
        message: `client ${row.client} is placed on DEPRECATED cloud ${row.cloud} (end of life ${lifecycle.endOfLife}): plan its migration`,
      });
    } else if (lifecycle?.status === 'retired') {
      warn({
        kind: 'deprecated-cloud',
        client: row.client,
        stack: row.stack,
        message: `client ${row.client} is placed on RETIRED cloud ${row.cloud}${lifecycle.since ? ` (retired since ${lifecycle.since})` : ''}`,
      });
    }
  }
  warnings.sort((a, b) => WARNING_ORDER.indexOf(a.kind) - WARNING_ORDER.indexOf(b.kind));

  return {
    toolkitVersion: head.placement?.toolkitVersion ?? 'unknown',
    head: options.head,
    ...(options.base !== undefined ? { base: options.base } : {}),
    warnings,
    placements,
    stacks,
    costs: costTotals(placements, base !== undefined),
  };
}
