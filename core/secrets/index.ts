/**
 * Secret detection shared by every layer that must keep credentials out: config files, synthesized
 * stacks (guardrails) and PR reports.
 *
 * @example
 * import { describeSecretValue } from 'sovstack';
 * describeSecretValue('postgres://app:hunter2@db/state'); // 'a URL with a password in it (user:password@)'
 *
 * @module
 */
export { describeSecretValue, looksLikeSecretKey, redactSecrets, SECRET_FIX } from './detect.js';
