/**
 * Rule `no-secrets-in-attributes`: no credential is written into the synthesized configuration.
 *
 * Credentials come from OS_* variables, clouds.yaml, PGPASSWORD or AWS_* variables at deploy time.
 * A literal in `cdk.tf.json` would be committed, copied into state and shown in plans.
 */
import { Token } from 'cdktf';
import { describeSecretValue, looksLikeSecretKey } from '../../secrets/index.js';
import type { GuardrailRule, RuleFinding } from '../types.js';

/** True when an attribute name looks like it holds a credential: the one detector's {@link looksLikeSecretKey}. */
export function isSecretKey(key: string): boolean {
  return looksLikeSecretKey(key);
}

/**
 * What is wrong with a string value wherever it appears, or undefined when nothing is: the config
 * layer's detector (PEM private keys, Fernet-like tokens, URLs with a password, `password=` in
 * connection strings, long random-looking strings), so config files and synthesized stacks are held
 * to the same standard.
 */
export function secretInValue(value: string): string | undefined {
  const looksLike = describeSecretValue(value);
  return looksLike === undefined ? undefined : `holds ${looksLike}`;
}

function walk(value: unknown, path: string, visit: (path: string, key: string, value: unknown) => void, key = ''): void {
  visit(path, key, value);
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, `${path}[${i}]`, visit, key));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      walk(v, path ? `${path}.${k}` : k, visit, k);
    }
  }
}

/** No resource, data source, provider or backend attribute holds a literal credential. */
export const noSecretsInAttributes: GuardrailRule = {
  id: 'no-secrets-in-attributes',
  description: 'no resource, provider or backend attribute holds a literal credential',
  check(ctx) {
    const findings: RuleFinding[] = [];
    for (const element of ctx.elements) {
      walk(element.attributes, '', (attrPath, key, value) => {
        if (typeof value !== 'string' || value.length === 0) return;
        const what = `${element.kind} ${element.type} attribute ${attrPath}`;
        const literal = !Token.isUnresolved(value);
        if (literal && key !== '' && isSecretKey(key)) {
          findings.push({
            path: element.path,
            message:
              `${what} holds a literal credential; fix: remove it and supply it at deploy time ` +
              `(OS_* variables or clouds.yaml for OpenStack, PGPASSWORD for pg, AWS_* variables for s3)`,
          });
          return;
        }
        const problem = secretInValue(value);
        if (problem) {
          findings.push({
            path: element.path,
            message: `${what} ${problem}; fix: remove the credential from the value and supply it at deploy time`,
          });
        }
      });
    }
    return findings;
  },
};
