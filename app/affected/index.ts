/**
 * Public API of affected-stack detection: which stacks a change touches, for CI matrices.
 *
 * @example
 * import { runAffectedCommand } from './affected/index.js';
 * const { exitCode, stdout } = runAffectedCommand({ base: 'origin/main' });
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { affectedStacks, type AffectedStacks } from './affected.js';
import { synthCheckout, synthRef, type SynthCommands } from './git.js';
import { renderGitlabPlanPipeline } from './gitlab.js';
import { failed, ok, type CommandResult } from '../command.js';

export { affectedStacks, type AffectedOptions, type AffectedStacks, type MatrixEntry, type StackChange } from './affected.js';
export {
  canonicalJson,
  canonicalStack,
  changedBlocks,
  readSynthOutput,
  stackOwner,
  stackResources,
  stripMetadata,
  type PlacementFile,
  type StackOwner,
  type SynthOutput,
  type TerraformJson,
} from './outdir.js';
export { DEFAULT_PREPARE_CMD, DEFAULT_SYNTH_CMD, synthCheckout, synthRef, type SynthCommands } from './git.js';
export { GITLAB_PLAN_STAGES, renderGitlabPlanPipeline, type GitlabPipelineOptions } from './gitlab.js';
export { autoPerJob, chunkCount, chunkMatrix, GITHUB_MAX_MATRIX_JOBS, GITLAB_MAX_NEEDS, type MatrixChunk } from './chunks.js';
export type { CommandResult } from '../command.js';

/** Output formats of {@link runAffectedCommand}. */
export type AffectedFormat = 'json' | 'text' | 'gitlab-pipeline';

/** Options of {@link runAffectedCommand} (`sovstack affected`). */
export interface AffectedCommandOptions extends SynthCommands {
  /** Git ref of the base (e.g. `origin/main`); synthesized in a temporary worktree. Required unless `baseOutdir` is given. */
  base?: string;
  /** An existing synth output of the base; skips synthesizing `base`. */
  baseOutdir?: string;
  /** Git ref of the head. Default: the working tree at `cwd`, as it is (uncommitted changes included). */
  head?: string;
  /** An existing synth output of the head; skips synthesizing the head. */
  headOutdir?: string;
  /** Where the synths of base and head are kept (`<keepDir>/base.out`, `<keepDir>/head.out`). Default: a temp folder, removed. */
  keepDir?: string;
  /** Repository / checkout folder. Default `process.cwd()`. */
  cwd?: string;
  /** Default `json`: {@link AffectedStacks} pretty-printed. `text`: one line per stack, then counts and CI jobs. `gitlab-pipeline`: child pipeline YAML. */
  format?: AffectedFormat;
  /** Stacks per CI job (`--per-job`). Default: the smallest that keeps the matrix within the CI limits ({@link autoPerJob}). */
  perJob?: number;
}

function renderText(a: AffectedStacks): string {
  const rows = [
    ...a.new.map((s) => `new        ${s}`),
    ...a.changed.map((s) => `changed    ${s}`),
    ...a.removed.map((s) => `removed    ${s}  (orphaned until decommissioned)`),
    ...a.unchanged.map((s) => `unchanged  ${s}`),
  ];
  const jobs = `CI: ${a.matrix.include.length} job${a.matrix.include.length === 1 ? '' : 's'} of at most ${a.perJob} stack${a.perJob === 1 ? '' : 's'}`;
  const summary = `${a.new.length} new, ${a.changed.length} changed, ${a.removed.length} removed, ${a.unchanged.length} unchanged; ${jobs}`;
  return `${[...rows, summary].join('\n')}\n`;
}

/**
 * `sovstack affected --base <ref>`: synthesizes the base ref (in a worktree) and the head, compares
 * every stack and prints the result. Exit code 0 on success (whether or not stacks changed),
 * 1 on error with the message in `stderr`.
 *
 * @example runAffectedCommand({ base: 'origin/main', format: 'json' }).stdout // '{ "new": [...], ..., "matrix": {...} }'
 */
export function runAffectedCommand(options: AffectedCommandOptions): CommandResult {
  const cwd = options.cwd ?? process.cwd();
  const work = options.keepDir ?? mkdtempSync(join(tmpdir(), 'sovstack-affected-'));
  try {
    let baseOut = options.baseOutdir;
    if (baseOut === undefined) {
      if (options.base === undefined) throw new Error('affected: give --base <git ref> (or a base synth output folder)');
      baseOut = join(work, 'base.out');
      rmSync(baseOut, { recursive: true, force: true });
      synthRef({ ...options, repoDir: cwd, ref: options.base, outdir: baseOut });
    }
    let headOut = options.headOutdir;
    if (headOut === undefined) {
      headOut = join(work, 'head.out');
      rmSync(headOut, { recursive: true, force: true });
      if (options.head !== undefined) synthRef({ ...options, repoDir: cwd, ref: options.head, outdir: headOut });
      else synthCheckout(cwd, headOut, options);
    }
    const result = affectedStacks({ base: baseOut, head: headOut, ...(options.perJob !== undefined ? { perJob: options.perJob } : {}) });
    const format = options.format ?? 'json';
    const stdout =
      format === 'json'
        ? `${JSON.stringify(result, null, 2)}\n`
        : format === 'text'
          ? renderText(result)
          : renderGitlabPlanPipeline(result);
    return ok(stdout);
  } catch (error) {
    return failed(`sovstack affected: ${(error as Error).message}\n`);
  } finally {
    if (options.keepDir === undefined) rmSync(work, { recursive: true, force: true });
  }
}
