import type { Command } from 'commander';
import { emit } from '../options.js';
import { operateCommand, withOperateOptions, type OperateCliOptions } from './operate.js';

/** Adds `sovstack deploy` to `program`. */
export function registerDeploy(program: Command): void {
  withOperateOptions(
    program
      .command('deploy')
      .description('plan and apply the selected stacks (that very plan), and record what was deployed; exit 0, or 1 when a stack failed'),
  )
    .option(
      '--plans <dir>',
      'apply the reviewed <stack>.tfplan files of this folder instead of planning (without a selection: every stack with one)',
    )
    .option(
      '--rolling',
      'change servers that a plan rebuilds, resizes or replaces one at a time, each back in its pool before the next (docs/day2.md)',
    )
    .action(async (stacks: string[], opts: OperateCliOptions & { plans?: string; rolling?: boolean }) =>
      emit(
        await operateCommand('deploy', stacks, opts, {
          ...(opts.plans !== undefined ? { plansDir: opts.plans } : {}),
          ...(opts.rolling === true ? { rolling: true } : {}),
        }),
      ),
    );
}
