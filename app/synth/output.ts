/**
 * All-or-nothing synth output: everything is written into a staging folder beside the output folder
 * and promoted only when the whole run succeeded, so a failed run leaves the previous output as it was.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** A staging folder for one run, beside `outdir` (same file system, so promotion is a rename). */
export function stagingDirFor(outdir: string): string {
  const absolute = resolve(outdir);
  return join(dirname(absolute), `.${basename(absolute)}.staging-${process.pid}`);
}

/** Removes a staging folder after a failed run. */
export function discardStaging(staging: string): void {
  rmSync(staging, { recursive: true, force: true });
}

/** Replaces `target` by `source` with two renames; the old copy is removed afterwards. */
function swapIn(source: string, target: string): void {
  const old = `${target}.old-${process.pid}`;
  if (existsSync(target)) renameSync(target, old);
  renameSync(source, target);
  rmSync(old, { recursive: true, force: true });
}

/**
 * Moves a successful run from `staging` into `outdir`, entry by entry (each stack folder, the
 * manifest, the reports), then removes stack folders the run no longer produced unless
 * `keepOrphanStacks` is set: cdktf-cli removes those itself after running the app, and fails if
 * they are already gone. Stack folders listed in `upToDate` are part of the run but were found
 * already identical in `outdir`, so they are neither in `staging` nor removed.
 */
export function promoteStaging(
  staging: string,
  outdir: string,
  options: { keepOrphanStacks: boolean; upToDate?: readonly string[] },
): void {
  mkdirSync(join(outdir, 'stacks'), { recursive: true });
  const produced = existsSync(join(staging, 'stacks')) ? readdirSync(join(staging, 'stacks')).sort() : [];
  for (const stack of produced) swapIn(join(staging, 'stacks', stack), join(outdir, 'stacks', stack));
  for (const entry of readdirSync(staging).sort()) {
    if (entry !== 'stacks') swapIn(join(staging, entry), join(outdir, entry));
  }
  if (!options.keepOrphanStacks) {
    const current = new Set([...produced, ...(options.upToDate ?? [])]);
    for (const stack of readdirSync(join(outdir, 'stacks'))) {
      if (!current.has(stack)) rmSync(join(outdir, 'stacks', stack), { recursive: true, force: true });
    }
  }
  rmSync(staging, { recursive: true, force: true });
}
