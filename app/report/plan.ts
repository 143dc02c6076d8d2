/**
 * Reading `tofu show -json <planfile>` output: action classification, attribute changes, and a
 * sanitized form safe to keep as a CI artifact.
 */
import { readFileSync } from 'node:fs';
import { canonicalJson, isRecord } from '../../core/json.js';
import { redactPair } from './redact.js';
import type { ActionCounts, AttributeChange, ResourceAction, ResourceChange } from './types.js';

/** One entry of a plan's `resource_changes`. */
export interface PlanResourceChange {
  address: string;
  previous_address?: string;
  mode?: 'managed' | 'data';
  type: string;
  name: string;
  action_reason?: string;
  change: {
    actions: string[];
    before?: unknown;
    after?: unknown;
    after_unknown?: unknown;
    before_sensitive?: unknown;
    after_sensitive?: unknown;
    replace_paths?: (string | number)[][];
  };
}

/** The parts of `tofu show -json` output the report uses. */
export interface PlanJson {
  format_version: string;
  terraform_version?: string;
  resource_changes?: PlanResourceChange[];
  /** Changes found outside OpenTofu by the refresh (what `sovstack drift` reports). */
  resource_drift?: PlanResourceChange[];
  output_changes?: Record<string, { actions: string[] }>;
  errored?: boolean;
  timestamp?: string;
}

/**
 * Parses and checks a plan JSON document.
 *
 * @throws when it is not a `tofu show -json` plan (no `format_version`, or malformed `resource_changes`).
 */
export function parsePlan(json: unknown, source = 'plan'): PlanJson {
  if (!isRecord(json) || typeof json.format_version !== 'string') {
    throw new Error(`${source} is not \`tofu show -json\` output (no format_version)`);
  }
  const changes = json.resource_changes ?? [];
  if (!Array.isArray(changes)) throw new Error(`${source}: resource_changes is not an array`);
  for (const rc of changes) {
    if (!isRecord(rc) || typeof rc.address !== 'string' || !isRecord(rc.change) || !Array.isArray(rc.change.actions)) {
      throw new Error(`${source}: malformed resource change ${JSON.stringify(rc).slice(0, 120)}`);
    }
  }
  return json as unknown as PlanJson;
}

/** Reads and parses a `tofu show -json` file. */
export function readPlan(path: string): PlanJson {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read plan ${path}: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`plan ${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return parsePlan(json, `plan ${path}`);
}

/**
 * Classifies a plan's `actions` list.
 *
 * @throws on an action list OpenTofu does not produce, rather than guess.
 * @example classifyActions(['delete', 'create']) // 'replace'
 */
export function classifyActions(actions: readonly string[]): Exclude<ResourceAction, 'change'> {
  const key = actions.join(',');
  switch (key) {
    case 'create':
      return 'create';
    case 'update':
      return 'update';
    case 'delete':
      return 'destroy';
    case 'delete,create':
    case 'create,delete':
      return 'replace';
    case 'no-op':
      return 'no-op';
    case 'read':
      return 'read';
    case 'forget':
      return 'forget';
    default:
      throw new Error(`unknown plan actions [${key}]`);
  }
}

/** All-zero counts. */
export function zeroCounts(): ActionCounts {
  return { create: 0, update: 0, replace: 0, destroy: 0, noop: 0, read: 0, forget: 0, change: 0 };
}

/** Adds one resource of `action` to `counts`. */
export function countAction(counts: ActionCounts, action: ResourceAction): void {
  if (action === 'no-op') counts.noop += 1;
  else counts[action] += 1;
}

const MAX_VALUE = 80;

/** Short JSON rendering of a (redacted) value; absent stays absent. */
export function showValue(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value) ?? 'null';
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/** Null, empty string, empty list and empty map are one "nothing" for display purposes. */
const normalizeEmpty = (value: unknown): unknown =>
  value === undefined ||
  value === '' ||
  (Array.isArray(value) && value.length === 0) ||
  (isRecord(value) && Object.keys(value).length === 0)
    ? null
    : value;

const containsTrue = (value: unknown): boolean =>
  value === true || (Array.isArray(value) ? value.some(containsTrue) : isRecord(value) && Object.values(value).some(containsTrue));

/**
 * The top-level attributes a plan changes on an updated or replaced resource, values redacted.
 * Attributes that only become "known after apply" are left out unless they force the replacement.
 */
export function planAttributeChanges(rc: PlanResourceChange): AttributeChange[] {
  const { change } = rc;
  const [before, after] = redactPair(change.before, change.after, change.before_sensitive, change.after_sensitive);
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const unknown = isRecord(change.after_unknown) ? change.after_unknown : {};
  const forcing = new Set((change.replace_paths ?? []).map((path) => String(path[0])));
  const out: AttributeChange[] = [];
  for (const key of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort()) {
    const forces = forcing.has(key);
    const extra = forces ? { forcesReplacement: true } : {};
    const shownBefore = showValue(normalizeEmpty(b[key]) === null ? undefined : b[key]);
    if (unknown[key] === true) {
      if (forces) out.push({ path: key, ...(shownBefore ? { before: shownBefore } : {}), after: '(known after apply)', ...extra });
      continue;
    }
    if (containsTrue(unknown[key]) && !forces) continue;
    if (canonicalJson(normalizeEmpty(b[key])) === canonicalJson(normalizeEmpty(a[key]))) continue;
    const shownAfter = showValue(normalizeEmpty(a[key]) === null ? undefined : a[key]);
    out.push({
      path: key,
      ...(shownBefore !== undefined ? { before: shownBefore } : {}),
      ...(shownAfter !== undefined ? { after: shownAfter } : {}),
      ...extra,
    });
  }
  return out;
}

const words = (reason: string): string => reason.replace(/_/g, ' ');

/**
 * Counts and changed resources of a plan. No-ops are counted, and listed only when moved; for updates and
 * replacements the changed attributes are listed with secrets redacted.
 */
export function summarizePlan(plan: PlanJson): { counts: ActionCounts; resources: ResourceChange[] } {
  const counts = zeroCounts();
  const resources: ResourceChange[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const action = classifyActions(rc.change.actions);
    countAction(counts, action);
    if (action === 'no-op' && rc.previous_address === undefined) continue;
    const forced = (rc.change.replace_paths ?? []).map((p) => p.join('.'));
    const reasonParts = [rc.action_reason ? words(rc.action_reason) : '', forced.length > 0 ? `forced by ${forced.join(', ')}` : ''];
    const reason = reasonParts.filter(Boolean).join('; ');
    resources.push({
      address: rc.address,
      type: rc.type,
      action,
      ...(reason ? { reason } : {}),
      ...(rc.previous_address ? { previousAddress: rc.previous_address } : {}),
      attributes: action === 'update' || action === 'replace' ? planAttributeChanges(rc) : [],
    });
  }
  resources.sort((x, y) => (x.address < y.address ? -1 : x.address > y.address ? 1 : 0));
  return { counts, resources };
}

/** A resource change (or drift entry) with `before` / `after` redacted and only what reports read kept. */
function sanitizeResourceChange(rc: PlanResourceChange): PlanResourceChange {
  const [before, after] = redactPair(rc.change.before, rc.change.after, rc.change.before_sensitive, rc.change.after_sensitive);
  const change: PlanResourceChange['change'] = { actions: [...rc.change.actions], before, after };
  for (const key of ['after_unknown', 'before_sensitive', 'after_sensitive', 'replace_paths'] as const) {
    if (rc.change[key] !== undefined) (change as Record<string, unknown>)[key] = rc.change[key];
  }
  const copy: PlanResourceChange = { address: rc.address, type: rc.type, name: rc.name, change };
  if (rc.previous_address !== undefined) copy.previous_address = rc.previous_address;
  if (rc.mode !== undefined) copy.mode = rc.mode;
  if (rc.action_reason !== undefined) copy.action_reason = rc.action_reason;
  return copy;
}

/**
 * A copy of a plan safe to store or upload: only what the report reads (the drift report too:
 * `resource_drift`), every `before` / `after` redacted (sensitive marks and secret-looking keys), output values dropped. Planned values,
 * prior state and configuration, which hold secrets in clear text, are not copied.
 *
 * @example writeFileSync('plans/x.plan.json', JSON.stringify(sanitizePlan(readPlan('raw.json'))))
 */
export function sanitizePlan(plan: PlanJson): PlanJson {
  const out: PlanJson = { format_version: plan.format_version };
  if (plan.terraform_version !== undefined) out.terraform_version = plan.terraform_version;
  out.resource_changes = (plan.resource_changes ?? []).map(sanitizeResourceChange);
  if (plan.resource_drift !== undefined) out.resource_drift = plan.resource_drift.map(sanitizeResourceChange);
  if (plan.output_changes !== undefined) {
    out.output_changes = Object.fromEntries(Object.entries(plan.output_changes).map(([name, oc]) => [name, { actions: [...oc.actions] }]));
  }
  if (plan.errored !== undefined) out.errored = plan.errored;
  if (plan.timestamp !== undefined) out.timestamp = plan.timestamp;
  return out;
}
