/**
 * Runs the guardrail rules on a stack at synth time, cdk-nag style: every unsuppressed violation
 * becomes a validation error, so `app.synth()` fails with `[guardrail <rule>] <path>: <message>`.
 */
import { Annotations } from 'cdktf';
import type { IConstruct, IValidation } from 'constructs';
import type { CloudConfig } from '../config/schema.js';
import { collectElements } from './inspect.js';
import { GUARDRAIL_RULES } from './rules/index.js';
import { suppressionsOn } from './suppress.js';
import type { GuardrailContext, GuardrailRule, GuardrailTarget, GuardrailViolation, SuppressedViolation } from './types.js';

/** Options of {@link registerGuardrails}. */
export interface GuardrailOptions {
  /** Every known cloud, to check where state is hosted. Default: only the stack's own cloud. */
  readonly clouds?: readonly CloudConfig[];
  /** Rules to run. Default: {@link GUARDRAIL_RULES}. */
  readonly rules?: readonly GuardrailRule[];
}

/** The outcome of the guardrails on one stack. */
export interface GuardrailReport {
  /** Unsuppressed violations: each fails synth. */
  readonly violations: readonly GuardrailViolation[];
  /** Violations turned off by a suppression with a reason. */
  readonly suppressed: readonly SuppressedViolation[];
}

interface Registration {
  readonly clouds: ReadonlyMap<string, CloudConfig>;
  readonly rules: readonly GuardrailRule[];
  readonly annotated: Set<string>;
  /** The report computed by the latest validation, handed to the stack's JSON once (see {@link takeGuardrailReport}). */
  pending?: GuardrailReport;
}

const registrations = new WeakMap<IConstruct, Registration>();

/**
 * One line per violation: `[guardrail <rule>] <path>: <message>`.
 *
 * @example
 * formatViolation({ rule: 'no-world-open-ingress', path: 'a/b', message: 'ingress tcp 22 …; fix: …' });
 * // '[guardrail no-world-open-ingress] a/b: ingress tcp 22 …; fix: …'
 */
export function formatViolation(v: GuardrailViolation): string {
  return `[guardrail ${v.rule}] ${v.path}: ${v.message}`;
}

/** Error carrying violations, for callers that evaluate guardrails outside synth. */
export class GuardrailError extends Error {
  /** @param violations The violations, each formatted on its own line in the message. */
  constructor(readonly violations: readonly GuardrailViolation[]) {
    super(violations.map(formatViolation).join('\n'));
    this.name = 'GuardrailError';
  }
}

/** The context rules see for a stack. */
export function guardrailContext(stack: GuardrailTarget, clouds: ReadonlyMap<string, CloudConfig>): GuardrailContext {
  const all = new Map(clouds);
  if (!all.has(stack.cloud.id)) all.set(stack.cloud.id, stack.cloud);
  return {
    stackPath: stack.node.path,
    placement: stack.placement,
    placedCloud: stack.cloud,
    clouds: all,
    client: stack.client,
    publicPorts: stack.client.service.publicPorts,
    elements: collectElements(stack),
  };
}

/**
 * Runs rules on a stack and splits the findings into violations and suppressed violations.
 * Pure apart from reading the construct tree.
 *
 * @example
 * const { violations } = evaluateGuardrails(stack, { clouds });
 */
export function evaluateGuardrails(stack: GuardrailTarget, options: GuardrailOptions = {}): GuardrailReport {
  const clouds = new Map((options.clouds ?? []).map((c) => [c.id, c] as const));
  return runRules(stack, clouds, options.rules ?? GUARDRAIL_RULES);
}

function runRules(stack: GuardrailTarget, clouds: ReadonlyMap<string, CloudConfig>, rules: readonly GuardrailRule[]): GuardrailReport {
  const ctx = guardrailContext(stack, clouds);
  const byPath = new Map<string, IConstruct>(stack.node.findAll().map((c) => [c.node.path, c] as const));
  const violations: GuardrailViolation[] = [];
  const suppressed: SuppressedViolation[] = [];
  for (const rule of rules) {
    for (const finding of rule.check(ctx)) {
      const violation: GuardrailViolation = { rule: rule.id, path: finding.path, message: finding.message };
      const construct = byPath.get(finding.path) ?? stack;
      const hit = construct.node.scopes
        .slice()
        .reverse()
        .map((scope) => ({ scope, suppression: suppressionsOn(scope).find((s) => s.rule === rule.id) }))
        .find((x) => x.suppression !== undefined);
      if (hit?.suppression) {
        suppressed.push({ ...violation, reason: hit.suppression.reason, suppressedAt: hit.scope.node.path });
      } else {
        violations.push(violation);
      }
    }
  }
  return { violations, suppressed };
}

class GuardrailValidation implements IValidation {
  constructor(private readonly stack: GuardrailTarget) {}

  validate(): string[] {
    const registration = registrations.get(this.stack);
    if (!registration) return [];
    const report = runRules(this.stack, registration.clouds, registration.rules);
    registration.pending = report;
    for (const s of report.suppressed) {
      const key = `${s.rule}|${s.path}|${s.message}`;
      if (registration.annotated.has(key)) continue;
      registration.annotated.add(key);
      Annotations.of(this.stack).addInfo(`[guardrail ${s.rule} suppressed at ${s.suppressedAt}: ${s.reason}] ${s.path}: ${s.message}`);
    }
    return report.violations.map(formatViolation);
  }
}

/**
 * Registers the guardrails on a stack: synth (`app.synth()`, `Testing.fullSynth`,
 * `Testing.synth(stack, true)`) then fails on any unsuppressed violation. Registering twice
 * replaces the options and keeps one validation.
 *
 * @example
 * registerGuardrails(stack, { clouds: estate.clouds });
 */
export function registerGuardrails(stack: GuardrailTarget, options: GuardrailOptions = {}): void {
  const clouds = new Map((options.clouds ?? []).map((c) => [c.id, c] as const));
  const already = registrations.has(stack);
  registrations.set(stack, { clouds, rules: options.rules ?? GUARDRAIL_RULES, annotated: new Set() });
  if (!already) stack.node.addValidation(new GuardrailValidation(stack));
}

/**
 * The report of the validation that just ran on `stack` (synth validates, then writes the stack's JSON),
 * or a fresh one when none is pending; undefined when no guardrails are registered. Handing the
 * validation's report over once spares evaluating every rule twice per synthesized stack.
 */
export function takeGuardrailReport(stack: GuardrailTarget): GuardrailReport | undefined {
  const registration = registrations.get(stack);
  if (!registration) return undefined;
  const report = registration.pending ?? runRules(stack, registration.clouds, registration.rules);
  delete registration.pending;
  return report;
}

/** The guardrail report of a registered stack, or undefined when no guardrails are registered on it. */
export function guardrailReport(stack: GuardrailTarget): GuardrailReport | undefined {
  const registration = registrations.get(stack);
  return registration ? runRules(stack, registration.clouds, registration.rules) : undefined;
}
