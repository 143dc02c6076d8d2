/** The user-facing failures of the state-key program and command. */

/**
 * A failure the user can act on (key manager down, key missing, no credentials, bad protocol input):
 * printed as one message naming the fix, never with a stack trace, never with a key or a password.
 *
 * @example throw new StateKeyError('key sovstack-state-x-v1 not found in http://127.0.0.1:9311; fix: sovstack state-key create x');
 */
export class StateKeyError extends Error {}
