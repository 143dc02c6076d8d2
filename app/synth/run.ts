/**
 * The synth pipeline: load and validate config → place → build one stack per client → synth,
 * plus the placement report beside the stacks. Any error leaves the previous output untouched.
 *
 * A run whose inputs and output are exactly those of the last successful run answers from that run's
 * record without loading anything else (see `up-to-date.ts`). Otherwise stacks are built on every core
 * (see `workers.ts`) and, unless `cache: false`, reused from the incremental cache (see `cache.ts`)
 * when nothing they depend on changed; the new output is a whole generation switched in atomically
 * (see `output.ts`). The output folder is byte for byte the one a cold, single-threaded run writes,
 * only faster to produce.
 *
 * This module loads only what the up-to-date check needs; the pipeline itself (`pipeline.ts`: the
 * config schemas, the placement engine, cdktf in the builders) is loaded when there is work to do.
 */
import { clientFileCount } from '../../core/config/estate-files.js';
import type { Estate } from '../../core/config/validate.js';
import type { Finding } from '../../core/findings.js';
import type { Placement, PlaceOptions, PlacementResult } from '../../core/placement/types.js';
import { threadCount } from '../../core/threads.js';
import { outputPathProblem } from './output.js';
import { recordRun, runInputs, upToDateOutcome } from './up-to-date.js';
import { PARALLEL_THRESHOLD, WorkerPool } from './workers.js';

/** Where the incremental cache lives. */
export interface SynthCacheOptions {
  /** Cache folder; created when missing. */
  dir: string;
}

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
  /**
   * Incremental synth: reuse the output of every stack whose inputs (client config, placement, cloud
   * config, toolkit version, sovstack's code) are unchanged since a previous run, and build only the
   * others. `false` builds every stack. Default: enabled, in `.sovstack-cache/<outdir name>` beside
   * the output folder (e.g. `./.sovstack-cache/cdktf.out` for `cdktf.out`). Unless `false`, the
   * config validation cache (`.sovstack-cache/.validation` beside the output folder) is used too.
   */
  cache?: SynthCacheOptions | false;
  /**
   * Threads building stacks: the main thread and `jobs` − 1 worker threads. Default: `SOVSTACK_JOBS`
   * when set, else one per available core (`os.availableParallelism()`), except that fewer than 64
   * stacks to build (`PARALLEL_THRESHOLD` in `workers.ts`) are built by one thread only: in an estate
   * of at least as many client files, a worker started with the run, which loads cdktf while the main
   * thread loads the estate; else the main thread. When given, it is used as is (workers started with
   * the run); `1` builds every stack in the main thread. The same count of threads validates the client
   * files of a large estate (`LoadOptions.jobs`). The output is the same whatever the value.
   */
  jobs?: number;
}

/** Which stacks came from the cache (hits) and which were built (misses), each in stack order. */
export interface SynthCacheReport {
  dir: string;
  hits: string[];
  misses: string[];
}

/** What a synth run produced, or why it stopped. `cache` is present when the cache was enabled. */
export type SynthOutcome =
  | { ok: true; stacks: string[]; placements: Placement[]; cache?: SynthCacheReport }
  | { ok: false; stage: 'config' | 'placement' | 'synth'; message: string; findings?: Finding[] };

/**
 * Runs the whole pipeline for one estate.
 *
 * @example
 * const outcome = await synthEstate({ configDir: 'config', outdir: 'cdktf.out' });
 * if (!outcome.ok) { console.error(outcome.message); process.exitCode = 1; }
 * else console.log(`${outcome.cache?.misses.length ?? outcome.stacks.length} stacks rebuilt`);
 */
export async function synthEstate(options: SynthOptions): Promise<SynthOutcome> {
  // Checked before anything is written, so a bad --out (e.g. a file) leaves no cache beside it.
  const outdirProblem = outputPathProblem(options.outdir);
  if (outdirProblem !== undefined) return { ok: false, stage: 'synth', message: outdirProblem };
  const inputs = runInputs(options);
  const unchanged = inputs === undefined ? undefined : upToDateOutcome(options, inputs);
  if (unchanged) return unchanged;
  const pool = startPool(options);
  let generation: string | undefined;
  let outcome: SynthOutcome;
  try {
    const { loadPlaceAndSynth } = await import('./pipeline.js');
    outcome = await loadPlaceAndSynth(options, pool, (committed) => (generation = committed));
  } finally {
    await pool?.close();
  }
  if (outcome.ok && inputs !== undefined && generation !== undefined) recordRun(options, inputs, generation, outcome);
  return outcome;
}

/**
 * Worker threads for `options.jobs` (see {@link SynthOptions.jobs}), started now; none for one job or
 * an invalid value (reported later), nor by default for an estate of fewer than `PARALLEL_THRESHOLD`
 * client files: the main thread's serial part is then too short for a worker's start (~0.1 s) to pay.
 */
function startPool(options: SynthOptions): WorkerPool | undefined {
  const jobs = threadCount(options.jobs);
  if (jobs === 1 || (options.jobs === undefined && clientFileCount(options.configDir) < PARALLEL_THRESHOLD)) return undefined;
  return new WorkerPool(jobs - 1);
}

/** Input of {@link synthPlacedEstate}: an estate already loaded and placed without failures. */
export interface PlacedEstateInput {
  estate: Estate;
  result: PlacementResult;
  /** Estate folder, as recorded in `placement.json`. */
  configDir: string;
  outdir: string;
  keepOrphanStacks: boolean;
  cache: SynthCacheOptions | false;
  /** Version stamped on resources and reports (normally `toolkitVersion`). */
  toolkitVersion: string;
  /** Fingerprint of the code producing the stacks (normally `codeFingerprint()`); part of every cache key. */
  code: string;
  /** Parallel jobs; see {@link SynthOptions.jobs}. Default: as there. */
  jobs?: number;
  /**
   * Worker threads already started for this run (the caller closes it). Default: workers are started
   * when the stacks to build are known.
   *
   * @internal used by {@link synthEstate} and the tests
   */
  pool?: WorkerPool;
  /**
   * Told the generation folder the run committed, once the output links to it.
   *
   * @internal used by {@link synthEstate} to record the run
   */
  committed?: (generation: string) => void;
}

/**
 * The synth half of {@link synthEstate}: writes every stack (built or taken from the cache), the
 * manifest and the placement reports into a staging folder, then promotes it. Exposed so that the
 * toolkit version and code fingerprint, which key the cache, can be varied in tests.
 *
 * @example
 * const outcome = await synthPlacedEstate({ estate, result, configDir: 'config', outdir: 'cdktf.out',
 *   keepOrphanStacks: false, cache: false, toolkitVersion, code: codeFingerprint() });
 */
export async function synthPlacedEstate(input: PlacedEstateInput): Promise<SynthOutcome> {
  const { synthPlaced } = await import('./pipeline.js');
  return synthPlaced(input);
}
