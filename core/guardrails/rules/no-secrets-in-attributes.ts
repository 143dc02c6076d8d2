/**
 * Rule `no-secrets-in-attributes`: no credential anywhere in the synthesized stack — every string of the
 * JSON (resources, data, providers, backend, outputs and their values, variables and their defaults,
 * locals, tags, metadata, user_data, descriptions), judged by the one secret detector of core/secrets.
 *
 * Credentials come from OS_* variables, clouds.yaml, PGPASSWORD or AWS_* variables at deploy time.
 * A literal in `cdk.tf.json` would be committed, copied into state and shown in plans.
 */
import { describeSecretValue, looksLikeSecretKey } from '../../secrets/index.js';
import type { GuardrailRule, RuleFinding } from '../types.js';

const FIX = 'fix: remove it and supply it at deploy time (OS_* variables or clouds.yaml for OpenStack, PGPASSWORD for pg, AWS_* for s3)';

/** A literal credential under a credential-named key: a non-empty string that is not only an expression, or a number. */
function isLiteralCredential(value: unknown): boolean {
  if (typeof value === 'number') return true;
  return typeof value === 'string' && value.trim() !== '' && !/^\$\{[^}]*\}$/.test(value.trim());
}

/** Shortest string the detector can flag (`a://b:c@`); shorter ones are not sent to it. */
const SHORTEST_SECRET = 8;

/** A JSON path built only when a finding needs it: most strings are judged clean. */
interface PathNode {
  readonly up: PathNode | undefined;
  /** Object key, or `''` for an array item. */
  readonly key: string;
  /** Array index, or -1 for an object key. */
  readonly index: number;
}

function render(node: PathNode | undefined): string {
  if (!node) return '';
  const up = render(node.up);
  if (node.index >= 0) return `${up}[${node.index}]`;
  return up === '' ? node.key : `${up}.${node.key}`;
}

interface Scan {
  /** Logical ids and types of the stack's elements (`service_network_subnet-app_BCE575E4`): long and mixed-case by construction, not credentials. */
  readonly ids: ReadonlySet<string>;
  readonly out: RuleFinding[];
}

/** Verdicts of the detector by string, shared by every stack of a run (labels, URLs and types repeat); bounded. */
const verdicts = new Map<string, string | undefined>();
const MAX_VERDICTS = 50_000;
/** Whether a key names a credential, by key. */
const secretKeys = new Map<string, boolean>();

function detect(text: string): string | undefined {
  if (verdicts.has(text)) return verdicts.get(text);
  if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
  const what = describeSecretValue(text);
  verdicts.set(text, what);
  return what;
}

function namesCredential(key: string): boolean {
  let named = secretKeys.get(key);
  if (named === undefined) {
    if (secretKeys.size >= MAX_VERDICTS) secretKeys.clear();
    named = looksLikeSecretKey(key);
    secretKeys.set(key, named);
  }
  return named;
}

/**
 * What a string looks like, when it looks like a credential: references (`${…}` without a string literal
 * inside) are dropped first, and a verdict is confirmed without the stack's own logical ids.
 */
function describe(text: string, s: Scan): string | undefined {
  if (text.length < SHORTEST_SECRET) return undefined;
  const rest = text.includes('${') ? text.replace(/\$\{[^"'}]*\}/g, ' ') : text;
  if (detect(rest) === undefined) return undefined;
  const withoutIds = rest
    .split(/([^\w-]+)/)
    .map((token) => (s.ids.has(token) ? '' : token))
    .join('');
  return describeSecretValue(withoutIds);
}

function scan(value: unknown, path: PathNode | undefined, namedBy: string | undefined, s: Scan): void {
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) scan(value[index], { up: path, key: '', index }, namedBy, s);
  } else if (value !== null && typeof value === 'object') {
    for (const key in value as Record<string, unknown>) {
      const child = (value as Record<string, unknown>)[key];
      const at: PathNode = { up: path, key, index: -1 };
      const inKey = describe(key, s);
      if (inKey !== undefined) s.out.push({ jsonPath: render(at), message: `a key holds ${inKey}; ${FIX}` });
      else scan(child, at, namedBy ?? (namesCredential(key) && !s.ids.has(key) ? key : undefined), s);
    }
  } else if (namedBy !== undefined && isLiteralCredential(value)) {
    const at = render(path);
    s.out.push({ jsonPath: at, message: `${at} is a literal value under \`${namedBy}\`, which names a credential; ${FIX}` });
  } else if (typeof value === 'string') {
    const what = describe(value, s);
    if (what !== undefined) {
      const at = render(path);
      s.out.push({ jsonPath: at, message: `${at} holds ${what}; ${FIX}` });
    }
  }
}

/** No string of the stack JSON holds a credential, and no credential-named key holds a literal. */
export const noSecretsInAttributes: GuardrailRule = {
  id: 'no-secrets-in-attributes',
  description:
    'no string of the synthesized stack (attributes, providers, backend, outputs, variables, locals, metadata) holds a credential',
  inspects: ['*'],
  check(ctx) {
    const s: Scan = { ids: new Set(ctx.artifact.elements.flatMap((e) => [e.name, e.type])), out: [] };
    for (const e of ctx.elements) scan(e.body, e.jsonPath === '' ? undefined : { up: undefined, key: e.jsonPath, index: -1 }, undefined, s);
    // A variable named like a credential (`db_password`) must not default to a literal: its default is the credential.
    for (const v of ctx.artifact.elements.filter((e) => e.kind === 'variable' && looksLikeSecretKey(e.name))) {
      if (isLiteralCredential(v.body['default'])) {
        s.out.push({
          jsonPath: `${v.jsonPath}.default`,
          message: `variable ${v.name} names a credential but defaults to a literal; ${FIX}`,
        });
      }
    }
    return s.out;
  },
};
