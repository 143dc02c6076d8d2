import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateEstate } from '../../core/config/index.js';
import { PROBE_CLIENT, edit, exampleFiles, withFile } from './helpers.js';

describe('determinism', () => {
  it('gives the identical result for any order of the example files', () => {
    const files = exampleFiles();
    const expected = validateEstate(files);
    expect(expected.ok).toBe(true);
    fc.assert(
      fc.property(fc.shuffledSubarray(files, { minLength: files.length }), (shuffled) => {
        expect(validateEstate(shuffled)).toEqual(expected);
      }),
      { numRuns: 20 },
    );
  });

  it('gives the identical error list for any order of a broken estate', () => {
    let files = withFile(exampleFiles(), 'config/clients/probe.yaml', edit(PROBE_CLIENT, 'size: small', 'size: tiny'));
    files = withFile(files, 'config/clients/probe-2.yaml', PROBE_CLIENT);
    files = withFile(files, 'config/clouds/bad.yaml', 'id: bad\nname: [\n');
    const expected = validateEstate(files);
    expect(expected.ok).toBe(false);
    fc.assert(
      fc.property(fc.shuffledSubarray(files, { minLength: files.length }), (shuffled) => {
        expect(validateEstate(shuffled)).toEqual(expected);
      }),
      { numRuns: 20 },
    );
  });
});
