/**
 * Helpers for guardrail tests: a registered client stack and the synth error it produces.
 */
import { Testing } from 'cdktf';
import { ClientStack } from '../../stacks/client-stack.js';
import { registerGuardrails } from '../../core/guardrails/index.js';
import type { ClientConfig, CloudConfig } from '../../core/config/schema.js';
import { PORTABLE_SERVICE, makeClient, sovereignCloud, vendorCloud } from '../support/fixtures.js';

/** A client stack with guardrails registered, knowing both fixture clouds. */
export function guardedStack(options: { client?: ClientConfig; cloud?: CloudConfig; clouds?: CloudConfig[] } = {}): ClientStack {
  const cloud = options.cloud ?? sovereignCloud();
  const stack = new ClientStack(Testing.app(), {
    client: options.client ?? makeClient({ service: PORTABLE_SERVICE }),
    cloud,
    toolkitVersion: '0.1.0',
  });
  registerGuardrails(stack, { clouds: options.clouds ?? [sovereignCloud(), vendorCloud()] });
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
