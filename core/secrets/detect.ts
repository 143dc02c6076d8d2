/**
 * The secret detector: what a credential looks like, as a key name or as a value. One definition
 * for the config loader, the guardrails and the PR report. Descriptions never echo the value.
 */
import { describeAssignment, isPlaceholder } from './assignments.js';
import { isIdentifier, isRandomLooking } from './entropy.js';
import { describeKnownFormat, withoutPublicMaterial } from './formats.js';
import { looksLikeSecretKey } from './key-names.js';

/** The fix every secret error carries. */
export const SECRET_FIX =
  'remove it: credentials come from the environment (OS_* variables, PGPASSWORD) or from the clouds.yaml entry ' +
  'named by `openstack.cloudsYamlName`, never from config files';

/**
 * cloud-init's `chpasswd.list` (`user:password` lines), inline or as a child of `chpasswd:`; its
 * `users:` entries carry `password:` (an assignment) or `type: RANDOM` (no secret).
 */
const CLOUD_INIT_PASSWORD_LIST = /(^|\n)([ \t]*)chpasswd:[ \t]*(\{[^}\n]*\blist\b|\n(\2[ \t]+[^\n]*\n)*?\2[ \t]+list[ \t]*:)/;
const TOKENS = /[A-Za-z0-9+/=_-]+/g;
/** No token of 16+ characters, nothing to decode or weigh. */
const LONG_TOKEN = /[A-Za-z0-9+/=_-]{16}/;
/** How deep base64 inside base64 is unwrapped. */
const MAX_DECODE_DEPTH = 2;

/** The text a base64 token stands for, when it decodes to printable text; else undefined. */
function decodedText(token: string): string | undefined {
  // Base64 of text mixes cases; names and ids (`openstack_networking_port_v2`) are not worth decoding.
  if (token.length < 16 || token.length % 4 === 1 || !/[A-Z]/.test(token) || !/[a-z]/.test(token) || isIdentifier(token)) return undefined;
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(token)) return undefined;
  const text = Buffer.from(token, 'base64').toString('utf8');
  if (text.length < 8 || text.includes('\uFFFD')) return undefined;
  const printable = [...text].filter((c) => /[\t\n\r\x20-\x7e\u00a0-\uffff]/.test(c)).length;
  return printable === text.length && /[a-z]/i.test(text) ? text : undefined;
}

const URL = /[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;

/** `text` with URL paths split at `/`, so a path is not read as one long base64 token. */
const withSplitUrls = (text: string): string => (text.includes('://') ? text.replace(URL, (url) => url.replace(/\//g, ' ')) : text);

/** Terraform references and function calls without literals: `${openstack_networking_subnet_v2.app_3F4E.id}`. */
const REFERENCE = /\$\{[A-Za-z_][A-Za-z0-9_.\-[\]()*, ]*\}/g;

function describeTokens(text: string, depth: number): string | undefined {
  if (!LONG_TOKEN.test(text)) return undefined;
  const withoutKeys = withSplitUrls(withoutPublicMaterial(text));
  const scanned = withoutKeys.includes('${') ? withoutKeys.replace(REFERENCE, ' ') : withoutKeys;
  for (const [token] of scanned.matchAll(TOKENS)) {
    const decoded = depth < MAX_DECODE_DEPTH ? decodedText(token) : undefined;
    if (decoded !== undefined) {
      const inner = describe(decoded, depth + 1);
      if (inner !== undefined) return `base64 text holding ${inner}`;
      continue;
    }
    if (isRandomLooking(token)) return 'a long random-looking string (an API key or token)';
  }
  return undefined;
}

function describe(value: string, depth: number): string | undefined {
  return (
    describeKnownFormat(value) ??
    (CLOUD_INIT_PASSWORD_LIST.test(value) ? 'a cloud-init chpasswd list (user passwords)' : undefined) ??
    describeAssignment(value) ??
    describeTokens(value, depth)
  );
}

/**
 * Describes what a string looks like when it holds a credential, else undefined: a private key (PEM,
 * OpenSSH, PuTTY), a known token format (AWS `AKIA…`, GitHub `ghp_…`, GitLab `glpat-…`, Slack
 * `xox…`, Google `AIza…`, `sk_live_…`, npm, JWT, OpenStack Fernet `gAAAA…`), a URL with
 * `user:password@`, a credential assignment in free text (`OS_PASSWORD=…`, `password: …`,
 * `--password …`, `"token": "…"`), a cloud-init password list, a long high-entropy string, or any of
 * these base64-encoded. Public keys, certificates, hex digests and ids are not credentials.
 * The description never contains the value.
 *
 * @example describeSecretValue('postgres://app:hunter2@db.example/state') // 'a URL with a password in it (user:password@)'
 * @example describeSecretValue('sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08') // undefined
 */
export function describeSecretValue(value: string): string | undefined {
  return describe(value, 0);
}

/** One credential found by {@link findSecretsIn}: where, and what it looks like (never the value). */
export interface SecretFinding {
  /** Path from the scanned root: `resource.openstack_compute_instance_v2.web.user_data`, `tags[0]`; `''` for the root. */
  path: string;
  /** What was found, e.g. ``key `admin_pass` names a credential`` or `a value that looks like a private key (PEM block)`. */
  what: string;
}

const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);
const isLiteral = (value: unknown): boolean => (typeof value === 'string' ? !isPlaceholder(value) : typeof value === 'number');

function scan(value: unknown, path: string, namedBy: string | undefined, out: SecretFinding[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => scan(item, `${path}[${i}]`, namedBy, out));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const keyWhat = describeSecretValue(key);
      if (keyWhat !== undefined) {
        out.push({ path, what: `a key that looks like ${keyWhat}` });
        continue;
      }
      scan(child, join(path, key), namedBy ?? (looksLikeSecretKey(key) ? key : undefined), out);
    }
  } else if (namedBy !== undefined && isLiteral(value)) {
    out.push({ path, what: `key \`${namedBy}\` names a credential` });
  } else if (typeof value === 'string') {
    const what = describeSecretValue(value);
    if (what !== undefined) out.push({ path, what: `a value that looks like ${what}` });
  }
}

/**
 * Every credential in a JSON value (a synthesized stack, a plan's `after`, a parsed config file):
 * literal values under a credential-named key at any depth (references and placeholders such as
 * `${var.x}` are not literals), string values that look like credentials, and keys that look like
 * credentials (reported on their parent). Sorted in document order.
 *
 * @example findSecretsIn({ tags: ['PGPASSWORD=hunter2'] }) // [{ path: 'tags[0]', what: 'a value that looks like a credential assignment (PGPASSWORD=…)' }]
 */
export function findSecretsIn(value: unknown): SecretFinding[] {
  const out: SecretFinding[] = [];
  scan(value, '', undefined, out);
  return out;
}

/**
 * Replaces every occurrence of the given secret strings (4+ characters) in `text` with `[redacted]`.
 * A safety net for messages that quote source text, such as YAML syntax errors.
 *
 * @example redactSecrets('bad token hunter22', ['hunter22']) // 'bad token [redacted]'
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= 4) result = result.split(secret).join('[redacted]');
  }
  return result;
}
