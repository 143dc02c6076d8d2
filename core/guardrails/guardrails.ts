/**
 * Guardrails at synth: a registered stack's final Terraform JSON (what `toTerraform()` returns, after
 * every override, tokens resolved) is judged before it is written; an error finding fails the synth with
 * `[guardrail <rule>] <stack> <jsonPath>: <message>`.
 */
import { TerraformDataSource, TerraformOutput, TerraformProvider, TerraformResource, TerraformStack, TerraformVariable } from 'cdktf';
import type { IConstruct } from 'constructs';
import type { CloudConfig } from '../config/schema.js';
import type { Finding } from '../findings.js';
import { readArtifact } from './artifact.js';
import { evaluateArtifact, stackPlacement } from './evaluate.js';
import { GUARDRAIL_RULES } from './rules/index.js';
import { suppressionsInTree } from './suppress.js';
import type { GuardrailReport, GuardrailRule, GuardrailSuppression, GuardrailTarget } from './types.js';

/** Options of {@link registerGuardrails}. */
export interface GuardrailOptions {
  /** Every known cloud, to check where state is hosted and who owns a host. Default: only the stack's own cloud. */
  readonly clouds?: readonly CloudConfig[];
  /** Rules to run (built-in and custom). Default: {@link GUARDRAIL_RULES}. */
  readonly rules?: readonly GuardrailRule[];
}

interface Registration {
  readonly clouds: readonly CloudConfig[];
  readonly rules: readonly GuardrailRule[];
}

const registrations = new WeakMap<IConstruct, Registration>();

/**
 * One line per finding: `[guardrail <rule>] <stack> <jsonPath>: <message>`.
 *
 * @example
 * formatFinding({ rule: 'no-world-open-ingress', level: 'error', stack: 's', jsonPath: 'resource.x.y', message: 'm' });
 * // '[guardrail no-world-open-ingress] s resource.x.y: m'
 */
export function formatFinding(f: Finding): string {
  const level = f.level === 'error' ? '' : ` ${f.level}`;
  return `[guardrail ${f.rule}${level}] ${f.stack ?? '-'} ${f.jsonPath || '(stack)'}: ${f.message}`;
}

/** Error carrying the error findings of a stack, one formatted line each in the message. */
export class GuardrailError extends Error {
  /** @param findings The error findings. */
  constructor(readonly findings: readonly Finding[]) {
    super(findings.map(formatFinding).join('\n'));
    this.name = 'GuardrailError';
  }
}

/**
 * Registers the guardrails on a stack: its `toTerraform()` (see {@link enforceGuardrails}) then judges
 * the final JSON and throws on any error finding, so `app.synth()` fails. Registering twice replaces the options.
 *
 * @example
 * registerGuardrails(stack, { clouds: estate.clouds, rules: [...GUARDRAIL_RULES, myRule] });
 */
export function registerGuardrails(stack: GuardrailTarget, options: GuardrailOptions = {}): void {
  registrations.set(stack, { clouds: options.clouds ?? [], rules: options.rules ?? GUARDRAIL_RULES });
}

/** The rules registered on `stack`, or undefined when none are. */
export function registeredRules(stack: IConstruct): readonly GuardrailRule[] | undefined {
  return registrations.get(stack)?.rules;
}

/** JSON path → construct path of every Terraform element of the stack's construct tree (not of raw overrides). */
function constructPaths(stack: IConstruct): Map<string, string> {
  const paths = new Map<string, string>();
  const providerCount = new Map<string, number>();
  for (const c of stack.node.findAll()) {
    let jsonPath: string | undefined;
    if (c instanceof TerraformDataSource) jsonPath = `data.${c.terraformResourceType}.${c.friendlyUniqueId}`;
    else if (TerraformResource.isTerraformResource(c)) jsonPath = `resource.${c.terraformResourceType}.${c.friendlyUniqueId}`;
    else if (c instanceof TerraformOutput) jsonPath = `output.${c.friendlyUniqueId}`;
    else if (c instanceof TerraformVariable) jsonPath = `variable.${c.friendlyUniqueId}`;
    else if (c instanceof TerraformProvider) {
      const index = providerCount.get(c.terraformResourceType) ?? 0;
      providerCount.set(c.terraformResourceType, index + 1);
      jsonPath = `provider.${c.terraformResourceType}[${index}]`;
    }
    if (jsonPath !== undefined) paths.set(jsonPath, c.node.path);
  }
  return paths;
}

function judge(stack: GuardrailTarget, tf: Record<string, unknown>, registration: Registration): GuardrailReport {
  const where = stackPlacement(stack.client, stack.cloud, registration.clouds, stack.placement.reason);
  const registered = new Set(registration.rules.map((r) => r.id));
  return evaluateArtifact(readArtifact(stack.stackName, tf, constructPaths(stack)), where, {
    rules: registration.rules,
    suppressions: suppressionsInTree(stack, registered),
    stackPath: stack.node.path,
  });
}

/**
 * Judges `stack`'s final Terraform JSON `tf` with the registered rules and the suppressions of its
 * construct tree; undefined when no guardrails are registered. Does not throw (see {@link enforceGuardrails}).
 *
 * @example
 * const report = evaluateStackJson(stack, json);
 */
export function evaluateStackJson(stack: GuardrailTarget, tf: Record<string, unknown>): GuardrailReport | undefined {
  const registration = registrations.get(stack);
  return registration ? judge(stack, tf, registration) : undefined;
}

/**
 * Judges a stack without registering anything and without throwing: its final Terraform JSON (what
 * cdktf's `TerraformStack.toTerraform()` produces: every override applied, tokens resolved) with
 * `options.rules` (default {@link GUARDRAIL_RULES}) and the suppressions of its construct tree.
 *
 * @example
 * const { findings, suppressed, outcomes } = evaluateGuardrails(stack, { clouds: estate.clouds });
 */
export function evaluateGuardrails(stack: GuardrailTarget & TerraformStack, options: GuardrailOptions = {}): GuardrailReport {
  const tf = TerraformStack.prototype.toTerraform.call(stack) as Record<string, unknown>;
  return judge(stack, tf, { clouds: options.clouds ?? [], rules: options.rules ?? GUARDRAIL_RULES });
}

/**
 * Called by the stack's `toTerraform()` with its final JSON: throws a {@link GuardrailError} on any error
 * finding, else returns the report (undefined when no guardrails are registered) to record in the JSON.
 *
 * @example
 * override toTerraform() { const tf = super.toTerraform(); enforceGuardrails(this, tf); return tf; }
 */
export function enforceGuardrails(stack: GuardrailTarget & TerraformStack, tf: Record<string, unknown>): GuardrailReport | undefined {
  const report = evaluateStackJson(stack, tf);
  const errors = report?.findings.filter((f) => f.level === 'error') ?? [];
  if (errors.length > 0) throw new GuardrailError(errors);
  return report;
}

/**
 * What the stack JSON records of a report under `//.sovstack.guardrails`: the suppressions with the JSON
 * paths they covered (so `check --out` honours them, and only them) and the warnings.
 *
 * @example
 * tf['//'].sovstack.guardrails = guardrailRecord(report);
 */
export function guardrailRecord(report: GuardrailReport): { suppressed: GuardrailSuppression[]; warnings?: Finding[] } {
  const byKey = new Map<string, { rule: string; reason: string; at: string; jsonPaths: string[] }>();
  for (const s of report.suppressed) {
    const key = `${s.rule}\u0000${s.suppressedAt}\u0000${s.reason}`;
    const entry = byKey.get(key) ?? { rule: s.rule, reason: s.reason, at: s.suppressedAt, jsonPaths: [] };
    if (s.jsonPath !== undefined && !entry.jsonPaths.includes(s.jsonPath)) entry.jsonPaths.push(s.jsonPath);
    byKey.set(key, entry);
  }
  const warnings = report.findings.filter((f) => f.level !== 'error');
  return { suppressed: [...byKey.values()], ...(warnings.length > 0 ? { warnings } : {}) };
}
