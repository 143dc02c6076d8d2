import { synthEstate } from '../../synth/run.js';
import { failed, ok, type CommandResult } from '../io.js';

/** `sovstack synth`: the whole pipeline without cdktf-cli (same output as `cdktf synth`). */
export async function synthCommand(opts: { config: string; out: string }): Promise<CommandResult> {
  const outcome = await synthEstate({ configDir: opts.config, outdir: opts.out });
  if (!outcome.ok) return failed(`${outcome.stage} error, previous output in ${opts.out} left untouched\n${outcome.message}\n`);
  return ok(`synthesized ${outcome.stacks.length} stacks into ${opts.out}: ${outcome.stacks.join(', ')}\n`);
}
