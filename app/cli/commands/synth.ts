import { synthEstate } from '../../synth/run.js';
import { failed, ok, type CommandResult } from '../../command.js';
import type { Command } from 'commander';
import { configOption, emit, outOption } from '../options.js';

/** `sovstack synth`: the whole pipeline without cdktf-cli (same output as `cdktf synth`). */
export async function synthCommand(opts: { config: string; out: string }): Promise<CommandResult> {
  const outcome = await synthEstate({ configDir: opts.config, outdir: opts.out });
  if (!outcome.ok) return failed(`${outcome.stage} error, previous output in ${opts.out} left untouched\n${outcome.message}\n`);
  return ok(`synthesized ${outcome.stacks.length} stacks into ${opts.out}: ${outcome.stacks.join(', ')}\n`);
}

/** Adds `sovstack synth` to `program`. */
export function registerSynth(program: Command): void {
  program
    .command('synth')
    .description('synthesize one stack per client plus the placement report (same as `cdktf synth`)')
    .addOption(configOption())
    .addOption(outOption())
    .action(async (opts: { config: string; out: string }) => emit(await synthCommand(opts)));
}
