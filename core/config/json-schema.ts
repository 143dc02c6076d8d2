/**
 * JSON Schemas of the config files, generated from the zod schemas: what editors validate and complete
 * against (`schema/<kind>.schema.json`, referenced by each YAML file's `# yaml-language-server` line).
 *
 * They describe one file's shape. What only `sovstack validate` checks: CIDR host bits, port-range order,
 * exactly one of `cidr`/`group` in a security rule, ports per protocol, and every cross-file check
 * (file name = id, references, overlaps, catalog coverage, secrets).
 */
import { z } from 'zod';
import { ClientDocumentSchema, CloudSchema, TemplateSchema } from './schema.js';
import type { FileKind } from './validate.js';

/** The zod schema behind each file kind's JSON Schema. */
export const CONFIG_FILE_SCHEMAS = { cloud: CloudSchema, client: ClientDocumentSchema, template: TemplateSchema } as const;

/** File kinds in the order the reference documents them. */
export const CONFIG_FILE_KINDS: readonly FileKind[] = ['cloud', 'client', 'template'];

/**
 * The JSON Schema (draft 2020-12) of one kind of config file, as written to `schema/<kind>.schema.json`.
 * Keys with a default are optional; descriptions and examples come from the zod schemas' `.meta()`.
 *
 * @example configJsonSchema('cloud').properties // { id: {…}, name: {…}, operator: {…}, … }
 */
export function configJsonSchema(kind: FileKind): Record<string, unknown> {
  return z.toJSONSchema(CONFIG_FILE_SCHEMAS[kind], { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
}
