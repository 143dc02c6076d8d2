/**
 * The shape of a bypass attempt: how to build the stack, and the rule and JSON path that must refuse it.
 */
import { expect } from 'vitest';
import type { ClientStack } from '../../../stacks/client-stack.js';
import { STACK, synthError } from '../helpers.js';

/** One attempt to get a violation past the guardrails. */
export interface BypassCase {
  /** What the attempt does. */
  readonly name: string;
  /** Builds the stack carrying the attempt. */
  readonly build: () => { stack: ClientStack; jsonPath: string };
  /** Rule that must refuse it. */
  readonly rule: string;
}

/** Asserts that synth of the attempt fails with `[guardrail <rule>] <stack> <jsonPath>:`. */
export function expectRefused(c: BypassCase): void {
  const { stack, jsonPath } = c.build();
  const error = synthError(stack);
  expect(error, `${c.name} synthesized`).toBeDefined();
  expect(error).toContain(`[guardrail ${c.rule}] ${STACK} ${jsonPath}:`);
}
