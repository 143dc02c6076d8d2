import { describe, expect, it } from 'vitest';
import { checkCtyValue, describeCtyType, isNumberString, isTemplateExpression, unescapeTemplate } from '../../core/check/cty.js';
import type { CtyType } from '../../core/check/provider-schema.js';

const ok = (value: unknown, type: CtyType): void => expect(checkCtyValue(value, type), JSON.stringify(value)).toBeUndefined();
const bad = (value: unknown, type: CtyType) => {
  const m = checkCtyValue(value, type);
  expect(m, `${JSON.stringify(value)} should not convert to ${describeCtyType(type)}`).toBeDefined();
  return m!;
};

describe('isTemplateExpression', () => {
  it('recognises interpolations and directives anywhere in the string', () => {
    expect(isTemplateExpression('${var.x}')).toBe(true);
    expect(isTemplateExpression('web-${count.index}')).toBe(true);
    expect(isTemplateExpression('%{ if var.x }a%{ endif }')).toBe(true);
    expect(isTemplateExpression('{ "a": 1 } then ${x}')).toBe(true);
  });

  it('treats the $${ and %%{ escapes, lone braces and sigils as literal text', () => {
    expect(isTemplateExpression('$${HOME}')).toBe(false);
    expect(isTemplateExpression('%%{x}')).toBe(false);
    expect(isTemplateExpression('{"json": true}')).toBe(false);
    expect(isTemplateExpression('cost $5 {approx}')).toBe(false);
    expect(isTemplateExpression('')).toBe(false);
  });

  it('unescapes literal templates', () => {
    expect(unescapeTemplate('echo $${HOME} %%{x}')).toBe('echo ${HOME} %{x}');
    expect(unescapeTemplate('plain')).toBe('plain');
  });
});

describe('isNumberString (what cty accepts when converting a string to a number)', () => {
  it.each(['0', '42', '-7', '+1', '1.5', '.5', '5.', '1e3', '1E+3', '2.5e-3', '1p3', '00012', 'Inf', '-inf'])('accepts %j', (s) => {
    expect(isNumberString(s)).toBe(true);
  });
  it.each(['', ' 1', '1 ', 'abc', '0x10', '1_000', 'NaN', 'INF', '1e', 'e3', '.', '1.5.2', 'ten'])('rejects %j', (s) => {
    expect(isNumberString(s)).toBe(false);
  });
});

describe('checkCtyValue: primitives with implicit conversions', () => {
  it('string accepts strings, numbers and bools (tofu converts them), not collections', () => {
    ok('a', 'string');
    ok(5, 'string');
    ok(true, 'string');
    expect(bad(['a'], 'string').message).toBe('string required, but have tuple');
    expect(bad({ a: 'b' }, 'string').message).toBe('string required, but have object');
  });

  it('number accepts numbers and numeric strings, not words, bools or collections', () => {
    ok(3, 'number');
    ok('8080', 'number');
    ok('1.5e3', 'number');
    expect(bad('abc', 'number').message).toBe('a number is required');
    expect(bad('$${x}', 'number').message).toBe('a number is required');
    expect(bad(true, 'number').message).toBe('number required, but have bool');
    expect(bad([5], 'number').message).toBe('number required, but have tuple');
  });

  it('bool accepts true/false and the strings "true", "false", "1", "0" only', () => {
    ok(false, 'bool');
    ok('true', 'bool');
    ok('false', 'bool');
    ok('1', 'bool');
    ok('0', 'bool');
    expect(bad('yes', 'bool').message).toBe('a bool is required');
    expect(bad('True', 'bool').message).toBe('a bool is required; to convert from string, use lowercase "true"');
    expect(bad(1, 'bool').message).toBe('bool required, but have number');
  });

  it('accepts null and template expressions for every type, and anything for dynamic', () => {
    for (const type of ['string', 'number', 'bool', ['list', 'number'], ['map', 'bool'], ['object', { a: 'number' }]] as CtyType[]) {
      ok(null, type);
      ok('${var.x}', type);
    }
    ok({ any: ['thing'] }, 'dynamic');
  });
});

describe('checkCtyValue: collections and structural types', () => {
  it('list and set need a JSON array and check each element, reporting its index', () => {
    ok(['a', 1, true, null, '${x}'], ['set', 'string']);
    ok([], ['list', 'number']);
    expect(bad('a', ['set', 'string'])).toEqual({ path: [], message: 'set of string required, but have string' });
    expect(bad({ a: 'b' }, ['list', 'string'])).toEqual({ path: [], message: 'list of string required, but have object' });
    expect(bad(['1', 'two'], ['list', 'number'])).toEqual({ path: [1], message: 'a number is required' });
    expect(bad([['a']], ['list', 'string'])).toEqual({ path: [0], message: 'string required, but have tuple' });
  });

  it('map needs a JSON object and checks each value, reporting its key', () => {
    ok({ a: 'x', b: 2, c: false, d: null }, ['map', 'string']);
    expect(bad(['a'], ['map', 'string'])).toEqual({ path: [], message: 'map of string required, but have tuple' });
    expect(bad({ ok: 'x', roles: ['a'] }, ['map', 'string'])).toEqual({ path: ['roles'], message: 'string required, but have tuple' });
    expect(bad({ a: { n: 'x' } }, ['map', ['map', 'number']])).toEqual({ path: ['a', 'n'], message: 'a number is required' });
  });

  it('object needs every non-optional attribute, converts each, and ignores extra keys', () => {
    const type: CtyType = ['object', { port: 'number', host: 'string' }];
    ok({ port: '22', host: 'h', extra: [1] }, type);
    expect(bad({ port: 22 }, type)).toEqual({ path: [], message: 'attribute "host" is required' });
    expect(bad({ port: 'ssh', host: 'h' }, type)).toEqual({ path: ['port'], message: 'a number is required' });
    expect(bad('h:22', type).message).toBe('object required, but have string');
    ok({ port: 22 }, ['object', { port: 'number', host: 'string' }, ['host']]);
  });

  it('nested collections of objects report the full path', () => {
    const type: CtyType = ['list', ['object', { routes: ['set', ['object', { cidr: 'string', metric: 'number' }]] }]];
    ok([{ routes: [{ cidr: '10.0.0.0/8', metric: 1 }] }], type);
    expect(
      bad(
        [
          {
            routes: [
              { cidr: 'a', metric: 1 },
              { cidr: 'b', metric: 'low' },
            ],
          },
        ],
        type,
      ),
    ).toEqual({ path: [0, 'routes', 1, 'metric'], message: 'a number is required' });
  });

  it('tuple needs the exact length and element types', () => {
    ok(['a', 1], ['tuple', ['string', 'number']]);
    expect(bad(['a'], ['tuple', ['string', 'number']]).message).toBe('tuple required with 2 elements, but have 1');
    expect(bad(['a', 'b'], ['tuple', ['string', 'number']]).path).toEqual([1]);
  });

  it('describes types the way tofu does', () => {
    expect(describeCtyType(['set', 'string'])).toBe('set of string');
    expect(describeCtyType(['map', ['list', 'number']])).toBe('map of list of number');
    expect(describeCtyType(['object', {}])).toBe('object');
  });
});
