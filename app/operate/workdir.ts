/**
 * One persistent working directory per stack (`<work-dir>/<stack>/`, default `.sovstack/work`): a copy
 * of the stack's `cdk.tf.json`, and `.terraform` from `tofu init`, which survives re-synthesis. `tofu
 * init` runs again only when what it set up changed: the `terraform` block (backend, required
 * providers) or a missing `.terraform`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, isRecord, stripMetadata } from '../../core/json.js';
import { digest } from './digest.js';

/** Where the working directories are: `SOVSTACK_WORK_DIR`, else `.sovstack/work`. */
export const defaultWorkDir = (): string => process.env.SOVSTACK_WORK_DIR ?? join('.sovstack', 'work');

/** The stack file in a working directory (the name cdktf gives it). */
export const STACK_FILE = 'cdk.tf.json';
const INIT_MARK = '.sovstack-init';

/**
 * Fingerprint of what `tofu init` depends on: the stack's `terraform` block, metadata stripped.
 *
 * @example initFingerprint('{"terraform":{"backend":{"local":{"path":"s.tfstate"}}}}') // 'sha256:…'
 */
export function initFingerprint(stackJson: string): string {
  const parsed: unknown = JSON.parse(stackJson);
  const terraform = isRecord(parsed) ? parsed.terraform : undefined;
  return digest(canonicalJson(stripMetadata(terraform ?? null)));
}

/** A prepared working directory. */
export interface WorkDir {
  dir: string;
  /** Whether `tofu init` must run before anything else. */
  needsInit: boolean;
  /** Call after a successful init. */
  markInitialized: () => void;
}

/**
 * Creates or updates `<workRoot>/<stack>` with `stackJson` as its stack file (written only when it changed).
 *
 * @example const work = prepareWorkDir('.sovstack/work', 'a-c1', text); if (work.needsInit) await init();
 */
export function prepareWorkDir(workRoot: string, stack: string, stackJson: string): WorkDir {
  const dir = join(workRoot, stack);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, STACK_FILE);
  if (!existsSync(file) || readFileSync(file, 'utf8') !== stackJson) writeFileSync(file, stackJson);
  const fingerprint = initFingerprint(stackJson);
  const mark = join(dir, INIT_MARK);
  const current = existsSync(mark) ? readFileSync(mark, 'utf8') : '';
  return {
    dir,
    needsInit: current !== fingerprint || !existsSync(join(dir, '.terraform')),
    markInitialized: () => writeFileSync(mark, fingerprint),
  };
}
