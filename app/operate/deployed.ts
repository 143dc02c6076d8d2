/**
 * The configuration sovstack last deployed, per stack: what lets `plan` list a stack that left the synth
 * output (its client moved or was removed) as orphaned, and `destroy <stack>` decommission it without any
 * kept copy of `cdktf.out`. The store is a folder of `<stack>.tf.json` files, each the stack's Terraform JSON
 * as it was applied, in canonical form (keys sorted, two-space indent), written to a temporary file and
 * renamed so that a run killed at any point leaves either the old file or the new one.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { canonicalJson } from '../../core/json.js';

/** Folder of the store under the project root, when neither `--deployed-dir` nor {@link DEPLOYED_DIR_ENV} says otherwise. */
export const DEFAULT_DEPLOYED_DIR = '.sovstack/deployed';

/** Environment variable naming the store's folder (the `--deployed-dir` flag wins over it). */
export const DEPLOYED_DIR_ENV = 'SOVSTACK_DEPLOYED_DIR';

const SUFFIX = '.tf.json';
/** A stack name as `stackNameFor` makes them: ids joined by dashes, nothing that could leave the folder. */
const STACK_NAME = /^[a-z][a-z0-9-]{0,80}$/;

/**
 * A store operation that cannot be carried out: a name that is not a stack name, a configuration that is
 * not JSON, a stored file that no longer parses. The message names the stack or the file and the fix.
 *
 * @example
 * try { recordDeployed(dir, '../x', '{}'); } catch (e) { if (e instanceof DeployedStoreError) console.error(e.message); }
 */
export class DeployedStoreError extends Error {
  /** @param message What went wrong, naming the stack or file and the fix. */
  constructor(message: string) {
    super(message);
    this.name = 'DeployedStoreError';
  }
}

/**
 * Records `stackJsonText` (the stack's synthesized `cdk.tf.json`) as the configuration last deployed for
 * `stack` in the store folder `dir` (created when missing). Call it after a successful apply.
 *
 * @example
 * recordDeployed('.sovstack/deployed', 'min-culture-sovereign-fr1', readFileSync('cdktf.out/stacks/min-culture-sovereign-fr1/cdk.tf.json', 'utf8'));
 */
export function recordDeployed(dir: string, stack: string, stackJsonText: string): void {
  const path = fileOf(dir, stack);
  let value: unknown;
  try {
    value = JSON.parse(stackJsonText);
  } catch (error) {
    throw new DeployedStoreError(`cannot record the deployed configuration of ${stack}: it is not JSON (${messageOf(error)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DeployedStoreError(`cannot record the deployed configuration of ${stack}: expected a Terraform JSON object`);
  }
  const text = `${JSON.stringify(JSON.parse(canonicalJson(value)), null, 2)}\n`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileAtomic.sync(path, text, { mode: 0o644 });
  } catch (error) {
    throw new DeployedStoreError(`cannot write ${path}: ${messageOf(error)} (check that the folder is writable, or set --deployed-dir)`);
  }
}

/**
 * The configuration last deployed for `stack` (Terraform JSON text), or `undefined` when none is recorded.
 * Throws {@link DeployedStoreError} when the stored file is not JSON any more.
 *
 * @example
 * const json = readDeployed('.sovstack/deployed', 'min-culture-vendor-eu-west-0'); // '{\n  "provider": …' or undefined
 */
export function readDeployed(dir: string, stack: string): string | undefined {
  const path = fileOf(dir, stack);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw new DeployedStoreError(`cannot read ${path}: ${messageOf(error)}`);
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new DeployedStoreError(
      `${path} is not JSON (${messageOf(error)}): the deployed configuration of ${stack} is damaged; ` +
        'restore it from a backup, or deploy the stack again to record it anew',
    );
  }
  return text;
}

/**
 * Forgets the configuration last deployed for `stack` (after a successful destroy). Nothing happens when
 * none is recorded.
 *
 * @example
 * forgetDeployed('.sovstack/deployed', 'min-culture-vendor-eu-west-0');
 */
export function forgetDeployed(dir: string, stack: string): void {
  rmSync(fileOf(dir, stack), { force: true });
}

/**
 * The stacks with a recorded configuration, sorted; none when the folder does not exist. Files that are
 * not `<stack>.tf.json` (temporary files of an interrupted write, notes) are ignored.
 *
 * @example
 * listDeployed('.sovstack/deployed'); // ['min-culture-sovereign-fr1', 'min-culture-vendor-eu-west-0']
 */
export function listDeployed(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if (isMissing(error)) return [];
    throw new DeployedStoreError(`cannot list ${dir}: ${messageOf(error)}`);
  }
  return names
    .filter((name) => name.endsWith(SUFFIX))
    .map((name) => name.slice(0, -SUFFIX.length))
    .filter((stack) => STACK_NAME.test(stack))
    .sort();
}

/**
 * The deployed stacks that are not synthesized any more (orphans: their client moved to another cloud or
 * left the estate), sorted and without duplicates.
 *
 * @example
 * findOrphans(['a-fr1', 'a-eu0', 'b-fr1'], ['a-eu0', 'b-fr1', 'c-fr1']); // ['a-fr1']
 */
export function findOrphans(deployed: readonly string[], synthesized: readonly string[]): string[] {
  const current = new Set(synthesized);
  return [...new Set(deployed.filter((stack) => !current.has(stack)))].sort();
}

function fileOf(dir: string, stack: string): string {
  if (!STACK_NAME.test(stack)) {
    throw new DeployedStoreError(
      `"${stack}" is not a stack name: expected <client>-<cloud>, lower-case letters, digits and dashes starting with a letter`,
    );
  }
  return join(dir, `${stack}${SUFFIX}`);
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
