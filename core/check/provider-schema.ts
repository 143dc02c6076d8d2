/**
 * Loading and indexing of the committed provider schema (`schema/openstack-provider.json`, the output of
 * `tofu providers schema -json`), so stacks can be checked without `tofu init` or a provider plugin.
 *
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPackageRoot } from '../package-info.js';

/** Provider source address of the OpenStack provider, as written in `terraform.required_providers`. */
export const OPENSTACK_PROVIDER_SOURCE = 'registry.opentofu.org/terraform-provider-openstack/openstack';

/**
 * A cty type in its JSON form, as found in the `type` of a schema attribute: a primitive name, or a
 * `[kind, element]` pair for collections, `["object", attributes, optionalNames?]` and `["tuple", elements]`.
 */
export type CtyType =
  | 'string'
  | 'number'
  | 'bool'
  | 'dynamic'
  | readonly ['list' | 'set' | 'map', CtyType]
  | readonly ['object', Readonly<Record<string, CtyType>>]
  | readonly ['object', Readonly<Record<string, CtyType>>, readonly string[]]
  | readonly ['tuple', readonly CtyType[]];

/** One attribute of a schema block. `type` is always set after {@link parseProviderSchema}. */
export interface SchemaAttribute {
  readonly type: CtyType;
  readonly required: boolean;
  readonly optional: boolean;
  readonly computed: boolean;
}

/** How the blocks of a nested block type are arranged (Terraform's `nesting_mode`). */
export type NestingMode = 'single' | 'group' | 'list' | 'set' | 'map';

/** A nested block type of a schema block. */
export interface SchemaBlockType {
  readonly nesting: NestingMode;
  readonly minItems: number;
  /** Upper bound on the number of blocks; `0` means unbounded, as in the schema JSON. */
  readonly maxItems: number;
  readonly block: SchemaBlock;
}

/** A schema block (resource, data source, provider or nested block), indexed for lookup by name. */
export interface SchemaBlock {
  readonly attributes: ReadonlyMap<string, SchemaAttribute>;
  readonly blockTypes: ReadonlyMap<string, SchemaBlockType>;
  /** Names of the attributes that must be set, precomputed for the missing-required check. */
  readonly requiredAttributes: readonly string[];
}

/** The indexed schema of one provider. */
export interface ProviderSchema {
  /** Fully qualified provider source, e.g. {@link OPENSTACK_PROVIDER_SOURCE}. */
  readonly source: string;
  readonly provider: SchemaBlock;
  readonly resources: ReadonlyMap<string, SchemaBlock>;
  readonly dataSources: ReadonlyMap<string, SchemaBlock>;
}

interface RawAttribute {
  type?: unknown;
  nested_type?: RawNestedType;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
}
interface RawNestedType {
  attributes?: Record<string, RawAttribute>;
  nesting_mode?: string;
}
interface RawBlockType {
  nesting_mode?: string;
  min_items?: number;
  max_items?: number;
  block?: RawBlock;
}
interface RawBlock {
  attributes?: Record<string, RawAttribute>;
  block_types?: Record<string, RawBlockType>;
}
interface RawProviderSchema {
  provider?: { block?: RawBlock };
  resource_schemas?: Record<string, { block?: RawBlock }>;
  data_source_schemas?: Record<string, { block?: RawBlock }>;
}

const NESTING_MODES: ReadonlySet<string> = new Set(['single', 'group', 'list', 'set', 'map']);

/**
 * Converts a framework-style `nested_type` attribute into the equivalent cty type: an object whose
 * non-required attributes are optional, wrapped in the collection its nesting mode calls for.
 */
function nestedTypeToCty(nested: RawNestedType, where: string): CtyType {
  const attrs: Record<string, CtyType> = {};
  const optional: string[] = [];
  for (const [name, raw] of Object.entries(nested.attributes ?? {})) {
    attrs[name] = attributeType(raw, `${where}.${name}`);
    if (!raw.required) optional.push(name);
  }
  const object: CtyType = ['object', attrs, optional];
  switch (nested.nesting_mode) {
    case 'single':
      return object;
    case 'list':
    case 'set':
    case 'map':
      return [nested.nesting_mode, object];
    default:
      throw new Error(`provider schema: ${where}: unsupported nested_type nesting mode ${String(nested.nesting_mode)}`);
  }
}

function isCtyType(value: unknown): value is CtyType {
  if (typeof value === 'string') return ['string', 'number', 'bool', 'dynamic'].includes(value);
  if (!Array.isArray(value)) return false;
  const [kind, inner, optional] = value as unknown[];
  switch (kind) {
    case 'list':
    case 'set':
    case 'map':
      return value.length === 2 && isCtyType(inner);
    case 'object':
      return (
        (value.length === 2 || (value.length === 3 && Array.isArray(optional) && optional.every((o) => typeof o === 'string'))) &&
        typeof inner === 'object' &&
        inner !== null &&
        !Array.isArray(inner) &&
        Object.values(inner).every(isCtyType)
      );
    case 'tuple':
      return value.length === 2 && Array.isArray(inner) && inner.every(isCtyType);
    default:
      return false;
  }
}

function attributeType(raw: RawAttribute, where: string): CtyType {
  if (raw.nested_type !== undefined) return nestedTypeToCty(raw.nested_type, where);
  if (!isCtyType(raw.type)) throw new Error(`provider schema: ${where}: unrecognised attribute type ${JSON.stringify(raw.type)}`);
  return raw.type;
}

function indexBlock(raw: RawBlock | undefined, where: string): SchemaBlock {
  const attributes = new Map<string, SchemaAttribute>();
  const requiredAttributes: string[] = [];
  for (const [name, attr] of Object.entries(raw?.attributes ?? {})) {
    const required = attr.required === true;
    attributes.set(name, {
      type: attributeType(attr, `${where}.${name}`),
      required,
      optional: attr.optional === true,
      computed: attr.computed === true,
    });
    if (required) requiredAttributes.push(name);
  }
  const blockTypes = new Map<string, SchemaBlockType>();
  for (const [name, bt] of Object.entries(raw?.block_types ?? {})) {
    const nesting = bt.nesting_mode ?? '';
    if (!NESTING_MODES.has(nesting))
      throw new Error(`provider schema: ${where}.${name}: unsupported nesting mode ${JSON.stringify(nesting)}`);
    blockTypes.set(name, {
      nesting: nesting as NestingMode,
      minItems: bt.min_items ?? 0,
      maxItems: bt.max_items ?? 0,
      block: indexBlock(bt.block, `${where}.${name}`),
    });
  }
  return { attributes, blockTypes, requiredAttributes };
}

/**
 * Indexes the parsed output of `tofu providers schema -json`.
 *
 * @param json - the whole document (with `provider_schemas`).
 * @param source - which provider to take; defaults to the OpenStack provider. When the document holds a
 *   single provider under another address, that one must be named explicitly.
 * @throws Error if the provider is absent or the schema uses a construct this checker does not understand.
 */
export function parseProviderSchema(json: unknown, source: string = OPENSTACK_PROVIDER_SOURCE): ProviderSchema {
  const schemas = (json as { provider_schemas?: Record<string, RawProviderSchema> } | null)?.provider_schemas;
  if (typeof schemas !== 'object' || schemas === null)
    throw new Error('provider schema: no "provider_schemas" object (expected `tofu providers schema -json` output)');
  const raw = schemas[source];
  if (raw === undefined) {
    throw new Error(`provider schema: provider ${source} not found (have: ${Object.keys(schemas).join(', ') || 'none'})`);
  }
  const index = (entries: Record<string, { block?: RawBlock }> | undefined, kind: string): Map<string, SchemaBlock> =>
    new Map(Object.entries(entries ?? {}).map(([name, s]) => [name, indexBlock(s.block, `${kind} ${name}`)]));
  return {
    source,
    provider: indexBlock(raw.provider?.block, 'provider'),
    resources: index(raw.resource_schemas, 'resource'),
    dataSources: index(raw.data_source_schemas, 'data source'),
  };
}

/**
 * Finds the package root: the nearest folder at or above `fromUrl`'s folder that holds a `package.json`.
 * Works both from `core/check/` (tsx, vitest) and from the compiled `dist/core/check/`.
 *
 * @param fromUrl - a `file:` URL to start from; defaults to this module.
 * @throws Error if no `package.json` is found up to the filesystem root.
 */
export function packageRoot(fromUrl: string = import.meta.url): string {
  return findPackageRoot(dirname(fileURLToPath(fromUrl)));
}

/** Absolute path of the committed schema, `schema/openstack-provider.json` under the package root. */
export function defaultSchemaPath(): string {
  return join(packageRoot(), 'schema', 'openstack-provider.json');
}

const cache = new Map<string, ProviderSchema>();

/**
 * Loads and indexes a provider schema file once per resolved path; later calls return the same object.
 *
 * @param path - schema file (output of `tofu providers schema -json`); defaults to {@link defaultSchemaPath}.
 * @param source - provider to take from it; defaults to {@link OPENSTACK_PROVIDER_SOURCE}.
 */
export function loadProviderSchema(path: string = defaultSchemaPath(), source: string = OPENSTACK_PROVIDER_SOURCE): ProviderSchema {
  const key = `${resolve(path)}\0${source}`;
  let schema = cache.get(key);
  if (schema === undefined) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new Error(`provider schema: cannot read ${path}: ${(err as Error).message}`, { cause: err });
    }
    schema = parseProviderSchema(json, source);
    cache.set(key, schema);
  }
  return schema;
}
