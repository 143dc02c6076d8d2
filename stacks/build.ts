/**
 * Builds one `ClientStack` per placement and registers the guardrails on each.
 */
import type { App } from 'cdktf';
import { registerGuardrails } from '../core/guardrails/guardrails.js';
import { ClientStack } from './client-stack.js';
import { stackJobs, type StackJobsInput } from './jobs.js';

export { stackJobs, type PlacementInput, type StackJob, type StackJobsInput } from './jobs.js';

/** Input of {@link buildStacks}. */
export interface BuildStacksInput extends StackJobsInput {
  /** Toolkit version for the `sovstack:version` label. No default. */
  readonly toolkitVersion: string;
}

/**
 * Creates one {@link ClientStack} per placement, in (client id, cloud id) order whatever the input
 * order, and registers the guardrails on each. Throws when a placement names an unknown client or cloud.
 *
 * @example
 * const app = new App();
 * buildStacks(app, { clouds, clients, placements: result.placements, toolkitVersion: pkg.version });
 * app.synth();
 */
export function buildStacks(app: App, input: BuildStacksInput): ClientStack[] {
  return stackJobs(input).map(({ client, cloud, reason }) => {
    const stack = new ClientStack(app, { client, cloud, placementReason: reason, toolkitVersion: input.toolkitVersion });
    registerGuardrails(stack, { clouds: input.clouds });
    return stack;
  });
}
