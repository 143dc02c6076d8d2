import type { Command } from 'commander';
import { emit } from '../options.js';
import { operateCommand, withOperateOptions, type OperateCliOptions } from './operate.js';

/** Adds `sovstack plan` to `program`. */
export function registerPlan(program: Command): void {
  withOperateOptions(
    program
      .command('plan')
      .description(
        'plan the selected stacks with OpenTofu (saved plans in the run folder) and list orphaned stacks; exit 0 no changes, 2 changes, 1 error',
      ),
  )
    .option(
      '--save-plans <dir>',
      'copy each plan there as far as it may leave the machine (e.g. as a CI artifact for `deploy --plans`): its sanitized <stack>.plan.json, and its binary <stack>.tfplan with a record of what it was planned from only when the stack encrypts its plans',
    )
    .action(async (stacks: string[], opts: OperateCliOptions & { savePlans?: string }) =>
      emit(await operateCommand('plan', stacks, opts, opts.savePlans !== undefined ? { savePlansDir: opts.savePlans } : {})),
    );
}
