import type { Command } from 'commander';
import { emit } from '../options.js';
import { operateCommand, withOperateOptions, type OperateCliOptions } from './operate.js';

/** Adds `sovstack destroy` to `program`. */
export function registerDestroy(program: Command): void {
  withOperateOptions(
    program
      .command('destroy')
      .description(
        'destroy the selected stacks, orphaned ones included (from the configuration last deployed); exit 0, or 1 when a stack failed',
      ),
  )
    .option('--purge-state', 'also remove the emptied state of each destroyed stack (pg schema, local file)')
    .action(async (stacks: string[], opts: OperateCliOptions & { purgeState?: boolean }) =>
      emit(await operateCommand('destroy', stacks, opts, opts.purgeState === true ? { purgeState: true } : {})),
    );
}
