/**
 * The registered guardrail rules, in the order they run and report.
 */
import type { GuardrailRule } from '../types.js';
import { noSecretsInAttributes } from './no-secrets-in-attributes.js';
import { noWorldOpenIngress } from './no-world-open-ingress.js';
import { providerMatchesPlacement } from './provider-matches-placement.js';
import { sensitiveStateBackend } from './sensitive-state-backend.js';

/** Every guardrail rule; `registerGuardrails` runs these unless told otherwise. */
export const GUARDRAIL_RULES: readonly GuardrailRule[] = [
  providerMatchesPlacement,
  sensitiveStateBackend,
  noSecretsInAttributes,
  noWorldOpenIngress,
];

export { noSecretsInAttributes, isSecretKey, secretInValue } from './no-secrets-in-attributes.js';
export { noWorldOpenIngress } from './no-world-open-ingress.js';
export { providerMatchesPlacement } from './provider-matches-placement.js';
export { sensitiveStateBackend, STATE_HOST_RULES } from './sensitive-state-backend.js';
