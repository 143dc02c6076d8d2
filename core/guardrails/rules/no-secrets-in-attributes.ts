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

const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

/** A literal credential under a credential-named key: a non-empty string that is not only an expression, or a number. */
function isLiteralCredential(value: unknown): boolean {
  if (typeof value === 'number') return true;
  return typeof value === 'string' && value.trim() !== '' && !/^\$\{[^}]*\}$/.test(value.trim());
}

/**
 * What the detector must judge in a string: references (`${…}` without a string literal inside) are
 * dropped, and the logical ids of the stack's own elements (`service_network_subnet-app_BCE575E4`, long
 * and mixed-case by construction) is not a credential.
 */
function judged(text: string, ids: ReadonlySet<string>): string {
  const rest = text.replace(/\$\{[^"'}]*\}/g, ' ');
  return rest
    .split(/([^\w-]+)/)
    .map((token) => (ids.has(token) ? '' : token))
    .join('');
}

interface Scan {
  readonly ids: ReadonlySet<string>;
  readonly out: RuleFinding[];
}

function scan(value: unknown, path: string, namedBy: string | undefined, s: Scan): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => scan(item, `${path}[${i}]`, namedBy, s));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const inKey = describeSecretValue(judged(key, s.ids));
      if (inKey !== undefined) s.out.push({ jsonPath: join(path, key), message: `a key holds ${inKey}; ${FIX}` });
      else scan(child, join(path, key), namedBy ?? (looksLikeSecretKey(key) && !s.ids.has(key) ? key : undefined), s);
    }
  } else if (namedBy !== undefined && isLiteralCredential(value)) {
    s.out.push({ jsonPath: path, message: `${path} is a literal value under \`${namedBy}\`, which names a credential; ${FIX}` });
  } else if (typeof value === 'string') {
    const what = describeSecretValue(judged(value, s.ids));
    if (what !== undefined) s.out.push({ jsonPath: path, message: `${path} holds ${what}; ${FIX}` });
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
    for (const e of ctx.elements) scan(e.body, e.jsonPath, undefined, s);
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
