/**
 * The placement table of a report and the monthly cost totals, from the head and base `placement.json`.
 */
import type { SynthOutput } from '../affected/outdir.js';
import type { Placement } from '../../core/placement/types.js';
import { stackNameFor } from '../../stacks/names.js';
import { redactText } from './redact.js';
import { byName } from './synth-diff.js';
import type { CostTotal, Money, PlacementRow } from './types.js';

const round2 = (n: number): number => Math.round(n * 100) / 100;

const money = (p: Placement | undefined): Money | undefined =>
  p?.cost ? { currency: p.cost.currency, amount: p.cost.monthly } : undefined;

/** Adds the head and base monthly estimates and their delta (when in one currency) to a row. */
function withCosts(row: PlacementRow, h: Placement | undefined, b: Placement | undefined, hasBase: boolean): PlacementRow {
  const now = money(h);
  const before = hasBase ? money(b) : undefined;
  if (now) row.monthly = now;
  if (before) row.baseMonthly = before;
  const known = now ?? before;
  if (hasBase && known && (!now || !before || now.currency === before.currency)) {
    row.delta = { currency: known.currency, amount: round2((now?.amount ?? 0) - (before?.amount ?? 0)) };
  }
  return row;
}

/**
 * One row per client of the head or the base, sorted by client: where it is placed, why, how that
 * compares with the base, and what it costs. Free text from the configuration goes through
 * {@link redactText}.
 *
 * @example placementRows(readSynthOutput('cdktf.out'), undefined)[0]?.stack // 'min-interieur-sovereign-fr1'
 */
export function placementRows(head: SynthOutput, base: SynthOutput | undefined): PlacementRow[] {
  const headPlacements = new Map((head.placement?.placements ?? []).map((p) => [p.client, p]));
  const basePlacements = new Map((base?.placement?.placements ?? []).map((p) => [p.client, p]));
  const clients = [...new Set([...headPlacements.keys(), ...basePlacements.keys()])].sort(byName);
  return clients.map((client) => {
    const h = headPlacements.get(client);
    const b = basePlacements.get(client);
    const p = (h ?? b)!;
    const row: PlacementRow = {
      client,
      clientName: redactText(p.clientName),
      cloud: p.cloud,
      stack: stackNameFor(client, p.cloud),
      sensitivity: p.sensitivity,
      reason: redactText(p.reason),
    };
    if (base) {
      row.change = !b ? 'new' : !h ? 'removed' : b.cloud !== h.cloud ? 'moved' : 'unchanged';
      if (h && b && b.cloud !== h.cloud) row.previousCloud = b.cloud;
    }
    return withCosts(row, h, b, base !== undefined);
  });
}

/**
 * Monthly totals per currency, sorted by currency; with a base, its totals and the delta too.
 *
 * @example costTotals(rows, false) // [{ currency: 'EUR', monthly: 1234.5 }]
 */
export function costTotals(rows: PlacementRow[], withBase: boolean): CostTotal[] {
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
