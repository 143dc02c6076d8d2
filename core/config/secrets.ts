/**
 * Secret detection in raw YAML: credentials never belong in config files.
 *
 * Runs on the YAML tree before schema validation, so a secret under an unknown key is still
 * reported as a secret. Messages describe what the value looks like and never echo it.
 */
import { isCollection, isPair, isScalar, type Node } from 'yaml';
import type { ConfigError, ConfigPath } from './errors.js';
import { errorAt, walkYaml, type YamlSource, type YamlVisit } from './yaml-positions.js';
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

/** The comments attached to an entry's key and value (before and after them). */
function commentsOf(entry: YamlVisit): string[] {
  const nodes = [entry.key, entry.value] as ({ commentBefore?: string | null; comment?: string | null } | undefined)[];
  return nodes.flatMap((node) => [node?.commentBefore, node?.comment]).filter((c): c is string => typeof c === 'string' && c !== '');
}

/** What a comment of the entry (or of the document, for the root) holds when it looks like a credential. */
function secretInComments(comments: string[]): { what: string; comment: string } | undefined {
  for (const comment of comments) {
    const what = describeSecretValue(comment);
    if (what !== undefined) return { what, comment };
  }
  return undefined;
}

/** What {@link findSecrets} reports: the errors and the secret strings, for redaction elsewhere. */
export interface SecretScan {
  errors: ConfigError[];
  /** Raw secret strings found; callers redact them from any text they print. */
  values: string[];
  /** Paths whose other errors are moot (a secret key or value); a secret in a comment shadows nothing. */
  shadowed: ConfigPath[];
}

/**
 * Scans a parsed YAML file for secrets: keys named like credentials (any depth), values and
 * comments that look like credentials (a comment is committed with the file). One error of kind
 * `secret` per finding, positioned on the key (for a comment, on the entry it is attached to).
 *
 * @example findSecrets(source).errors.map(formatConfigError)
 */
export function findSecrets(source: YamlSource): SecretScan {
  const errors: ConfigError[] = [];
  const values: string[] = [];
  const shadowed: ConfigPath[] = [];
  const add = (path: ConfigPath, message: string): void =>
    void errors.push(errorAt(source, source.file, path, 'secret', message, SECRET_FIX));
  const reportComment = (path: ConfigPath, message: string, comment: string): void => {
    add(path, message);
    values.push(comment);
  };
  const report = (path: ConfigPath, message: string, ...found: string[]): void => {
    add(path, message);
    values.push(...found);
    shadowed.push(path);
  };
  const docComment = secretInComments([source.doc.commentBefore, source.doc.comment].filter((c): c is string => typeof c === 'string'));
  if (docComment) reportComment([], `a comment that looks like ${docComment.what}`, docComment.comment);
  walkYaml(source.doc, (entry) => {
    const inComment = secretInComments(commentsOf(entry));
    if (inComment) reportComment(entry.path, `a comment at this entry that looks like ${inComment.what}`, inComment.comment);
    const keyName = entry.key && isScalar(entry.key) && typeof entry.key.value === 'string' ? entry.key.value : undefined;
    if (keyName !== undefined && describeSecretValue(keyName) !== undefined) {
      // A secret pasted as a key: report it on the parent so the path does not spell it out.
      report(entry.path.slice(0, -1), 'a key that looks like a credential', keyName, ...scalarStrings(entry.value));
      return false;
    }
    if (keyName !== undefined && looksLikeSecretKey(keyName)) {
      report(entry.path, `key \`${keyName}\` names a credential`, ...scalarStrings(entry.value));
      return false;
    }
    if (entry.value && isScalar(entry.value) && typeof entry.value.value === 'string') {
      const what = describeSecretValue(entry.value.value);
      if (what !== undefined) report(entry.path, `a value that looks like ${what}`, entry.value.value);
    }
    return true;
  });
  return { errors, values, shadowed };
}
