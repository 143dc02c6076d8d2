/**
 * Builds one `ClientStack` per placement and registers the guardrails on each.
 */
import type { App } from 'cdktf';
import type { ClientConfig, CloudConfig } from '../core/config/schema.js';
import { registerGuardrails } from '../core/guardrails/guardrails.js';
import { ClientStack } from './client-stack.js';

/** One placement decision, as produced by the placement engine (`Placement` has these fields). */
export interface PlacementInput {
  /** Client id. */
  readonly client: string;
  /** Cloud id. */
  readonly cloud: string;
  /** Why this cloud. Default: none. */
  readonly reason?: string;
}

/**
 * What one stack is built from: a client, the cloud it is placed on and why.
 *
 * @example
 * { client, cloud, reason: 'only eligible cloud' }
 */
export interface StackJob {
  /** The client. */
  readonly client: ClientConfig;
  /** The cloud it is placed on. */
  readonly cloud: CloudConfig;
  /** The placement engine's reason. Default: none. */
  readonly reason?: string;
}

/** Input of {@link stackJobs}: placements and the clients and clouds they name. */
export interface StackJobsInput {
  /** Every cloud of the estate (also used by guardrails to check where state is hosted). No default. */
  readonly clouds: readonly CloudConfig[];
  /** Placements to realise; one stack each. No default. */
  readonly placements: readonly PlacementInput[];
  /** Every client referenced by a placement. No default. */
  readonly clients: readonly ClientConfig[];
}

/** Input of {@link buildStacks}. */
export interface BuildStacksInput extends StackJobsInput {
  /** Toolkit version for the `sovstack:version` label. No default. */
  readonly toolkitVersion: string;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The stacks to build for some placements, in (client id, cloud id) order whatever the input order,
 * each with its client and cloud looked up. Throws when a placement names an unknown client or cloud.
 *
 * @example
 * stackJobs({ clouds, clients, placements: result.placements }).map((j) => stackNameFor(j.client.id, j.cloud.id));
 */
export function stackJobs(input: StackJobsInput): StackJob[] {
  const clouds = new Map(input.clouds.map((c) => [c.id, c] as const));
  const clients = new Map(input.clients.map((c) => [c.id, c] as const));
  const ordered = [...input.placements].sort((a, b) => compareIds(a.client, b.client) || compareIds(a.cloud, b.cloud));
  return ordered.map((placement) => {
    const client = clients.get(placement.client);
    if (!client) throw new Error(`placement names unknown client ${placement.client}`);
    const cloud = clouds.get(placement.cloud);
    if (!cloud) throw new Error(`placement of client ${placement.client} names unknown cloud ${placement.cloud}`);
    return { client, cloud, ...(placement.reason !== undefined ? { reason: placement.reason } : {}) };
  });
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
