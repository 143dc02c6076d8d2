/**
 * Plain-JSON helpers shared by every floor: the canonical text of a JSON value, and a synthesized
 * Terraform document without cdktf's metadata.
 */

/**
 * Whether a value is a plain JSON object (not null, not an array).
 *
 * @example
 * isRecord({ a: 1 }); // true
 * isRecord([1]); // false
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The value when it is a plain JSON object, else an empty object: for reading optional nested keys.
 *
 * @example
 * asRecord({ a: 1 }).a; // 1
 * asRecord('text'); // {}
 */
export function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/**
 * JSON text with object keys sorted at every depth, so equal data gives equal text whatever the key
 * order. Otherwise it says what `JSON.stringify` says: object keys whose value is `undefined` (or a
 * function) are dropped, such array items become `null`, and a top-level `undefined` becomes `null`.
 *
 * @example
 * canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }); // '{"a":[2,{"c":4,"d":3}],"b":1}'
 * canonicalJson({ a: undefined, b: [undefined] }); // '{"b":[null]}'
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value)
      .filter((key) => JSON.stringify(value[key]) !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Removes what does not change infrastructure from a synthesized Terraform document: every `//` key
 * (cdktf metadata: construct paths, unique ids, cdktf version, stack name; sovstack's placement record),
 * at any depth. Returns a copy; the input is not changed.
 *
 * @example
 * stripMetadata({ '//': { metadata: {} }, resource: { a: { '//': {}, b: {} } } }); // { resource: { a: { b: {} } } }
 */
export function stripMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripMetadata);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) if (key !== '//') out[key] = stripMetadata(inner);
    return out;
  }
  return value;
}
