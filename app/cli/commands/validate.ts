import { DEFAULT_HORIZON_DAYS, endOfLifeWarning } from '../../../core/placement/index.js';
import { ok, type CommandResult } from '../../command.js';
import { formatConfigErrors } from '../../../core/config/errors.js';
import { estateFileNames } from '../../../core/config/index.js';
import type { Finding } from '../../../core/findings.js';
import { configErrorFindings, type FindingsFormat } from '../../findings/index.js';
import { loadDated, type DecisionOptions } from './load.js';
import type { Command } from 'commander';
import { configOption, emit, formatOption, horizonOption, inFormat, todayOption } from '../options.js';

/** Options of {@link validateCommand}. */
export interface ValidateCommandOptions extends DecisionOptions {
  /** What to print. Default `text`. */
  format?: FindingsFormat;
}

/**
 * `sovstack validate`: load and check the estate; exit 0 when valid, 1 otherwise. Clouds near or past
 * their end of life and other warnings are reported and never fail.
 */
export async function validateCommand(opts: ValidateCommandOptions): Promise<CommandResult> {
  const loaded = await loadDated(opts);
  const format = opts.format ?? 'text';
  const subjects = format === 'text' ? [] : await estateFileNames(opts.config);
  if ('exitCode' in loaded) {
    return inFormat(format, loaded, { command: 'validate', subjects, findings: configErrorFindings(loaded.configErrors ?? []) });
  }
  const { clouds, clients, templates, warnings = [] } = loaded.estate;
  const endOfLife = clouds.flatMap((cloud) => endOfLifeWarning(cloud, loaded.today, opts.horizonDays ?? DEFAULT_HORIZON_DAYS) ?? []);
  const lines = [...(warnings.length > 0 ? formatConfigErrors(warnings).split('\n') : []), ...endOfLife].map(
    (line) => `warning: ${line}\n`,
  );
  const valid = ok(`${opts.config}: valid (${clouds.length} clouds, ${clients.length} clients, ${templates.length} templates)\n`);
  const result = lines.length === 0 ? valid : { ...valid, stderr: lines.join('') };
  const lifecycleFindings: Finding[] = endOfLife.map((message) => ({ rule: 'lifecycle', level: 'warning', message }));
  return inFormat(format, result, {
    command: 'validate',
    subjects,
    findings: [...configErrorFindings(warnings, 'warning'), ...lifecycleFindings],
  });
}

/** Adds `sovstack validate` to `program`. */
export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check the estate: schemas, references, CIDRs, catalogs, secrets (exit 0 valid, 1 invalid)')
    .addOption(configOption())
    .addOption(todayOption())
    .addOption(horizonOption())
    .addOption(formatOption())
    .action(async (opts: ValidateCommandOptions) => emit(await validateCommand(opts)));
}
