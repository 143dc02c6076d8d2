/**
 * Secret detection in raw YAML: credentials never belong in config files.
 *
 * Runs on the YAML tree before schema validation, so a secret under an unknown key is still
 * reported as a secret. Messages describe what the value looks like and never echo it.
 */
import { isCollection, isPair, isScalar, type Node } from 'yaml';
import type { ConfigError } from './errors.js';
import { errorAt, walkYaml, type YamlSource } from './yaml-positions.js';
import { describeSecretValue, looksLikeSecretKey, SECRET_FIX } from '../secrets/index.js';

/** Every scalar string under a node (the node itself when it is a scalar). */
function scalarStrings(node: Node | undefined): string[] {
  if (node === undefined) return [];
  if (isScalar(node)) return typeof node.value === 'string' && node.value !== '' ? [node.value] : [];
  if (isCollection(node)) {
    return node.items.flatMap((item) => {
      if (isPair(item)) return [...scalarStrings(item.key as Node), ...scalarStrings((item.value ?? undefined) as Node | undefined)];
      return scalarStrings(item as Node);
    });
  }
  return [];
}

/** What {@link findSecrets} reports: the errors and the secret strings, for redaction elsewhere. */
export interface SecretScan {
  errors: ConfigError[];
  /** Raw secret strings found; callers redact them from any text they print. */
  values: string[];
}

/**
 * Scans a parsed YAML file for secrets: keys named like credentials (any depth) and values that
 * look like credentials. One error of kind `secret` per finding, positioned on the key.
 *
 * @example findSecrets(source).errors.map(formatConfigError)
 */
export function findSecrets(source: YamlSource): SecretScan {
  const errors: ConfigError[] = [];
  const values: string[] = [];
  walkYaml(source.doc, (entry) => {
    const keyName = entry.key && isScalar(entry.key) && typeof entry.key.value === 'string' ? entry.key.value : undefined;
    if (keyName !== undefined && describeSecretValue(keyName) !== undefined) {
      // A secret pasted as a key: report it on the parent so the path does not spell it out.
      values.push(keyName, ...scalarStrings(entry.value));
      errors.push(errorAt(source, source.file, entry.path.slice(0, -1), 'secret', 'a key that looks like a credential', SECRET_FIX));
      return false;
    }
    if (keyName !== undefined && looksLikeSecretKey(keyName)) {
      values.push(...scalarStrings(entry.value));
      errors.push(errorAt(source, source.file, entry.path, 'secret', `key \`${keyName}\` names a credential`, SECRET_FIX));
      return false;
    }
    if (entry.value && isScalar(entry.value) && typeof entry.value.value === 'string') {
      const what = describeSecretValue(entry.value.value);
      if (what !== undefined) {
        values.push(entry.value.value);
        errors.push(errorAt(source, source.file, entry.path, 'secret', `a value that looks like ${what}`, SECRET_FIX));
      }
    }
    return true;
  });
  return { errors, values };
}
