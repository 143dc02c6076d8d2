import { formatConfigErrors, loadEstate, type ConfigError, type Estate } from '../../../core/config/index.js';
import { defaultValidationCacheDir } from '../../synth/cache.js';
import { failed, type CommandResult } from '../../command.js';
import { decisionDate } from '../../today.js';

/**
 * Loads an estate for a command, or the errors that stop it: formatted (`errors`) and as they are
 * (`configErrors`). Client files unchanged since the last valid load are taken from the validation
 * cache in `./.sovstack-cache/.validation`.
 */
export async function loadForCommand(configDir: string): Promise<{ estate: Estate } | { errors: string; configErrors: ConfigError[] }> {
  const result = await loadEstate(configDir, { cacheDir: defaultValidationCacheDir('.') });
  if (result.ok) return { estate: result.estate };
  const count = result.errors.length;
  return {
    errors: `${configDir}: ${count} configuration error${count === 1 ? '' : 's'}\n${formatConfigErrors(result.errors)}\n`,
    configErrors: result.errors,
  };
}

/** The options of every command that decides placement as of a date (`--today`, `--horizon-days`). */
export interface DecisionOptions {
  /** Estate folder. */
  config: string;
  /** Date of the decision, `YYYY-MM-DD`. Default `SOVSTACK_TODAY`, else the real date. */
  today?: string;
  /** Warning horizon before a deprecated cloud's end of life, in days. Default 180. */
  horizonDays?: number;
}

/**
 * The decision date and the loaded estate of a command, or the failed result that stops it (a bad
 * date, or configuration errors: `configErrors` keeps them for the machine-readable formats).
 *
 * @example const loaded = await loadDated(opts); if ('exitCode' in loaded) return loaded;
 */
export async function loadDated(
  opts: DecisionOptions,
): Promise<{ estate: Estate; today: string } | (CommandResult & { configErrors?: ConfigError[] })> {
  const date = decisionDate(opts.today);
  if ('error' in date) return failed(`${date.error}\n`);
  const loaded = await loadForCommand(opts.config);
  if ('errors' in loaded) return { ...failed(loaded.errors), configErrors: loaded.configErrors };
  return { estate: loaded.estate, today: date.today };
}
