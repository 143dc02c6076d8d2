import { describe, expect, it } from 'vitest';
import { canonicalJson, isRecord, stripMetadata } from '../../core/json.js';

describe('canonicalJson', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
    expect(canonicalJson({ z: { y: 1, x: 2 } })).toBe(canonicalJson({ z: { x: 2, y: 1 } }));
    expect(canonicalJson([3, 1, 2])).not.toBe(canonicalJson([1, 2, 3]));
  });

  it('says what JSON.stringify says about undefined: keys dropped, array items null, top level null', () => {
    const value = { a: undefined, b: [undefined, 1], c: { d: undefined }, f: () => 1 };
    expect(canonicalJson(value)).toBe('{"b":[null,1],"c":{}}');
    expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
  });

  it('matches JSON.stringify on scalars and escapes keys', () => {
    for (const scalar of [null, true, 0, -1.5, 'é"\n']) expect(canonicalJson(scalar)).toBe(JSON.stringify(scalar));
    expect(canonicalJson({ 'a"b': 1 })).toBe('{"a\\"b":1}');
  });
});

describe('stripMetadata', () => {
  it('drops every `//` key at any depth, inside arrays too, without changing the input', () => {
    const input = { '//': { metadata: {} }, resource: { t: { r: { '//': { path: 'x' }, n: [{ '//': 1, k: 2 }] } } } };
    expect(stripMetadata(input)).toEqual({ resource: { t: { r: { n: [{ k: 2 }] } } } });
    expect(input['//']).toEqual({ metadata: {} });
  });

  it('returns scalars as they are', () => {
    expect(stripMetadata('//')).toBe('//');
    expect(stripMetadata(null)).toBeNull();
  });
});

describe('isRecord', () => {
  it('is true for plain objects only', () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord([])).toBe(false);
    expect(isRecord(null)).toBe(false);
    expect(isRecord('x')).toBe(false);
  });
});
