/**
 * The guardrail suppressions a synthesized stack carries under `//.sovstack.guardrails.suppressed`
 * (recorded by ClientStack): every rule someone turned off, where and why, so a reviewer sees them.
 */
import { isRecord } from '../../core/json.js';
import type { TerraformJson } from '../affected/outdir.js';
import { redactText } from './redact.js';
import { byName } from './synth-diff.js';
import type { GuardrailSuppression } from './types.js';

const text = (value: unknown): string => (typeof value === 'string' ? redactText(value) : '');

/**
 * The suppressed guardrail violations recorded in a stack's JSON, sorted by rule then path. An entry
 * that is not an object is listed as `(unreadable suppression)` rather than dropped: a reviewer must
 * see that something was suppressed.
 *
 * @example suppressionsOf(stackJson) // [{ rule: 'no-world-open-ingress', path: 'x-sovereign-fr1/service/security-groups/web', reason: 'public web site' }]
 */
export function suppressionsOf(stack: TerraformJson): GuardrailSuppression[] {
  const meta = stack['//'];
  const sovstack = isRecord(meta) ? meta['sovstack'] : undefined;
  const guardrails = isRecord(sovstack) ? sovstack['guardrails'] : undefined;
  const suppressed = isRecord(guardrails) ? guardrails['suppressed'] : undefined;
  if (!Array.isArray(suppressed)) return [];
  return suppressed
    .map((entry): GuardrailSuppression => {
      if (!isRecord(entry)) return { rule: '(unreadable suppression)', path: '', reason: '' };
      const at = text(entry['suppressedAt']);
      return {
        rule: text(entry['rule']),
        path: text(entry['path']),
        reason: text(entry['reason']),
        ...(at !== '' ? { suppressedAt: at } : {}),
        ...(typeof entry['message'] === 'string' ? { message: text(entry['message']) } : {}),
      };
    })
    .sort((a, b) => byName(a.rule, b.rule) || byName(a.path, b.path));
}
