/**
 * The built-in guardrail rules, in the order they run and report.
 */
import type { GuardrailRule } from '../types.js';
import { keyManagerPlacement } from './key-manager-placement.js';
import { noDisabledPortSecurity } from './no-disabled-port-security.js';
import { noSecretsInAttributes } from './no-secrets-in-attributes.js';
import { noWorldOpenIngress } from './no-world-open-ingress.js';
import { providerMatchesPlacement } from './provider-matches-placement.js';
import { sensitiveStateBackend } from './sensitive-state-backend.js';
import { stateEncryption } from './state-encryption.js';

/** Every built-in guardrail rule; `registerGuardrails`, synth and `check --out` run these unless told otherwise. */
export const GUARDRAIL_RULES: readonly GuardrailRule[] = [
  providerMatchesPlacement,
  sensitiveStateBackend,
  stateEncryption,
  keyManagerPlacement,
  noSecretsInAttributes,
  noWorldOpenIngress,
  noDisabledPortSecurity,
];

export { coversWholeSpace, isTooWide, MIN_IPV4_PREFIX, MIN_IPV6_PREFIX, parseRemotePrefix, wholeSpace } from './address-space.js';
export type { AddressSpan, IpVersion } from './address-space.js';
export { noDisabledPortSecurity } from './no-disabled-port-security.js';
export { noSecretsInAttributes } from './no-secrets-in-attributes.js';
export { noWorldOpenIngress } from './no-world-open-ingress.js';
export { providerMatchesPlacement } from './provider-matches-placement.js';
export { failedHostRules, sensitiveStateBackend, STATE_HOST_RULES } from './sensitive-state-backend.js';
export { keyManagerPlacement } from './key-manager-placement.js';
export { stateEncryption } from './state-encryption.js';
