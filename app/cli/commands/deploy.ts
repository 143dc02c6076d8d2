import type { Command } from 'commander';
import { failed } from '../../command.js';
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
      'apply the reviewed <stack>.tfplan files of this folder instead of planning (without a selection: every stack with one); a plan made from another configuration than the one synthesized now, or that the state has moved past, is refused',
    )
    .option(
      '--replan-unreviewed',
      'with --plans: plan afresh (and apply) a selected stack that has no reviewed plan there, instead of failing it',
    )
    .option(
      '--rolling',
      'change servers that a plan rebuilds, resizes or replaces one at a time, each back in its pool before the next (docs/day2.md)',
    )
    .action(async (stacks: string[], opts: OperateCliOptions & { plans?: string; replanUnreviewed?: boolean; rolling?: boolean }) =>
      emit(
        opts.replanUnreviewed === true && opts.plans === undefined
          ? failed('sovstack deploy: --replan-unreviewed goes with --plans <dir> (the folder of reviewed plans)\n')
          : await operateCommand('deploy', stacks, opts, {
              ...(opts.plans !== undefined ? { plansDir: opts.plans } : {}),
              ...(opts.replanUnreviewed === true ? { replanUnreviewed: true } : {}),
              ...(opts.rolling === true ? { rolling: true } : {}),
            }),
      ),
    );
}
