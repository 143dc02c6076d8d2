/**
 * The README's configuration examples are real: extracted from README.md, they pass `sovstack validate`
 * (with the shipped template the client starts from), satisfy the JSON Schemas and place as the README says.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, validateEstate, formatConfigErrors } from '../../core/config/index.js';
import { place } from '../../core/placement/index.js';
import { repoRoot } from '../support/tools.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const configuration = readme.slice(readme.indexOf('## Configuration\n'), readme.indexOf('\n## ', readme.indexOf('## Configuration\n') + 1));
const blocks = [...configuration.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

describe('README configuration examples', () => {
  it('has a cloud and a client example', () => {
    expect(blocks).toHaveLength(2);
  });
  const [cloud = '', client = ''] = blocks;

  it('validate accepts them, with the template the client names', () => {
    const result = validateEstate([
      { path: 'config/clouds/sovereign-fr1.yaml', text: cloud },
      { path: 'config/clients/sante-exemple.yaml', text: client },
      { path: 'config/templates/web-3tier.yaml', text: readFileSync(join(repoRoot, 'config/templates/web-3tier.yaml'), 'utf8') },
      ...readdirSync(join(repoRoot, 'config/user-data')).map((name) => ({
        path: `config/user-data/${name}`,
        text: readFileSync(join(repoRoot, 'config/user-data', name), 'utf8'),
      })),
    ]);
    expect(result.ok ? '' : formatConfigErrors(result.errors)).toBe('');
    if (!result.ok) return;
    const placed = place(result.estate, { today: '2026-12-01' });
    expect(placed.failures).toEqual([]);
    expect(placed.placements.map((p) => p.cloud)).toEqual(['sovereign-fr1']);
  });

  it('the client shows every top-level service key and the policy keys', () => {
    const doc = parse(client) as { template?: string; service: Record<string, unknown> };
    expect(doc.template).toBe('web-3tier');
    const serviceKeys = Object.keys(
      (configJsonSchema('client') as { properties: { service: { properties: object } } }).properties.service.properties,
    );
    expect(Object.keys(doc.service).sort()).toEqual(serviceKeys.sort());
    for (const key of [
      'description',
      'group',
      'method',
      'dnsNameservers',
      'direction',
      'urlPath',
      'decommission',
      'userData',
      'rootDisk',
      'protectVolumes',
      'publicKey',
      'loadBalancerRecord',
    ])
      expect(client).toContain(`${key}:`);
  });

  it('both satisfy the JSON Schemas editors use', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
    addFormats.default(ajv);
    for (const [kind, text] of [
      ['cloud', cloud],
      ['client', client],
    ] as const) {
      const validate = ajv.compile(configJsonSchema(kind));
      expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
    }
  });
});
