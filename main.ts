/**
 * The cdktf app, run by `cdktf synth` / `cdktf deploy` (see cdktf.json): synthesizes one stack per
 * client of the estate in SOVSTACK_CONFIG (default `config/`) into CDKTF_OUTDIR (default `cdktf.out`),
 * on SOVSTACK_JOBS threads (default one per core), with the same caches as `sovstack synth`.
 */
import { synthEstate } from './app/synth/run.js';

const outcome = await synthEstate({
  configDir: process.env.SOVSTACK_CONFIG ?? 'config',
  outdir: process.env.CDKTF_OUTDIR ?? 'cdktf.out',
  // cdktf-cli sets CDKTF_OUTDIR and removes stale stack folders itself after the app exits.
  keepOrphanStacks: process.env.CDKTF_OUTDIR !== undefined,
});
if (outcome.ok) {
  console.log(`sovstack: synthesized ${outcome.stacks.length} stacks: ${outcome.stacks.join(', ')}`);
} else {
  console.error(`sovstack: ${outcome.stage} error, previous output left untouched\n${outcome.message}`);
  process.exitCode = 1;
}
