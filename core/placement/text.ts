/**
 * Small text helpers for reasons and messages.
 */

/**
 * Join words as an English list: `a`, `a and b`, `a, b and c`; `none` for an empty list.
 *
 * @example listText(['FR', 'DE', 'IT']) // 'FR, DE and IT'
 */
export function listText(items: readonly string[], empty = 'none'): string {
  if (items.length === 0) return empty;
  if (items.length === 1) return items[0];
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
