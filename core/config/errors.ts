/**
 * Config errors: their shape, their order and their one-line text form.
 *
 * Every problem the loader finds becomes a {@link ConfigError} that names the file, the path of
 * the offending key inside it and, when the YAML source is known, the line and column.
 */
/**
 * What went wrong, coarsely; tests and tools switch on it. `file`: the file or folder cannot be read
 * as config (missing, a folder or a pipe, a link leaving the estate, not UTF-8, permissions).
 * `user-data`: a user-data file is not a cloud-config or a script, uses an unknown variable, or is too large.
 */
export type ConfigErrorKind =
  | 'yaml'
  | 'schema'
  | 'unknown-key'
  | 'secret'
  | 'reference'
  | 'duplicate'
  | 'cidr'
  | 'overlap'
  | 'catalog'
  | 'file-name'
  | 'endpoint'
  | 'file'
  | 'user-data';

/** A path inside one YAML document: map keys and sequence indexes. */
export type ConfigPath = (string | number)[];

/** One problem in the config estate. */
export interface ConfigError {
  /** File path, relative to the working directory or as given to the loader. */
  file: string;
  /** Path of the offending key inside the file; empty for the whole file. */
  path: ConfigPath;
  /** 1-based line of the offending key (or of its nearest existing parent). */
  line?: number;
  /** 1-based column of the offending key. */
  column?: number;
  /** What is wrong. Never contains a secret value. */
  message: string;
  /** How to fix it, when there is a known fix. */
  fix?: string;
  kind: ConfigErrorKind;
}

/**
 * Formats a path the way a reader writes it in prose: keys joined by dots, indexes in brackets.
 *
 * @example formatConfigPath(['service', 'network', 'subnets', 1, 'cidr']) // 'service.network.subnets[1].cidr'
 */
export function formatConfigPath(path: ConfigPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/**
 * Formats one error as `file:line:column path: message — fix: fix`.
 * Line and column are left out when unknown, the path when empty, the fix when absent.
 *
 * @example formatConfigError({ file: 'config/clients/a.yaml', path: ['id'], line: 1, column: 1,
 *   message: 'expected an id', kind: 'schema' }) // 'config/clients/a.yaml:1:1 id: expected an id'
 */
export function formatConfigError(error: ConfigError): string {
  const where =
    error.line === undefined ? error.file : `${error.file}:${error.line}${error.column === undefined ? '' : `:${error.column}`}`;
  const path = formatConfigPath(error.path);
  const fix = error.fix === undefined ? '' : ` — fix: ${error.fix}`;
  return `${where}${path === '' ? '' : ` ${path}`}: ${error.message}${fix}`;
}

/**
 * Formats a list of errors, one per line, in the order given (use {@link sortConfigErrors} first
 * for a stable order). Returns the empty string for an empty list.
 *
 * @example console.error(formatConfigErrors(result.errors))
 */
export function formatConfigErrors(errors: readonly ConfigError[]): string {
  return errors.map(formatConfigError).join('\n');
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Sorts errors by file, line, column, path, kind and message, and drops exact duplicates
 * (the same problem found twice, e.g. through a template shared by two clients).
 * Returns a new array; the input is not changed.
 */
export function sortConfigErrors(errors: readonly ConfigError[]): ConfigError[] {
  const seen = new Set<string>();
  const unique: ConfigError[] = [];
  for (const error of errors) {
    const key = JSON.stringify([error.file, error.path, error.kind, error.message]);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(error);
  }
  return unique.sort(
    (a, b) =>
      compareStrings(a.file, b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      compareStrings(formatConfigPath(a.path), formatConfigPath(b.path)) ||
      compareStrings(a.kind, b.kind) ||
      compareStrings(a.message, b.message),
  );
}

/** True when `path` equals `prefix` or lies below it. */
export function isPathWithin(path: ConfigPath, prefix: ConfigPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => String(segment) === String(path[i]));
}
