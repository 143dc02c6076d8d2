/**
 * The date of a placement decision. The placement engine never reads the clock: the commands pass it
 * `--today`, else `SOVSTACK_TODAY`, else the real date (UTC), so a review or a test can pin it.
 *
 * Loads nothing (not the config schemas): the cdktf app reads the date before it knows whether there is
 * anything to synthesize.
 */

/** Environment variable giving the date of the decision when `--today` is not given, e.g. `SOVSTACK_TODAY=2026-12-01`. */
export const TODAY_ENV = 'SOVSTACK_TODAY';

/**
 * Whether `text` is a calendar date written `YYYY-MM-DD` (2028-02-29 is, 2027-02-29 is not): the dates the
 * config schema's `DateSchema` accepts (a test compares them), without loading the schemas.
 *
 * @example isCalendarDate('2026-12-01') // true
 */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/**
 * The date of the decision: `flag` (from `--today`), else `env.SOVSTACK_TODAY`, else the real date in UTC;
 * or an error naming where the bad value came from.
 *
 * @param flag value of `--today`, if given.
 * @param env environment to read `SOVSTACK_TODAY` from. Default `process.env`.
 * @param now the clock, for the last fallback. Default `new Date()`.
 * @example decisionDate('2026-12-01') // { today: '2026-12-01' }
 * @example decisionDate('01/12/2026') // { error: '--today 01/12/2026: expected a date as YYYY-MM-DD, e.g. 2026-12-01' }
 */
export function decisionDate(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
  now: Date = new Date(),
): { today: string } | { error: string } {
  const [origin, value] = flag !== undefined ? ['--today', flag] : [TODAY_ENV, env[TODAY_ENV]];
  if (value === undefined || value === '') return { today: now.toISOString().slice(0, 10) };
  if (!isCalendarDate(value)) return { error: `${origin} ${value}: expected a date as YYYY-MM-DD, e.g. 2026-12-01` };
  return { today: value };
}
