/**
 * Guardrails on a stack file already written (a cache entry reused by synth, a folder given to
 * `sovstack check --out`): the file is parsed and judged in the estate's context, and only the
 * suppressions it records with a valid reason, a registered rule and the JSON paths they cover are honoured.
 */
import { readArtifact } from './artifact.js';
import { evaluateArtifact, type StackPlacement } from './evaluate.js';
import { GuardrailError } from './guardrails.js';
import { GUARDRAIL_RULES } from './rules/index.js';
import { suppressionsInArtifact } from './suppress.js';
import type { GuardrailReport, GuardrailRule } from './types.js';

/**
 * Judges the bytes of stack `stack`'s `cdk.tf.json` placed as `where` says (from the estate). Content that
 * is not a JSON object is itself an error finding: what cannot be read cannot be trusted.
 *
 * @example
 * const report = evaluateStackFile('c-sovereign-fr1', readFileSync(file), stackPlacement(client, cloud, estate.clouds));
 */
export function evaluateStackFile(
  stack: string,
  content: Buffer | string,
  where: StackPlacement,
  rules: readonly GuardrailRule[] = GUARDRAIL_RULES,
): GuardrailReport {
  let json: unknown;
  try {
    json = JSON.parse(content.toString());
  } catch {
    json = undefined;
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    const message = 'the stack file is not a JSON object, so it cannot be judged; fix: synthesize it again';
    return {
      stack,
      findings: [{ rule: 'guardrail-artifact', level: 'error', message, stack, jsonPath: '' }],
      suppressed: [],
      outcomes: [],
    };
  }
  const record = json as Record<string, unknown>;
  const registered = new Set(rules.map((r) => r.id));
  return evaluateArtifact(readArtifact(stack, record), where, { rules, suppressions: suppressionsInArtifact(record, registered) });
}

/**
 * {@link evaluateStackFile}, throwing a `GuardrailError` on any error finding: a stack file reused from
 * the synth cache must pass exactly like a freshly synthesized stack.
 *
 * @example
 * if (hit) enforceStackFile(name, hit.content, stackPlacement(client, cloud, estate.clouds, reason));
 */
export function enforceStackFile(stack: string, content: Buffer | string, where: StackPlacement): GuardrailReport {
  const report = evaluateStackFile(stack, content, where);
  const errors = report.findings.filter((f) => f.level === 'error');
  if (errors.length > 0) throw new GuardrailError(errors);
  return report;
}
