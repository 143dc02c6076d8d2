/**
 * The date of a placement decision. The placement engine never reads the clock: the commands pass it
 * `--today`, else `SOVSTACK_TODAY`, else the real date (UTC), so a review or a test can pin it.
 */
import { DateSchema } from '../core/config/schema.js';

/** Environment variable giving the date of the decision when `--today` is not given, e.g. `SOVSTACK_TODAY=2026-12-01`. */
export const TODAY_ENV = 'SOVSTACK_TODAY';

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
  if (!DateSchema.safeParse(value).success) return { error: `${origin} ${value}: expected a date as YYYY-MM-DD, e.g. 2026-12-01` };
  return { today: value };
}
