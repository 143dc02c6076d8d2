/**
 * What a synth says on the terminal, shared by `sovstack synth` and the cdktf app (`main.ts`). Loads
 * nothing: the app answers an up-to-date run without the pipeline's modules.
 */
import type { Placement } from '../../core/placement/types.js';

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
