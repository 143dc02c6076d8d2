import type { Command } from 'commander';
import { emit } from '../options.js';
import { operateCommand, withOperateOptions, type OperateCliOptions } from './operate.js';

/** Adds `sovstack drift` to `program`. */
export function registerDrift(program: Command): void {
  withOperateOptions(
    program
      .command('drift')
      .description(
        'refresh-only plans of the selected stacks and a drift report (drift.md, drift.json); exit 0 no drift, 2 drift, 1 error',
      ),
  )
    .option('--report <dir>', 'where drift.md and drift.json go (default: the run folder)')
    .action(async (stacks: string[], opts: OperateCliOptions & { report?: string }) =>
      emit(await operateCommand('drift', stacks, opts, opts.report !== undefined ? { reportDir: opts.report } : {})),
    );
}
