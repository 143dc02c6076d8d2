/**
 * The synth pipeline: load and validate config → place → build one stack per client → synth,
 * plus the placement report beside the stacks. Any error leaves the previous output untouched.
 *
 * Stacks are synthesized one at a time (see `stacks.ts`) and, unless `cache: false`, reused from
 * the incremental cache (see `cache.ts`) when nothing they depend on changed: the output folder is
 * byte for byte the one a cold run writes, only faster to produce.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { formatConfigErrors, loadEstate, type Estate } from '../../core/config/index.js';
import {
  enforceStackFile,
  recordedSuppressions,
  renderSuppressionsMarkdown,
  stackPlacement,
  type GuardrailSuppression,
} from '../../core/guardrails/index.js';
import { place, renderPlacementMarkdown, type Placement, type PlaceOptions, type PlacementResult } from '../../core/placement/index.js';
import { stackJobs, stackNameFor } from '../../stacks/index.js';
import { toolkitVersion } from '../../core/package-info.js';
import { codeFingerprint, defaultCacheDir, stackCacheKey, SynthCache } from './cache.js';
import type { PlacementFile } from './placement-file.js';
import { discardStaging, promoteStaging, stagingDirFor } from './output.js';
import { synthesizeStack, withoutTokenStackTraces, writeManifest } from './stacks.js';

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
   * the output folder (e.g. `./.sovstack-cache/cdktf.out` for `cdktf.out`).
   */
  cache?: SynthCacheOptions | false;
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
  | { ok: false; stage: 'config' | 'placement' | 'synth'; message: string };

/**
 * Runs the whole pipeline for one estate.
 *
 * @example
 * const outcome = await synthEstate({ configDir: 'config', outdir: 'cdktf.out' });
 * if (!outcome.ok) { console.error(outcome.message); process.exitCode = 1; }
 * else console.log(`${outcome.cache?.misses.length ?? outcome.stacks.length} stacks rebuilt`);
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
  return synthPlacedEstate({
    estate,
    result,
    configDir: options.configDir,
    outdir: options.outdir,
    keepOrphanStacks: options.keepOrphanStacks ?? false,
    cache: options.cache ?? { dir: defaultCacheDir(options.outdir) },
    toolkitVersion,
    code: codeFingerprint(),
  });
}

/**
 * Whether the stack folder of `file` (a stack file path relative to `outdir`) in `outdir` already
 * holds exactly that one file with exactly `content`: then the run keeps the folder as it is
 * instead of replacing it by an identical copy (on large estates, most of an incremental run's time
 * would otherwise go to deleting and renaming unchanged folders).
 */
function isUpToDate(outdir: string, file: string, content: Buffer): boolean {
  const path = join(outdir, file);
  try {
    const entries = readdirSync(dirname(path));
    return entries.length === 1 && entries[0] === basename(path) && readFileSync(path).equals(content);
  } catch {
    return false;
  }
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
}

/**
 * The synth half of {@link synthEstate}: writes every stack (built or taken from the cache), the
 * manifest and the placement reports into a staging folder, then promotes it. Exposed so that the
 * toolkit version and code fingerprint, which key the cache, can be varied in tests.
 */
export function synthPlacedEstate(input: PlacedEstateInput): SynthOutcome {
  const { estate, result } = input;
  const staging = stagingDirFor(input.outdir);
  discardStaging(staging);
  try {
    mkdirSync(staging, { recursive: true });
    const clouds = new Map(estate.clouds.map((c) => [c.id, c] as const));
    const jobs = stackJobs({ clouds: estate.clouds, clients: estate.clients, placements: result.placements });

    const cache = input.cache === false ? undefined : new SynthCache(input.cache.dir);
    const context = { clouds: estate.clouds, toolkitVersion: input.toolkitVersion };
    const records: { name: string; manifest: Record<string, unknown> }[] = [];
    const hits: string[] = [];
    const misses: string[] = [];
    const upToDate: string[] = [];
    const suppressions: { stack: string; suppressed: GuardrailSuppression[] }[] = [];
    withoutTokenStackTraces(() => {
      for (const job of jobs) {
        const name = stackNameFor(job.client.id, job.cloud.id);
        const hostedIn = job.cloud.state.hostedIn;
        const key = cache
          ? stackCacheKey({
              client: job.client,
              cloud: job.cloud,
              stateHost: hostedIn !== undefined && hostedIn !== job.cloud.id ? clouds.get(hostedIn) : undefined,
              reason: job.reason,
              toolkitVersion: input.toolkitVersion,
              code: input.code,
            })
          : '';
        const hit = cache?.get(name, key);
        // A cache entry is a file anyone can edit: judge it like a fresh stack before reusing it.
        if (hit) {
          enforceStackFile(name, hit.content, stackPlacement(job.client, job.cloud, estate.clouds, job.reason));
          suppressions.push({ stack: name, suppressed: recordedSuppressions(hit.content) });
        }
        if (hit && isUpToDate(input.outdir, hit.file, hit.content)) {
          records.push({ name, manifest: hit.manifest });
          hits.push(name);
          upToDate.push(name);
          continue;
        }
        if (hit) {
          const file = join(staging, hit.file);
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, hit.content);
          records.push({ name, manifest: hit.manifest });
          hits.push(name);
          continue;
        }
        const synthesized = synthesizeStack(staging, job, context);
        suppressions.push({ stack: name, suppressed: recordedSuppressions(synthesized.content) });
        cache?.set(name, key, synthesized);
        records.push({ name: synthesized.name, manifest: synthesized.manifest });
        misses.push(synthesized.name);
      }
    });
    writeManifest(staging, records);

    const report: PlacementFile = {
      toolkitVersion: input.toolkitVersion,
      configDir: relative(process.cwd(), input.configDir) || '.',
      placements: result.placements,
      clouds: estate.clouds.map(({ id, name, lifecycle, prices }) => ({ id, name, lifecycle, ...(prices ? { prices } : {}) })),
    };
    writeFileSync(join(staging, 'placement.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(staging, 'placement.md'), renderPlacementMarkdown(result) + renderSuppressionsMarkdown(suppressions));
    promoteStaging(staging, input.outdir, { keepOrphanStacks: input.keepOrphanStacks, upToDate });
    if (cache) {
      try {
        cache.prune();
      } catch {
        // A cache that cannot be pruned only costs disk space; the run itself succeeded.
      }
    }
    return {
      ok: true,
      stacks: records.map((r) => r.name),
      placements: result.placements,
      ...(cache ? { cache: { dir: cache.dir, hits, misses } } : {}),
    };
  } catch (error) {
    discardStaging(staging);
    return { ok: false, stage: 'synth', message: error instanceof Error ? error.message : String(error) };
  }
}
