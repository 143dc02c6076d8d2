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
  ).action(async (stacks: string[], opts: OperateCliOptions) => emit(await operateCommand('plan', stacks, opts)));
}
