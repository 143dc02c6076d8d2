/**
 * Reading a synth output folder (`cdktf.out/`): the manifest, one Terraform JSON per stack and
 * `placement.json`, plus the canonical form used to compare two synths.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, isRecord, stripMetadata } from '../../core/json.js';
import type { Placement, PlacementFailure } from '../../core/placement/types.js';
import { stackNameFor } from '../../stacks/names.js';
import type { PlacementFile } from '../synth/placement-file.js';

export { canonicalJson, stripMetadata } from '../../core/json.js';
export type { PlacementFile } from '../synth/placement-file.js';

/** Which client and cloud a stack belongs to. */
export interface StackOwner {
  client: string;
  cloud: string;
}

/** A synth output folder, read. */
export interface SynthOutput {
  /** The folder it was read from. */
  dir: string;
  /** Terraform JSON of each stack, by stack name, sorted by name. */
  stacks: Map<string, TerraformJson>;
  /** `placement.json`, when the folder has one. */
  placement?: PlacementFile;
}

/** A synthesized Terraform JSON document (`cdk.tf.json`). */
export type TerraformJson = Record<string, unknown>;

interface Manifest {
  stacks?: Record<string, { name?: string; synthesizedStackPath?: string }>;
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${what} ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${what} ${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

function readPlacementFile(path: string): PlacementFile {
  const raw = readJson(path, 'placement file');
  if (!isRecord(raw) || !Array.isArray(raw.placements) || !Array.isArray(raw.clouds)) {
    throw new Error(`placement file ${path} lacks the \`placements\` and \`clouds\` arrays`);
  }
  return {
    toolkitVersion: typeof raw.toolkitVersion === 'string' ? raw.toolkitVersion : 'unknown',
    configDir: typeof raw.configDir === 'string' ? raw.configDir : '',
    placements: raw.placements as Placement[],
    failures: Array.isArray(raw.failures) ? (raw.failures as PlacementFailure[]) : [],
    clouds: raw.clouds as PlacementFile['clouds'],
  };
}

/**
 * Reads a synth output folder. Stacks come from `manifest.json` (the authoritative list: stale stack
 * folders left beside it are ignored); without a manifest, from every `stacks/<name>/cdk.tf.json`.
 *
 * @throws when the folder does not exist, or a listed stack file is missing or not JSON.
 * @example readSynthOutput('cdktf.out').stacks.get('sante-dossiers-sovereign-fr1')
 */
export function readSynthOutput(dir: string): SynthOutput {
  if (!existsSync(dir)) throw new Error(`synth output folder ${dir} does not exist`);
  const entries: [string, string][] = [];
  const manifestPath = join(dir, 'manifest.json');
  if (existsSync(manifestPath)) {
    const manifest = readJson(manifestPath, 'cdktf manifest') as Manifest;
    for (const [key, stack] of Object.entries(manifest.stacks ?? {})) {
      const name = stack.name ?? key;
      entries.push([name, join(dir, stack.synthesizedStackPath ?? join('stacks', name, 'cdk.tf.json'))]);
    }
  } else if (existsSync(join(dir, 'stacks'))) {
    for (const name of readdirSync(join(dir, 'stacks'))) {
      const file = join(dir, 'stacks', name, 'cdk.tf.json');
      if (existsSync(file)) entries.push([name, file]);
    }
  }
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const stacks = new Map<string, TerraformJson>();
  for (const [name, file] of entries) {
    const json = readJson(file, `stack ${name}`);
    if (!isRecord(json)) throw new Error(`stack ${name}: ${file} is not a JSON object`);
    stacks.set(name, json);
  }
  const placementPath = join(dir, 'placement.json');
  return { dir, stacks, ...(existsSync(placementPath) ? { placement: readPlacementFile(placementPath) } : {}) };
}

/** Canonical JSON of a stack without its cdktf metadata: equal strings mean equal infrastructure. */
export function canonicalStack(stack: TerraformJson): string {
  return canonicalJson(stripMetadata(stack));
}

/**
 * Managed resources of a stack by address (`<type>.<name>`), metadata stripped. Data sources
 * are under `data.<type>.<name>`.
 */
export function stackResources(stack: TerraformJson): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const collect = (block: unknown, prefix: string): void => {
    if (!isRecord(block)) return;
    for (const [type, byName] of Object.entries(block)) {
      if (type === '//' || !isRecord(byName)) continue;
      for (const [name, body] of Object.entries(byName)) {
        if (name !== '//') out.set(`${prefix}${type}.${name}`, stripMetadata(body));
      }
    }
  };
  collect(stack.resource, '');
  collect(stack.data, 'data.');
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Top-level blocks other than resources and data sources whose content differs between two stacks
 * (`provider`, `terraform`, `output`, `locals`, `variable`, `moved`, …), metadata stripped.
 */
export function changedBlocks(base: TerraformJson, head: TerraformJson): string[] {
  const keys = new Set([...Object.keys(base), ...Object.keys(head)]);
  return [...keys]
    .filter((k) => k !== '//' && k !== 'resource' && k !== 'data')
    .filter((k) => canonicalJson(stripMetadata(base[k])) !== canonicalJson(stripMetadata(head[k])))
    .sort();
}

/**
 * The client and cloud of a stack: from the placements (`<client>-<cloud>`), else by matching the
 * longest known cloud id at the end of the name, else the whole name as client and an empty cloud.
 */
export function stackOwner(stack: string, placement: PlacementFile | undefined, extraCloudIds: readonly string[] = []): StackOwner {
  for (const p of placement?.placements ?? []) {
    if (stackNameFor(p.client, p.cloud) === stack) return { client: p.client, cloud: p.cloud };
  }
  const cloudIds = [...new Set([...(placement?.clouds ?? []).map((c) => c.id), ...extraCloudIds])].sort((a, b) => b.length - a.length);
  for (const cloud of cloudIds) {
    if (stack.endsWith(`-${cloud}`) && stack.length > cloud.length + 1) {
      return { client: stack.slice(0, -cloud.length - 1), cloud };
    }
  }
  return { client: stack, cloud: '' };
}
