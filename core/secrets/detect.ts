/**
 * The secret detector: what a credential looks like, as a key name or as a value. One definition
 * for the config loader, the guardrails and the PR report. Descriptions never echo the value.
 */

/** The fix every secret error carries. */
export const SECRET_FIX =
  'remove it: credentials come from the environment (OS_* variables, PGPASSWORD) or from the clouds.yaml entry ' +
  'named by `openstack.cloudsYamlName`, never from config files';

const SECRET_KEY_PARTS = ['password', 'passwd', 'passphrase', 'secret', 'token', 'apikey', 'privatekey', 'accesskey', 'credential'];

/**
 * True when a key name looks like it holds a credential: `password`, `api_key`, `apiKey`,
 * `application_credential_secret`, `OS_TOKEN`, `privateKey`… Case, `_` and `-` are ignored.
 *
 * @example looksLikeSecretKey('application_credential_secret') // true
 * @example looksLikeSecretKey('cloudsYamlName') // false
 */
export function looksLikeSecretKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return normalized === 'pwd' || SECRET_KEY_PARTS.some((part) => normalized.includes(part));
}

function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

function isRandomLooking(token: string): boolean {
  if (token.length < 32) return false;
  if (/^[0-9a-f]{32,}$/i.test(token)) {
    return /[0-9]/.test(token) && /[a-f]/i.test(token) && shannonEntropy(token) >= 3.2;
  }
  if (/^[A-Za-z0-9+/_-]{32,}={0,2}$/.test(token)) {
    return /[A-Z]/.test(token) && /[a-z]/.test(token) && /[0-9]/.test(token) && shannonEntropy(token) >= 4.2;
  }
  return false;
}

/**
 * Describes what a string value looks like when it looks like a secret, else undefined.
 * Recognizes PEM private keys, Fernet-like tokens (`gAAAA…`), URLs with `user:password@`,
 * `password=` in connection strings and long high-entropy base64/hex strings (32+ characters).
 * The description never contains the value.
 *
 * @example describeSecretValue('postgres://app:hunter2@db.example/state') // 'a URL with a password in it (user:password@)'
 */
export function describeSecretValue(value: string): string | undefined {
  if (/-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----/.test(value)) return 'a private key (PEM block)';
  if (/gAAAA[A-Za-z0-9_-]{30,}/.test(value)) return 'a Fernet-like token (gAAAA…)';
  if (/[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:[^\s/?#@]+@/i.test(value)) return 'a URL with a password in it (user:password@)';
  if (/\bpassword\s*=\s*[^\s'"]/i.test(value)) return 'a connection string with a password (password=…)';
  if (value.split(/[^A-Za-z0-9+/=_-]+/).some(isRandomLooking)) return 'a long random-looking string (an API key or token)';
  return undefined;
}

/**
 * Replaces every occurrence of the given secret strings (4+ characters) in `text` with `[redacted]`.
 * A safety net for messages that quote source text, such as YAML syntax errors.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= 4) result = result.split(secret).join('[redacted]');
  }
  return result;
}
