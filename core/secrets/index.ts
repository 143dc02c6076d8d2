/**
 * The one secret detector, shared by every layer that must keep credentials out: config files
 * (validate), synthesized stacks (guardrails) and PR reports (redaction). Descriptions name what a
 * value looks like, never the value.
 *
 * @example
 * import { describeSecretValue, findSecretsIn, looksLikeSecretKey } from 'sovstack';
 * describeSecretValue('postgres://app:hunter2@db/state'); // 'a URL with a password in it (user:password@)'
 * looksLikeSecretKey('private_key_file'); // false
 * findSecretsIn({ tags: ['PGPASSWORD=hunter2'] }); // [{ path: 'tags[0]', what: 'a value that looks like a credential assignment (PGPASSWORD=…)' }]
 *
 * @module
 */
export { describeSecretValue, findSecretsIn, redactSecrets, SECRET_FIX, type SecretFinding } from './detect.js';
export { looksLikeSecretKey } from './key-names.js';
export { isPlaceholder } from './assignments.js';
