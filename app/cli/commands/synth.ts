import { existsSync } from 'node:fs';
import { synthEstate } from '../../synth/run.js';
import { failed, ok, type CommandResult } from '../../command.js';
import { decisionDate } from '../../today.js';
import type { Command } from 'commander';
import { configOption, emit, horizonOption, outOption, todayOption } from '../options.js';
import type { Placement } from '../../../core/placement/index.js';

/** Options of {@link synthCommand}. */
export interface SynthCommandOptions {
  /** Estate folder. */
  config: string;
  /** Output folder. */
  out: string;
  /** Date of the decision, `YYYY-MM-DD`. Default `SOVSTACK_TODAY`, else the real date. */
  today?: string;
  /** Warning horizon before a deprecated cloud's end of life, in days. Default 180. */
  horizonDays?: number;
}

/**
 * The placement warnings of a synth, one line per client and warning, or the empty string when there are none.
 *
 * @example placementWarningsText(outcome.placements) // 'placement warnings:\n- min-eco: vendor-1 reaches its end of life on …\n'
 */
export function placementWarningsText(placements: readonly Placement[]): string {
  const lines = placements.flatMap((p) => p.warnings.map((w) => `- ${p.client}: ${w}`));
  return lines.length === 0 ? '' : `placement warnings:\n${lines.join('\n')}\n`;
}

/**
 * What a failed synth says about the output folder: kept as it was, or never written.
 *
 * @example untouchedText('cdktf.out', true) // 'previous output in cdktf.out left untouched'
 */
export function untouchedText(out: string, existed: boolean): string {
  return existed ? `previous output in ${out} left untouched` : `nothing written to ${out}`;
}

/** `sovstack synth`: the whole pipeline without cdktf-cli (same output as `cdktf synth`). */
export async function synthCommand(opts: SynthCommandOptions): Promise<CommandResult> {
  const date = decisionDate(opts.today);
  if ('error' in date) return failed(`${date.error}\n`);
  const existed = existsSync(opts.out);
  const placeOptions = { today: date.today, horizonDays: opts.horizonDays };
  const outcome = await synthEstate({ configDir: opts.config, outdir: opts.out, placeOptions });
  if (!outcome.ok) return failed(`${outcome.stage} error, ${untouchedText(opts.out, existed)}\n${outcome.message}\n`);
  const summary = `synthesized ${outcome.stacks.length} stacks into ${opts.out}: ${outcome.stacks.join(', ')}\n`;
  return ok(summary + placementWarningsText(outcome.placements));
}

/** Adds `sovstack synth` to `program`. */
export function registerSynth(program: Command): void {
  program
    .command('synth')
    .description('synthesize one stack per client plus the placement report (same as `cdktf synth`)')
    .addOption(configOption())
    .addOption(outOption())
    .addOption(todayOption())
    .addOption(horizonOption())
    .action(async (opts: SynthCommandOptions) => emit(await synthCommand(opts)));
}
