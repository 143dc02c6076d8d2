/**
 * Schema check of a whole `cdktf synth` output folder.
 *
 * @packageDocumentation
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkStack } from './check-stack.js';
import type { SchemaIssue } from './check-stack.js';
import { loadProviderSchema } from './provider-schema.js';
import type { ProviderSchema } from './provider-schema.js';

/** Result of {@link checkSynthOutput}. */
export interface SynthCheckResult {
  /** How many stacks were checked. */
  stacks: number;
  /** Names of the stacks checked, sorted. */
  names: string[];
  /** All issues, stack by stack in name order, each carrying its stack name. */
  issues: SchemaIssue[];
}

/**
 * Names of the stacks of a synth output folder (each `stacks/<name>/cdk.tf.json`), in name order.
 *
 * @throws Error if `<outdir>/stacks` does not exist.
 * @example
 * synthesizedStackNames('cdktf.out'); // ['culture-portail-sovereign-fr1', …]
 */
export function synthesizedStackNames(outdir: string): string[] {
  const stacksDir = join(outdir, 'stacks');
  if (!existsSync(stacksDir)) throw new Error(`no synthesized stacks in ${stacksDir} (run cdktf synth first)`);
  return readdirSync(stacksDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(stacksDir, entry.name, 'cdk.tf.json')))
    .map((entry) => entry.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Checks every `stacks/<name>/cdk.tf.json` under a synth output folder, in stack-name order.
 *
 * @param outdir - the synth output folder (cdktf's `output`), relative to the working directory or absolute.
 * @param schema - the indexed provider schema; defaults to the committed OpenStack schema.
 * @throws Error if `<outdir>/stacks` does not exist or a `cdk.tf.json` is not valid JSON.
 */
export function checkSynthOutput(outdir = 'cdktf.out', schema: ProviderSchema = loadProviderSchema()): SynthCheckResult {
  const names = synthesizedStackNames(outdir);
  const issues: SchemaIssue[] = [];
  for (const stack of names) {
    const file = join(outdir, 'stacks', stack, 'cdk.tf.json');
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`${file}: ${(err as Error).message}`, { cause: err });
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${file}: the top level must be a JSON object`);
    issues.push(...checkStack(json, schema, { stack }));
  }
  return { stacks: names.length, names, issues };
}

/**
 * Formats issues one per line as `stack address attribute: message` (the stack is `-` when unknown; the attribute
 * is left out for issues about a whole block).
 */
export function formatIssues(issues: readonly SchemaIssue[]): string {
  return issues.map((i) => `${i.stack ?? '-'} ${i.address}${i.attribute === undefined ? '' : ` ${i.attribute}`}: ${i.message}`).join('\n');
}
