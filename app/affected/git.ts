/**
 * Synthesizing a git revision: a detached worktree of the ref in a temp folder, then the project's
 * synth command with `CDKTF_OUTDIR` pointing at the output folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Default synth command: the CDKTF app, which honours `CDKTF_OUTDIR`. */
export const DEFAULT_SYNTH_CMD = 'node dist/main.js';
/** Default command run before the synth: compile the TypeScript sources to `dist/`. */
export const DEFAULT_PREPARE_CMD = 'npm run --silent build';

/** How to synthesize a checkout. */
export interface SynthCommands {
  /** Shell command writing the synth output into `$CDKTF_OUTDIR`. Default `$SOVSTACK_SYNTH_CMD`, else {@link DEFAULT_SYNTH_CMD}. */
  synthCmd?: string;
  /**
   * Shell command run first in the checkout (empty string: none). Default `$SOVSTACK_PREPARE_CMD`,
   * else {@link DEFAULT_PREPARE_CMD}.
   */
  prepareCmd?: string;
  /** Environment of both commands (CDKTF_OUTDIR is added). Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, what: string, shell = false): string {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', shell, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`${what}: ${result.error.message}`);
  if (result.status !== 0) {
    const output = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim().split('\n').slice(-20).join('\n');
    throw new Error(`${what} failed (exit ${result.status ?? result.signal}):\n${output}`);
  }
  return result.stdout;
}

/** Runs git in `cwd`; throws with git's message on failure. */
export function git(args: string[], cwd: string): string {
  return run('git', args, cwd, process.env, `git ${args.join(' ')}`).trim();
}

/**
 * Runs the prepare and synth commands in `checkout` with `CDKTF_OUTDIR=<outdir>` (absolute).
 *
 * @throws naming the failing command and the tail of its output.
 * @example synthCheckout('.', '/tmp/head.out', { prepareCmd: '' })
 */
export function synthCheckout(checkout: string, outdir: string, commands: SynthCommands = {}): void {
  const env = { ...(commands.env ?? process.env), CDKTF_OUTDIR: resolve(outdir) };
  const prepare = commands.prepareCmd ?? process.env.SOVSTACK_PREPARE_CMD ?? DEFAULT_PREPARE_CMD;
  const synth = commands.synthCmd ?? process.env.SOVSTACK_SYNTH_CMD ?? DEFAULT_SYNTH_CMD;
  if (prepare.trim() !== '') run(prepare, [], checkout, env, `prepare command \`${prepare}\` in ${checkout}`, true);
  run(synth, [], checkout, env, `synth command \`${synth}\` in ${checkout}`, true);
  if (!existsSync(outdir)) throw new Error(`synth command \`${synth}\` in ${checkout} wrote nothing to ${outdir}`);
}

/**
 * Synthesizes git revision `ref` of the repository containing `repoDir` into `outdir`: adds a
 * detached worktree in a temp folder (linking the repository's `node_modules` into it when the
 * revision has none), runs {@link synthCheckout} there, and always removes the worktree.
 *
 * @throws when `ref` is not a commit, or the prepare or synth command fails.
 * @example synthRef({ repoDir: '.', ref: 'origin/main', outdir: '/tmp/base.out' })
 */
export function synthRef(options: { repoDir: string; ref: string; outdir: string } & SynthCommands): void {
  const top = git(['rev-parse', '--show-toplevel'], options.repoDir);
  let commit: string;
  try {
    commit = git(['rev-parse', '--verify', '--quiet', `${options.ref}^{commit}`], top);
  } catch {
    throw new Error(`${options.ref} is not a commit of ${top} (in CI, fetch it first: fetch-depth 0 or git fetch origin <branch>)`);
  }
  const parent = mkdtempSync(join(tmpdir(), 'sovstack-worktree-'));
  const worktree = join(parent, 'checkout');
  git(['worktree', 'add', '--detach', '--quiet', worktree, commit], top);
  const link = join(worktree, 'node_modules');
  try {
    if (!existsSync(link) && existsSync(join(top, 'node_modules'))) symlinkSync(join(top, 'node_modules'), link, 'dir');
    synthCheckout(worktree, options.outdir, options);
  } finally {
    if (lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink()) unlinkSync(link);
    try {
      git(['worktree', 'remove', '--force', worktree], top);
    } finally {
      rmSync(parent, { recursive: true, force: true });
      git(['worktree', 'prune'], top);
    }
  }
}
