/**
 * Guardrail suppressions: a rule turned off, with a reason of real words, for a stack or a construct
 * below it. Validated wherever they come from: `suppressGuardrail`, metadata written straight onto a
 * construct, or `//.sovstack.guardrails.suppressed` in a stack JSON read back by `check --out`.
 */
import { TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { describeSecretValue } from '../secrets/index.js';
import type { GuardrailSuppression } from './types.js';

/** Construct metadata type under which suppressions are recorded. */
export const SUPPRESSION_METADATA = 'sovstack:guardrail-suppression';

/** Rule id of findings about a suppression that is refused. */
export const SUPPRESSION_RULE = 'guardrail-suppression';

/** Fewest characters of a suppression reason. */
export const MIN_REASON_LENGTH = 20;
/** Fewest distinct words (three letters or more) of a suppression reason. */
export const MIN_REASON_WORDS = 3;

/**
 * What is wrong with a suppression reason, or undefined when it is accountable: at least
 * {@link MIN_REASON_LENGTH} characters and {@link MIN_REASON_WORDS} distinct words of three letters or
 * more (so `.` or `xxxxxxxxxxxxxxxxxxxxxx` are refused), and nothing that looks like a credential.
 *
 * @example
 * checkSuppressionReason('bastion reachable through the ministry VPN only, ticket SEC-42'); // undefined
 * checkSuppressionReason('.'); // 'the reason "." is too short …'
 */
export function checkSuppressionReason(reason: unknown): string | undefined {
  if (typeof reason !== 'string') return 'the reason is missing';
  const text = reason.trim();
  const words = new Set((text.toLowerCase().match(/\p{L}{3,}/gu) ?? []).map((w) => w));
  if (text.length < MIN_REASON_LENGTH || words.size < MIN_REASON_WORDS) {
    return (
      `the reason ${text.length <= 40 ? JSON.stringify(text) : 'given'} is too short: write why in at least ${MIN_REASON_LENGTH} ` +
      `characters and ${MIN_REASON_WORDS} different words (e.g. who accepted the risk and the ticket)`
    );
  }
  const secret = describeSecretValue(text);
  return secret === undefined ? undefined : `the reason holds ${secret}; never put credentials in a reason`;
}

/**
 * Where a suppression may not be attached, or undefined when it may: only on a stack or a construct
 * below one, never on the App root (it would cover every stack and rule).
 */
function placementProblem(construct: IConstruct): string | undefined {
  if (construct.node.scopes.some((scope) => TerraformStack.isStack(scope))) return undefined;
  return construct.node.scope === undefined
    ? 'suppressions on the App root are refused (they would cover every stack); attach it to the stack or the construct concerned'
    : 'suppressions are allowed on a stack or a construct below it only';
}

/**
 * Turns guardrail `ruleId` off for `construct` and everything below it, with a reason. Throws on a
 * reason that is not accountable (see {@link checkSuppressionReason}) or a construct that is not a stack
 * or below one. Whether `ruleId` is registered on the stack is checked when the stack is synthesized.
 *
 * @example
 * suppressGuardrail(stack.service.securityGroups, 'no-world-open-ingress',
 *   'bastion reachable through the ministry VPN only, risk accepted by the CISO, ticket SEC-42');
 */
export function suppressGuardrail(construct: IConstruct, ruleId: string, reason: string): void {
  const problem = placementProblem(construct) ?? checkSuppressionReason(reason);
  if (problem) throw new Error(`cannot suppress guardrail ${ruleId} on ${construct.node.path || 'the App root'}: ${problem}`);
  construct.node.addMetadata(SUPPRESSION_METADATA, { rule: ruleId, reason: reason.trim() });
}

/** A suppression found on a construct or in a stack JSON, and what is wrong with it (undefined when valid). */
export interface SuppressionCandidate {
  /** The suppression as found (reason trimmed when it is a string). */
  readonly suppression: GuardrailSuppression;
  /** Why it is refused; undefined when it is honoured. */
  readonly problem?: string;
}

function judge(raw: unknown, at: string, registered: ReadonlySet<string>, jsonPaths?: unknown): SuppressionCandidate {
  const record = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const rule = typeof record['rule'] === 'string' ? record['rule'] : '';
  const reason = typeof record['reason'] === 'string' ? record['reason'].trim() : '';
  const paths = Array.isArray(jsonPaths) && jsonPaths.every((p) => typeof p === 'string') ? jsonPaths : undefined;
  const suppression: GuardrailSuppression = { rule, reason, at, ...(paths ? { jsonPaths: paths } : {}) };
  const problem = !registered.has(rule)
    ? `rule ${JSON.stringify(rule)} is not registered on this stack (registered: ${[...registered].join(', ')})`
    : checkSuppressionReason(record['reason']);
  return problem ? { suppression, problem } : { suppression };
}

/**
 * Every suppression in the construct tree of `stack` and above it (the App root included, to refuse it),
 * judged against the rules registered on the stack.
 */
export function suppressionsInTree(stack: IConstruct, registered: ReadonlySet<string>): SuppressionCandidate[] {
  const constructs = [...stack.node.scopes.slice(0, -1), ...stack.node.findAll()];
  return constructs.flatMap((construct) =>
    construct.node.metadata
      .filter((m) => m.type === SUPPRESSION_METADATA)
      .map((m) => {
        const candidate = judge(m.data, construct.node.path, registered);
        const misplaced = placementProblem(construct);
        return misplaced ? { suppression: candidate.suppression, problem: misplaced } : candidate;
      }),
  );
}

/**
 * The suppressions recorded in a stack JSON (`//.sovstack.guardrails.suppressed`), judged against the
 * registered rules. A recorded suppression covers only the JSON paths it lists: one without any is refused.
 */
export function suppressionsInArtifact(json: Readonly<Record<string, unknown>>, registered: ReadonlySet<string>): SuppressionCandidate[] {
  const meta = json['//'] as { sovstack?: { guardrails?: { suppressed?: unknown } } } | undefined;
  const recorded = meta?.sovstack?.guardrails?.suppressed;
  if (recorded === undefined) return [];
  if (!Array.isArray(recorded)) {
    return [{ suppression: { rule: '', reason: '', at: '' }, problem: '//.sovstack.guardrails.suppressed must be a list' }];
  }
  return recorded.map((raw: unknown) => {
    const record = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
    const at = typeof record['at'] === 'string' ? record['at'] : '';
    const candidate = judge(raw, at, registered, record['jsonPaths']);
    if (candidate.problem || candidate.suppression.jsonPaths?.length) return candidate;
    return { ...candidate, problem: 'a recorded suppression must list the JSON paths it covers (jsonPaths)' };
  });
}
