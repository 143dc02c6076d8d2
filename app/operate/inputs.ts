/**
 * What a run starts from: the synthesized stacks (name → cloud and Terraform JSON text), the
 * deployed stacks that left the synth output (orphans), the per-cloud concurrency of the estate and
 * the stacks a git change affects.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatConfigErrors, loadEstate } from '../../core/config/index.js';
import { isRecord } from '../../core/json.js';
import { affectedStacks, readSynthOutput, stackOwner, synthRef } from '../affected/index.js';
import { findOrphans, listDeployed, readDeployed } from './deployed.js';
import type { OperateAction } from './events.js';
import type { StackInput } from './stack.js';

/** Default concurrency of a cloud whose YAML sets none (and of an orphan's cloud no longer in the estate). */
export const DEFAULT_CLOUD_CONCURRENCY = 4;
/** Default total cap (`-j`): the sum of the per-cloud caps of the selected stacks' clouds, at most this. */
export const DEFAULT_MAX_JOBS = 8;

/** The cloud a stack's JSON records (`//.sovstack.placement.cloudId`), else guessed from its name. */
export function cloudOfStack(stack: string, json: unknown, cloudIds: readonly string[]): string {
  const meta = isRecord(json) ? json['//'] : undefined;
  const sovstack = isRecord(meta) ? meta.sovstack : undefined;
  const placement = isRecord(sovstack) ? sovstack.placement : undefined;
  if (isRecord(placement) && typeof placement.cloudId === 'string') return placement.cloudId;
  return stackOwner(stack, undefined, cloudIds).cloud;
}

/** The stacks of a synth output folder, by name. */
export function synthesizedStacks(outDir: string, cloudIds: readonly string[]): Map<string, StackInput> {
  if (!existsSync(outDir)) throw new Error(`no synth output in ${outDir}; fix: run without --skip-synth (or pass --out)`);
  const output = readSynthOutput(outDir);
  const stacks = new Map<string, StackInput>();
  for (const [stack, json] of output.stacks) {
    const text = readFileSync(join(outDir, 'stacks', stack, 'cdk.tf.json'), 'utf8');
    stacks.set(stack, { stack, cloud: cloudOfStack(stack, json, cloudIds), json: text });
  }
  return stacks;
}

/** The deployed stacks no longer synthesized, with their last deployed configuration. */
export function orphanStacks(
  deployedDir: string,
  synthesized: ReadonlyMap<string, StackInput>,
  cloudIds: readonly string[],
): Map<string, StackInput> {
  const orphans = new Map<string, StackInput>();
  for (const stack of findOrphans(listDeployed(deployedDir), [...synthesized.keys()])) {
    const json = readDeployed(deployedDir, stack);
    if (json !== undefined) orphans.set(stack, { stack, cloud: cloudOfStack(stack, JSON.parse(json) as unknown, cloudIds), json });
  }
  return orphans;
}

/** Per-cloud concurrency of the estate in `configDir` (`operations.concurrency` of each cloud's YAML). */
export async function cloudConcurrency(configDir: string): Promise<Map<string, number>> {
  const loaded = await loadEstate(configDir);
  if (!loaded.ok) throw new Error(`invalid configuration in ${configDir}:\n${formatConfigErrors(loaded.errors)}`);
  return new Map(loaded.estate.clouds.map((cloud) => [cloud.id, cloud.operations.concurrency]));
}

/**
 * The stacks a change since git ref `base` affects: new and changed ones, or for `destroy` the removed
 * ones (a changed stack is never destroyed because it changed). The base is synthesized in a temporary worktree.
 */
export function affectedSince(base: string, headOut: string, action: OperateAction): string[] {
  const work = mkdtempSync(join(tmpdir(), 'sovstack-affected-'));
  try {
    const baseOut = join(work, 'base.out');
    synthRef({ repoDir: process.cwd(), ref: base, outdir: baseOut });
    const affected = affectedStacks({ base: baseOut, head: headOut });
    return action === 'destroy' ? affected.removed : [...affected.new, ...affected.changed];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
