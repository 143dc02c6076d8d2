/**
 * Runs a host rule on a stack's final Terraform JSON, with the context the guardrail runner builds
 * from the estate: the client, the cloud it is placed on and every known cloud.
 */
import type { ClientConfig, CloudConfig } from '../../core/config/schema.js';
import type { FindingLevel } from '../../core/findings.js';
import type { GuardrailContext, GuardrailRule } from '../../core/guardrails/types.js';

/** A rule finding with its level made explicit. */
export interface HostRuleFinding {
  level: FindingLevel;
  jsonPath: string;
  message: string;
}

/** The findings of `rule` on `json` for `client` placed on `cloud`, knowing `clouds`. */
export function runHostRule(
  rule: GuardrailRule,
  json: Record<string, unknown>,
  where: { cloud: CloudConfig; client: ClientConfig; clouds: readonly CloudConfig[] },
): HostRuleFinding[] {
  const { cloud, client } = where;
  const stack = `${client.id}-${cloud.id}`;
  const ctx: GuardrailContext = {
    stack,
    placement: {
      clientId: client.id,
      cloudId: cloud.id,
      sensitivity: client.policy.sensitivity,
      stateHostedIn: cloud.state.hostedIn ?? cloud.id,
    },
    placedCloud: cloud,
    clouds: new Map(where.clouds.map((c) => [c.id, c] as const)),
    client,
    publicPorts: client.service.publicPorts,
    elements: [],
    artifact: { stack, json, elements: [] },
  };
  const result = rule.check(ctx);
  if (!Array.isArray(result)) throw new Error(`${rule.id} answered not applicable`);
  return result.map((f) => ({ level: f.level ?? 'error', jsonPath: f.jsonPath, message: f.message }));
}
