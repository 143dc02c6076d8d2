/**
 * The placement engine: decides, for every client, which cloud it lands on and records why.
 *
 * Pure: no I/O, no clock (the date of the decision is an input). The result does not depend on the order
 * of clouds or clients in the input.
 */
import type { ClientConfig, CloudConfig } from '../config/schema.js';
import { estimateCost } from './cost.js';
import { defaultRules } from './rules/index.js';
import { countsAs } from './territories.js';
import { listText } from './text.js';
import {
  DEFAULT_HORIZON_DAYS,
  type CloudEvaluation,
  type Estate,
  type PlaceOptions,
  type Placement,
  type PlacementFailure,
  type PlacementResult,
  type PlacementRule,
  type RuleContext,
  type RuleVerdict,
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

/**
 * Run one rule on one client and cloud, as the engine does: `not-applicable` when `appliesTo` says so,
 * the rule's id stamped on the verdict, and fail closed (a rule that throws or returns no valid status
 * yields a `fail` verdict, never an eligible cloud).
 *
 * @example evaluateRule(dataLocation, { client, cloud, usage: serviceUsage(client.service), today: '2026-12-01', horizonDays: 180 })
 */
export function evaluateRule(rule: PlacementRule, ctx: RuleContext): RuleVerdict {
  try {
    if (rule.appliesTo && !rule.appliesTo(ctx.client)) {
      return { rule: rule.id, status: 'not-applicable', reason: `does not apply to ${ctx.client.id} (${rule.title})` };
    }
    const result = rule.evaluate(ctx);
    if (result.status === 'not-applicable') return { rule: rule.id, status: 'not-applicable', reason: result.reason };
    const status = result.status === 'pass' ? 'pass' : 'fail';
    const verdict: RuleVerdict = { rule: rule.id, status, reason: result.reason };
    if (result.warnings && result.warnings.length > 0) verdict.warnings = [...result.warnings];
    return verdict;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { rule: rule.id, status: 'fail', reason: `rule ${rule.id} could not be evaluated on ${ctx.cloud.id}: ${message}` };
  }
}

const failedVerdicts = (evaluation: CloudEvaluation): RuleVerdict[] => evaluation.verdicts.filter((v) => v.status === 'fail');

const describeFailures = (verdicts: readonly RuleVerdict[]): string => listText(verdicts.map((v) => `${v.rule} (${v.reason})`));

interface Evaluated {
  cloud: CloudConfig;
  evaluation: CloudEvaluation;
  /** No verdict failed. */
  passes: boolean;
}

/** What every placement decision of one client shares. */
interface ClientRun {
  client: ClientConfig;
  clouds: readonly CloudConfig[];
  evaluated: Evaluated[];
  evaluations: CloudEvaluation[];
  file?: string;
}

function evaluateClouds(
  client: ClientConfig,
  clouds: readonly CloudConfig[],
  rules: readonly PlacementRule[],
  base: Omit<RuleContext, 'client' | 'cloud' | 'usage'>,
): Evaluated[] {
  const usage = serviceUsage(client.service);
  return clouds.map((cloud) => {
    const verdicts = rules.map((rule) => evaluateRule(rule, { ...base, client, cloud, usage }));
    const passes = verdicts.every((v) => v.status !== 'fail');
    const warnings = verdicts.flatMap((v) => (v.status === 'not-applicable' ? [] : (v.warnings ?? [])));
    return { cloud, passes, evaluation: { cloud: cloud.id, eligible: passes, verdicts, warnings } };
  });
}

/** Deprecated clouds are a last resort: held back while an active cloud passes every rule (unless pinned). */
function holdBackDeprecated(evaluated: Evaluated[], pinned: string | undefined): void {
  const activeAvailable = evaluated.some((e) => e.passes && e.cloud.lifecycle.status === 'active');
  for (const e of evaluated) {
    const lc = e.cloud.lifecycle;
    if (e.passes && lc.status === 'deprecated' && activeAvailable && pinned !== e.cloud.id) {
      e.evaluation.eligible = false;
      e.evaluation.warnings.push(
        `${e.cloud.id} passes every rule but is held back: it is deprecated (end of life ${lc.endOfLife}) and an active cloud is eligible`,
      );
    }
  }
}

function failure(run: ClientRun, kind: PlacementFailure['kind'], message: string): PlacementFailure {
  const out: PlacementFailure = { client: run.client.id, kind, message, evaluations: run.evaluations };
  if (run.file !== undefined) out.file = run.file;
  return out;
}

/** Excluded countries that no cloud's stack supplier comes from: probably a typo, the exclusion excludes nothing. */
function exclusionNotes(run: ClientRun): string[] {
  const used = new Set(run.clouds.flatMap((c) => [c.stackSupplier.country, countsAs(c.stackSupplier.country)]));
  const unused = run.client.policy.excludedSuppliers.countries.filter((c) => !used.has(c));
  if (unused.length === 0) return [];
  return [
    `excludedSuppliers.countries names ${listText(unused)}, which no cloud's stack supplier comes from: the exclusion excludes nothing`,
  ];
}

function placed(run: ClientRun, chosen: Evaluated, reason: string, extraWarnings: string[]): Placement {
  const { client } = run;
  const cost = estimateCost(client.service, chosen.cloud);
  const warnings = [...chosen.evaluation.warnings, ...extraWarnings, ...exclusionNotes(run)];
  if (cost && cost.unpriced.length > 0) {
    warnings.push(`the cost estimate on ${chosen.cloud.id} leaves out unpriced items: ${listText(cost.unpriced)}`);
  }
  const placement: Placement = {
    client: client.id,
    clientName: client.name,
    cloud: chosen.cloud.id,
    reason,
    sensitivity: client.policy.sensitivity,
    evaluations: run.evaluations,
    warnings,
  };
  if (cost) placement.cost = cost;
  return placement;
}

/** Rules that carry the sovereignty policy (the others are about feasibility and lifecycle). */
const SOVEREIGNTY_RULES = new Set(['sensitive-requires-secnumcloud', 'data-location', 'excluded-suppliers']);

/** Why a pin did not win, after the failing rules: the sentence names what kind of rule stopped it. */
function pinLimit(failed: readonly RuleVerdict[]): string {
  if (failed.some((v) => SOVEREIGNTY_RULES.has(v.rule))) return 'a pin never overrides sovereignty';
  if (failed.every((v) => v.rule === 'lifecycle')) return 'a pin cannot land on a retired cloud or one past its end of life';
  return 'a pin never overrides a placement rule';
}

function placePinned(run: ClientRun, pin: NonNullable<ClientConfig['policy']['pin']>): Placement | PlacementFailure {
  const target = run.evaluated.find((e) => e.cloud.id === pin.cloud);
  if (!target) {
    const defined = listText(run.clouds.map((c) => c.id));
    return failure(run, 'unknown-pin', `${run.client.id} is pinned to ${pin.cloud}, which is not a defined cloud (defined: ${defined})`);
  }
  if (!target.passes) {
    const failed = failedVerdicts(target.evaluation);
    return failure(
      run,
      'pin-violation',
      `${run.client.id} is pinned to ${pin.cloud} ("${pin.justification}") but ${pin.cloud} fails ${describeFailures(failed)}; ${pinLimit(failed)}`,
    );
  }
  return placed(run, target, `pinned: ${pin.justification}`, []);
}

function rankOf(preferred: readonly string[]): (id: string) => number {
  return (id) => {
    const i = preferred.indexOf(id);
    return i === -1 ? Number.POSITIVE_INFINITY : i;
  };
}

function choiceReason(ordered: readonly Evaluated[], preferred: readonly string[]): string {
  const chosen = ordered[0];
  let reason: string;
  if (ordered.length === 1) {
    reason = 'only eligible cloud';
  } else if (rankOf(preferred)(chosen.cloud.id) !== Number.POSITIVE_INFINITY) {
    reason = `first preferred eligible cloud (preference order: ${preferred.join(', ')})`;
  } else {
    const ties = ordered.filter((e) => e.cloud.priority === chosen.cloud.priority).length;
    reason = `highest-priority eligible cloud (priority ${chosen.cloud.priority}${ties > 1 ? ', tie broken by id' : ''})`;
  }
  const lc = chosen.cloud.lifecycle;
  if (lc.status === 'deprecated') {
    reason += `; no active cloud is eligible, so deprecated ${chosen.cloud.id} is used until its end of life ${lc.endOfLife}`;
  }
  return reason;
}

/** Why preferred clouds ranked before the chosen one were passed over. */
function preferenceNotes(run: ClientRun, chosenId: string): string[] {
  const notes: string[] = [];
  const known = new Map(run.evaluated.map((e) => [e.cloud.id, e] as const));
  for (const id of run.client.policy.preferredClouds) {
    if (id === chosenId) break;
    const e = known.get(id);
    if (!e) notes.push(`preferred cloud ${id} is not a defined cloud`);
    else if (!e.passes) notes.push(`preferred cloud ${id} skipped: fails ${listText(failedVerdicts(e.evaluation).map((v) => v.rule))}`);
    else if (!e.evaluation.eligible) notes.push(`preferred cloud ${id} skipped: deprecated while an active cloud is eligible`);
  }
  return notes;
}

function placeUnpinned(run: ClientRun): Placement | PlacementFailure {
  const candidates = run.evaluated.filter((e) => e.evaluation.eligible);
  if (candidates.length === 0) {
    const detail =
      run.evaluated.length === 0
        ? 'no cloud is defined'
        : run.evaluated.map((e) => `${e.cloud.id} fails ${describeFailures(failedVerdicts(e.evaluation))}`).join('; ');
    return failure(run, 'no-eligible-cloud', `no cloud is eligible for ${run.client.id}: ${detail}`);
  }
  const preferred = run.client.policy.preferredClouds;
  const rank = rankOf(preferred);
  const ordered = [...candidates].sort(
    (a, b) => rank(a.cloud.id) - rank(b.cloud.id) || a.cloud.priority - b.cloud.priority || byId(a.cloud, b.cloud),
  );
  const chosen = ordered[0];
  return placed(run, chosen, choiceReason(ordered, preferred), preferenceNotes(run, chosen.cloud.id));
}

/**
 * Path of a client's file in an estate folder, as the loader requires it (`<dir>/clients/<id>.yaml`).
 *
 * @example clientFilePath('config', 'min-eco') // 'config/clients/min-eco.yaml'
 */
export function clientFilePath(dir: string, clientId: string): string {
  return `${dir.replace(/\/+$/, '') || '.'}/clients/${clientId}.yaml`;
}

/**
 * Place every client of an estate on a cloud.
 *
 * For each client, every cloud is evaluated against every rule and every verdict is kept. A cloud is eligible
 * when no verdict fails (`not-applicable` does not block); a deprecated cloud only when no active cloud is
 * eligible, and never past its end of life. A pinned client lands on its pin if the pin fails no rule (a
 * deprecated pin is allowed, with a warning), and fails otherwise (`unknown-pin`, `pin-violation`): a pin
 * never overrides the rules. Otherwise the eligible clouds are ordered by the client's `preferredClouds`,
 * then cloud `priority` (lower first), then id, and the first wins.
 *
 * @param estate every cloud and every merged client; ids must be unique (throws otherwise). With `dir`, failures name the client's file.
 * @param options `rules` defaults to `defaultRules`; `today` is the date of the decision (see {@link PlaceOptions}).
 * @returns placements and failures, each sorted by client id; evaluations sorted by cloud id.
 * @example
 * const { placements, failures } = place({ clouds, clients }, { today: '2026-12-01' });
 * for (const p of placements) console.log(p.client, '→', p.cloud, p.reason);
 */
export function place(estate: Estate, options: PlaceOptions = {}): PlacementResult {
  const rules = options.rules ?? defaultRules;
  const clouds = [...estate.clouds].sort(byId);
  const clients = [...estate.clients].sort(byId);
  assertUniqueIds(
    'rule',
    rules.map((r) => r.id),
  );
  assertUniqueIds(
    'cloud',
    clouds.map((c) => c.id),
  );
  assertUniqueIds(
    'client',
    clients.map((c) => c.id),
  );
  const base = { today: options.today, horizonDays: options.horizonDays ?? DEFAULT_HORIZON_DAYS };

  const result: PlacementResult = { placements: [], failures: [] };
  for (const client of clients) {
    const evaluated = evaluateClouds(client, clouds, rules, base);
    holdBackDeprecated(evaluated, client.policy.pin?.cloud);
    const run: ClientRun = { client, clouds, evaluated, evaluations: evaluated.map((e) => e.evaluation) };
    if (estate.dir !== undefined) run.file = clientFilePath(estate.dir, client.id);
    const outcome = client.policy.pin ? placePinned(run, client.policy.pin) : placeUnpinned(run);
    if ('kind' in outcome) result.failures.push(outcome);
    else result.placements.push(outcome);
  }
  return result;
}
