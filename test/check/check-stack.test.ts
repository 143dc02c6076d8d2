import { describe, expect, it } from 'vitest';
import { checkStack } from '../../core/check/check-stack.js';
import type { SchemaIssue } from '../../core/check/check-stack.js';
import { loadProviderSchema, OPENSTACK_PROVIDER_SOURCE, parseProviderSchema } from '../../core/check/provider-schema.js';

/** A small hand-written schema, so each rule is tested in isolation from the real provider. */
const schema = parseProviderSchema({
  provider_schemas: {
    [OPENSTACK_PROVIDER_SOURCE]: {
      provider: { block: { attributes: { region: { type: 'string', optional: true }, insecure: { type: 'bool', optional: true } } } },
      resource_schemas: {
        openstack_thing_v1: {
          block: {
            attributes: {
              id: { type: 'string', optional: true, computed: true },
              name: { type: 'string', required: true },
              size: { type: 'number', optional: true },
              enabled: { type: 'bool', optional: true },
              tags: { type: ['set', 'string'], optional: true },
              labels: { type: ['map', 'string'], optional: true },
              status: { type: 'string', computed: true },
            },
            block_types: {
              rule: {
                nesting_mode: 'list',
                min_items: 1,
                max_items: 2,
                block: {
                  attributes: { port: { type: 'number', required: true }, mac: { type: 'string', computed: true } },
                  block_types: { match: { nesting_mode: 'set', block: { attributes: { cidr: { type: 'string', required: true } } } } },
                },
              },
              extra: { nesting_mode: 'set', max_items: 1, block: { attributes: { note: { type: 'string', optional: true } } } },
              timeouts: { nesting_mode: 'single', block: { attributes: { create: { type: 'string', optional: true } } } },
              listener: { nesting_mode: 'map', block: { attributes: { port: { type: 'number', required: true } } } },
            },
          },
        },
      },
      data_source_schemas: {
        openstack_lookup_v1: {
          block: { attributes: { name: { type: 'string', optional: true }, result: { type: 'string', computed: true } } },
        },
      },
    },
  },
});

const tf = (body: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  terraform: { required_providers: { openstack: { source: 'terraform-provider-openstack/openstack', version: '3.4.0' } } },
  resource: { openstack_thing_v1: { t: body } },
  ...extra,
});
const valid = { name: 'n', rule: [{ port: 22 }] };
const issues = (body: Record<string, unknown>, extra?: Record<string, unknown>) => checkStack(tf(body, extra), schema);
const only = (list: SchemaIssue[]): SchemaIssue => {
  expect(list).toHaveLength(1);
  return list[0];
};

describe('checkStack: valid configurations', () => {
  it('accepts a minimal valid resource', () => {
    expect(issues(valid)).toEqual([]);
  });

  it('skips meta-arguments and "//" comments, and does not look at terraform/variable/locals/output', () => {
    const body = {
      ...valid,
      '//': { metadata: { path: 'stack/t' } },
      count: 2,
      for_each: '${var.m}',
      depends_on: ['x.y'],
      provider: 'openstack',
      lifecycle: { ignore_changes: ['name'], prevent_destroy: true },
      provisioner: [{ 'local-exec': { command: 'true' } }],
      connection: { host: 'h' },
    };
    const extra = {
      '//': { metadata: {} },
      variable: { m: { type: 'map(string)' } },
      locals: { x: 1 },
      output: { o: { value: '${local.x}' } },
    };
    expect(issues(body, extra)).toEqual([]);
  });

  it('accepts implicit conversions, nulls for optional arguments and expressions for any type', () => {
    expect(issues({ ...valid, size: '10', enabled: '1', tags: ['a', 2], labels: { a: true }, status: null, name: '${var.n}' })).toEqual([]);
  });

  it('accepts one block written as an object, as an array of one, or via dynamic with an unknown for_each', () => {
    expect(issues({ name: 'n', rule: { port: 1 }, timeouts: [{ create: '5m' }], extra: { note: 'x' } })).toEqual([]);
    expect(issues({ name: 'n', dynamic: { rule: { for_each: '${var.rules}', content: { port: '${rule.value}' } } } })).toEqual([]);
  });

  it('accepts map blocks keyed by label', () => {
    expect(issues({ ...valid, listener: { http: { port: 80 }, https: [{ port: 443 }] } })).toEqual([]);
  });
});

describe('checkStack: issue codes', () => {
  it('unknown-resource-type, with a suggestion', () => {
    const issue = only(checkStack({ resource: { openstack_thing_v2: { t: valid } } }, schema));
    expect(issue).toMatchObject({ code: 'unknown-resource-type', address: 'openstack_thing_v2.t', severity: 'error' });
    expect(issue.attribute).toBeUndefined();
    expect(issue.message).toContain('Did you mean "openstack_thing_v1"?');
  });

  it('unknown-data-source-type', () => {
    expect(only(checkStack({ data: { openstack_lookup_v9: { x: {} } } }, schema))).toMatchObject({
      code: 'unknown-data-source-type',
      address: 'data.openstack_lookup_v9.x',
    });
  });

  it('unknown-attribute, at the top level and inside nested blocks', () => {
    expect(only(issues({ ...valid, nmae: 'x' }))).toMatchObject({
      code: 'unknown-attribute',
      attribute: 'nmae',
      address: 'openstack_thing_v1.t',
    });
    expect(only(issues({ name: 'n', rule: [{ port: 1 }, { port: 2, proto: 'tcp' }] }))).toMatchObject({
      code: 'unknown-attribute',
      attribute: 'rule.1.proto',
    });
    expect(only(issues({ ...valid, timeouts: { read: '1m' } }))).toMatchObject({ code: 'unknown-attribute', attribute: 'timeouts.read' });
  });

  it('unknown-block, for block-shaped unknown keys, unknown dynamic block types and meta-blocks nested too deep', () => {
    expect(only(issues({ ...valid, rules: [{ port: 1 }] }))).toMatchObject({ code: 'unknown-block', attribute: 'rules' });
    expect(only(issues({ ...valid, dynamic: { rulez: { for_each: [], content: {} } } }))).toMatchObject({
      code: 'unknown-block',
      attribute: 'dynamic.rulez',
    });
    expect(only(issues({ name: 'n', rule: [{ port: 1, lifecycle: { create_before_destroy: true } }] }))).toMatchObject({
      code: 'unknown-block',
      attribute: 'rule.0.lifecycle',
    });
  });

  it('missing-required, when absent or null, at any depth', () => {
    expect(only(issues({ rule: [{ port: 1 }] }))).toMatchObject({ code: 'missing-required', attribute: 'name' });
    expect(only(issues({ ...valid, name: null }))).toMatchObject({ code: 'missing-required', attribute: 'name' });
    expect(only(issues({ name: 'n', rule: [{ port: 1, match: [{}] }] }))).toMatchObject({
      code: 'missing-required',
      attribute: 'rule.0.match.0.cidr',
    });
    expect(only(issues({ ...valid, listener: { http: {} } }))).toMatchObject({ code: 'missing-required', attribute: 'listener.http.port' });
  });

  it('wrong-type, with the path into the value', () => {
    expect(only(issues({ ...valid, size: 'big' }))).toMatchObject({ code: 'wrong-type', attribute: 'size' });
    expect(only(issues({ ...valid, enabled: 'yes' }))).toMatchObject({ code: 'wrong-type', attribute: 'enabled' });
    expect(only(issues({ ...valid, tags: 'a' }))).toMatchObject({ code: 'wrong-type', attribute: 'tags' });
    const nested = only(issues({ ...valid, labels: { a: 'x', b: ['y'] } }));
    expect(nested).toMatchObject({ code: 'wrong-type', attribute: 'labels.b' });
    expect(nested.message).toBe('Inappropriate value for attribute "labels" at labels.b: string required, but have tuple.');
    // Like tofu: a non-object block value is no block at all, so the list is also too short.
    expect(issues({ name: 'n', rule: 'port 22' }).map((i) => [i.code, i.attribute])).toEqual([
      ['wrong-type', 'rule'],
      ['too-few-blocks', 'rule'],
    ]);
    expect(only(issues({ name: 'n', rule: [{ port: 1 }, 'x'] }))).toMatchObject({ code: 'wrong-type', attribute: 'rule.1' });
  });

  it('too-few-blocks, counting absent, empty, null and null-element block lists as zero', () => {
    for (const rule of [undefined, [], null, [null]]) {
      expect(only(issues(rule === undefined ? { name: 'n' } : { name: 'n', rule }))).toMatchObject({
        code: 'too-few-blocks',
        attribute: 'rule',
      });
    }
  });

  it('too-many-blocks, for max_items, single blocks given twice and dynamic blocks over a literal collection', () => {
    expect(only(issues({ name: 'n', rule: [{ port: 1 }, { port: 2 }, { port: 3 }] }))).toMatchObject({
      code: 'too-many-blocks',
      attribute: 'rule',
    });
    expect(only(issues({ ...valid, extra: [{}, {}] }))).toMatchObject({ code: 'too-many-blocks', attribute: 'extra' });
    expect(only(issues({ ...valid, timeouts: [{ create: '1m' }, { create: '2m' }] }))).toMatchObject({
      code: 'too-many-blocks',
      attribute: 'timeouts',
    });
    expect(
      only(issues({ name: 'n', rule: [{ port: 1 }], dynamic: { rule: { for_each: { a: 1, b: 2 }, content: { port: '${rule.value}' } } } })),
    ).toMatchObject({ code: 'too-many-blocks', attribute: 'rule' });
  });

  it('computed-only, top-level even when the value is an expression', () => {
    expect(only(issues({ ...valid, status: 'ACTIVE' }))).toMatchObject({ code: 'computed-only', attribute: 'status' });
    expect(only(issues({ ...valid, status: '${var.s}' }))).toMatchObject({ code: 'computed-only', attribute: 'status' });
    expect(issues({ ...valid, id: 'x' })).toEqual([]); // optional+computed is settable
  });

  it('computed-only in nested blocks only when the whole block list is known (the provider SDK skips unknown lists)', () => {
    expect(only(issues({ name: 'n', rule: [{ port: 1, mac: 'm' }] }))).toMatchObject({ code: 'computed-only', attribute: 'rule.0.mac' });
    expect(issues({ name: 'n', rule: [{ port: 1, mac: 'm' }, { port: '${var.p}' }] })).toEqual([]);
    expect(
      issues({ name: '${var.n}', rule: [{ port: 1, mac: 'm' }], dynamic: { rule: { for_each: '${var.r}', content: { port: 2 } } } }),
    ).toEqual([]);
  });

  it('checks data sources with the data meta-arguments', () => {
    const doc = { data: { openstack_lookup_v1: { x: { name: 'a', count: 1, result: 'r', provisioner: { 'local-exec': {} } } } } };
    expect(checkStack(doc, schema).map((i) => [i.address, i.code, i.attribute])).toEqual([
      ['data.openstack_lookup_v1.x', 'computed-only', 'result'],
      ['data.openstack_lookup_v1.x', 'unknown-block', 'provisioner'],
    ]);
  });
});

describe('checkStack: provider configurations and other providers', () => {
  const resources = (body: Record<string, unknown>) => ({ openstack_thing_v1: { t: { ...valid, ...body } } });

  it('checks the configurations resources use, addressed by position, and skips alias/version', () => {
    const doc = {
      provider: {
        openstack: [
          { region: 'r', insecure: 'maybe' },
          { alias: 'fr', version: '~> 3', bogus: 1 },
        ],
      },
      resource: resources({}),
      data: { openstack_lookup_v1: { x: { provider: 'openstack.fr' } } },
    };
    expect(checkStack(doc, schema).map((i) => [i.address, i.code, i.attribute])).toEqual([
      ['provider.openstack[0]', 'wrong-type', 'insecure'],
      ['provider.openstack[1]', 'unknown-attribute', 'bogus'],
    ]);
  });

  it('does not check configurations nothing uses (tofu validate does not either)', () => {
    const doc = { provider: { openstack: [{ alias: 'unused', bogus: 1 }] }, resource: resources({}) };
    expect(checkStack(doc, schema)).toEqual([]);
    expect(checkStack({ provider: { openstack: { bogus: 1 } } }, schema)).toEqual([]);
    expect(checkStack({ provider: { openstack: { bogus: 1 } }, resource: resources({}) }, schema)).toMatchObject([
      { address: 'provider.openstack', code: 'unknown-attribute' },
    ]);
  });

  it('follows required_providers local names, skips declared other providers and terraform_data, flags undeclared ones', () => {
    const doc = {
      terraform: { required_providers: { os: { source: OPENSTACK_PROVIDER_SOURCE }, random: { source: 'hashicorp/random' } } },
      resource: {
        openstack_thing_v1: { a: { ...valid, provider: 'os' }, b: { ...valid, provider: 'os.fr', size: 'x' } },
        random_id: { r: { byte_length: 4 } },
        terraform_data: { d: { input: 1 } },
        nul_resource: { n: {} },
      },
      provider: { os: [{ alias: 'fr', region: 5 }], random: [{ whatever: 1 }] },
    };
    expect(checkStack(doc, schema).map((i) => [i.address, i.code, i.attribute])).toEqual([
      ['openstack_thing_v1.b', 'wrong-type', 'size'],
      ['nul_resource.n', 'unknown-resource-type', undefined],
    ]);
  });

  it('recognises the provider under either registry host', () => {
    const doc = {
      terraform: { required_providers: { openstack: { source: 'registry.terraform.io/Terraform-Provider-OpenStack/openstack' } } },
      resource: { openstack_thing_v1: { a: { ...valid, size: 'x' } } },
    };
    expect(checkStack(doc, schema).map((i) => i.attribute)).toEqual(['size']);
  });

  it('reads the HCL JSON array forms of resource/type/name levels and records the stack name', () => {
    const doc = { resource: [{ openstack_thing_v1: [{ a: [{ rule: { port: 1 } }] }] }] };
    expect(checkStack(doc, schema, { stack: 'client-a' })).toEqual([
      {
        stack: 'client-a',
        address: 'openstack_thing_v1.a',
        attribute: 'name',
        severity: 'error',
        code: 'missing-required',
        message: 'The argument "name" is required, but no definition was found.',
      },
    ]);
  });
});

describe('checkStack against the committed OpenStack schema', () => {
  const real = loadProviderSchema();
  it('accepts a typical instance and rejects a typo with a suggestion', () => {
    const doc = {
      resource: {
        openstack_compute_instance_v2: {
          web: { name: 'web', flavor_name: 'm1', network: [{ uuid: 'u' }], security_group: ['default'] },
        },
      },
    };
    const issue = only(checkStack(doc, real));
    expect(issue).toMatchObject({ code: 'unknown-attribute', attribute: 'security_group' });
    expect(issue.message).toContain('Did you mean "security_groups"?');
  });
});
