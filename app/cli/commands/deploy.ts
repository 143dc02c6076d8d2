import { Option, type Command } from 'commander';
import { emit } from '../options.js';
import { operateCommand, withOperateOptions, type OperateCliOptions } from './operate.js';

type DeployCliOptions = OperateCliOptions & { plans?: string; replanUnreviewed?: boolean; rolling?: boolean };

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
    .addOption(
      // A rolling change plans each of its steps afresh, so it cannot apply a reviewed plan.
      new Option(
        '--rolling',
        'change servers that a plan rebuilds, resizes or replaces one at a time, each back in its pool before the next (docs/day2.md)',
      ).conflicts('plans'),
    )
    .action(async (stacks: string[], opts: DeployCliOptions, command: Command) => {
      if (opts.replanUnreviewed === true && opts.plans === undefined) {
        command.error('error: --replan-unreviewed goes with --plans <dir> (the folder of reviewed plans)');
      }
      emit(
        await operateCommand('deploy', stacks, opts, {
          ...(opts.plans !== undefined ? { plansDir: opts.plans } : {}),
          ...(opts.replanUnreviewed === true ? { replanUnreviewed: true } : {}),
          ...(opts.rolling === true ? { rolling: true } : {}),
        }),
      );
    });
}
