/**
 * Rule `lifecycle`, and the end-of-life arithmetic `validate` shares with it.
 */
import type { CloudConfig } from '../../config/schema.js';
import type { PlacementRule } from '../types.js';

const DAY_MS = 86_400_000;

/** Whole days from `from` to `to` (both `YYYY-MM-DD`, read as UTC dates); negative when `to` is earlier. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/**
 * A deprecated cloud's end-of-life situation on a given date: `expired` on or after its end of life, `near`
 * within `horizonDays` of it, `later` before that; `undefined` for an active or retired cloud.
 *
 * @example endOfLifeStatus(cloud, '2026-12-01', 180) // { state: 'near', endOfLife: '2027-03-31', daysLeft: 120 }
 */
export function endOfLifeStatus(
  cloud: CloudConfig,
  today: string,
  horizonDays: number,
): { state: 'expired' | 'near' | 'later'; endOfLife: string; daysLeft: number } | undefined {
  if (cloud.lifecycle.status !== 'deprecated') return undefined;
  const endOfLife = cloud.lifecycle.endOfLife;
  const daysLeft = daysBetween(today, endOfLife);
  return { state: daysLeft <= 0 ? 'expired' : daysLeft <= horizonDays ? 'near' : 'later', endOfLife, daysLeft };
}

/**
 * The warning for a cloud near or past its end of life, or undefined.
 *
 * @example endOfLifeWarning(cloud, '2026-12-01', 180) // 'vendor-1 reaches its end of life on 2027-03-31, in 120 days (…)'
 */
export function endOfLifeWarning(cloud: CloudConfig, today: string, horizonDays: number): string | undefined {
  const eol = endOfLifeStatus(cloud, today, horizonDays);
  if (!eol || eol.state === 'later') return undefined;
  if (eol.state === 'expired')
    return `${cloud.id} reached its end of life on ${eol.endOfLife} (today is ${today}): nothing will be placed on it`;
  const days = `${eol.daysLeft} day${eol.daysLeft === 1 ? '' : 's'}`;
  return `${cloud.id} reaches its end of life on ${eol.endOfLife}, in ${days} (warning horizon ${horizonDays} days): plan the move`;
}

const REQUIREMENT = 'placement needs a cloud that is not retired nor past its end of life';

/**
 * A retired cloud takes nothing; nor does a deprecated one on or after its end of life, or one whose end of life
 * cannot be checked because no date was given (fail closed). A deprecated cloud before its end of life passes,
 * with a warning carrying the date, louder within `horizonDays` of it.
 * Source: operations (no new stacks on a cloud being decommissioned); the engine prefers active clouds.
 */
export const lifecycle: PlacementRule = {
  id: 'lifecycle',
  title: 'Cloud lifecycle',
  source: 'operations: nothing lands on a retired cloud; a deprecated cloud is a last resort until its end of life',
  evaluate({ cloud, today, horizonDays }) {
    const state = cloud.lifecycle;
    if (state.status === 'active') return { status: 'pass', reason: `${REQUIREMENT}; ${cloud.id} is active` };
    if (state.status === 'retired') {
      return { status: 'fail', reason: `${REQUIREMENT}; ${cloud.id} is retired${state.since ? ` since ${state.since}` : ''}` };
    }
    const eolDate = state.endOfLife;
    if (today === undefined) {
      return {
        status: 'fail',
        reason: `${REQUIREMENT}; ${cloud.id} is deprecated with end of life ${eolDate}, and no date was given to check it against`,
      };
    }
    const eol = endOfLifeStatus(cloud, today, horizonDays);
    if (eol?.state === 'expired') {
      return { status: 'fail', reason: `${REQUIREMENT}; ${cloud.id} reached its end of life on ${eolDate} (today is ${today})` };
    }
    return {
      status: 'pass',
      reason: `${REQUIREMENT}; ${cloud.id} is deprecated with end of life ${eolDate}, so it is used only when no active cloud is eligible or when pinned`,
      warnings: [endOfLifeWarning(cloud, today, horizonDays) ?? `${cloud.id} is deprecated: end of life ${eolDate}`],
    };
  },
};
