/**
 * The synth pipeline: load and validate config → place → build one stack per client → synth,
 * plus the placement report beside the stacks. Any error leaves the previous output untouched.
 */
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { App } from 'cdktf';
import { formatConfigErrors, loadEstate, type CloudConfig } from '../config/index.js';
import { place, renderPlacementMarkdown, type Placement, type PlaceOptions } from '../placement/index.js';
import { buildStacks } from '../../stacks/index.js';
import { toolkitVersion } from '../package-info.js';
import { discardStaging, promoteStaging, stagingDirFor } from './output.js';

/** Options of {@link synthEstate}. */
export interface SynthOptions {
  /** Estate folder holding clouds/, clients/ and templates/. */
  configDir: string;
  /** Output folder (cdktf's `cdktf.out`). */
  outdir: string;
  /** Leave stack folders of removed clients for cdktf-cli to delete (set when the CLI runs the app). Default false. */
  keepOrphanStacks?: boolean;
  /** Placement options, e.g. extra rules. Default: the built-in rules. */
  placeOptions?: PlaceOptions;
}

/** What a synth run produced, or why it stopped. */
export type SynthOutcome =
  | { ok: true; stacks: string[]; placements: Placement[] }
  | { ok: false; stage: 'config' | 'placement' | 'synth'; message: string };

/** Content of `placement.json` in the output folder. */
export interface PlacementReport {
  toolkitVersion: string;
  configDir: string;
  placements: Placement[];
  clouds: Pick<CloudConfig, 'id' | 'name' | 'lifecycle' | 'prices'>[];
}

/**
 * Runs the whole pipeline for one estate.
 *
 * @example
 * const outcome = await synthEstate({ configDir: 'config', outdir: 'cdktf.out' });
 * if (!outcome.ok) { console.error(outcome.message); process.exitCode = 1; }
 */
export async function synthEstate(options: SynthOptions): Promise<SynthOutcome> {
  const loaded = await loadEstate(options.configDir);
  if (!loaded.ok) {
    return { ok: false, stage: 'config', message: `invalid configuration in ${options.configDir}:\n${formatConfigErrors(loaded.errors)}` };
  }
  const { estate } = loaded;
  const result = place(estate, options.placeOptions);
  if (result.failures.length > 0) {
    const lines = result.failures.map((failure) => `- ${failure.client} (${failure.kind}): ${failure.message}`);
    return { ok: false, stage: 'placement', message: `placement failed for ${result.failures.length} client(s):\n${lines.join('\n')}` };
  }

  const staging = stagingDirFor(options.outdir);
  discardStaging(staging);
  try {
    const app = new App({ outdir: staging, skipValidation: false });
    const stacks = buildStacks(app, {
      clouds: estate.clouds,
      clients: estate.clients,
      placements: result.placements,
      toolkitVersion,
    });
    app.synth();
    const report: PlacementReport = {
      toolkitVersion,
      configDir: relative(process.cwd(), options.configDir) || '.',
      placements: result.placements,
      clouds: estate.clouds.map(({ id, name, lifecycle, prices }) => ({ id, name, lifecycle, ...(prices ? { prices } : {}) })),
    };
    writeFileSync(join(staging, 'placement.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(staging, 'placement.md'), renderPlacementMarkdown(result));
    promoteStaging(staging, options.outdir, { keepOrphanStacks: options.keepOrphanStacks ?? false });
    return { ok: true, stacks: stacks.map((stack) => stack.node.id), placements: result.placements };
  } catch (error) {
    discardStaging(staging);
    return { ok: false, stage: 'synth', message: error instanceof Error ? error.message : String(error) };
  }
}
