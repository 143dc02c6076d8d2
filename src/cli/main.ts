#!/usr/bin/env node
/**
 * The `sovstack` command line. Each command is a function returning {@link CommandResult};
 * this file only parses options, prints and sets the exit code.
 */
import { Command, CommanderError, Option } from 'commander';
import { toolkitVersion } from '../package-info.js';
import { ExitCode, type CommandResult } from './io.js';
import { runAffectedCommand } from '../affected/index.js';
import { runReportCommand } from '../report/index.js';
import { checkCommand } from './commands/check.js';
import { placeCommand } from './commands/place.js';
import { synthCommand } from './commands/synth.js';
import { validateCommand } from './commands/validate.js';
import { whatIfCommand } from './commands/what-if.js';

const configOption = () =>
  new Option('-c, --config <dir>', 'estate folder with clouds/, clients/ and templates/').default(process.env.SOVSTACK_CONFIG ?? 'config');

const outOption = () => new Option('-o, --out <dir>', 'synth output folder').default(process.env.CDKTF_OUTDIR ?? 'cdktf.out');

function emit(result: CommandResult): void {
  if (result.stdout) process.stdout.write(result.stdout);
  if (result.stderr) process.stderr.write(result.stderr);
  process.exitCode = result.exitCode;
}

export function buildProgram(): Command {
  const program = new Command('sovstack')
    .description('Sovereignty-aware placement and synthesis of IaaS services on OpenStack clouds')
    .version(toolkitVersion)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  program
    .command('validate')
    .description('check the estate: schemas, references, CIDRs, catalogs, secrets (exit 0 valid, 1 invalid)')
    .addOption(configOption())
    .action(async (opts: { config: string }) => emit(await validateCommand(opts)));

  program
    .command('place')
    .description('place every client on a cloud and say why (exit 1 when a client cannot be placed)')
    .addOption(configOption())
    .option('--json', 'every cloud’s per-rule verdicts, warnings and estimated monthly cost as JSON')
    .action(async (opts: { config: string; json?: boolean }) => emit(await placeCommand(opts)));

  program
    .command('what-if')
    .description('who moves where, who is stranded and what it costs if a cloud is retired (exit 1 when stranded)')
    .addOption(configOption())
    .requiredOption('--retire <cloud>', 'cloud id to retire')
    .option('--json', 'machine-readable output')
    .action(async (opts: { config: string; retire: string; json?: boolean }) => emit(await whatIfCommand(opts)));

  program
    .command('synth')
    .description('synthesize one stack per client plus the placement report (same as `cdktf synth`)')
    .addOption(configOption())
    .addOption(outOption())
    .action(async (opts: { config: string; out: string }) => emit(await synthCommand(opts)));

  program
    .command('check')
    .description('check every synthesized stack against the committed provider schema, without tofu init (exit 1 on issues)')
    .addOption(outOption())
    .action((opts: { out: string }) => emit(checkCommand(opts)));

  program
    .command('report')
    .description('one report of placements, plan summaries, warnings and costs, for a pull-request comment')
    .option('--head <dir>', 'synth output of the change', 'cdktf.out')
    .option('--base <dir>', 'synth output of the base branch, to show what changes')
    .option('--plans <dir>', 'folder of <stack>.plan.json files from `tofu show -json`')
    .addOption(new Option('--format <format>', 'what to print').choices(['text', 'markdown', 'json']).default('text'))
    .option('--write <dir>', 'also write report.md, report.txt and report.json there')
    .action((opts: { head: string; base?: string; plans?: string; format: 'text' | 'markdown' | 'json'; write?: string }) =>
      emit(
        asFailure(
          runReportCommand({
            head: opts.head,
            format: opts.format,
            ...(opts.base ? { base: opts.base } : {}),
            ...(opts.plans ? { plansDir: opts.plans } : {}),
            ...(opts.write ? { out: opts.write } : {}),
          }),
        ),
      ),
    );

  program
    .command('affected')
    .description('stacks that are new, changed or removed between a git ref and the working tree, as a CI matrix')
    .requiredOption('--base <ref>', 'git ref to compare with, e.g. origin/main')
    .option('--head <ref>', 'git ref of the change (default: the working tree)')
    .addOption(new Option('--format <format>', 'output').choices(['json', 'text', 'gitlab-pipeline']).default('json'))
    .action((opts: { base: string; head?: string; format: 'json' | 'text' | 'gitlab-pipeline' }) =>
      emit(asFailure(runAffectedCommand({ base: opts.base, format: opts.format, ...(opts.head ? { head: opts.head } : {}) }))),
    );

  return program;
}

/** report / affected signal errors with a non-zero code of their own; the CLI's code for it is 1. */
function asFailure(result: CommandResult): CommandResult {
  return result.exitCode === 0 ? result : { ...result, exitCode: ExitCode.failed };
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  } else {
    process.stderr.write(`sovstack: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  }
}
