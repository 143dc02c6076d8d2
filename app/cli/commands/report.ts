import { Option, type Command } from 'commander';
import { runDriftReportCommand } from '../../report/drift.js';
import { runReportCommand, runSanitizePlanCommand, type ReportFormat } from '../../report/index.js';
import { failed, type CommandResult } from '../../command.js';
import { emit } from '../options.js';

/** Adds `sovstack report` to `program`. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description('one report of placements, plan summaries, warnings and costs, for a pull-request comment')
    .option('--head <dir>', 'synth output of the change', 'cdktf.out')
    .option('--base <dir>', 'synth output of the base branch, to show what changes (a missing folder: no comparison)')
    .option('--plans <dir>', 'folder of <stack>.plan.json files (see `sovstack sanitize-plan`)')
    .option('--drift', 'report drift instead: what changed outside OpenTofu, from the refresh-only plans in --plans (drift.md, drift.json)')
    .addOption(new Option('--format <format>', 'what to print').choices(['text', 'markdown', 'json']).default('text'))
    .option('--write <dir>', 'also write report.md, report.txt and report.json there')
    .option('--footer <markdown>', 'appended to the Markdown report, e.g. a link to the CI run')
    .action(
      (opts: { head: string; base?: string; plans?: string; drift?: boolean; format: ReportFormat; write?: string; footer?: string }) =>
        emit(
          opts.drift === true
            ? driftReport(opts)
            : runReportCommand({
                head: opts.head,
                format: opts.format,
                ...(opts.base !== undefined ? { base: opts.base } : {}),
                ...(opts.plans !== undefined ? { plansDir: opts.plans } : {}),
                ...(opts.write !== undefined ? { out: opts.write } : {}),
                ...(opts.footer !== undefined ? { footer: opts.footer } : {}),
              }),
        ),
    );
}

function driftReport(opts: { plans?: string; format: ReportFormat; write?: string }): CommandResult {
  if (opts.plans === undefined)
    return failed('sovstack report --drift: --plans <dir> is required (the refresh-only plans of `sovstack drift`)\n');
  return runDriftReportCommand({ plansDir: opts.plans, format: opts.format, ...(opts.write !== undefined ? { out: opts.write } : {}) });
}

/** Adds `sovstack sanitize-plan` to `program`. */
export function registerSanitizePlan(program: Command): void {
  program
    .command('sanitize-plan')
    .description(
      'turn a `tofu show -json` plan into the redacted form a PR report reads (values of secrets and sensitive attributes removed)',
    )
    .requiredOption('--input <file>', 'plan JSON from `tofu show -json`')
    .requiredOption('--output <file>', 'where the sanitized plan goes, e.g. plans/<stack>.plan.json')
    .action((opts: { input: string; output: string }) => emit(runSanitizePlanCommand(opts)));
}
