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
    .option(
      '--decommission',
      'also destroy protected data (data volumes and containers: prevent_destroy), e.g. of a client that left the estate',
    )
    .action(async (stacks: string[], opts: OperateCliOptions & { purgeState?: boolean; decommission?: boolean }) =>
      emit(
        await operateCommand('destroy', stacks, opts, {
          ...(opts.purgeState === true ? { purgeState: true } : {}),
          ...(opts.decommission === true ? { decommission: true } : {}),
        }),
      ),
    );
}
