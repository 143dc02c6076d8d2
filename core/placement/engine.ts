/**
 * The placement engine: decides, for every client, which cloud it lands on and records why.
 *
 * Pure: no I/O, no clock. The result does not depend on the order of clouds or clients in the input.
 */
import type { ClientConfig, CloudConfig } from '../config/schema.js';
import { estimateCost } from './cost.js';
import { defaultRules } from './rules/index.js';
import { listText } from './text.js';
import type {
  CloudEvaluation,
  Estate,
  PlaceOptions,
  Placement,
  PlacementFailure,
  PlacementResult,
  PlacementRule,
  RuleContext,
  RuleVerdict,
} from './types.js';
import { serviceUsage } from './usage.js';

const byId = <T extends { id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function assertUniqueIds(kind: string, ids: readonly string[]): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new Error(`placement: duplicate ${kind} id '${id}'`);
    seen.add(id);
  }
}

/** Run one rule, failing closed: a rule that throws yields a failed verdict, never an eligible cloud. */
function runRule(rule: PlacementRule, ctx: RuleContext): RuleVerdict {
  try {
    if (rule.appliesTo && !rule.appliesTo(ctx.client)) {
      return { rule: rule.id, passed: true, reason: `does not apply to ${ctx.client.id} (${rule.title})` };
    }
    const verdict = rule.evaluate(ctx);
    const out: RuleVerdict = { rule: rule.id, passed: verdict.passed === true, reason: verdict.reason };
    if (verdict.warnings && verdict.warnings.length > 0) out.warnings = [...verdict.warnings];
    return out;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { rule: rule.id, passed: false, reason: `rule ${rule.id} could not be evaluated on ${ctx.cloud.id}: ${message}` };
  }
}

const failedVerdicts = (evaluation: CloudEvaluation): RuleVerdict[] => evaluation.verdicts.filter((v) => !v.passed);

const describeFailures = (verdicts: readonly RuleVerdict[]): string => listText(verdicts.map((v) => `${v.rule} (${v.reason})`));

interface Evaluated {
  cloud: CloudConfig;
  evaluation: CloudEvaluation;
  /** Every verdict passed. */
  passes: boolean;
}

function placeClient(client: ClientConfig, clouds: readonly CloudConfig[], rules: readonly PlacementRule[]): Placement | PlacementFailure {
  const usage = serviceUsage(client.service);
  const pin = client.policy.pin;
  const evaluated: Evaluated[] = clouds.map((cloud) => {
    const verdicts = rules.map((rule) => runRule(rule, { client, cloud, usage }));
    const passes = verdicts.every((v) => v.passed);
    const warnings = verdicts.flatMap((v) => v.warnings ?? []);
    return { cloud, passes, evaluation: { cloud: cloud.id, eligible: passes, verdicts, warnings } };
  });

  // Deprecated clouds are a last resort: held back while an active cloud passes every rule (unless pinned).
  const activeAvailable = evaluated.some((e) => e.passes && e.cloud.lifecycle.status === 'active');
  for (const e of evaluated) {
    const lc = e.cloud.lifecycle;
    if (e.passes && lc.status === 'deprecated' && activeAvailable && pin?.cloud !== e.cloud.id) {
      e.evaluation.eligible = false;
      e.evaluation.warnings.push(
        `${e.cloud.id} passes every rule but is held back: it is deprecated (end of life ${lc.endOfLife}) and an active cloud is eligible`,
      );
    }
  }
  const evaluations = evaluated.map((e) => e.evaluation);

  const placed = (chosen: Evaluated, reason: string, extraWarnings: string[]): Placement => {
    const cost = estimateCost(client.service, chosen.cloud);
    const warnings = [...chosen.evaluation.warnings, ...extraWarnings];
    if (cost && cost.unpriced.length > 0) {
      warnings.push(`the cost estimate on ${chosen.cloud.id} leaves out unpriced items: ${listText(cost.unpriced)}`);
    }
    const placement: Placement = {
      client: client.id,
      clientName: client.name,
      cloud: chosen.cloud.id,
      reason,
      sensitivity: client.policy.sensitivity,
      evaluations,
      warnings,
    };
    if (cost) placement.cost = cost;
    return placement;
  };

  if (pin) {
    const target = evaluated.find((e) => e.cloud.id === pin.cloud);
    if (!target) {
      return {
        client: client.id,
        kind: 'unknown-pin',
        message: `${client.id} is pinned to ${pin.cloud}, which is not a defined cloud (defined: ${listText(clouds.map((c) => c.id))})`,
        evaluations,
      };
    }
    if (!target.passes) {
      return {
        client: client.id,
        kind: 'pin-violation',
        message: `${client.id} is pinned to ${pin.cloud} ("${pin.justification}") but ${pin.cloud} fails ${describeFailures(failedVerdicts(target.evaluation))}; a pin never overrides sovereignty`,
        evaluations,
      };
    }
    return placed(target, `pinned: ${pin.justification}`, []);
  }

  const candidates = evaluated.filter((e) => e.evaluation.eligible);
  if (candidates.length === 0) {
    const detail =
      evaluated.length === 0
        ? 'no cloud is defined'
        : evaluated.map((e) => `${e.cloud.id} fails ${describeFailures(failedVerdicts(e.evaluation))}`).join('; ');
    return {
      client: client.id,
      kind: 'no-eligible-cloud',
      message: `no cloud is eligible for ${client.id}: ${detail}`,
      evaluations,
    };
  }

  const preferred = client.policy.preferredClouds;
  const rank = (id: string): number => {
    const i = preferred.indexOf(id);
    return i === -1 ? Number.POSITIVE_INFINITY : i;
  };
  const ordered = [...candidates].sort(
    (a, b) => rank(a.cloud.id) - rank(b.cloud.id) || a.cloud.priority - b.cloud.priority || byId(a.cloud, b.cloud),
  );
  const chosen = ordered[0];

  let reason: string;
  if (ordered.length === 1) {
    reason = 'only eligible cloud';
  } else if (rank(chosen.cloud.id) !== Number.POSITIVE_INFINITY) {
    reason = `first preferred eligible cloud (preference order: ${preferred.join(', ')})`;
  } else {
    const ties = ordered.filter((e) => e.cloud.priority === chosen.cloud.priority).length;
    reason = `highest-priority eligible cloud (priority ${chosen.cloud.priority}${ties > 1 ? ', tie broken by id' : ''})`;
  }
  const lc = chosen.cloud.lifecycle;
  if (lc.status === 'deprecated') {
    reason += `; no active cloud is eligible, so deprecated ${chosen.cloud.id} is used until its end of life ${lc.endOfLife}`;
  }

  // Explain preferences that were passed over.
  const notes: string[] = [];
  const known = new Map(evaluated.map((e) => [e.cloud.id, e] as const));
  for (const id of preferred) {
    if (id === chosen.cloud.id) break;
    const e = known.get(id);
    if (!e) notes.push(`preferred cloud ${id} is not a defined cloud`);
    else if (!e.passes) notes.push(`preferred cloud ${id} skipped: fails ${listText(failedVerdicts(e.evaluation).map((v) => v.rule))}`);
    else if (!e.evaluation.eligible) notes.push(`preferred cloud ${id} skipped: deprecated while an active cloud is eligible`);
  }
  return placed(chosen, reason, notes);
}

/**
 * Place every client of an estate on a cloud.
 *
 * For each client, every cloud is evaluated against every rule and every verdict is kept. A cloud is eligible
 * when all its verdicts pass; a deprecated cloud only when no active cloud is eligible. A pinned client lands
 * on its pin if the pin passes every rule (a deprecated pin is allowed, with a warning), and fails otherwise
 * (`unknown-pin`, `pin-violation`): a pin never overrides sovereignty. Otherwise the eligible clouds are
 * ordered by the client's `preferredClouds`, then cloud `priority` (lower first), then id, and the first wins.
 *
 * @param estate every cloud and every merged client; ids must be unique (throws otherwise).
 * @param options `rules` defaults to `defaultRules`; pass `[...defaultRules, myRule]` to add one. Rule ids must be unique.
 * @returns placements and failures, each sorted by client id; evaluations sorted by cloud id.
 * @example
 * const { placements, failures } = place({ clouds, clients });
 * for (const p of placements) console.log(p.client, '→', p.cloud, p.reason);
 */
export function place(estate: Estate, options: PlaceOptions = {}): PlacementResult {
  const rules = options.rules ?? defaultRules;
  assertUniqueIds(
    'rule',
    rules.map((r) => r.id),
  );
  const clouds = [...estate.clouds].sort(byId);
  const clients = [...estate.clients].sort(byId);
  assertUniqueIds(
    'cloud',
    clouds.map((c) => c.id),
  );
  assertUniqueIds(
    'client',
    clients.map((c) => c.id),
  );

  const result: PlacementResult = { placements: [], failures: [] };
  for (const client of clients) {
    const outcome = placeClient(client, clouds, rules);
    if ('kind' in outcome) result.failures.push(outcome);
    else result.placements.push(outcome);
  }
  return result;
}
