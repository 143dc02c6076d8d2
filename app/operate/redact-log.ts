/**
 * Redaction of OpenTofu's output before it reaches a log, the journal or the screen: the values of the
 * environment's credentials (PGPASSWORD, OS_PASSWORD, TF_HTTP_PASSWORD…) wherever they appear, and
 * every word the secret detector flags. A line the detector flags as a whole (`password = "…"`)
 * without a single flagged word is replaced entirely: when in doubt, nothing is shown.
 */
import { describeSecretValue, looksLikeSecretKey, redactSecrets } from '../../core/secrets/index.js';

/** What replaces a secret in a log. */
export const LOG_REDACTED = '[redacted]';

/**
 * The values of `env` whose variable name says credential (4+ characters), longest first.
 *
 * @example secretEnvValues({ PGPASSWORD: 'hunter22', PGHOST: 'db' }) // ['hunter22']
 */
export function secretEnvValues(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([key, value]) => value !== undefined && value.length >= 4 && looksLikeSecretKey(key))
    .map(([, value]) => value!)
    .sort((a, b) => b.length - a.length);
}

const WORD = /[^\s"'`,;()[\]{}<>]+/g;

/**
 * `line` with `known` secrets and every flagged word replaced by {@link LOG_REDACTED}.
 *
 * @example redactLogLine('dial postgres://app:hunter2@db/state failed', []) // 'dial [redacted] failed'
 */
export function redactLogLine(line: string, known: readonly string[]): string {
  const withoutKnown = redactSecrets(line, known);
  const words = withoutKnown.replace(WORD, (word) => (describeSecretValue(word) !== undefined ? LOG_REDACTED : word));
  if (describeSecretValue(words.split(LOG_REDACTED).join(' ')) === undefined) return words;
  return `${LOG_REDACTED} (a line that looks like it holds a credential)`;
}

/** Every line of `text` through {@link redactLogLine}. */
export function redactLog(text: string, known: readonly string[]): string {
  return text
    .split('\n')
    .map((line) => redactLogLine(line, known))
    .join('\n');
}
