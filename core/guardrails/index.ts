/**
 * Synth-time guardrails: rules checked on every client stack, suppressible only with a reason.
 *
 * @example
 * import { registerGuardrails, suppressGuardrail } from 'sovstack/guardrails';
 * registerGuardrails(stack, { clouds });
 * app.synth(); // throws "[guardrail no-world-open-ingress] <path>: …" on a violation
 *
 * @module sovstack/guardrails
 */
export type {
  ElementKind,
  GuardrailContext,
  GuardrailElement,
  GuardrailRule,
  GuardrailTarget,
  GuardrailViolation,
  PlacementRecord,
  RuleFinding,
  SuppressedViolation,
} from './types.js';
export {
  GuardrailError,
  evaluateGuardrails,
  formatViolation,
  guardrailContext,
  guardrailReport,
  registerGuardrails,
  type GuardrailOptions,
  type GuardrailReport,
} from './guardrails.js';
export { collectElements, elementOf } from './inspect.js';
export { SUPPRESSION_METADATA, suppressGuardrail, suppressionsOn, type GuardrailSuppression } from './suppress.js';
export * from './rules/index.js';
