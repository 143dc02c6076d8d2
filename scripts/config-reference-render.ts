/**
 * Renders the config reference (docs/config-reference.md) from the config files' JSON Schemas: one table per
 * file kind with every key, its type, whether it is required, its default, allowed values and constraints,
 * its description and an example.
 */
import type { FileKind } from '../core/config/validate.js';

/** A JSON Schema node, as far as the reference reads it. */
export interface SchemaNode {
  type?: string | string[];
  description?: string;
  examples?: unknown[];
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  additionalProperties?: SchemaNode | boolean;
  propertyNames?: SchemaNode;
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  title?: string;
}

/** One documented key. */
export interface ReferenceRow {
  /** Dotted path; `[]` for list items, `<name>` for map keys, `(backend: s3)` for a variant. */
  path: string;
  type: string;
  required: boolean;
  defaultValue: string;
  constraints: string;
  description: string;
  example: string;
}

const FILES: Record<FileKind, { heading: string; file: string; example: string }> = {
  cloud: { heading: 'Cloud file', file: 'clouds/<id>.yaml', example: 'config/clouds/sovereign-fr1.yaml' },
  client: { heading: 'Client file', file: 'clients/<id>.yaml', example: 'config/clients/interieur-titres.yaml' },
  template: { heading: 'Template file', file: 'templates/<id>.yaml', example: 'config/templates/web-3tier.yaml' },
};

const inline = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));
const variants = (node: SchemaNode): SchemaNode[] => node.oneOf ?? node.anyOf ?? [];

function typeOf(node: SchemaNode): string {
  if (node.const !== undefined) return `\`${inline(node.const)}\``;
  if (node.enum) return 'enum';
  const alternatives = variants(node);
  if (alternatives.length > 0) {
    const tag = discriminator(node);
    return tag ? `one of ${alternatives.length} variants by \`${tag}\`` : alternatives.map(typeOf).join(' or ');
  }
  if (node.type === 'array') return `list of ${node.items ? typeOf(node.items) : 'any'}`;
  if (node.type === 'object' && typeof node.additionalProperties === 'object') return `map of name → ${typeOf(node.additionalProperties)}`;
  return Array.isArray(node.type) ? node.type.join(' or ') : (node.type ?? 'any');
}

/** The key whose `const` tells the variants of a union apart, e.g. `backend` or `status`. */
function discriminator(node: SchemaNode): string | undefined {
  const objects = variants(node);
  const first = objects[0]?.properties ?? {};
  return Object.keys(first).find((key) => objects.every((v) => v.properties?.[key]?.const !== undefined));
}

function constraintsOf(node: SchemaNode): string {
  const out: string[] = [];
  if (node.enum) {
    const values = node.enum.map((v) => `\`${inline(v)}\``);
    out.push(values.length > 12 ? `${values.length} values, listed in the JSON Schema` : values.join(', '));
  }
  if (node.format) out.push(`format ${node.format}`);
  else if (node.pattern) out.push(`pattern \`${node.pattern}\``);
  if (node.minLength !== undefined && node.minLength > 0) out.push(`at least ${node.minLength} character${node.minLength > 1 ? 's' : ''}`);
  if (node.maxLength !== undefined) out.push(`at most ${node.maxLength} characters`);
  if (node.minimum !== undefined) out.push(`≥ ${node.minimum}`);
  if (node.maximum !== undefined) out.push(`≤ ${node.maximum}`);
  if (node.minItems !== undefined) out.push(`at least ${node.minItems} item${node.minItems > 1 ? 's' : ''}`);
  if (node.items && !node.items.properties && !variants(node.items).length) {
    const inner = constraintsOf(node.items);
    if (inner) out.push(`each: ${inner}`);
  }
  if (typeof node.additionalProperties === 'object' && node.propertyNames) {
    const keys = constraintsOf(node.propertyNames);
    if (keys) out.push(`names: ${keys}`);
  }
  return out.join('; ');
}

function row(path: string, node: SchemaNode, required: boolean): ReferenceRow {
  const example = node.examples?.[0] ?? (node.items?.examples?.[0] !== undefined ? [node.items.examples[0]] : undefined);
  return {
    path,
    type: typeOf(node),
    required,
    defaultValue: node.default === undefined ? '' : `\`${inline(node.default)}\``,
    constraints: constraintsOf(node),
    description: node.description ?? node.items?.description ?? '',
    example: example === undefined ? '' : `\`${inline(example)}\``,
  };
}

/**
 * Every key of a file's JSON Schema, depth first, in schema order: objects open into their keys, lists of
 * objects into `[]`, maps into `<name>`, unions into one block per variant.
 *
 * @example referenceRows(configJsonSchema('cloud')).map((r) => r.path) // ['id', 'name', 'operator', 'operator.name', …]
 */
export function referenceRows(schema: SchemaNode, prefix = '', rows: ReferenceRow[] = []): ReferenceRow[] {
  const required = new Set(schema.required ?? []);
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    rows.push(row(path, child, required.has(key)));
    descend(child, path, rows);
  }
  return rows;
}

function descend(node: SchemaNode, path: string, rows: ReferenceRow[]): void {
  if (node.properties) referenceRows(node, path, rows);
  if (node.items?.properties) referenceRows(node.items, `${path}[]`, rows);
  if (typeof node.additionalProperties === 'object' && node.additionalProperties.properties) {
    referenceRows(node.additionalProperties, `${path}.<name>`, rows);
  }
  const tag = discriminator(node);
  if (tag === undefined) return;
  for (const variant of variants(node)) {
    referenceRows(variant, `${path} (${tag}: ${inline(variant.properties?.[tag]?.const)})`, rows);
  }
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function section(kind: FileKind, schema: SchemaNode): string[] {
  const meta = FILES[kind];
  const lines = [`## ${meta.heading} (\`${meta.file}\`)`, '', schema.description ?? '', ''];
  lines.push(
    `Editors: [\`schema/${kind}.schema.json\`](../schema/${kind}.schema.json). A complete example: [\`${meta.example}\`](../${meta.example}).`,
    '',
  );
  lines.push('| Key | Type | Required | Default | Allowed values and constraints | Description | Example |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of referenceRows(schema)) {
    const cells = [`\`${r.path}\``, r.type, r.required ? 'yes' : 'no', r.defaultValue, r.constraints, r.description, r.example];
    lines.push(`| ${cells.map(cell).join(' | ')} |`);
  }
  lines.push('');
  return lines;
}

/**
 * The whole reference in Markdown, one section per file kind.
 *
 * @example renderConfigReference([{ kind: 'cloud', schema: configJsonSchema('cloud') }])
 */
export function renderConfigReference(schemas: readonly { kind: FileKind; schema: SchemaNode }[]): string {
  const head = [
    '# Configuration reference',
    '',
    '<!-- Generated by `npm run docs:config` from core/config/schema.ts; `npm run docs:config:check` fails when it is stale. Do not edit. -->',
    '',
    'Every key of the three kinds of config file, from the zod schemas `sovstack validate` uses. Every object is strict:',
    'a key not listed here is an error. A key with a default is optional. Ids and names are lower case. Beyond the',
    'shape of one file, `sovstack validate` checks CIDR host bits and overlaps, port ranges, exactly one of `cidr`',
    'or `group` per security rule, ports per protocol, that each file name equals its id, every reference (clouds,',
    'templates, subnets, groups), catalog coverage on the clouds a client may land on, and that no value looks like a secret.',
    '',
  ];
  return [...head, ...schemas.flatMap(({ kind, schema }) => section(kind, schema))].join('\n');
}
