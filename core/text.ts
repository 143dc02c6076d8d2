/**
 * "Did you mean …?" for every user-facing message: one edit distance, one threshold.
 */

/**
 * Levenshtein distance between two words, ignoring case (`Web` and `web` are 0 apart).
 *
 * @example
 * editDistance('compute', 'comptue'); // 2
 */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      const substitution = diagonal + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1);
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, substitution);
      diagonal = above;
    }
  }
  return row[b.length];
}

/**
 * The most edits a word may be away from a candidate to count as a likely typo of it: a third of the
 * word's length, and at least 2 (so short names still get a hint).
 *
 * @example
 * typoThreshold('dns'); // 2
 * typoThreshold('security_group_ids'); // 6
 */
export function typoThreshold(word: string): number {
  return Math.max(2, Math.floor(word.length / 3));
}

/**
 * The candidate closest to `word` (first one on a tie) when it is within {@link typoThreshold} edits,
 * else undefined.
 *
 * @example
 * closest('sovereign-fr', ['sovereign-fr1', 'vendor-eu-west-0']); // 'sovereign-fr1'
 * closest('xyz', ['sovereign-fr1']); // undefined
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= typoThreshold(word) ? best : undefined;
}
