/**
 * Guardrails judged on the artifact: every rule runs on each stack's final Terraform JSON (after every
 * override, tokens resolved) — at synth, on cache hits and by `sovstack check --out` — in the context of
 * the estate. Suppressible only on a stack or below, with a reason of real words.
 *
 * @example
 * import { registerGuardrails, suppressGuardrail } from 'sovstack/guardrails';
 * registerGuardrails(stack, { clouds });
 * app.synth(); // throws "[guardrail no-world-open-ingress] <stack> <jsonPath>: …" on a violation
 *
 * @module sovstack/guardrails
 */
export type { Finding, FindingLevel } from '../findings.js';
export type {
  ArtifactElement,
  ArtifactKind,
  GuardrailContext,
  GuardrailReport,
  GuardrailRule,
  GuardrailSuppression,
  GuardrailTarget,
  InspectSelector,
  NotApplicable,
  PlacementRecord,
  RuleFinding,
  RuleOutcome,
  RuleStatus,
  StackArtifact,
  SuppressedFinding,
} from './types.js';
export { elementAt, readArtifact, selectElements } from './artifact.js';
export { evaluateArtifact, stackPlacement, type EvaluateOptions, type StackPlacement } from './evaluate.js';
export {
  enforceGuardrails,
  evaluateGuardrails,
  evaluateStackJson,
  formatFinding,
  GuardrailError,
  guardrailRecord,
  registerGuardrails,
  registeredRules,
  type GuardrailOptions,
} from './guardrails.js';
export { enforceStackFile, evaluateStackFile } from './stack-file.js';
export { recordedSuppressions, renderSuppressionsMarkdown } from './suppressions-report.js';
export { guardOutputFolder, UNPLACED_STACK_RULE, type OutputFolderReport } from './output-folder.js';
export {
  checkSuppressionReason,
  MIN_REASON_LENGTH,
  MIN_REASON_WORDS,
  SUPPRESSION_METADATA,
  SUPPRESSION_RULE,
  suppressGuardrail,
  suppressionsInArtifact,
  suppressionsInTree,
  type SuppressionCandidate,
} from './suppress.js';
export { buildHostMap, ownerFor, resolveEndpoint, type HostMap, type HostResolution } from './hosts.js';
export { isExpression, undecidableLevel } from './values.js';
export * from './rules/index.js';
