import { checkSynthOutput, formatIssues } from '../../../core/check/index.js';
import { failed, ok, type CommandResult } from '../../command.js';
import type { Command } from 'commander';
import { emit, outOption } from '../options.js';

/** `sovstack check`: validate every synthesized stack against the committed provider schema, without tofu init. */
export function checkCommand(opts: { out: string }): CommandResult {
  let result;
  try {
    result = checkSynthOutput(opts.out);
  } catch (error) {
    return failed(`check: ${(error as Error).message}\n`);
  }
  if (result.issues.length === 0) return ok(`${opts.out}: ${result.stacks} stacks match the provider schema\n`);
  return failed(`${opts.out}: ${result.issues.length} schema issue(s) in ${result.stacks} stacks\n${formatIssues(result.issues)}\n`);
}

/** Adds `sovstack check` to `program`. */
export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('check every synthesized stack against the committed provider schema, without tofu init (exit 1 on issues)')
    .addOption(outOption())
    .action((opts: { out: string }) => emit(checkCommand(opts)));
}
