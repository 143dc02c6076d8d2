/**
 * Config errors: their shape, their order and their one-line text form.
 *
 * Every problem the loader finds becomes a {@link ConfigError} that names the file, the path of
 * the offending key inside it and, when the YAML source is known, the line and column.
 */
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { z } from 'zod';
import { parseCidr } from './cidr.js';

/** What went wrong, coarsely; tests and tools switch on it. */
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
  | 'file-name';

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

// ---------------------------------------------------------------------------------------------
// Positions: mapping a path inside a YAML document back to a line and column.
// ---------------------------------------------------------------------------------------------


/** A parsed YAML file plus what it takes to turn offsets into lines. */
export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

/** Key of a map pair as a string (`80` and `'80'` both become `'80'`), or undefined for complex keys. */
export function pairKey(key: unknown): string | undefined {
  if (isScalar(key)) {
    const value = key.value;
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
  }
  return undefined;
}

/**
 * The node that best marks `path`: the key of a map entry (so block values point at their key),
 * the item of a sequence, or the nearest existing parent when the path does not exist.
 */
function markerNode(source: YamlSource, path: readonly (string | number)[]): Node | undefined {
  let node: unknown = source.doc.contents;
  let marker: Node | undefined = isMap(node) || isSeq(node) || isScalar(node) ? (node as Node) : undefined;
  for (const segment of path) {
    if (isMap(node)) {
      // The last pair wins, as in the parsed data, when a key is (wrongly) repeated.
      const pair = node.items.findLast((item) => isPair(item) && pairKey(item.key) === String(segment));
      if (!pair) break;
      marker = (isScalar(pair.key) ? pair.key : (pair.value as Node | null)) ?? marker;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (item === undefined || item === null) break;
      marker = item as Node;
      node = item;
    } else {
      break;
    }
  }
  return marker;
}

/**
 * Builds a {@link ConfigError} for `path` in `source`, with the line and column of the path's key
 * (or of its nearest existing parent). Without a source the error has no position.
 */
export function errorAt(
  source: YamlSource | undefined,
  file: string,
  path: ConfigPath,
  kind: ConfigErrorKind,
  message: string,
  fix?: string,
): ConfigError {
  const error: ConfigError = { file, path, kind, message };
  if (fix !== undefined) error.fix = fix;
  const node = source ? markerNode(source, path) : undefined;
  if (source && node?.range) {
    const position = source.lineCounter.linePos(node.range[0]);
    error.line = position.line;
    error.column = position.col;
  } else if (source) {
    error.line = 1;
    error.column = 1;
  }
  return error;
}

/** Error positioned on a given YAML node (e.g. the second of two duplicate keys). */
export function errorAtNode(source: YamlSource, node: Node, path: ConfigPath, kind: ConfigErrorKind, message: string, fix?: string): ConfigError {
  const error = errorAt(source, source.file, path, kind, message, fix);
  if (node.range) {
    const position = source.lineCounter.linePos(node.range[0]);
    error.line = position.line;
    error.column = position.col;
  }
  return error;
}

/** Error at a byte offset of the source (used for YAML syntax errors, which have no path). */
export function errorAtOffset(source: YamlSource, offset: number, kind: ConfigErrorKind, message: string, fix?: string): ConfigError {
  const position = source.lineCounter.linePos(offset);
  const error: ConfigError = { file: source.file, path: [], line: position.line, column: position.col, kind, message };
  if (fix !== undefined) error.fix = fix;
  return error;
}

// ---------------------------------------------------------------------------------------------
// Zod issues → config errors.
// ---------------------------------------------------------------------------------------------

type AnySchema = z.core.$ZodType;

/** Follows `path` through a schema, unwrapping optional/default/pipe wrappers; picks union options by the data. */
function schemaAt(schema: AnySchema, path: readonly PropertyKey[], data: unknown): AnySchema[] {
  let current: AnySchema[] = [schema];
  let value = data;
  const unwrap = (s: AnySchema): AnySchema[] => {
    const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'catch':
      case 'readonly':
      case 'nonoptional':
        return unwrap(def.innerType as AnySchema);
      case 'pipe':
        return unwrap(def.in as AnySchema);
      case 'union': {
        const options = (def.options as AnySchema[]).flatMap(unwrap);
        const discriminator = def.discriminator as string | undefined;
        if (discriminator !== undefined && value !== null && typeof value === 'object') {
          const wanted = (value as Record<string, unknown>)[discriminator];
          const chosen = options.filter((option) => {
            const shape = (option._zod.def as unknown as { shape?: Record<string, AnySchema> }).shape;
            const literal = shape?.[discriminator]?._zod.def as unknown as { values?: unknown[] } | undefined;
            return literal?.values?.includes(wanted) ?? false;
          });
          if (chosen.length > 0) return chosen;
        }
        return options;
      }
      default:
        return [s];
    }
  };
  current = current.flatMap(unwrap);
  for (const segment of path) {
    value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[segment] : undefined;
    const next: AnySchema[] = [];
    for (const s of current) {
      const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
      if (def.type === 'object') {
        const child = (def.shape as Record<string, AnySchema>)[String(segment)];
        if (child) next.push(child);
      } else if (def.type === 'array') next.push(def.element as AnySchema);
      else if (def.type === 'record') next.push(def.valueType as AnySchema);
    }
    current = next.flatMap(unwrap);
  }
  return current;
}

/** Keys an object schema at `path` accepts (sorted); empty when the path is not an object. */
export function allowedKeys(schema: AnySchema, path: readonly PropertyKey[], data: unknown): string[] {
  const keys = new Set<string>();
  for (const s of schemaAt(schema, path, data)) {
    const def = s._zod.def as unknown as { type: string; shape?: Record<string, unknown> };
    if (def.type === 'object' && def.shape) for (const key of Object.keys(def.shape)) keys.add(key);
  }
  return [...keys].sort();
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The candidate closest to `word` when it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

function describeType(value: unknown): string {
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

const CIDR_MESSAGE_START = 'expected a network in CIDR notation';

function formatAddress(version: 4 | 6, value: bigint): string {
  if (version === 4) return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join('.');
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => ((value >> shift) & 0xffffn).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

/** Explains why `text` is not a network: host bits set (with the network it probably meant) or bad syntax. */
export function explainBadCidr(text: unknown): { message: string; fix: string } {
  const generic = {
    message: 'expected a network in CIDR notation (address/prefix), e.g. 10.20.0.0/16',
    fix: 'write the network address and prefix length, e.g. 10.20.1.0/24',
  };
  if (typeof text !== 'string') return generic;
  const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!match) return generic;
  const [, address = '', prefixText = ''] = match;
  const bits = address.includes(':') ? 128 : 32;
  const prefix = Number(prefixText);
  if (prefix > bits) return { message: `prefix /${prefix} is longer than ${bits} bits`, fix: `use a prefix between 0 and ${bits}` };
  const host = parseCidr(`${address}/${bits}`);
  if (!host) return generic;
  const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
  const network = `${formatAddress(host.version, host.start & mask)}/${prefix}`;
  return { message: `${text} has host bits set: it is an address inside ${network}, not a network`, fix: `write ${network}` };
}

/** Explains a failed plain union: the types it takes, or what the branch of the right type wanted. */
function describeUnionFailure(branches: readonly (readonly z.core.$ZodIssue[])[], value: unknown): string | undefined {
  const typeMismatches = branches.map((issues) => issues.find((i) => i.code === 'invalid_type' && i.path.length === 0));
  if (branches.length > 0 && typeMismatches.every((i) => i !== undefined)) {
    const expected = typeMismatches.map((i) => (i as z.core.$ZodIssueInvalidType).expected);
    return `expected ${[...new Set(expected)].join(' or ')}, got ${describeType(value)}`;
  }
  const messages = branches.flatMap((issues) => (issues.some((i) => i.code === 'invalid_type' && i.path.length === 0) ? [] : issues.map((i) => i.message)));
  return messages.length > 0 ? [...new Set(messages)].join('; ') : undefined;
}

/**
 * Turns zod issues for the data parsed from `source` into config errors: one error per unknown key
 * (with the allowed keys and a spelling suggestion), CIDR problems as kind `cidr`, missing keys named.
 *
 * @param prefix path of the parsed data inside the file (e.g. `['service']` for a merged service)
 */
export function issuesToErrors(
  issues: readonly z.core.$ZodIssue[],
  context: {
    schema: AnySchema;
    data: unknown;
    /** Where each issue goes: file, its YAML source and the path prefix inside that file. */
    target: (path: ConfigPath) => { source: YamlSource | undefined; file: string; prefix: ConfigPath };
  },
): ConfigError[] {
  const errors: ConfigError[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
    const at = (p: ConfigPath, kind: ConfigErrorKind, message: string, fix?: string) => {
      const { source, file, prefix } = context.target(p);
      errors.push(errorAt(source, file, [...prefix, ...p], kind, message, fix));
    };
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys(context.schema, path, context.data);
      for (const key of issue.keys) {
        const suggestion = closest(key, allowed);
        at(
          [...path, key],
          'unknown-key',
          `unknown key \`${key}\`${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}`,
          `remove it, or check the spelling; allowed keys: ${allowed.join(', ')}`,
        );
      }
      continue;
    }
    const value = valueAt(context.data, path);
    if (issue.message.startsWith(CIDR_MESSAGE_START)) {
      const { message, fix } = explainBadCidr(value);
      at(path, 'cidr', message, fix);
      continue;
    }
    if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator !== undefined) {
      const options = ((issue as unknown as { options?: unknown[] }).options ?? []).map(String);
      const key = issue.discriminator;
      const missing = value === undefined;
      at(
        path,
        'schema',
        missing ? `missing required key \`${key}\`` : `unsupported \`${key}\``,
        options.length > 0 ? `set \`${key}\` to one of: ${options.join(', ')}` : undefined,
      );
      continue;
    }
    if (issue.code === 'invalid_union') {
      at(path, 'schema', describeUnionFailure(issue.errors, value) ?? issue.message);
      continue;
    }
    const parent = valueAt(context.data, path.slice(0, -1));
    const key = path[path.length - 1];
    const missing =
      value === undefined && key !== undefined && parent !== null && typeof parent === 'object' && !Object.hasOwn(parent, key);
    if (missing && (issue.code === 'invalid_type' || issue.code === 'invalid_value')) {
      const detail =
        issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')
          ? `expected ${issue.expected}`
          : issue.message.replace(/^Invalid (input|option): /, '');
      const fix = key === 'endOfLife' ? 'add `endOfLife: YYYY-MM-DD`: a deprecated cloud must say when it stops' : `add \`${String(key)}\``;
      at(path, 'schema', `missing required key${key === undefined ? '' : ` \`${key}\``} (${detail})`, fix);
      continue;
    }
    if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
      at(path, 'schema', `expected ${issue.expected}, got ${describeType(value)}`);
      continue;
    }
    if (issue.code === 'invalid_key') {
      const inner = issue.issues[0]?.message ?? issue.message;
      at(path, 'schema', `invalid key: ${inner}`);
      continue;
    }
    at(path, 'schema', issue.message);
  }
  return errors;
}

/** One entry met while walking a YAML document. */
export interface YamlVisit {
  /** Path of the entry. */
  path: ConfigPath;
  /** The key node when the entry is a map pair. */
  key?: Node;
  /** The value node (undefined for `key:` with nothing after it). */
  value?: Node;
}

/**
 * Walks every map entry and sequence item of a YAML document depth-first, in source order.
 * `visit` returns false to skip the entry's children. Aliases are not followed.
 */
export function walkYaml(doc: Document.Parsed, visit: (entry: YamlVisit, parent: Node) => boolean | void): void {
  const walk = (node: unknown, path: ConfigPath): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = pairKey(pair.key) ?? '?';
        const entry: YamlVisit = { path: [...path, key], key: pair.key as Node };
        if (pair.value !== null && pair.value !== undefined) entry.value = pair.value as Node;
        if (visit(entry, node) !== false) walk(pair.value, entry.path);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const entry: YamlVisit = { path: [...path, index] };
        if (item !== null && item !== undefined) entry.value = item as Node;
        if (visit(entry, node) !== false) walk(item, entry.path);
      });
    }
  };
  walk(doc.contents, []);
}
