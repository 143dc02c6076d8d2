import { failed, ok, type CommandResult } from '../../command.js';
import { formatConfigErrors } from '../../../core/config/errors.js';
import { estateFileNames } from '../../../core/config/index.js';
import { configErrorFindings, type FindingsFormat } from '../../findings/index.js';
import { loadForCommand } from './load.js';
import type { Command } from 'commander';
import { configOption, emit, formatOption, inFormat } from '../options.js';

/** `sovstack validate`: load and check the estate; exit 0 when valid, 1 otherwise; warnings never fail. `format` defaults to `text`. */
export async function validateCommand(opts: { config: string; format?: FindingsFormat }): Promise<CommandResult> {
  const loaded = await loadForCommand(opts.config);
  const format = opts.format ?? 'text';
  const subjects = format === 'text' ? [] : await estateFileNames(opts.config);
  if ('errors' in loaded) {
    return inFormat(format, failed(`${loaded.errors}\n`), {
      command: 'validate',
      subjects,
      findings: configErrorFindings(loaded.configErrors),
    });
  }
  const { clouds, clients, templates, warnings = [] } = loaded.estate;
  const valid = ok(`${opts.config}: valid (${clouds.length} clouds, ${clients.length} clients, ${templates.length} templates)\n`);
  const result = warnings.length === 0 ? valid : { ...valid, stderr: `${formatConfigErrors(warnings).replace(/^/gm, 'warning: ')}\n` };
  return inFormat(format, result, { command: 'validate', subjects, findings: configErrorFindings(warnings, 'warning') });
}

/** Adds `sovstack validate` to `program`. */
export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check the estate: schemas, references, CIDRs, catalogs, secrets (exit 0 valid, 1 invalid)')
    .addOption(configOption())
    .addOption(formatOption())
    .action(async (opts: { config: string; format: FindingsFormat }) => emit(await validateCommand(opts)));
}
