/**
 * Judges a stack's final Terraform JSON with the guardrail runner, in the estate's context: the
 * client, the cloud it is placed on and every known cloud.
 */
import type { ClientConfig, CloudConfig } from '../../core/config/schema.js';
import type { Finding } from '../../core/findings.js';
import { readArtifact } from '../../core/guardrails/artifact.js';
import { evaluateArtifact, stackPlacement } from '../../core/guardrails/evaluate.js';
import type { GuardrailRule } from '../../core/guardrails/types.js';

/** The findings (every level) of `rule` on `json` for `client` placed on `cloud`, knowing `clouds`. */
export function runHostRule(
  rule: GuardrailRule,
  json: Record<string, unknown>,
  where: { cloud: CloudConfig; client: ClientConfig; clouds: readonly CloudConfig[] },
): Pick<Finding, 'rule' | 'level' | 'jsonPath' | 'message'>[] {
  const { cloud, client } = where;
  const artifact = readArtifact(`${client.id}-${cloud.id}`, json);
  const report = evaluateArtifact(artifact, stackPlacement(client, cloud, where.clouds), { rules: [rule] });
  return report.findings.map((f) => ({ rule: f.rule, level: f.level, jsonPath: f.jsonPath, message: f.message }));
}
