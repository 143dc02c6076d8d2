/**
 * Zod issues → config errors: each issue becomes a {@link ConfigError} at its key, with what was
 * expected, what was found and a fix (allowed keys, the closest spelling, the network a bad CIDR meant).
 */
import type { z } from 'zod';
import { parseCidr } from './cidr.js';
import type { ConfigError, ConfigErrorKind, ConfigPath } from './errors.js';
import { closest } from '../text.js';
import { errorAt, type YamlSource } from './yaml-positions.js';

export { closest } from '../text.js';

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
  const messages = branches.flatMap((issues) =>
    issues.some((i) => i.code === 'invalid_type' && i.path.length === 0) ? [] : issues.map((i) => i.message),
  );
  return messages.length > 0 ? [...new Set(messages)].join('; ') : undefined;
}

/** Where the errors of one parse go: the schema and data, and the file each issue is reported in. */
interface IssueContext {
  schema: AnySchema;
  data: unknown;
  /** Where each issue goes: file, its YAML source and the path prefix inside that file. */
  target: (path: ConfigPath) => { source: YamlSource | undefined; file: string; prefix: ConfigPath };
}

/** Records one config error at a path relative to the parsed data. */
type At = (path: ConfigPath, kind: ConfigErrorKind, message: string, fix?: string) => void;

/**
 * Turns zod issues for the data parsed from `source` into config errors: one error per unknown key
 * (with the allowed keys and a spelling suggestion), CIDR problems as kind `cidr`, missing keys named.
 *
 * @param prefix path of the parsed data inside the file (e.g. `['service']` for a merged service)
 */
export function issuesToErrors(issues: readonly z.core.$ZodIssue[], context: IssueContext): ConfigError[] {
  const errors: ConfigError[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
    const at: At = (p, kind, message, fix) => {
      const { source, file, prefix } = context.target(p);
      errors.push(errorAt(source, file, [...prefix, ...p], kind, message, fix));
    };
    translateIssue(issue, path, context, at);
  }
  return errors;
}

/** One zod issue as the config errors a person can act on. */
function translateIssue(issue: z.core.$ZodIssue, path: ConfigPath, context: IssueContext, at: At): void {
  if (issue.code === 'unrecognized_keys') {
    unknownKeys(issue.keys, path, context, at);
    return;
  }
  const value = valueAt(context.data, path);
  if (issue.message.startsWith(CIDR_MESSAGE_START)) {
    const { message, fix } = explainBadCidr(value);
    at(path, 'cidr', message, fix);
    return;
  }
  if (issue.code === 'invalid_union') {
    unionIssue(issue, path, value, at);
    return;
  }
  if (missingKey(issue, path, value, context.data, at)) return;
  if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
    at(path, 'schema', `expected ${issue.expected}, got ${describeType(value)}`);
    return;
  }
  if (issue.code === 'invalid_key') {
    const inner = issue.issues[0]?.message ?? issue.message;
    at(path, 'schema', `invalid key: ${inner}`);
    return;
  }
  at(path, 'schema', issue.message);
}

/** Unknown keys: one error each, with the allowed keys and a spelling suggestion. */
function unknownKeys(keys: readonly string[], path: ConfigPath, context: IssueContext, at: At): void {
  const allowed = allowedKeys(context.schema, path, context.data);
  for (const key of keys) {
    const suggestion = closest(key, allowed);
    at(
      [...path, key],
      'unknown-key',
      `unknown key \`${key}\`${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}`,
      `remove it, or check the spelling; allowed keys: ${allowed.join(', ')}`,
    );
  }
}

/** A union that matched no option: a missing or unsupported discriminator, or the closest option's failure. */
function unionIssue(issue: z.core.$ZodIssueInvalidUnion, path: ConfigPath, value: unknown, at: At): void {
  if ('discriminator' in issue && issue.discriminator !== undefined) {
    const options = ((issue as unknown as { options?: unknown[] }).options ?? []).map(String);
    const key = issue.discriminator;
    at(
      path,
      'schema',
      value === undefined ? `missing required key \`${key}\`` : `unsupported \`${key}\``,
      options.length > 0 ? `set \`${key}\` to one of: ${options.join(', ')}` : undefined,
    );
    return;
  }
  at(path, 'schema', describeUnionFailure(issue.errors, value) ?? issue.message);
}

/** A required key that is absent: reported as missing, with the key to add. True when it was one. */
function missingKey(issue: z.core.$ZodIssue, path: ConfigPath, value: unknown, data: unknown, at: At): boolean {
  const parent = valueAt(data, path.slice(0, -1));
  const key = path[path.length - 1];
  const missing = value === undefined && key !== undefined && parent !== null && typeof parent === 'object' && !Object.hasOwn(parent, key);
  if (!missing || (issue.code !== 'invalid_type' && issue.code !== 'invalid_value')) return false;
  const detail =
    issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')
      ? `expected ${issue.expected}`
      : issue.message.replace(/^Invalid (input|option): /, '');
  const fix = key === 'endOfLife' ? 'add `endOfLife: YYYY-MM-DD`: a deprecated cloud must say when it stops' : `add \`${String(key)}\``;
  at(path, 'schema', `missing required key \`${key}\` (${detail})`, fix);
  return true;
}
