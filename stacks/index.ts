/**
 * Client stacks: one Terraform stack per placed client.
 *
 * @example
 * import { buildStacks } from 'sovstack/stacks';
 *
 * @module sovstack/stacks
 */
export { ClientStack, type ClientStackProps } from './client-stack.js';
export { PlacedStack, stackNameFor, withSovstackRecord, type PlacedStackProps } from './placed-stack.js';
export { configureBackend, DEFAULT_STATE_PREFIX } from './backend.js';
export { buildStacks, stackJobs, type BuildStacksInput, type PlacementInput, type StackJob, type StackJobsInput } from './build.js';
