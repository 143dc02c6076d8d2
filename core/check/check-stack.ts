/**
 * Fast, offline schema check of one synthesized Terraform JSON stack against the committed provider schema —
 * the part of `tofu validate` that depends only on the schema, without `tofu init` or a provider plugin.
 *
 * Semantics follow OpenTofu 1.12 decoding of `.tf.json` files:
 * - unknown keys in a resource/data/provider/nested-block body are errors (OpenTofu: "Extraneous JSON object
 *   property"); `"//"` comment keys are ignored in every body;
 * - a required attribute that is absent or `null` is missing; a computed-only attribute must not be set — except
 *   inside a nested block list holding an unknown value, which the provider SDK does not look into at validate time;
 * - attribute values must convert to the attribute's cty type (see {@link checkCtyValue}); strings holding
 *   template expressions are unknown at validate time and accepted for any type;
 * - nested blocks are written as a JSON object (one block) or an array of objects; `single` blocks allow one,
 *   `list`/`set` blocks honour `min_items`/`max_items` unless a `dynamic` block with a non-literal `for_each`
 *   makes the count unknown; `map` blocks are objects keyed by label;
 * - `timeouts` is an ordinary nested block when the schema declares it (OpenTofu checks its contents) and an
 *   unknown block otherwise;
 * - a provider configuration is only checked when a resource or data source uses it, because `tofu validate`
 *   only validates provider configurations that are part of the graph.
 *
 * Not covered (OpenTofu reports these, this check does not): provider-side validation (`ValidateFunc`,
 * `ConflictsWith`, `ExactlyOneOf`, …), which is not in the schema JSON; references and constant expressions
 * inside `${…}`; the contents of `lifecycle`, `provisioner`, `connection`, `variable`, `output` and `locals`.
 *
 * @packageDocumentation
 */
import { closest } from '../text.js';
import { checkCtyValue, isTemplateExpression } from './cty.js';
import { loadProviderSchema } from './provider-schema.js';
import type { ProviderSchema, SchemaAttribute, SchemaBlock, SchemaBlockType } from './provider-schema.js';

/** The kinds of problem the schema check reports. */
export type SchemaIssueCode =
  | 'unknown-resource-type'
  | 'unknown-data-source-type'
  | 'unknown-attribute'
  | 'missing-required'
  | 'wrong-type'
  | 'too-few-blocks'
  | 'too-many-blocks'
  | 'unknown-block'
  | 'computed-only';

/** One problem found in a stack. */
export interface SchemaIssue {
  /** Stack name (the `cdktf.out/stacks/<name>` folder), when known. */
  stack?: string;
  /** `openstack_compute_instance_v2.web-1`, `data.openstack_images_image_v2.x` or `provider.openstack[0]`. */
  address: string;
  /**
   * Dotted path inside the block, e.g. `size`, `network.0.mac` (list/set blocks are indexed by their position in
   * the JSON array), `timeouts.create`, `metadata.role` (map element), `dynamic.network.content.uuid`. Absent for
   * issues about the whole block (unknown type).
   */
  attribute?: string;
  severity: 'error';
  code: SchemaIssueCode;
  message: string;
}

/** Options for {@link checkStack}. */
export interface CheckStackOptions {
  /** Stack name copied into every issue. */
  stack?: string;
}

type Json = Record<string, unknown>;

const RESOURCE_META: ReadonlySet<string> = new Set([
  '//',
  'count',
  'for_each',
  'depends_on',
  'provider',
  'lifecycle',
  'provisioner',
  'connection',
]);
const DATA_META: ReadonlySet<string> = new Set(['//', 'count', 'for_each', 'depends_on', 'provider', 'lifecycle']);
const PROVIDER_META: ReadonlySet<string> = new Set(['//', 'alias', 'version']);
const NESTED_META: ReadonlySet<string> = new Set(['//']);
const DYNAMIC_ARGS: ReadonlySet<string> = new Set(['//', 'for_each', 'iterator', 'labels', 'content']);

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The bodies of a JSON block value: HCL JSON accepts one object or an array of objects at every block level. */
function bodies(value: unknown): Json[] {
  if (isObject(value)) return [value];
  if (Array.isArray(value)) return value.filter(isObject);
  return [];
}

function suggestion(name: string, candidates: Iterable<string>): string {
  const best = closest(name, candidates);
  return best === undefined ? '' : ` Did you mean "${best}"?`;
}

/** Accumulates issues for one addressable block (resource, data source or provider configuration). */
class BlockChecker {
  constructor(
    private readonly issues: SchemaIssue[],
    private readonly address: string,
    private readonly stack: string | undefined,
  ) {}

  private report(code: SchemaIssueCode, path: readonly (string | number)[], message: string): void {
    const issue: SchemaIssue = { address: this.address, severity: 'error', code, message };
    if (path.length > 0) issue.attribute = path.join('.');
    if (this.stack !== undefined) issue.stack = this.stack;
    this.issues.push(issue);
  }

  /**
   * Checks one body (the object holding arguments and nested blocks) against a schema block.
   *
   * `known` says whether the provider (terraform-plugin-sdk) will see this body's values: the SDK skips every check
   * inside a nested block list that holds any unknown value — an expression anywhere in any block of that type, or a
   * dynamic block — so computed-only arguments there are only reported by `tofu validate` when the list is known.
   */
  body(body: Json, block: SchemaBlock, path: (string | number)[], skip: ReadonlySet<string>, known: boolean): void {
    const counts = new Map<string, number | undefined>();
    const dynamicTypes = new Set<string>();
    if (body.dynamic !== undefined && !block.attributes.has('dynamic') && !block.blockTypes.has('dynamic')) {
      for (const group of bodies(body.dynamic)) for (const name of Object.keys(group)) dynamicTypes.add(name);
    }
    for (const key of Object.keys(body)) {
      if (skip.has(key)) continue;
      const value = body[key];
      const attr = block.attributes.get(key);
      if (attr !== undefined) {
        // null means "not set"; required attributes are checked below
        if (value !== null) this.attribute(key, value, attr, path, known);
        continue;
      }
      const blockType = block.blockTypes.get(key);
      if (blockType !== undefined) {
        const blocksKnown = known && !dynamicTypes.has(key) && isWhollyKnown(value);
        counts.set(key, addCount(counts, key, this.blocks(key, value, blockType, path, blocksKnown)));
        continue;
      }
      if (key === 'dynamic') {
        this.dynamic(value, block, path, counts);
        continue;
      }
      this.unknownKey(key, value, block, path);
    }
    this.requiredAndCounts(body, block, path, counts);
  }

  /** One argument the schema knows: read-only ones may not be set, the others must have the schema's type. */
  private attribute(key: string, value: unknown, attr: SchemaAttribute, path: (string | number)[], known: boolean): void {
    path.push(key);
    if (attr.computed && !attr.optional && !attr.required) {
      if (known) this.report('computed-only', path, `Can't configure a value for "${key}": it is computed by the provider (read-only).`);
    } else {
      const m = checkCtyValue(value, attr.type);
      if (m) {
        const where = m.path.length > 0 ? ` at ${[...path, ...m.path].join('.')}` : '';
        this.report('wrong-type', [...path, ...m.path], `Inappropriate value for attribute "${key}"${where}: ${m.message}.`);
      }
    }
    path.pop();
  }

  /** A key the schema knows neither as argument nor as block: reported as the one it looks like, with a suggestion. */
  private unknownKey(key: string, value: unknown, block: SchemaBlock, path: (string | number)[]): void {
    path.push(key);
    const looksLikeBlock = key === 'timeouts' || isObject(value) || (Array.isArray(value) && value.length > 0 && value.every(isObject));
    const hint = suggestion(key, [...block.attributes.keys(), ...block.blockTypes.keys()]);
    if (looksLikeBlock) this.report('unknown-block', path, `Blocks of type "${key}" are not expected here.${hint}`);
    else this.report('unknown-attribute', path, `An argument named "${key}" is not expected here.${hint}`);
    path.pop();
  }

  /** Required arguments that are missing, and block counts outside the schema's min/max. */
  private requiredAndCounts(body: Json, block: SchemaBlock, path: (string | number)[], counts: Map<string, number | undefined>): void {
    for (const name of block.requiredAttributes) {
      const value = body[name];
      if (value === undefined || value === null) {
        path.push(name);
        this.report('missing-required', path, `The argument "${name}" is required, but no definition was found.`);
        path.pop();
      }
    }
    for (const [name, bt] of block.blockTypes) {
      const count = counts.has(name) ? counts.get(name) : 0;
      if (count === undefined) continue; // dynamic block with an unknown for_each
      path.push(name);
      if (count < bt.minItems) {
        this.report('too-few-blocks', path, `At least ${bt.minItems} "${name}" blocks are required, found ${count}.`);
      } else if (bt.maxItems > 0 && count > bt.maxItems) {
        this.report('too-many-blocks', path, `No more than ${bt.maxItems} "${name}" blocks are allowed, found ${count}.`);
      }
      path.pop();
    }
  }

  /** Checks the static blocks written under `name`; returns how many there are. */
  private blocks(name: string, value: unknown, bt: SchemaBlockType, path: (string | number)[], known: boolean): number {
    if (value === null) return 0;
    path.push(name);
    let count = 0;
    if (bt.nesting === 'map') {
      // Map blocks carry one label: { "<label>": { …body… } }.
      if (!isObject(value)) {
        this.report('wrong-type', path, `A JSON object keyed by label is required, representing the contents of "${name}" blocks.`);
      } else {
        for (const label of Object.keys(value)) {
          if (label === '//') continue;
          path.push(label);
          for (const body of this.bodyValues(value[label], name, path)) {
            this.body(body, bt.block, path, NESTED_META, known);
            count++;
          }
          path.pop();
        }
      }
    } else if (isObject(value)) {
      if (bt.nesting === 'list' || bt.nesting === 'set') path.push(0);
      this.body(value, bt.block, path, NESTED_META, known);
      if (bt.nesting === 'list' || bt.nesting === 'set') path.pop();
      count = 1;
    } else if (Array.isArray(value)) {
      value.forEach((element, i) => {
        if (element === null) return;
        const indexed = bt.nesting === 'list' || bt.nesting === 'set';
        if (indexed) path.push(i);
        count++; // tofu counts a malformed element as a block too
        if (isObject(element)) {
          this.body(element, bt.block, path, NESTED_META, known);
        } else {
          this.report('wrong-type', path, `Either a JSON object or JSON array of objects is required for "${name}" blocks.`);
        }
        if (indexed) path.pop();
      });
    } else {
      this.report(
        'wrong-type',
        path,
        `Either a JSON object or a JSON array is required, representing the contents of one or more "${name}" blocks.`,
      );
    }
    if ((bt.nesting === 'single' || bt.nesting === 'group') && count > 1) {
      this.report('too-many-blocks', path, `Only one block of type "${name}" is allowed, found ${count}.`);
      count = 1; // already reported; keep the generic max_items check quiet
    }
    path.pop();
    return count;
  }

  /** The block bodies under a map-block label (an object, or an array of objects). */
  private bodyValues(value: unknown, name: string, path: (string | number)[]): Json[] {
    if (value === null) return [];
    if (isObject(value) || (Array.isArray(value) && value.every((v) => v === null || isObject(v)))) return bodies(value);
    this.report('wrong-type', path, `Either a JSON object or JSON array of objects is required for "${name}" blocks.`);
    return [];
  }

  /** `"dynamic": { "<block type>": { "for_each": …, "content": { … } } }` — cdktf's iterators synthesize these. */
  private dynamic(value: unknown, block: SchemaBlock, path: (string | number)[], counts: Map<string, number | undefined>): void {
    path.push('dynamic');
    for (const group of bodies(value)) {
      for (const name of Object.keys(group)) {
        if (name === '//') continue;
        path.push(name);
        const bt = block.blockTypes.get(name);
        if (bt === undefined) {
          this.report('unknown-block', path, `Blocks of type "${name}" are not expected here.${suggestion(name, block.blockTypes.keys())}`);
          path.pop();
          continue;
        }
        for (const spec of bodies(group[name])) {
          for (const key of Object.keys(spec)) {
            if (DYNAMIC_ARGS.has(key)) continue;
            path.push(key);
            this.report('unknown-attribute', path, `An argument named "${key}" is not expected in a dynamic block.`);
            path.pop();
          }
          for (const required of ['for_each', 'content']) {
            if (spec[required] === undefined || spec[required] === null) {
              path.push(required);
              this.report('missing-required', path, `A dynamic "${name}" block needs "${required}".`);
              path.pop();
            }
          }
          path.push('content');
          // Dynamic content is never "known" to the SDK check (see body()).
          for (const content of bodies(spec.content)) this.body(content, bt.block, path, NESTED_META, false);
          path.pop();
          counts.set(name, addCount(counts, name, literalLength(spec.for_each)));
        }
        path.pop();
      }
    }
    path.pop();
  }
}

/** Whether a JSON value holds no template expression (so its value is known at validate time). */
function isWhollyKnown(value: unknown): boolean {
  if (typeof value === 'string') return !isTemplateExpression(value);
  if (Array.isArray(value)) return value.every(isWhollyKnown);
  if (isObject(value)) return Object.values(value).every(isWhollyKnown);
  return true;
}

/** Number of blocks a dynamic block generates when its `for_each` is a literal collection, else `undefined`. */
function literalLength(forEach: unknown): number | undefined {
  if (Array.isArray(forEach)) return forEach.length;
  if (isObject(forEach)) return Object.keys(forEach).length;
  return undefined;
}

function addCount(counts: Map<string, number | undefined>, name: string, n: number | undefined): number | undefined {
  if (!counts.has(name)) return n;
  const prev = counts.get(name);
  return prev === undefined || n === undefined ? undefined : prev + n;
}

/** `openstack` or `openstack.alias`, as written in a `provider` meta-argument, split into name and alias. */
function providerRef(value: unknown): { local: string; alias: string | undefined } | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.replace(/^\$\{(.*)\}$/, '$1').trim();
  const dot = text.indexOf('.');
  return dot < 0 ? { local: text, alias: undefined } : { local: text.slice(0, dot), alias: text.slice(dot + 1) };
}

/** `namespace/type` of a provider source; the registry host is ignored (same provider code on either registry). */
function normalizeSource(source: string): string {
  return source.trim().toLowerCase().split('/').slice(-2).join('/');
}

/** Local names declared in `terraform.required_providers`, with their normalized sources. */
function requiredProviders(tf: Json): Map<string, string | undefined> {
  const declared = new Map<string, string | undefined>();
  for (const terraform of bodies(tf.terraform)) {
    for (const rp of bodies(terraform.required_providers)) {
      for (const [local, spec] of Object.entries(rp)) {
        if (local === '//') continue;
        const source = isObject(spec) && typeof spec.source === 'string' ? normalizeSource(spec.source) : undefined;
        declared.set(local, source);
      }
    }
  }
  return declared;
}

/**
 * Checks a synthesized Terraform JSON document (the content of a `cdk.tf.json`) against a provider schema.
 *
 * Checks every `resource` and `data` block whose provider is the schema's provider (by `provider` meta-argument or
 * type prefix, resolved through `terraform.required_providers`), and the `provider` configurations those blocks use.
 * Blocks of other declared providers, and the built-in `terraform_data`, are skipped; a type whose provider is
 * neither declared nor the schema's is reported as unknown. `terraform`, `variable`, `locals`, `output` and other
 * top-level keys are not schema-checked.
 *
 * @param tfJson - the parsed JSON document.
 * @param schema - the indexed provider schema; defaults to the committed OpenStack schema.
 * @param options - e.g. the stack name to record in each issue.
 * @returns the issues, in document order (resources, then data sources, then provider configurations).
 */
export function checkStack(tfJson: object, schema: ProviderSchema = loadProviderSchema(), options: CheckStackOptions = {}): SchemaIssue[] {
  const tf = tfJson as Json;
  const declared = requiredProviders(tf);
  const schemaSource = normalizeSource(schema.source);
  const localName = schemaSource.split('/').pop()!;
  const scan: StackScan = {
    schema,
    issues: [],
    stack: options.stack,
    declared,
    isOurs: (local) =>
      declared.has(local)
        ? declared.get(local) === schemaSource || (declared.get(local) === undefined && local === localName)
        : local === localName,
    usedConfigs: new Set<string>(),
  };
  for (const kind of ['resource', 'data'] as const) {
    for (const group of bodies(tf[kind])) {
      for (const type of Object.keys(group)) {
        if (type === '//') continue;
        for (const named of bodies(group[type])) {
          for (const name of Object.keys(named)) {
            if (name === '//') continue;
            for (const body of bodies(named[name])) checkElement(scan, kind, type, name, body);
          }
        }
      }
    }
  }
  checkProviderConfigs(scan, tf);
  return scan.issues;
}

/** What {@link checkStack} knows while it walks one document. */
interface StackScan {
  readonly schema: ProviderSchema;
  readonly issues: SchemaIssue[];
  readonly stack: string | undefined;
  /** Local provider names of `terraform.required_providers`, with their source when given. */
  readonly declared: ReadonlyMap<string, string | undefined>;
  /** Whether a local provider name is the schema's provider. */
  readonly isOurs: (local: string) => boolean;
  /** Provider configurations some element uses: `<local>` or `<local>.<alias>`. */
  readonly usedConfigs: Set<string>;
}

/** One resource or data source body: skipped when another declared provider owns it, else checked against its type. */
function checkElement(scan: StackScan, kind: 'resource' | 'data', type: string, name: string, body: Json): void {
  const address = kind === 'resource' ? `${type}.${name}` : `data.${type}.${name}`;
  const ref = providerRef(body.provider) ?? { local: type.split('_')[0], alias: undefined };
  if (!scan.isOurs(ref.local)) {
    if (scan.declared.has(ref.local) || (ref.local === 'terraform' && type === 'terraform_data')) return;
    const message = `No provider "${ref.local}" is declared in terraform.required_providers, so "${type}" has no schema to check against.`;
    scan.issues.push(unknownType(kind, address, message, scan.stack));
    return;
  }
  scan.usedConfigs.add(ref.alias === undefined ? ref.local : `${ref.local}.${ref.alias}`);
  const index = kind === 'resource' ? scan.schema.resources : scan.schema.dataSources;
  const block = index.get(type);
  if (block === undefined) {
    const what = kind === 'resource' ? 'resource type' : 'data source';
    const message = `The provider ${scan.schema.source} does not support ${what} "${type}".${suggestion(type, index.keys())}`;
    scan.issues.push(unknownType(kind, address, message, scan.stack));
    return;
  }
  new BlockChecker(scan.issues, address, scan.stack).body(body, block, [], kind === 'resource' ? RESOURCE_META : DATA_META, true);
}

/** The schema's provider configurations that some element uses (tofu validate checks only those). */
function checkProviderConfigs(scan: StackScan, tf: Json): void {
  for (const group of bodies(tf.provider)) {
    for (const local of Object.keys(group)) {
      if (local === '//' || !scan.isOurs(local)) continue;
      const value = group[local];
      const configs = Array.isArray(value) ? value : [value];
      configs.forEach((config, i) => {
        if (!isObject(config)) return;
        const alias = typeof config.alias === 'string' ? config.alias : undefined;
        if (!scan.usedConfigs.has(alias === undefined ? local : `${local}.${alias}`)) return;
        const address = Array.isArray(value) ? `provider.${local}[${i}]` : `provider.${local}`;
        new BlockChecker(scan.issues, address, scan.stack).body(config, scan.schema.provider, [], PROVIDER_META, true);
      });
    }
  }
}

function unknownType(kind: 'resource' | 'data', address: string, message: string, stack: string | undefined): SchemaIssue {
  const issue: SchemaIssue = {
    address,
    severity: 'error',
    code: kind === 'resource' ? 'unknown-resource-type' : 'unknown-data-source-type',
    message,
  };
  if (stack !== undefined) issue.stack = stack;
  return issue;
}
