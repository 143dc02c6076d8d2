import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import {
  defaultSchemaPath,
  loadProviderSchema,
  OPENSTACK_PROVIDER_SOURCE,
  packageRoot,
  parseProviderSchema,
} from '../../core/check/provider-schema.js';

const tmp = mkdtempSync(join(tmpdir(), 'sovstack-schema-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('packageRoot / defaultSchemaPath', () => {
  it('walks up from a source or compiled location to the folder holding package.json', () => {
    const pkg = join(tmp, 'pkg');
    mkdirSync(join(pkg, 'dist', 'src', 'check'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), '{}');
    expect(packageRoot(pathToFileURL(join(pkg, 'dist', 'src', 'check', 'provider-schema.js')).href)).toBe(pkg);
    expect(packageRoot(pathToFileURL(join(pkg, 'x.js')).href)).toBe(pkg);
  });

  it('defaults to schema/openstack-provider.json in this repository', () => {
    const root = packageRoot(import.meta.url);
    expect(defaultSchemaPath()).toBe(join(root, 'schema', 'openstack-provider.json'));
    expect(dirname(dirname(defaultSchemaPath()))).toBe(root);
  });
});

describe('loadProviderSchema', () => {
  it('indexes the committed schema once and returns the same object afterwards', () => {
    const schema = loadProviderSchema();
    expect(loadProviderSchema(defaultSchemaPath())).toBe(schema);
    expect(schema.source).toBe(OPENSTACK_PROVIDER_SOURCE);
    expect(schema.resources.size).toBe(108);
    expect(schema.dataSources.size).toBe(61);
    const instance = schema.resources.get('openstack_compute_instance_v2');
    expect(instance?.requiredAttributes).toEqual(['name']);
    expect(instance?.attributes.get('security_groups')).toEqual({
      type: ['set', 'string'],
      required: false,
      optional: true,
      computed: true,
    });
    expect(instance?.blockTypes.get('vendor_options')).toMatchObject({ nesting: 'set', minItems: 0, maxItems: 1 });
  });

  it('loads an explicit path and explains unreadable files', () => {
    const file = join(tmp, 'mini.json');
    writeFileSync(
      file,
      JSON.stringify({
        provider_schemas: { 'example.com/acme/thing': { provider: { block: {} }, resource_schemas: { thing_a: { block: {} } } } },
      }),
    );
    expect(loadProviderSchema(file, 'example.com/acme/thing').resources.has('thing_a')).toBe(true);
    expect(() => loadProviderSchema(join(tmp, 'absent.json'))).toThrow(/cannot read .*absent\.json/);
    expect(() => loadProviderSchema(file)).toThrow(`provider ${OPENSTACK_PROVIDER_SOURCE} not found (have: example.com/acme/thing)`);
  });
});

describe('parseProviderSchema', () => {
  const wrap = (resource: object) => ({
    provider_schemas: { [OPENSTACK_PROVIDER_SOURCE]: { resource_schemas: { r: { block: resource } } } },
  });

  it('turns framework nested_type attributes into object types with optional non-required attributes', () => {
    const schema = parseProviderSchema(
      wrap({
        attributes: {
          rules: {
            nested_type: {
              nesting_mode: 'list',
              attributes: { port: { type: 'number', required: true }, note: { type: 'string', optional: true } },
            },
            optional: true,
          },
        },
      }),
    );
    expect(schema.resources.get('r')?.attributes.get('rules')?.type).toEqual([
      'list',
      ['object', { port: 'number', note: 'string' }, ['note']],
    ]);
  });

  it('rejects documents and schema constructs it does not understand', () => {
    expect(() => parseProviderSchema({})).toThrow(/no "provider_schemas"/);
    expect(() => parseProviderSchema(wrap({ attributes: { a: { type: ['frobnicate', 'string'] } } }))).toThrow(
      /unrecognised attribute type/,
    );
    expect(() => parseProviderSchema(wrap({ block_types: { b: { nesting_mode: 'tree', block: {} } } }))).toThrow(
      /unsupported nesting mode "tree"/,
    );
  });
});
