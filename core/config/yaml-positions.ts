/**
 * Positions: mapping a path inside a YAML document back to a line and column, and walking a
 * document's entries with their paths.
 */
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { ConfigError, ConfigErrorKind, ConfigPath } from './errors.js';

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
  let marker: Node | undefined = isMap(node) || isSeq(node) || isScalar(node) ? node : undefined;
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
export function errorAtNode(
  source: YamlSource,
  node: Node,
  path: ConfigPath,
  kind: ConfigErrorKind,
  message: string,
  fix?: string,
): ConfigError {
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
