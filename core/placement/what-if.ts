/**
 * What-if analysis: where clients go if a cloud is retired.
 */
import type { CloudConfig } from '../config/schema.js';
import { place } from './engine.js';
import { failureText } from './format.js';
import type { CostEstimate, Estate, PlaceOptions, Placement, PlacementFailure } from './types.js';

/** What happens to one client when a cloud is retired. */
export interface WhatIfEntry {
  client: string;
  /** Cloud before the change; `null` when the client was not placed before either. */
  from: string | null;
  /** Cloud after the change; `null` when the client can no longer be placed. */
  to: string | null;
  /** `stays` on the same cloud, `moves` to another, or is `stranded` with no cloud after the change. */
  status: 'stays' | 'moves' | 'stranded';
  /** The placement reason after the change, or the failure message (with the client's file when known). */
  reason: string;
  /** The placement's warnings after the change (e.g. the end of life of the cloud it lands on); empty when stranded. */
  warnings: string[];
  /**
   * Monthly cost after minus before, rounded to cents; `null` when either side has no estimate,
   * the currencies differ, or the client is stranded.
   */
  costDelta: number | null;
}

/** Monthly cost totals of one currency before and after the change. */
export interface WhatIfTotal {
  currency: string;
  /** Sum of the estimates of every client placed before the change. */
  before: number;
  /** Sum of the estimates of every client placed after the change (stranded clients count for nothing). */
  after: number;
  /** after − before. */
  delta: number;
}

/** The outcome of {@link whatIfRetire}. */
export interface WhatIfResult {
  /** The retired cloud. */
  cloud: string;
  /** One entry per client, sorted by client id. */
  clients: WhatIfEntry[];
  /** Cost totals per currency, sorted by currency. */
  totals: WhatIfTotal[];
  /** Clients that cannot be placed after the change, sorted. */
  stranded: string[];
}

const cents = (amount: number): number => Math.round(amount * 100);

function delta(before: CostEstimate | undefined, after: CostEstimate | undefined): number | null {
  if (!before || !after || before.currency !== after.currency) return null;
  return (cents(after.monthly) - cents(before.monthly)) / 100;
}

/** Cost totals per currency, sorted by currency, of the placements before and after the change. */
function costTotals(before: readonly Placement[], after: readonly Placement[]): WhatIfTotal[] {
  const sums = new Map<string, { before: number; after: number }>();
  const bucket = (currency: string) => {
    let s = sums.get(currency);
    if (!s) sums.set(currency, (s = { before: 0, after: 0 }));
    return s;
  };
  for (const p of before) if (p.cost) bucket(p.cost.currency).before += cents(p.cost.monthly);
  for (const p of after) if (p.cost) bucket(p.cost.currency).after += cents(p.cost.monthly);
  return [...sums.entries()]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([currency, s]) => ({ currency, before: s.before / 100, after: s.after / 100, delta: (s.after - s.before) / 100 }));
}

/**
 * Re-run placement as if `cloudId` were retired and compare with the current placement.
 *
 * Pure: the estate is not modified. Clients pinned to the retired cloud become stranded (a pin is never moved).
 *
 * @param options passed to `place` for both runs (e.g. custom rules, `today`).
 * @throws RangeError when `cloudId` is not a cloud of the estate.
 * @example
 * const impact = whatIfRetire(estate, 'vendor-1');
 * impact.clients.filter((c) => c.status === 'stranded');
 */
export function whatIfRetire(estate: Estate, cloudId: string, options: PlaceOptions = {}): WhatIfResult {
  if (!estate.clouds.some((c) => c.id === cloudId)) {
    const known = estate.clouds
      .map((c) => c.id)
      .sort()
      .join(', ');
    throw new RangeError(`what-if: unknown cloud '${cloudId}' (defined: ${known || 'none'})`);
  }
  const retiredClouds: CloudConfig[] = estate.clouds.map((c) => (c.id === cloudId ? { ...c, lifecycle: { status: 'retired' } } : c));
  const before = place(estate, options);
  const after = place({ ...estate, clouds: retiredClouds }, options);

  const index = (placements: Placement[], failures: PlacementFailure[]) => ({
    placed: new Map(placements.map((p) => [p.client, p] as const)),
    failed: new Map(failures.map((f) => [f.client, f] as const)),
  });
  const b = index(before.placements, before.failures);
  const a = index(after.placements, after.failures);
  const ids = [...new Set([...b.placed.keys(), ...b.failed.keys()])].sort();

  const clients: WhatIfEntry[] = ids.map((id) => {
    const from = b.placed.get(id);
    const to = a.placed.get(id);
    if (!to) {
      const failure = a.failed.get(id)!;
      return {
        client: id,
        from: from?.cloud ?? null,
        to: null,
        status: 'stranded',
        reason: from ? failureText(failure) : `not placed before either: ${failureText(failure)}`,
        warnings: [],
        costDelta: null,
      };
    }
    return {
      client: id,
      from: from?.cloud ?? null,
      to: to.cloud,
      status: from?.cloud === to.cloud ? 'stays' : 'moves',
      reason: to.reason,
      warnings: to.warnings,
      costDelta: delta(from?.cost, to.cost),
    };
  });

  return {
    cloud: cloudId,
    clients,
    totals: costTotals(before.placements, after.placements),
    stranded: clients.filter((c) => c.status === 'stranded').map((c) => c.client),
  };
}
