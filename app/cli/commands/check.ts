import { checkSynthOutput, formatIssues } from '../../../core/check/index.js';
import { failed, ok, type CommandResult } from '../../command.js';
import { schemaIssueFindings, type FindingsFormat } from '../../findings/index.js';
import type { Command } from 'commander';
import { emit, formatOption, inFormat, outOption } from '../options.js';

/** `sovstack check`: validate every synthesized stack against the committed provider schema, without tofu init. `format` defaults to `text`. */
export function checkCommand(opts: { out: string; format?: FindingsFormat }): CommandResult {
  const format = opts.format ?? 'text';
  let result;
  try {
    result = checkSynthOutput(opts.out);
  } catch (error) {
    const message = `check: ${(error as Error).message}`;
    return inFormat(format, failed(`${message}\n`), {
      command: 'check',
      subjects: [],
      findings: [{ rule: 'check/output', level: 'error', message }],
    });
  }
  const report = { command: 'check', subjects: result.names, findings: schemaIssueFindings(result.issues), outdir: opts.out };
  if (result.issues.length === 0) return inFormat(format, ok(`${opts.out}: ${result.stacks} stacks match the provider schema\n`), report);
  const text = `${opts.out}: ${result.issues.length} schema issue(s) in ${result.stacks} stacks\n${formatIssues(result.issues)}\n`;
  return inFormat(format, failed(text), report);
}

/** Adds `sovstack check` to `program`. */
export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('check every synthesized stack against the committed provider schema, without tofu init (exit 1 on issues)')
    .addOption(outOption())
    .addOption(formatOption())
    .action((opts: { out: string; format: FindingsFormat }) => emit(checkCommand(opts)));
}
