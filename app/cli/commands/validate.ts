import { failed, ok, type CommandResult } from '../../command.js';
import { formatConfigErrors } from '../../../core/config/errors.js';
import { loadForCommand } from './load.js';
import type { Command } from 'commander';
import { configOption, emit } from '../options.js';

/** `sovstack validate`: load and check the estate; exit 0 when valid, 1 otherwise. */
export async function validateCommand(opts: { config: string }): Promise<CommandResult> {
  const loaded = await loadForCommand(opts.config);
  if ('errors' in loaded) return failed(loaded.errors);
  const { clouds, clients, templates, warnings = [] } = loaded.estate;
  const result = ok(`${opts.config}: valid (${clouds.length} clouds, ${clients.length} clients, ${templates.length} templates)\n`);
  return warnings.length === 0 ? result : { ...result, stderr: `${formatConfigErrors(warnings).replace(/^/gm, 'warning: ')}\n` };
}

/** Adds `sovstack validate` to `program`. */
export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check the estate: schemas, references, CIDRs, catalogs, secrets (exit 0 valid, 1 invalid)')
    .addOption(configOption())
    .action(async (opts: { config: string }) => emit(await validateCommand(opts)));
}
