/**
 * The drift report: what changed outside OpenTofu, read from refresh-only plans (`tofu show -json` of
 * `tofu plan -refresh-only`, whose `resource_drift` lists every resource the refresh found different from
 * the state). Each drifted resource is named with its stack, address and type, and each changed attribute
 * with its full path (`metadata.role`, `rule[0].port_range_min`) and both values, redacted: sensitive
 * attributes (the plan's `*_sensitive` marks), secret-looking keys and values the secret detector flags
 * never reach the report. Differences between null, "", [] and {} are not drift (providers read back an
 * empty list where the state holds null). From a normal plan (what `sovstack drift` runs: its JSON has both
 * `resource_drift` and `resource_changes`), only the drift the plan would put back is reported: after an
 * apply the refresh also reads back values OpenStack set on its own (a port's device_id once its server
 * exists, a server group's members), which no out-of-band change caused.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, isRecord } from '../../core/json.js';
import { failed, ok, type CommandResult } from '../command.js';
import { readPlan, showValue } from './plan.js';
import { redactPair } from './redact.js';

/** One attribute changed outside OpenTofu; a value is absent when the attribute was (or became) empty. */
export interface DriftAttribute {
  /** Path inside the resource, e.g. `name`, `metadata.role`, `rule[0].port_range_min`. */
  path: string;
  /** Value in the state (redacted); absent when empty. */
  before?: unknown;
  /** Value found by the refresh (redacted); absent when empty. */
  after?: unknown;
}

/** One resource changed (`update`) or deleted (`delete`) outside OpenTofu. */
export interface DriftedResource {
  /** Stack holding it. */
  stack: string;
  /** Terraform address, e.g. `openstack_networking_secgroup_rule_v2.service_security-groups_web_rule-0_1A2B3C4D`. */
  address: string;
  /** Resource type, e.g. `openstack_compute_instance_v2`. */
  type: string;
  /** `update`: it exists with other values; `delete`: it is gone. */
  change: 'update' | 'delete';
  /** Changed attributes, sorted by path; empty for a deleted resource. */
  attributes: DriftAttribute[];
}

/** The drift of a set of stacks: which were checked and every drifted resource. The JSON form is this object. */
export interface DriftReport {
  /** Stacks whose refresh-only plan was read, sorted. */
  stacks: string[];
  /** Drifted resources, sorted by stack then address. */
  resources: DriftedResource[];
}

/** One stack's refresh-only plan, as `tofu show -json` prints it. */
export interface DriftEntry {
  /** Stack name. */
  stack: string;
  /** Parsed `tofu show -json` output of the stack's refresh-only plan. */
  plan: unknown;
}

/**
 * Builds the drift report of refresh-only plans. Throws (naming the stack) on a document that is not a
 * plan, an errored plan, or a drift entry it cannot read, rather than report "no drift" it did not see.
 *
 * @example
 * const report = buildDriftReport([{ stack: 'min-culture-lab-sovereign', plan: JSON.parse(showJson) }]);
 * report.resources[0]; // { stack, address: 'openstack_networking_secgroup_rule_v2.ssh', type, change: 'delete', attributes: [] }
 */
export function buildDriftReport(entries: readonly DriftEntry[]): DriftReport {
  const stacks = new Set<string>();
  const resources: DriftedResource[] = [];
  for (const { stack, plan } of entries) {
    if (stacks.has(stack)) throw new Error(`drift: two plans for stack ${stack}`);
    stacks.add(stack);
    const reverted = revertedPaths(stack, plan);
    for (const entry of driftEntriesOf(stack, plan)) {
      const resource = driftedResource(stack, entry);
      const kept = resource && reverted ? onlyReverted(resource, reverted.get(resource.address)) : resource;
      if (kept) resources.push(kept);
    }
  }
  resources.sort((a, b) => compare(a.stack, b.stack) || compare(a.address, b.address));
  return { stacks: [...stacks].sort(compare), resources };
}

/**
 * Whether anything drifted.
 *
 * @example
 * process.exitCode = hasDrift(report) ? 2 : 0;
 */
export function hasDrift(report: DriftReport): boolean {
  return report.resources.length > 0;
}

/**
 * The report as JSON text (two-space indent, newline-terminated): {@link DriftReport} as it is.
 *
 * @example
 * writeFileSync('drift.json', renderDriftJson(report));
 */
export function renderDriftJson(report: DriftReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * The report as Markdown: a summary line, then per drifted stack each resource with its change and, for an
 * update, each attribute as `path`: before → after.
 *
 * @example
 * writeFileSync('drift.md', renderDriftMarkdown(report));
 */
export function renderDriftMarkdown(report: DriftReport): string {
  const drifted = [...new Set(report.resources.map((resource) => resource.stack))];
  const checked = `${report.stacks.length} stack${report.stacks.length === 1 ? '' : 's'} checked`;
  if (drifted.length === 0) return `## Drift\n\nNo drift: ${checked}, every resource as OpenTofu left it.\n`;
  const lines = [
    '## Drift',
    '',
    `**${report.resources.length} resource${report.resources.length === 1 ? '' : 's'} changed outside OpenTofu** in ` +
      `${drifted.length} of ${checked}. \`sovstack deploy <stack>\` puts them back; to keep a change, write it in the configuration.`,
  ];
  for (const stack of drifted) {
    lines.push('', `### ${stack}`, '');
    for (const resource of report.resources.filter((r) => r.stack === stack)) lines.push(...resourceLines(resource));
  }
  return `${lines.join('\n')}\n`;
}

function resourceLines(resource: DriftedResource): string[] {
  if (resource.change === 'delete') return [`- \`${resource.address}\`: **deleted**`];
  return [
    `- \`${resource.address}\`: changed`,
    ...resource.attributes.map(
      (attribute) => `  - \`${attribute.path}\`: ${code(showValue(attribute.before))} → ${code(showValue(attribute.after))}`,
    ),
  ];
}

/** Options of {@link runDriftReportCommand} (`sovstack report --drift`). */
export interface DriftReportCommandOptions {
  /** Folder of refresh-only plans: `<stack>.plan.json` (from `sovstack sanitize-plan`) or `<stack>.json` (`tofu show -json`). No default. */
  plansDir: string;
  /** What goes to stdout: `markdown` (also for `text`) or `json`. Default `markdown`. */
  format?: 'markdown' | 'text' | 'json';
  /** Folder where `drift.md` and `drift.json` are written. Default: none. */
  out?: string;
}

/**
 * `sovstack report --drift --plans <dir>`: the drift report of the refresh-only plans in a folder. Exit code 0
 * whether or not anything drifted (`sovstack drift` exits 2 on drift), 1 on an unreadable plan or a folder
 * without plans (never "no drift" for plans it did not read).
 *
 * @example
 * runDriftReportCommand({ plansDir: '.sovstack/runs/20261202T011500Z-3f2a/plans', format: 'markdown', out: 'drift' });
 */
export function runDriftReportCommand(options: DriftReportCommandOptions): CommandResult {
  try {
    const files = driftPlanFiles(options.plansDir);
    const report = buildDriftReport(files.map(({ stack, path }) => ({ stack, plan: readPlan(path) })));
    if (options.out !== undefined) {
      mkdirSync(options.out, { recursive: true });
      writeFileSync(join(options.out, 'drift.md'), renderDriftMarkdown(report));
      writeFileSync(join(options.out, 'drift.json'), renderDriftJson(report));
    }
    return ok(options.format === 'json' ? renderDriftJson(report) : renderDriftMarkdown(report));
  } catch (error) {
    return failed(`sovstack report --drift: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}

/** The plan files of a folder by stack: `<stack>.plan.json` or `<stack>.json`; throws when there is none. */
function driftPlanFiles(dir: string): { stack: string; path: string }[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort(compare);
  } catch (error) {
    throw new Error(`cannot read the plans folder ${dir}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const files = names
    .filter((name) => name.endsWith('.json'))
    .map((name) => ({ stack: name.replace(/(\.plan)?\.json$/, ''), path: join(dir, name) }));
  if (files.length === 0) throw new Error(`no plan in ${dir} (expected <stack>.plan.json or <stack>.json files from refresh-only plans)`);
  return files;
}

const code = (text: string | undefined): string => (text === undefined ? '(none)' : `\`${text.replace(/`/g, "'")}\``);

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** One `resource_drift` entry, checked. */
interface DriftJsonEntry {
  address: string;
  type: string;
  actions: string[];
  before: unknown;
  after: unknown;
  beforeSensitive: unknown;
  afterSensitive: unknown;
}

function driftEntriesOf(stack: string, plan: unknown): DriftJsonEntry[] {
  if (!isRecord(plan) || typeof plan['format_version'] !== 'string') {
    throw new Error(`drift: the plan of ${stack} is not \`tofu show -json\` output (no format_version)`);
  }
  if (plan['errored'] === true) throw new Error(`drift: the refresh-only plan of ${stack} errored; its drift is unknown`);
  const drift = plan['resource_drift'] ?? [];
  if (!Array.isArray(drift)) throw new Error(`drift: resource_drift of ${stack} is not a list`);
  return drift.map((entry: unknown) => {
    const change = isRecord(entry) ? entry['change'] : undefined;
    if (!isRecord(entry) || typeof entry['address'] !== 'string' || !isRecord(change) || !Array.isArray(change['actions'])) {
      throw new Error(`drift: unreadable resource_drift entry in the plan of ${stack}: ${JSON.stringify(entry).slice(0, 120)}`);
    }
    return {
      address: entry['address'],
      type: typeof entry['type'] === 'string' ? entry['type'] : (entry['address'].split('.').at(-2) ?? ''),
      actions: change['actions'].map(String),
      before: change['before'],
      after: change['after'],
      beforeSensitive: change['before_sensitive'],
      afterSensitive: change['after_sensitive'],
    };
  });
}

/**
 * What a normal plan (one with `resource_changes`) would put back, by address: `all` for a resource it
 * creates again (deleted outside OpenTofu), else the attribute paths its update or replacement changes.
 * Undefined for a refresh-only plan (no `resource_changes`), whose drift is reported whole.
 */
function revertedPaths(stack: string, plan: unknown): Map<string, 'all' | string[]> | undefined {
  const changes = isRecord(plan) ? plan['resource_changes'] : undefined;
  if (changes !== undefined && changes !== null && !Array.isArray(changes))
    throw new Error(`drift: resource_changes of ${stack} is not a list`);
  // A normal plan lists every resource (no-op included); none at all is a refresh-only plan (sanitize-plan turns its null into []).
  if (!Array.isArray(changes) || changes.length === 0) return undefined;
  const reverted = new Map<string, 'all' | string[]>();
  for (const entry of changes) {
    const change = isRecord(entry) ? entry['change'] : undefined;
    if (!isRecord(entry) || typeof entry['address'] !== 'string' || !isRecord(change) || !Array.isArray(change['actions'])) {
      throw new Error(`drift: unreadable resource_changes entry in the plan of ${stack}: ${JSON.stringify(entry).slice(0, 120)}`);
    }
    const actions = change['actions'].map(String);
    if (actions.includes('create')) reverted.set(entry['address'], 'all');
    else if (actions.includes('update')) {
      reverted.set(
        entry['address'],
        changedLeaves(change['before'], change['after'], '').map((a) => a.path),
      );
    }
  }
  return reverted;
}

/** Whether two attribute paths are the same or one holds the other (`metadata` and `metadata.role`). */
function related(a: string, b: string): boolean {
  const within = (inner: string, outer: string): boolean => inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
  return a === b || within(a, b) || within(b, a);
}

/**
 * Of a drifted resource, what the plan puts back; undefined when nothing is (a value the provider reads
 * back differently after an apply, such as a port's device_id or a server group's members, is not drift).
 */
function onlyReverted(resource: DriftedResource, reverted: 'all' | string[] | undefined): DriftedResource | undefined {
  if (reverted === undefined) return undefined;
  if (reverted === 'all' || resource.change === 'delete') return resource;
  const attributes = resource.attributes.filter((a) => reverted.some((path) => related(a.path, path)));
  return attributes.length === 0 ? undefined : { ...resource, attributes };
}

/** The drifted resource of an entry, or undefined when only empty values differ (null vs [] is not drift). */
function driftedResource(stack: string, entry: DriftJsonEntry): DriftedResource | undefined {
  const actions = entry.actions.join(',');
  const base = { stack, address: entry.address, type: entry.type };
  if (actions === 'delete') return { ...base, change: 'delete', attributes: [] };
  if (actions === 'no-op') return undefined;
  if (actions !== 'update') {
    throw new Error(`drift: ${stack} ${entry.address} has drift actions [${actions}], which a refresh-only plan does not produce`);
  }
  const [before, after] = redactPair(entry.before, entry.after, entry.beforeSensitive, entry.afterSensitive);
  const attributes = changedLeaves(before, after, '');
  return attributes.length === 0 ? undefined : { ...base, change: 'update', attributes };
}

/** Null, "", [] and {} are one "nothing": a provider reading back [] for a null in the state is not drift. */
function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0) ||
    (isRecord(value) && Object.keys(value).length === 0)
  );
}

function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** Every leaf path where the two sides differ (empties equal), with both values; objects and lists are walked. */
function changedLeaves(before: unknown, after: unknown, path: string): DriftAttribute[] {
  if (isEmpty(before) && isEmpty(after)) return [];
  if (canonicalJson(before) === canonicalJson(after)) return [];
  const walk = (keys: (string | number)[], at: (value: unknown, key: string | number) => unknown): DriftAttribute[] =>
    keys.flatMap((key) => changedLeaves(at(before, key), at(after, key), childPath(path, key)));
  if ((isRecord(before) || isEmpty(before)) && (isRecord(after) || isEmpty(after))) {
    const keys = [...new Set([...Object.keys(isRecord(before) ? before : {}), ...Object.keys(isRecord(after) ? after : {})])].sort();
    return walk(keys, (value, key) => (isRecord(value) ? value[key as string] : undefined));
  }
  if ((Array.isArray(before) || isEmpty(before)) && (Array.isArray(after) || isEmpty(after))) {
    const length = Math.max(Array.isArray(before) ? before.length : 0, Array.isArray(after) ? after.length : 0);
    return walk([...Array(length).keys()], (value, key) => (Array.isArray(value) ? (value[key as number] as unknown) : undefined));
  }
  return [{ path: path === '' ? '(value)' : path, ...(isEmpty(before) ? {} : { before }), ...(isEmpty(after) ? {} : { after }) }];
}
