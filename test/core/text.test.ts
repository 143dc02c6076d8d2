import { describe, expect, it } from 'vitest';
import { closest, editDistance, typoThreshold } from '../../core/text.js';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions, ignoring case', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('Web', 'web')).toBe(0);
    expect(editDistance('compute', 'comptue')).toBe(2);
  });
});

describe('closest', () => {
  it('suggests a candidate within the typo threshold, the first one on a tie', () => {
    expect(closest('sovereign-fr', ['vendor-eu-west-0', 'sovereign-fr1'])).toBe('sovereign-fr1');
    expect(closest('ab', ['ax', 'ay'])).toBe('ax');
  });

  it('suggests nothing past the threshold (a third of the word, at least 2)', () => {
    expect(typoThreshold('dns')).toBe(2);
    expect(typoThreshold('security_group_ids')).toBe(6);
    expect(closest('dns', ['compute'])).toBeUndefined();
    expect(closest('abcdef', ['abcxyz'])).toBeUndefined(); // 3 edits > 2
    expect(closest('abcdefghi', ['abcdefxyz'])).toBe('abcdefxyz'); // 3 edits <= 3
    expect(closest('x', [])).toBeUndefined();
  });
});
