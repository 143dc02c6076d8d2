/**
 * High-entropy strings: what an API key or a random password looks like when nothing else says so.
 * Calibrated on the example estate: names, UUIDs, URLs and prose stay below the thresholds.
 */

/**
 * Shannon entropy of a string in bits per character.
 *
 * @example shannonEntropy('aaaa') // 0
 */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/**
 * True for a name made of short words joined by `_`, `-` or `.`, like cdktf's logical ids
 * (`service_security-groups_app_rule-1_90390634`): at least three parts, each under 16 characters
 * and in one case. A random base64url token does not split that way: its parts mix cases.
 *
 * @example isIdentifier('service_servers_app_app-1-port_747858B0') // true
 */
export function isIdentifier(token: string): boolean {
  const parts = token.split(/[_.-]+/);
  return parts.length >= 3 && parts.every((part) => /^([a-z0-9]{1,15}|[A-Z0-9]{1,15})$/.test(part));
}

/**
 * True for a token of 32+ base64/base64url characters that mixes upper case, lower case and digits
 * with at least 4.2 bits of entropy per character. Hex-only tokens are never random-looking here:
 * hex is what digests (sha1, sha256 image checksums, git commits) and OpenStack ids (32-hex project
 * and user ids, also prefixed as in Swift's `AUTH_<project id>`) look like; hex credentials are caught
 * by their key name or assignment instead. Nor are names of short words ({@link isIdentifier}).
 * URLs are split on `/` and `${…}` references removed before this check (see detect.ts).
 *
 * @example isRandomLooking('Zk3vQ9rT1xWb7LmN2pYs8dHc4FgJ6aUe') // true
 * @example isRandomLooking('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08') // false
 */
export function isRandomLooking(token: string): boolean {
  if (token.length < 32 || /^([A-Za-z]+[_-])?[0-9a-f]+$/i.test(token) || isIdentifier(token)) return false;
  if (!/^[A-Za-z0-9+/_-]{32,}={0,2}$/.test(token)) return false;
  return /[A-Z]/.test(token) && /[a-z]/.test(token) && /[0-9]/.test(token) && shannonEntropy(token) >= 4.2;
}
