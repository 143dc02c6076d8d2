/**
 * Suppressions: a guardrail may be turned off for one construct (and everything under it) only with
 * a written reason, which is recorded in the synthesized output.
 */
import type { IConstruct } from 'constructs';
import { GUARDRAIL_RULES } from './rules/index.js';

/** Construct metadata type under which suppressions are stored. */
export const SUPPRESSION_METADATA = 'sovstack:guardrail-suppression';

/** One suppression attached to a construct. */
export interface GuardrailSuppression {
  /** Rule id. */
  readonly rule: string;
  /** Why the rule does not apply here (non-empty). */
  readonly reason: string;
}

/**
 * Turns rule `ruleId` off for `construct` and its descendants. Throws when the reason is empty or
 * blank, or when the rule id is unknown (a typo must not silently suppress nothing).
 *
 * @example
 * suppressGuardrail(stack.service.securityGroups.node.findChild('bastion'), 'no-world-open-ingress',
 *   'SSH bastion reachable from the ministry VPN egress only; VPN publishes from 0.0.0.0/0 (ticket SEC-42)');
 */
export function suppressGuardrail(construct: IConstruct, ruleId: string, reason: string): void {
  if (typeof reason !== 'string' || reason.trim().length === 0) {
    throw new Error(`suppressing guardrail ${ruleId} on ${construct.node.path} needs a non-empty reason`);
  }
  if (!GUARDRAIL_RULES.some((r) => r.id === ruleId)) {
    throw new Error(
      `cannot suppress unknown guardrail ${ruleId} on ${construct.node.path} ` + `(known: ${GUARDRAIL_RULES.map((r) => r.id).join(', ')})`,
    );
  }
  construct.node.addMetadata(SUPPRESSION_METADATA, { rule: ruleId, reason: reason.trim() } satisfies GuardrailSuppression);
}

/** Suppressions attached directly to one construct. */
export function suppressionsOn(construct: IConstruct): GuardrailSuppression[] {
  return construct.node.metadata.filter((m) => m.type === SUPPRESSION_METADATA).map((m) => m.data as GuardrailSuppression);
}
