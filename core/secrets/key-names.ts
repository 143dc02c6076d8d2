/**
 * Which key names hold a credential. One list, one normalisation: the name is split into words
 * (`OS_PASSWORD`, `adminPass`, `private-key`, `application credential secret` → lower-case words),
 * qualifiers of encoding at the end (`_value`, `_b64`, `_pem`…) are dropped, and the name holds a
 * credential when what remains ends with a credential noun. A credential noun followed by anything
 * else names something ABOUT the credential: `private_key_file` (a path), `token_id` (an id; the
 * one provider attribute where it is the token, `openstack_identity_auth_scope_v3.token_id`, is
 * computed, so never written by config, and plans mark it sensitive), `password_length`, `token_ttl`,
 * `secret_ref` (a Barbican reference), `skip_credentials_validation`, `password_expires_at`.
 */

/** Single words that are a credential on their own (`pass` for `admin_pass`, `psk` for IPsec, `authorization` for HTTP headers). */
const SECRET_WORDS = new Set([
  'password',
  'passwords',
  'passwd',
  'passphrase',
  'pass',
  'pwd',
  'secret',
  'secrets',
  'token',
  'tokens',
  'credential',
  'credentials',
  'psk',
  'authorization',
]);

/** Stems found fused inside one word: `PGPASSWORD`, `OSPASSWORD`, `apikey`, `adminpass`, `authtoken`. */
const FUSED_STEMS = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'credential',
  'apikey',
  'privatekey',
  'accesskey',
  'secretkey',
  'adminpass',
];

/**
 * Words that make the following `key` a credential: `api_key`, `private_key`, `access_key`,
 * `secret_key`, `container_sync_key`, `sse_customer_key`, `temp_url_key`, `encryption_key`…
 * A bare `key` is not one: it names map keys, object-storage keys and keypairs.
 */
const SECRET_KEY_QUALIFIERS = new Set([
  'api',
  'private',
  'access',
  'secret',
  'sync',
  'customer',
  'url',
  'encryption',
  'master',
  'signing',
  'shared',
  'hmac',
  'auth',
  'client',
  'license',
  'licence',
]);

/** Trailing words that say how the credential is encoded, not what it is about: `private_key_pem`. */
const ENCODING_SUFFIXES = new Set([
  'value',
  'data',
  'string',
  'text',
  'plain',
  'plaintext',
  'b64',
  'base64',
  'hex',
  'pem',
  'raw',
  'encoded',
  'literal',
]);

/**
 * The lower-case words of a key name: camelCase, `_`, `-`, `.` and spaces separate words.
 *
 * @example keyWords('OS_APPLICATION_CREDENTIAL_SECRET') // ['os', 'application', 'credential', 'secret']
 * @example keyWords('adminPass') // ['admin', 'pass']
 */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function endsWithFusedStem(word: string): boolean {
  return FUSED_STEMS.some((stem) => word.endsWith(stem) || word.endsWith(`${stem}s`));
}

/**
 * True when a key name looks like it holds a credential: `password`, `OS_PASSWORD`, `PGPASSWORD`,
 * `admin_pass`, `api_key`, `apiKey`, `privateKey`, `application_credential_secret`, `psk`,
 * `container_sync_key`, `private_key_pem`… and false for names of something about a credential
 * (`private_key_file`, `token_id`, `password_length`, `token_ttl`, `secret_ref`, `key_pair`,
 * `public_key`) and for everything else. `user_data` is not a credential by name: its value is
 * scanned like any other value.
 *
 * @example looksLikeSecretKey('application_credential_secret') // true
 * @example looksLikeSecretKey('private_key_file') // false
 * @example looksLikeSecretKey('cloudsYamlName') // false
 */
export function looksLikeSecretKey(key: string): boolean {
  const words = keyWords(key);
  while (words.length > 1 && ENCODING_SUFFIXES.has(words[words.length - 1] ?? '')) words.pop();
  const last = words[words.length - 1];
  if (last === undefined) return false;
  if (SECRET_WORDS.has(last) || endsWithFusedStem(last)) return true;
  if (last === 'key' || last === 'keys') return SECRET_KEY_QUALIFIERS.has(words[words.length - 2] ?? '');
  return false;
}
