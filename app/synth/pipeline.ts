/**
 * The synth pipeline behind `run.ts` when there is work to do: load and validate the estate, place its
 * clients, take every stack the cache can provide, build the others, write the manifest and the
 * placement reports into a new generation and switch the output to it.
 */
import { linkSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { formatConfigErrors, loadEstate } from '../../core/config/index.js';
import type { GuardrailSuppression } from '../../core/guardrails/index.js';
// Not from the guardrails' index, which loads cdktf: a run whose stacks are all up to date needs neither.
import { recordedSuppressions, renderSuppressionsMarkdown } from '../../core/guardrails/suppressions-report.js';
import { formatPlacementFailures, place, renderPlacementMarkdown, type PlacementResult } from '../../core/placement/index.js';
import { stackJobs } from '../../stacks/jobs.js';
import { stackNameFor } from '../../stacks/names.js';
import { toolkitVersion } from '../../core/package-info.js';
import { codeFingerprint, defaultValidationCacheDir, stackCacheDir, stackCacheKey, SynthCache } from './cache.js';
import { abortOutput, commitOutput, keepUnchangedStacks, openOutput, type OutputRun } from './output.js';
import { writeManifest } from './manifest.js';
import { renderSshAccessMarkdown } from './ssh-access.js';
import type { PlacementFile } from './placement-file.js';
import type { PlacedEstateInput, SynthOptions, SynthOutcome } from './run.js';
import type { StackContext, StackJob } from './stacks.js';
import { resolveJobs } from '../../core/threads.js';
import { synthesizeAll, PARALLEL_THRESHOLD, WorkerPool, type Threads } from './workers.js';
import { configErrorFindings, placementFailureFindings } from '../findings/convert.js';

/**
 * `synthEstate` once the output path is known to be usable and the output is not up to date, with its
 * workers started; `committed` is told the generation the output then links to.
 */
export async function loadPlaceAndSynth(
  options: SynthOptions,
  pool: WorkerPool | undefined,
  committed: (generation: string) => void,
): Promise<SynthOutcome> {
  const validationCache = options.cache === false ? undefined : defaultValidationCacheDir(dirname(resolve(options.outdir)));
  const loaded = await loadEstate(options.configDir, {
    ...(validationCache !== undefined ? { cacheDir: validationCache } : {}),
    ...(options.jobs !== undefined ? { jobs: options.jobs } : {}),
  });
  if (!loaded.ok) {
    return {
      ok: false,
      stage: 'config',
      message: `invalid configuration in ${options.configDir}:\n${formatConfigErrors(loaded.errors)}`,
      findings: configErrorFindings(loaded.errors),
    };
  }
  const { estate } = loaded;
  const result = place(estate, options.placeOptions);
  if (result.failures.length > 0) {
    return {
      ok: false,
      stage: 'placement',
      message: formatPlacementFailures(result.failures),
      findings: placementFailureFindings(result.failures, options.configDir),
    };
  }
  const stackCache = stackCacheDir(options);
  return synthPlaced({
    estate,
    result,
    configDir: options.configDir,
    outdir: options.outdir,
    keepOrphanStacks: options.keepOrphanStacks ?? false,
    cache: stackCache === undefined ? false : { dir: stackCache },
    toolkitVersion,
    code: codeFingerprint(),
    ...(options.jobs !== undefined ? { jobs: options.jobs } : {}),
    ...(pool ? { pool } : {}),
    committed,
  });
}

/** A stack of the run: its job, its name and cache key, and, once known, its manifest record. */
interface PlannedStack {
  readonly job: StackJob;
  readonly name: string;
  /** Cache key; empty without cache. */
  readonly key: string;
  manifest?: Record<string, unknown>;
  /** Where the stack came from: kept in the output as is, written from the cache, or built. */
  source?: 'up-to-date' | 'cached' | 'built';
  /** Guardrail suppressions recorded in the stack file (listed in `placement.md`). */
  suppressed?: readonly GuardrailSuppression[];
}

/** Names and cache keys of the stacks to produce. */
function planStacks(input: PlacedEstateInput, withCache: boolean): PlannedStack[] {
  const clouds = new Map(input.estate.clouds.map((c) => [c.id, c] as const));
  const { clouds: allClouds, clients } = input.estate;
  return stackJobs({ clouds: allClouds, clients, placements: input.result.placements }).map((job) => {
    const hostedIn = job.cloud.state.hostedIn;
    const key = withCache
      ? stackCacheKey({
          client: job.client,
          cloud: job.cloud,
          stateHost: hostedIn !== undefined && hostedIn !== job.cloud.id ? clouds.get(hostedIn) : undefined,
          reason: job.reason,
          toolkitVersion: input.toolkitVersion,
          code: input.code,
        })
      : '';
    return { job, name: stackNameFor(job.client.id, job.cloud.id), key };
  });
}

/**
 * Whether the stack folder of `file` in `outdir` already holds exactly that one file with exactly
 * `content`: the run then keeps the folder instead of replacing it by an identical copy.
 */
function holdsExactly(outdir: string, file: string, content: Buffer): boolean {
  const path = join(outdir, file);
  try {
    const entries = readdirSync(dirname(path));
    return entries.length === 1 && entries[0] === basename(path) && readFileSync(path).equals(content);
  } catch {
    return false;
  }
}

/** A stack file to write into the staging folder: path relative to it, and bytes. */
interface StackWrite {
  readonly file: string;
  readonly content: Buffer;
}

/**
 * Settles every stack the cache can provide: up to date in the output (recognised from the output
 * record's size and time, or else by comparing bytes), or to be written from its entry (returned).
 */
async function useCache(cache: SynthCache, planned: readonly PlannedStack[], input: PlacedEstateInput): Promise<StackWrite[]> {
  const { outdir, estate } = input;
  const writes: StackWrite[] = [];
  let guardrails: typeof import('../../core/guardrails/index.js') | undefined;
  for (const stack of planned) {
    // Unchanged since a run that judged these bytes (built, or a judged cache hit): kept as is.
    const current = cache.currentOutput(outdir, stack.name, stack.key);
    if (current) {
      cache.keep(stack.name, stack.key);
      Object.assign(stack, { manifest: current.manifest, source: 'up-to-date', suppressed: current.suppressed ?? [] });
      continue;
    }
    const hit = cache.get(stack.name, stack.key);
    if (!hit) continue;
    // A cache entry is a file anyone can edit: judge it like a fresh stack before reusing it.
    guardrails ??= await import('../../core/guardrails/index.js');
    const { enforceStackFile, stackPlacement } = guardrails;
    enforceStackFile(stack.name, hit.content, stackPlacement(stack.job.client, stack.job.cloud, estate.clouds, stack.job.reason));
    const inPlace = holdsExactly(outdir, hit.file, hit.content);
    if (!inPlace) writes.push({ file: hit.file, content: hit.content });
    const suppressed = recordedSuppressions(hit.content);
    Object.assign(stack, { manifest: hit.manifest, source: inPlace ? 'up-to-date' : 'cached', suppressed });
  }
  return writes;
}

/** Writes the stack files taken from the cache into the staging folder. */
function writeStacks(staging: string, writes: readonly StackWrite[]): void {
  for (const { file, content } of writes) {
    const path = join(staging, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

/**
 * Where the stacks to build go: with an explicit job count or many stacks, the main thread and
 * `jobs` − 1 workers; else (fewer than `PARALLEL_THRESHOLD`), one worker already started, which has
 * been loading cdktf while the main thread loaded the estate, or else the main thread alone.
 */
function chooseThreads(input: PlacedEstateInput, missing: number): { threads: Threads; own?: WorkerPool } {
  const jobs = input.jobs ?? resolveJobs(undefined);
  if (jobs === 1) return { threads: { mainThread: true } };
  if (input.jobs !== undefined || missing >= PARALLEL_THRESHOLD) {
    const own = input.pool ? undefined : new WorkerPool(jobs - 1);
    return { threads: { pool: input.pool ?? own, mainThread: true }, ...(own ? { own } : {}) };
  }
  return { threads: input.pool && input.pool.size > 0 ? { pool: input.pool, mainThread: false } : { mainThread: true } };
}

/** Builds the stacks the cache did not provide, storing them in the cache. */
async function buildMissing(planned: PlannedStack[], staging: string, input: PlacedEstateInput, cache?: SynthCache): Promise<void> {
  const missing = planned.filter((stack) => stack.source === undefined);
  if (missing.length === 0) return;
  const context: StackContext = {
    clouds: input.estate.clouds,
    toolkitVersion: input.toolkitVersion,
    ...(cache ? { cacheDir: cache.dir } : {}),
  };
  const { threads, own } = chooseThreads(input, missing.length);
  let built;
  try {
    built = await synthesizeAll(staging, missing, context, threads);
  } finally {
    await own?.close();
  }
  for (const [i, stack] of missing.entries()) {
    cache?.adopt(stack.name, stack.key);
    Object.assign(stack, { manifest: built[i]?.manifest, source: 'built', suppressed: built[i]?.suppressed ?? [] });
  }
}

/**
 * Writes `content` to `name` in the run's staging generation, or, when the previous generation already
 * holds exactly that content, hard-links its file instead: the file is then the same one, with the
 * same modification time, and is not rewritten.
 */
function writeUnlessCurrent(run: OutputRun, name: string, content: string): void {
  if (run.previous !== undefined) {
    const previous = join(run.previous, name);
    try {
      if (readFileSync(previous, 'utf8') === content) {
        linkSync(previous, join(run.staging, name));
        return;
      }
    } catch {
      // Missing or unreadable: written below.
    }
  }
  writeFileSync(join(run.staging, name), content);
}

/** Writes `placement.json` and `placement.md`, each only when its content changed. */
function writePlacementReports(input: PlacedEstateInput, planned: readonly PlannedStack[], run: OutputRun): void {
  const report: PlacementFile = {
    toolkitVersion: input.toolkitVersion,
    configDir: relative(process.cwd(), input.configDir) || '.',
    placements: input.result.placements,
    clouds: input.estate.clouds.map(({ id, name, lifecycle, prices }) => ({ id, name, lifecycle, ...(prices ? { prices } : {}) })),
  };
  writeUnlessCurrent(run, 'placement.json', `${JSON.stringify(report, null, 2)}\n`);
  const suppressions = planned.map((s) => ({ stack: s.name, suppressed: s.suppressed ?? [] }));
  const access = renderSshAccessMarkdown(input.estate.clients, input.result.placements);
  writeUnlessCurrent(run, 'placement.md', renderPlacementMarkdown(input.result) + access + renderSuppressionsMarkdown(suppressions));
}

/** After a successful promotion: records the outputs for the next run and prunes unused entries. */
function updateCache(cache: SynthCache, planned: readonly PlannedStack[], outdir: string): void {
  try {
    cache.recordOutputs(
      outdir,
      planned.map((s) => ({
        name: s.name,
        key: s.key,
        manifest: s.manifest ?? {},
        file: typeof s.manifest?.synthesizedStackPath === 'string' ? s.manifest.synthesizedStackPath : '',
        suppressed: s.suppressed ?? [],
      })),
    );
    cache.prune();
  } catch {
    // A cache that cannot be updated only costs time or disk space on a later run; this run succeeded.
  }
}

/** The outcome of a successful run. */
function success(planned: readonly PlannedStack[], result: PlacementResult, cache?: SynthCache): SynthOutcome {
  const names = (keep: (s: PlannedStack) => boolean) => planned.filter(keep).map((s) => s.name);
  return {
    ok: true,
    stacks: planned.map((s) => s.name),
    placements: result.placements,
    ...(cache ? { cache: { dir: cache.dir, hits: names((s) => s.source !== 'built'), misses: names((s) => s.source === 'built') } } : {}),
  };
}

/** `synthPlacedEstate` (see `run.ts`). */
export async function synthPlaced(input: PlacedEstateInput): Promise<SynthOutcome> {
  const output = openOutput(input.outdir);
  if ('problem' in output) return { ok: false, stage: 'synth', message: output.problem };
  const { staging } = output;
  try {
    const cache = input.cache === false ? undefined : new SynthCache(input.cache.dir);
    const planned = planStacks(input, cache !== undefined);
    const writes = cache ? await useCache(cache, planned, input) : [];
    const upToDate = planned.filter((s) => s.source === 'up-to-date').map((s) => s.name);
    keepUnchangedStacks(output, new Set(upToDate));
    writeStacks(staging, writes);
    await buildMissing(planned, staging, input, cache);
    writeManifest(
      staging,
      planned.map((s) => ({ name: s.name, manifest: s.manifest ?? {} })),
    );
    writePlacementReports(input, planned, output);
    commitOutput(output, { keepOrphanStacks: input.keepOrphanStacks, upToDate });
    if (cache) updateCache(cache, planned, input.outdir);
    input.committed?.(staging);
    return success(planned, input.result, cache);
  } catch (error) {
    abortOutput(output);
    return { ok: false, stage: 'synth', message: error instanceof Error ? error.message : String(error) };
  }
}
