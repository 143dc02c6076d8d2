/**
 * Options and output shared by the commands of the `sovstack` CLI, so that every command spells a
 * flag the same way and prints its {@link CommandResult} the same way.
 */
import { InvalidArgumentError, Option } from 'commander';
import type { CommandResult } from '../command.js';
import { FINDINGS_FORMATS, renderFindings, type FindingsFormat, type FindingsReport } from '../findings/index.js';
import { DEFAULT_HORIZON_DAYS } from '../../core/placement/types.js';

/** `-c, --config <dir>`: the estate folder. Default `SOVSTACK_CONFIG`, else `config`. */
export const configOption = (): Option =>
  new Option('-c, --config <dir>', 'estate folder with clouds/, clients/ and templates/').default(process.env.SOVSTACK_CONFIG ?? 'config');

/** `-o, --out <dir>`: the synth output folder. Default `CDKTF_OUTDIR`, else `cdktf.out`. */
export const outOption = (): Option =>
  new Option('-o, --out <dir>', 'synth output folder').default(process.env.CDKTF_OUTDIR ?? 'cdktf.out');

/** `--today <date>`: the date of the placement decision (`YYYY-MM-DD`). Default `SOVSTACK_TODAY`, else the real date (see `decisionDate`). */
export const todayOption = (): Option =>
  new Option('--today <date>', 'date of the decision, YYYY-MM-DD, for end-of-life checks (default: SOVSTACK_TODAY, else today)');

/** `--horizon-days <n>`: days before a deprecated cloud's end of life from which placing on it warns. Default 180. */
export const horizonOption = (): Option =>
  new Option('--horizon-days <n>', 'warn when a chosen cloud reaches its end of life within n days')
    .default(DEFAULT_HORIZON_DAYS)
    .argParser((value) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number of days, e.g. 180');
      return n;
    });

/** Prints a command's result and sets the process exit code (never exits). */
export function emit(result: CommandResult): void {
  if (result.stdout) process.stdout.write(result.stdout);
  if (result.stderr) process.stderr.write(result.stderr);
  process.exitCode = result.exitCode;
}

/** `--format <format>`: `text` (default, for people), `json`, `sarif` (code scanning) or `junit` (CI test reports). */
export const formatOption = (): Option =>
  new Option('--format <format>', 'output format: text, json, sarif (code scanning) or junit (CI test reports)')
    .choices(FINDINGS_FORMATS)
    .default('text');

/**
 * A command's result in `format`: unchanged for `text`; otherwise stdout is the rendered `report` and
 * the text the command would have printed goes to stderr, with the same exit code.
 *
 * @example return inFormat(opts.format, failed(text), { command: 'validate', subjects, findings });
 */
export function inFormat(format: FindingsFormat, result: CommandResult, report: FindingsReport): CommandResult {
  if (format === 'text') return result;
  return { exitCode: result.exitCode, stdout: renderFindings(format, report), stderr: `${result.stdout}${result.stderr ?? ''}` };
}
