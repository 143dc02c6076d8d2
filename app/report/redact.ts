/**
 * Secret redaction for plan and synth values. `tofu show -json` prints sensitive values in clear
 * text (only `before_sensitive` / `after_sensitive` mark them), so nothing from a plan's `before` /
 * `after` reaches a report, an artifact or a comment without going through here. What counts as a
 * secret is the one detector's call (core/secrets).
 */
import { describeSecretValue, looksLikeSecretKey } from '../../core/secrets/index.js';
import { canonicalJson, isRecord } from '../../core/json.js';

/** Replaces a secret value. */
export const REDACTED = '(redacted)';
/** Replaces a secret value that differs from its counterpart on the other side of the change. */
export const REDACTED_CHANGED = '(redacted, changed)';

/** A sensitivity mask as in `before_sensitive`: `true`, or an object / array mirroring the value. */
export type SensitiveMask = unknown;

const sub = (mask: SensitiveMask, key: string | number): SensitiveMask =>
  Array.isArray(mask) ? mask[key as number] : isRecord(mask) ? mask[String(key)] : undefined;

const isMarker = (value: unknown): boolean => value === REDACTED || value === REDACTED_CHANGED;

const flagged = (value: unknown): boolean => typeof value === 'string' && !isMarker(value) && describeSecretValue(value) !== undefined;

/**
 * Redacts both sides of a change together: a value is replaced when its mask says sensitive, its
 * key looks like a secret (at any depth, {@link looksLikeSecretKey}) or either side is a string the
 * secret detector flags ({@link describeSecretValue}: `PGPASSWORD=…` in a tag, `postgres://u:pw@…`,
 * a private key in `user_data`…). Null stays null (absence is not a secret). The after side
 * becomes {@link REDACTED_CHANGED} when it differs from the before side, so a report can still say
 * that a secret changed without showing it. Idempotent: redacted markers stay as they are.
 *
 * @example redactPair({ admin_pass: 'a' }, { admin_pass: 'b' }) // [{ admin_pass: '(redacted)' }, { admin_pass: '(redacted, changed)' }]
 */
export function redactPair(
  before: unknown,
  after: unknown,
  beforeMask: SensitiveMask = undefined,
  afterMask: SensitiveMask = undefined,
  secret = false,
): [unknown, unknown] {
  if (secret || beforeMask === true || afterMask === true || flagged(before) || flagged(after)) {
    const absent = (v: unknown): boolean => v === null || v === undefined;
    const b = absent(before) || isMarker(before) ? before : REDACTED;
    let a: unknown = after;
    if (!absent(after) && !isMarker(after)) {
      a = !absent(before) && canonicalJson(before) !== canonicalJson(after) ? REDACTED_CHANGED : REDACTED;
    }
    return [b, a];
  }
  if (isRecord(before) || isRecord(after)) {
    const b = isRecord(before) ? before : undefined;
    const a = isRecord(after) ? after : undefined;
    const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])];
    const outB: Record<string, unknown> = {};
    const outA: Record<string, unknown> = {};
    keys.forEach((key, i) => {
      const secretKey = flagged(key);
      const [rb, ra] = redactPair(b?.[key], a?.[key], sub(beforeMask, key), sub(afterMask, key), secretKey || looksLikeSecretKey(key));
      const shownKey = secretKey ? `${REDACTED} ${i + 1}` : key;
      if (b && key in b) outB[shownKey] = rb;
      if (a && key in a) outA[shownKey] = ra;
    });
    return [b ? outB : before, a ? outA : after];
  }
  if (Array.isArray(before) || Array.isArray(after)) {
    const b = Array.isArray(before) ? before : undefined;
    const a = Array.isArray(after) ? after : undefined;
    const length = Math.max(b?.length ?? 0, a?.length ?? 0);
    const outB: unknown[] = [];
    const outA: unknown[] = [];
    for (let i = 0; i < length; i++) {
      const [rb, ra] = redactPair(b?.[i], a?.[i], sub(beforeMask, i), sub(afterMask, i));
      if (b && i < b.length) outB.push(rb);
      if (a && i < a.length) outA.push(ra);
    }
    return [b ? outB : before, a ? outA : after];
  }
  return [before, after];
}

/**
 * A string from the configuration or a stack, redacted whole when the secret detector flags it;
 * for free text that reaches a report outside plan values (client names, placement reasons,
 * suppression reasons, failure messages).
 *
 * @example redactText('Backups (PGPASSWORD=hunter2)') // '(redacted)'
 */
export function redactText(text: string): string {
  return flagged(text) ? REDACTED : text;
}

/** Redacts one value on its own (see {@link redactPair}). */
export function redactValue(value: unknown, mask: SensitiveMask = undefined): unknown {
  return redactPair(value, undefined, mask, undefined)[0];
}
