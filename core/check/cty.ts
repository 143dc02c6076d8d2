/**
 * A checker for JSON configuration values against cty types, following the conversions OpenTofu applies when it
 * decodes a `.tf.json` attribute (go-cty's `convert` package): numbers and bools convert to strings, numeric
 * strings to numbers, `"true"`/`"false"`/`"1"`/`"0"` to bools, JSON arrays to lists/sets/tuples, JSON objects to
 * maps/objects; `null` is acceptable anywhere; template expressions are unknown until plan and accepted for any type.
 *
 * @packageDocumentation
 */
import { isRecord } from '../json.js';
import type { CtyType } from './provider-schema.js';

/** Why a value does not conform to a cty type, and where inside the value (list indexes, map keys, attribute names). */
export interface TypeMismatch {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * Whether a JSON string is an HCL template containing an interpolation (`${…}`) or a directive (`%{…}`), which
 * OpenTofu evaluates as an expression. The escapes `$${` and `%%{` are literal text and do not count.
 */
export function isTemplateExpression(s: string): boolean {
  for (let i = s.indexOf('{'); i >= 0; i = s.indexOf('{', i + 1)) {
    const c = i > 0 ? s[i - 1] : undefined;
    if (c !== '$' && c !== '%') continue;
    // "${" opens an interpolation; "$${" is the escape for a literal "${" (likewise "%{" and "%%{").
    if (i < 2 || s[i - 2] !== c) return true;
  }
  return false;
}

/** The literal text of a template without interpolations: undoes the `$${` and `%%{` escapes. */
export function unescapeTemplate(s: string): string {
  return !s.includes('{') ? s : s.replaceAll('$${', '${').replaceAll('%%{', '%{');
}

// Accepted by Go's big.ParseFloat(s, 10, …), which cty uses to convert strings to numbers: decimal mantissa,
// optional decimal ("e") or binary ("p") exponent, and the infinities.
const NUMBER_STRING = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eEpP][+-]?\d+)?|Inf|inf)$/;

/** Whether a literal string converts to a cty number. */
export function isNumberString(s: string): boolean {
  return NUMBER_STRING.test(s);
}

/** Human-readable cty type name, in the words OpenTofu's diagnostics use ("list of string", "map of number"). */
export function describeCtyType(type: CtyType): string {
  if (typeof type === 'string') return type;
  switch (type[0]) {
    case 'list':
    case 'set':
    case 'map':
      return `${type[0]} of ${describeCtyType(type[1])}`;
    case 'object':
      return 'object';
    case 'tuple':
      return 'tuple';
  }
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'tuple';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

/**
 * Checks whether a JSON value from a Terraform JSON configuration converts to a cty type.
 *
 * @param value - the parsed JSON value.
 * @param type - the attribute's cty type from the provider schema.
 * @returns `undefined` when the value is acceptable, else the first mismatch found (depth-first, in value order).
 */
export function checkCtyValue(value: unknown, type: CtyType): TypeMismatch | undefined {
  return check(value, type, []);
}

function mismatch(path: (string | number)[], message: string): TypeMismatch {
  return { path: [...path], message };
}

function check(value: unknown, type: CtyType, path: (string | number)[]): TypeMismatch | undefined {
  if (value === null || value === undefined || type === 'dynamic') return undefined;
  if (typeof value === 'string' && isTemplateExpression(value)) return undefined;
  if (typeof type === 'string') return checkPrimitive(value, type, path);
  switch (type[0]) {
    case 'list':
    case 'set':
      if (!Array.isArray(value)) return mismatch(path, `${describeCtyType(type)} required, but have ${jsonKind(value)}`);
      return checkEach(
        value.map((item, i) => [i, item, type[1]]),
        path,
      );
    case 'map':
      if (!isRecord(value)) return mismatch(path, `${describeCtyType(type)} required, but have ${jsonKind(value)}`);
      return checkEach(
        Object.keys(value).map((key) => [key, value[key], type[1]]),
        path,
      );
    case 'object': {
      if (!isRecord(value)) return mismatch(path, `object required, but have ${jsonKind(value)}`);
      const optional = type.length === 3 ? type[2] : [];
      // In declaration order: the first missing or mismatched attribute is the one reported.
      for (const [name, attrType] of Object.entries(type[1])) {
        if (!(name in value)) {
          if (optional.includes(name)) continue;
          return mismatch(path, `attribute "${name}" is required`);
        }
        const m = checkEach([[name, value[name], attrType]], path);
        if (m) return m;
      }
      // cty drops attributes the target object type does not declare, so extra keys are not an error.
      return undefined;
    }
    case 'tuple':
      if (!Array.isArray(value)) return mismatch(path, `tuple required, but have ${jsonKind(value)}`);
      if (value.length !== type[1].length)
        return mismatch(path, `tuple required with ${type[1].length} elements, but have ${value.length}`);
      return checkEach(
        value.map((item, i) => [i, item, type[1][i]]),
        path,
      );
  }
}

/** The first mismatch among some elements, each checked at `path` plus its key. */
function checkEach(elements: readonly [string | number, unknown, CtyType][], path: (string | number)[]): TypeMismatch | undefined {
  for (const [key, item, itemType] of elements) {
    path.push(key);
    const m = check(item, itemType, path);
    path.pop();
    if (m) return m;
  }
  return undefined;
}

/** A string, number or bool, converted the way cty converts JSON values (numbers and bools from strings too). */
function checkPrimitive(value: unknown, type: 'string' | 'number' | 'bool', path: (string | number)[]): TypeMismatch | undefined {
  switch (type) {
    case 'string':
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? undefined
        : mismatch(path, `string required, but have ${jsonKind(value)}`);
    case 'number':
      if (typeof value === 'number') return undefined;
      if (typeof value === 'string') return isNumberString(unescapeTemplate(value)) ? undefined : mismatch(path, 'a number is required');
      return mismatch(path, `number required, but have ${jsonKind(value)}`);
    case 'bool':
      if (typeof value === 'boolean') return undefined;
      if (typeof value !== 'string') return mismatch(path, `bool required, but have ${jsonKind(value)}`);
      return checkBoolString(unescapeTemplate(value), path);
  }
}

function checkBoolString(s: string, path: (string | number)[]): TypeMismatch | undefined {
  if (s === 'true' || s === 'false' || s === '1' || s === '0') return undefined;
  const lower = s.toLowerCase();
  return mismatch(
    path,
    lower === 'true' || lower === 'false' ? `a bool is required; to convert from string, use lowercase "${lower}"` : 'a bool is required',
  );
}
