/**
 * The cdktf app, run by `cdktf synth` / `cdktf deploy` (see cdktf.json): synthesizes one stack per
 * client of the estate in SOVSTACK_CONFIG (default `config/`) into CDKTF_OUTDIR (default `cdktf.out`),
 * on SOVSTACK_JOBS threads (default one per core), with the same caches as `sovstack synth`,
 * deciding placement as of SOVSTACK_TODAY (default the real date).
 */
import { existsSync } from 'node:fs';
import { placementWarningsText, untouchedText } from './app/synth/messages.js';
import { synthEstate } from './app/synth/run.js';
import { decisionDate } from './app/today.js';

const outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
const date = decisionDate(undefined);
if ('error' in date) {
  console.error(`sovstack: ${date.error}`);
  process.exitCode = 1;
} else {
  const existed = existsSync(outdir);
  const outcome = await synthEstate({
    configDir: process.env.SOVSTACK_CONFIG ?? 'config',
    outdir,
    // cdktf-cli sets CDKTF_OUTDIR and removes stale stack folders itself after the app exits.
    keepOrphanStacks: process.env.CDKTF_OUTDIR !== undefined,
    placeOptions: { today: date.today },
  });
  if (outcome.ok) {
    console.log(`sovstack: synthesized ${outcome.stacks.length} stacks: ${outcome.stacks.join(', ')}`);
    process.stderr.write(placementWarningsText(outcome.placements));
  } else {
    console.error(`sovstack: ${outcome.stage} error, ${untouchedText(outdir, existed)}\n${outcome.message}`);
    process.exitCode = 1;
  }
}
