/**
 * Reading values of a stack's final Terraform JSON: what is a Terraform expression (decided only at
 * plan time) and how bad it is when a rule cannot decide.
 */
import type { FindingLevel } from '../findings.js';
import type { GuardrailContext } from './types.js';

/** `${…}` interpolations and `%{…}` template directives: Terraform evaluates them, a static check cannot. */
const EXPRESSION = /[$%]\{/;

/**
 * True when a JSON value cannot be decided statically: a string holding a Terraform interpolation or
 * template directive (references, `var.…`, `local.…`, functions such as `lower(…)`).
 *
 * @example
 * isExpression('${var.cidr}'); // true
 * isExpression('0.0.0.0/0'); // false
 */
export function isExpression(value: unknown): boolean {
  return typeof value === 'string' && EXPRESSION.test(value);
}

/**
 * Level of a finding about a value a rule cannot decide (an expression where a host, CIDR, direction,
 * port or protocol must be): fails closed (`error`) for a sensitive client, `warning` for a standard one.
 *
 * @example
 * undecidableLevel(ctx); // 'error' when ctx.placement.sensitivity is 'sensitive'
 */
export function undecidableLevel(ctx: Pick<GuardrailContext, 'placement'>): FindingLevel {
  return ctx.placement.sensitivity === 'sensitive' ? 'error' : 'warning';
}
