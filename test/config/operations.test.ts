import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OperationsSchema, formatConfigError, validateEstate } from '../../core/config/index.js';
import { edit, errorsOf, exampleFiles, positionOf, withFile } from './helpers.js';

const VENDOR = 'config/clouds/vendor-eu-west-0.yaml';
const vendorText = (): string => readFileSync(VENDOR, 'utf8');

/** Errors of the example estate with the vendor cloud's `operations` block replaced by `block`. */
function errorsWithOperations(block: string): { text: string; errors: ReturnType<typeof errorsOf> } {
  const original = vendorText();
  const text = original.slice(0, original.indexOf('operations:')) + block;
  return { text, errors: errorsOf(validateEstate(withFile(exampleFiles(), VENDOR, text))) };
}

describe('cloud operations block', () => {
  it('fills every default when the block is left out', () => {
    expect(OperationsSchema.parse(undefined)).toEqual({
      concurrency: 4,
      maxRetries: 5,
      loadBalancerTimeouts: { create: '20m', update: '20m', delete: '20m' },
    });
    expect(OperationsSchema.parse({ loadBalancerTimeouts: { delete: '1h30m' } }).loadBalancerTimeouts).toEqual({
      create: '20m',
      update: '20m',
      delete: '1h30m',
    });
  });

  it('exposes the parsed values on the loaded cloud, defaults included', () => {
    const result = validateEstate(exampleFiles());
    if (!result.ok) throw new Error('the example estate must load');
    const vendor = result.estate.clouds.find((cloud) => cloud.id === 'vendor-eu-west-0');
    expect(vendor?.operations).toEqual({
      concurrency: 3,
      maxRetries: 10,
      loadBalancerTimeouts: { create: '30m', update: '20m', delete: '30m' },
    });
    const withoutBlock = vendorText().slice(0, vendorText().indexOf('operations:'));
    const bare = validateEstate(withFile(exampleFiles(), VENDOR, withoutBlock));
    if (!bare.ok) throw new Error('a cloud without operations must load');
    expect(bare.estate.clouds.find((cloud) => cloud.id === 'vendor-eu-west-0')?.operations.concurrency).toBe(4);
  });

  it.each([
    ['0', 'at least 1'],
    ['65', 'at most 64'],
  ])('refuses concurrency %s with the line, the path and the bound', (value, words) => {
    const { text, errors } = errorsWithOperations(`operations:\n  concurrency: ${value}\n`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: VENDOR, path: ['operations', 'concurrency'], ...positionOf(text, 'concurrency') });
    expect(formatConfigError(errors[0])).toMatch(/operations\.concurrency: .*/);
    expect(errors[0].message).toContain(words);
  });

  it.each(['20', '20 minutes', '1m2h', '0m', '10ms', '-5m'])('refuses the duration %j and shows the expected form', (value) => {
    const { errors } = errorsWithOperations(`operations:\n  loadBalancerTimeouts:\n    create: "${value}"\n`);
    expect(errors).toHaveLength(1);
    expect(errors[0].path).toEqual(['operations', 'loadBalancerTimeouts', 'create']);
    expect(formatConfigError(errors[0])).toMatch(/20m/);
  });

  it('refuses an unknown key and names the allowed ones', () => {
    const { errors } = errorsWithOperations('operations:\n  maxRetry: 3\n');
    expect(errors).toHaveLength(1);
    expect(formatConfigError(errors[0])).toContain('maxRetries');
  });

  it('refuses a fractional maxRetries', () => {
    const text = edit(vendorText(), 'maxRetries: 10', 'maxRetries: 2.5');
    const errors = errorsOf(validateEstate(withFile(exampleFiles(), VENDOR, text)));
    expect(errors.map((error) => error.path)).toEqual([['operations', 'maxRetries']]);
  });
});
