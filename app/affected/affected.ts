/**
 * Which stacks differ between two synth outputs: the base branch's and the head's.
 */
import { autoPerJob, chunkMatrix, type MatrixChunk } from './chunks.js';
import { canonicalStack, readSynthOutput, stackOwner, type SynthOutput } from './outdir.js';

/** How a stack differs between base and head. */
export type StackChange = 'new' | 'changed' | 'removed';

/** One affected stack: to plan (or, when removed, to decommission). */
export interface MatrixEntry {
  stack: string;
  client: string;
  cloud: string;
  change: StackChange;
}

/** Stacks sorted by name in each list, and the CI matrix: the affected stacks in jobs of {@link AffectedStacks.perJob}. */
export interface AffectedStacks {
  /** In head only. */
  new: string[];
  /** In both, with different infrastructure (cdktf metadata ignored). */
  changed: string[];
  /** In base only: no longer synthesized, still deployed until decommissioned. */
  removed: string[];
  /** In both, identical once metadata is stripped. */
  unchanged: string[];
  /** Stacks per CI job: the `perJob` option, else {@link autoPerJob}'s choice. */
  perJob: number;
  /** GitHub-Actions-style matrix (`strategy.matrix: ${{ fromJSON(...) }}`), one entry per job (see {@link chunkMatrix}). */
  matrix: { include: MatrixChunk[] };
}

/** Inputs of {@link affectedStacks}: two synth output folders, or already-read outputs. */
export interface AffectedOptions {
  base: string | SynthOutput;
  head: string | SynthOutput;
  /** Stacks per CI job (a whole number ≥ 1). Default: {@link autoPerJob}, the smallest that fits the CI limits. */
  perJob?: number;
}

/**
 * Compares the synthesized JSON of every stack of two synth outputs, ignoring cdktf metadata
 * (`//` keys) and key order.
 *
 * @example
 * const a = affectedStacks({ base: '/tmp/base.out', head: 'cdktf.out' });
 * a.matrix.include // [{ chunk: 'sovereign-fr1 1/1', cloud: 'sovereign-fr1', stacks: [{ stack: 'douane-stats-sovereign-fr1', client: 'douane-stats', cloud: 'sovereign-fr1', change: 'changed' }] }]
 */
export function affectedStacks(options: AffectedOptions): AffectedStacks {
  const base = typeof options.base === 'string' ? readSynthOutput(options.base) : options.base;
  const head = typeof options.head === 'string' ? readSynthOutput(options.head) : options.head;
  const result: AffectedStacks = { new: [], changed: [], removed: [], unchanged: [], perJob: 1, matrix: { include: [] } };
  for (const [name, stack] of head.stacks) {
    const before = base.stacks.get(name);
    if (before === undefined) result.new.push(name);
    else if (canonicalStack(before) === canonicalStack(stack)) result.unchanged.push(name);
    else result.changed.push(name);
  }
  for (const name of base.stacks.keys()) if (!head.stacks.has(name)) result.removed.push(name);
  const cloudIds = [...(head.placement?.clouds ?? []), ...(base.placement?.clouds ?? [])].map((c) => c.id);
  const entry = (stack: string, change: StackChange, from: SynthOutput): MatrixEntry => ({
    stack,
    ...stackOwner(stack, from.placement, cloudIds),
    change,
  });
  const entries = [
    ...result.new.map((s) => entry(s, 'new', head)),
    ...result.changed.map((s) => entry(s, 'changed', head)),
    ...result.removed.map((s) => entry(s, 'removed', base)),
  ];
  result.perJob = options.perJob ?? autoPerJob(entries);
  result.matrix.include = chunkMatrix(entries, result.perJob);
  return result;
}
