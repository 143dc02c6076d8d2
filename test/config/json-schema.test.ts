/**
 * The JSON Schemas editors use (schema/<kind>.schema.json): generated from the zod schemas and committed,
 * referenced by every shipped YAML file, satisfied by the example and lab estates, and in agreement with zod
 * on a corpus of good and bad files. The config reference documents every key.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CONFIG_FILE_KINDS, CONFIG_FILE_SCHEMAS, configJsonSchema, type FileKind } from '../../core/config/index.js';
import { referenceRows } from '../../scripts/config-reference-render.js';
import { repoRoot } from '../support/tools.js';

const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
addFormats.default(ajv);
const validators = Object.fromEntries(CONFIG_FILE_KINDS.map((kind) => [kind, ajv.compile(configJsonSchema(kind))])) as Record<
  FileKind,
  ReturnType<typeof ajv.compile>
>;
const KIND_OF_FOLDER: Record<string, FileKind> = { clouds: 'cloud', clients: 'client', templates: 'template' };

/** Every YAML file of the example and lab estates, with its kind. */
function shippedFiles(dir = join(repoRoot, 'config')): { path: string; kind: FileKind }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return shippedFiles(path);
    const kind = KIND_OF_FOLDER[dirname(path).split('/').pop() ?? ''];
    return entry.name.endsWith('.yaml') && kind ? [{ path, kind }] : [];
  });
}

describe('committed JSON Schemas', () => {
  it.each(CONFIG_FILE_KINDS)('schema/%s.schema.json is what the zod schemas generate (npm run docs:config)', (kind) => {
    const committed: unknown = JSON.parse(readFileSync(join(repoRoot, 'schema', `${kind}.schema.json`), 'utf8'));
    expect(committed).toEqual(configJsonSchema(kind));
  });
});

describe('shipped YAML files', () => {
  const files = shippedFiles();
  it('are found in both estates', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
    expect(files.some((f) => f.path.includes('/lab/'))).toBe(true);
  });

  it.each(files.map((f) => [relative(repoRoot, f.path), f.kind] as const))('%s names its schema and satisfies it', (path, kind) => {
    const text = readFileSync(join(repoRoot, path), 'utf8');
    const first = text.split('\n')[0] ?? '';
    const target = /^# yaml-language-server: \$schema=(\S+)$/.exec(first)?.[1];
    expect(target, `first line of ${path}`).toBeDefined();
    expect(resolve(dirname(join(repoRoot, path)), target!)).toBe(join(repoRoot, 'schema', `${kind}.schema.json`));
    const validate = validators[kind];
    expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
  });
});

const doc = (path: string): Record<string, unknown> => parse(readFileSync(join(repoRoot, path), 'utf8')) as Record<string, unknown>;
const cloud = () => doc('config/clouds/sovereign-fr1.yaml');
const client = () => doc('config/clients/interieur-titres.yaml');
const template = () => doc('config/templates/web-3tier.yaml');
type Doc = Record<string, any>;

/** A corpus entry: a file kind, a name and the document built from a shipped file. */
type Case = [name: string, kind: FileKind, build: () => Doc];
const edit =
  (base: () => Doc, change: (d: Doc) => void): (() => Doc) =>
  () => {
    const d = base();
    change(d);
    return d;
  };

const GOOD: Case[] = [
  ['the example cloud', 'cloud', cloud],
  ['the example client', 'client', client],
  ['the example template', 'template', template],
  [
    'a deprecated cloud with an end of life',
    'cloud',
    edit(cloud, (d) => (d.lifecycle = { status: 'deprecated', endOfLife: '2027-06-30' })),
  ],
  ['a retired cloud with since', 'cloud', edit(cloud, (d) => (d.lifecycle = { status: 'retired', since: '2025-01-31' }))],
  ['a cloud without lifecycle (default active)', 'cloud', edit(cloud, (d) => delete d.lifecycle)],
  ['a cloud with data in RE', 'cloud', edit(cloud, (d) => (d.dataLocation.country = 'RE'))],
  ['a cloud with a GB supplier', 'cloud', edit(cloud, (d) => (d.stackSupplier.country = 'GB'))],
  ['a local state backend', 'cloud', edit(cloud, (d) => (d.state = { backend: 'local', dir: 'state' }))],
  ['a pg state backend', 'cloud', edit(cloud, (d) => (d.state = { backend: 'pg', connStr: 'postgres://u@h/db', schemaPrefix: 'ss' }))],
  ['an http state backend', 'cloud', edit(cloud, (d) => (d.state = { backend: 'http', address: 'https://state.example/s' }))],
  ['a cloud without prices', 'cloud', edit(cloud, (d) => delete d.prices)],
  ['a cloud with qualifications hds and c5', 'cloud', edit(cloud, (d) => (d.qualifications = ['hds', 'c5']))],
  ['priority 0', 'cloud', edit(cloud, (d) => (d.priority = 0))],
  ['a client excluding GB and GR', 'client', edit(client, (d) => (d.policy.excludedSuppliers = { countries: ['GB', 'GR'] }))],
  ['a pinned client', 'client', edit(client, (d) => (d.policy.pin = { cloud: 'sovereign-fr1', justification: 'court records stay here' }))],
  ['a client with dataLocation EU', 'client', edit(client, (d) => (d.policy.dataLocation = 'EU'))],
  ['a client without template but a full service', 'client', edit(client, (d) => delete d.template)],
  ['a client with dns', 'client', edit(client, (d) => (d.service.dns = { zone: 'app.gouv.fr.', email: 'dns@gouv.fr' }))],
  [
    'a client with a port range rule',
    'client',
    edit(client, (d) => (d.service.securityGroups = [{ name: 'x', rules: [{ ports: '8000-8080', cidr: '10.0.0.0/8' }] }])),
  ],
  ['a template without description', 'template', edit(template, (d) => delete d.description)],
  ['a template with an empty service', 'template', edit(template, (d) => (d.service = {}))],
];

const BAD: Case[] = [
  ['UK as a supplier country', 'cloud', edit(cloud, (d) => (d.stackSupplier.country = 'UK'))],
  ['EL as a data country', 'cloud', edit(cloud, (d) => (d.dataLocation.country = 'EL'))],
  ['a lower-case country', 'cloud', edit(cloud, (d) => (d.operator.headOfficeCountry = 'fr'))],
  ['an upper-case id', 'cloud', edit(cloud, (d) => (d.id = 'Sovereign-FR1'))],
  ['an unknown key', 'cloud', edit(cloud, (d) => (d.colour = 'blue'))],
  ['a missing name', 'cloud', edit(cloud, (d) => delete d.name)],
  ['an unknown qualification', 'cloud', edit(cloud, (d) => (d.qualifications = ['secnumcloud', 'gold']))],
  ['a deprecated cloud without end of life', 'cloud', edit(cloud, (d) => (d.lifecycle = { status: 'deprecated' }))],
  ['an impossible end-of-life date', 'cloud', edit(cloud, (d) => (d.lifecycle = { status: 'deprecated', endOfLife: '2027-02-30' }))],
  ['an unknown state backend', 'cloud', edit(cloud, (d) => (d.state = { backend: 'consul', path: 'x' }))],
  ['an s3 backend without bucket', 'cloud', edit(cloud, (d) => delete d.state.bucket)],
  ['a negative price', 'cloud', edit(cloud, (d) => (d.prices.floatingIpPerMonth = -1))],
  ['priority above 1000', 'cloud', edit(cloud, (d) => (d.priority = 1001))],
  ['no availability zone', 'cloud', edit(cloud, (d) => (d.openstack.availabilityZones = []))],
  ['an auth URL that is not a URL', 'cloud', edit(cloud, (d) => (d.openstack.authUrl = 'identity.example'))],
  ['an upper-case catalog name', 'cloud', edit(cloud, (d) => (d.catalog.sizes = { Small: 'x' }))],
  ['UK in excludedSuppliers', 'client', edit(client, (d) => (d.policy.excludedSuppliers = { countries: ['UK'] }))],
  ['an unknown sensitivity', 'client', edit(client, (d) => (d.policy.sensitivity = 'secret-defense'))],
  ['a short pin justification', 'client', edit(client, (d) => (d.policy.pin = { cloud: 'sovereign-fr1', justification: 'too short' }))],
  ['a pin without cloud', 'client', edit(client, (d) => (d.policy.pin = { justification: 'long enough reason' }))],
  ['a missing policy', 'client', edit(client, (d) => delete d.policy)],
  ['an unknown dataLocation', 'client', edit(client, (d) => (d.policy.dataLocation = 'FR-IDF'))],
  [
    'a listener with an unknown method',
    'client',
    edit(
      client,
      (d) =>
        (d.service.loadBalancer = {
          subnet: 'web',
          listeners: [{ name: 'h', protocol: 'HTTP', port: 80, backend: { serverGroup: 'web', port: 80, method: 'RANDOM' } }],
        }),
    ),
  ],
  ['a DNS zone without trailing dot', 'client', edit(client, (d) => (d.service.dns = { zone: 'app.gouv.fr', email: 'dns@gouv.fr' }))],
  [
    'a server group of 0 servers',
    'client',
    edit(client, (d) => (d.service.serverGroups = [{ name: 'w', count: 0, size: 's', image: 'i', subnet: 'web' }])),
  ],
  ['a template with an unknown service key', 'template', edit(template, (d) => (d.service.firewall = {}))],
  ['a template without id', 'template', edit(template, (d) => delete d.id)],
];

describe('JSON Schema and zod agree', () => {
  it('on a corpus of at least 20 good and 20 bad files', () => {
    expect(GOOD.length).toBeGreaterThanOrEqual(20);
    expect(BAD.length).toBeGreaterThanOrEqual(20);
  });
  it.each(GOOD)('accept %s', (_name, kind, build) => {
    const d = build();
    expect(CONFIG_FILE_SCHEMAS[kind].safeParse(d).error?.issues).toBeUndefined();
    expect(validators[kind](d), JSON.stringify(validators[kind].errors)).toBe(true);
  });
  it.each(BAD)('reject %s', (_name, kind, build) => {
    const d = build();
    expect(CONFIG_FILE_SCHEMAS[kind].safeParse(d).success).toBe(false);
    expect(validators[kind](d)).toBe(false);
  });
});

describe('config reference', () => {
  it.each(CONFIG_FILE_KINDS)('describes every %s key', (kind) => {
    const rows = referenceRows(configJsonSchema(kind));
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.filter((r) => r.description === '').map((r) => r.path)).toEqual([]);
    const reference = readFileSync(join(repoRoot, 'docs', 'config-reference.md'), 'utf8');
    for (const r of rows) expect(reference).toContain(`| \`${r.path}\` |`);
  });
});
