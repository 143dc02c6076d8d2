/**
 * Helpers for guardrail tests: a registered client stack, the synth error it produces, its report,
 * and the JSON path of an element.
 */
import { Testing, type TerraformResource } from 'cdktf';
import { ClientStack } from '../../stacks/client-stack.js';
import { evaluateGuardrails, registerGuardrails, type GuardrailReport, type GuardrailRule } from '../../core/guardrails/index.js';
import type { ClientConfig, CloudConfig } from '../../core/config/schema.js';
import { PORTABLE_SERVICE, makeClient, sovereignCloud, vendorCloud } from '../support/fixtures.js';

/** Name of the fixture client's stack on the sovereign fixture cloud. */
export const STACK = 'min-interieur-sovereign-fr1';

/** A client stack with guardrails registered, knowing both fixture clouds. */
export function guardedStack(
  options: { client?: ClientConfig; cloud?: CloudConfig; clouds?: CloudConfig[]; rules?: GuardrailRule[] } = {},
): ClientStack {
  const cloud = options.cloud ?? sovereignCloud();
  const stack = new ClientStack(Testing.app(), {
    client: options.client ?? makeClient({ service: PORTABLE_SERVICE }),
    cloud,
    toolkitVersion: '0.1.0',
  });
  registerGuardrails(stack, {
    clouds: options.clouds ?? [sovereignCloud(), vendorCloud()],
    ...(options.rules ? { rules: options.rules } : {}),
  });
  return stack;
}

/** The message of the error thrown by a full synth of the stack's app, or undefined when synth succeeds. */
export function synthError(stack: ClientStack): string | undefined {
  try {
    Testing.fullSynth(stack);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The guardrail report of the stack's final JSON, without throwing. */
export function reportOf(stack: ClientStack): GuardrailReport {
  return evaluateGuardrails(stack, { clouds: [sovereignCloud(), vendorCloud()] });
}

/** `resource.<type>.<logical id>` of a resource of the stack. */
export function jsonPathOf(resource: TerraformResource): string {
  return `resource.${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

/** A client whose `web` group has the given extra rules, with `publicPorts`. */
export function clientWithRules(
  rules: unknown[],
  publicPorts: number[] = [443],
  sensitivity: 'standard' | 'sensitive' = 'standard',
): ClientConfig {
  return makeClient({
    sensitivity,
    service: {
      network: { cidr: '10.10.0.0/16', subnets: [{ name: 'app', cidr: '10.10.2.0/24' }] },
      publicPorts,
      securityGroups: [{ name: 'web', rules: [{ protocol: 'tcp', ports: 443, cidr: '0.0.0.0/0' }, ...rules] }],
    },
  });
}

/** The security-group rule `rule-<n>` of group `web` (rule-1 is the 443 rule of {@link clientWithRules}). */
export function webRule(stack: ClientStack, n: number): TerraformResource {
  return stack.service.securityGroups.node.findChild('web').node.findChild(`rule-${n}`) as TerraformResource;
}
