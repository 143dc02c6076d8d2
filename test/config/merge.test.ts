import { describe, expect, it } from 'vitest';
import { formatConfigErrors, mergeService, validateEstate } from '../../core/config/index.js';
import { edit, errorsOf, exampleFiles, positionOf, withFile } from './helpers.js';

const TEMPLATE = 'config/templates/web-3tier.yaml';

function exampleText(path: string): string {
  return exampleFiles().find((f) => f.path === path)!.text;
}

describe('mergeService', () => {
  it('replaces whole top-level keys, keeps template-only keys and records where each came from', () => {
    const merged = mergeService(
      { publicPorts: [443], serverGroups: [{ name: 'web' }, { name: 'db' }], loadBalancer: { subnet: 'web' } },
      { serverGroups: [{ name: 'web' }], network: { cidr: '10.0.0.0/16' } },
    );
    expect(merged.service).toEqual({
      publicPorts: [443],
      serverGroups: [{ name: 'web' }],
      loadBalancer: { subnet: 'web' },
      network: { cidr: '10.0.0.0/16' },
    });
    expect(merged.origins).toEqual({ publicPorts: 'template', serverGroups: 'client', loadBalancer: 'template', network: 'client' });
  });

  it('treats a missing side as empty and keeps __proto__ as plain data', () => {
    const client = JSON.parse('{"__proto__": {"polluted": true}}') as unknown;
    const merged = mergeService(undefined, client);
    expect(Object.keys(merged.service)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(mergeService(null, 'nonsense')).toEqual({ service: {}, origins: {} });
  });
});

describe('template merge in the estate', () => {
  it('gives template clients the template keys they do not set, and their own where they do', () => {
    const result = validateEstate(exampleFiles());
    if (!result.ok) throw new Error(formatConfigErrors(result.errors));
    const byId = new Map(result.estate.clients.map((c) => [c.id, c]));
    const interieur = byId.get('interieur-titres')!;
    expect(interieur.template).toBe('web-3tier');
    expect(interieur.service.serverGroups.map((g) => [g.name, g.count])).toEqual([
      ['web', 2],
      ['app', 2],
      ['db', 1],
    ]);
    expect(interieur.service.network.cidr).toBe('10.10.0.0/16');
    const culture = byId.get('culture-portail')!;
    expect(culture.service.serverGroups.map((g) => g.count)).toEqual([1, 1, 1]);
    expect(culture.service.securityGroups.map((g) => g.name)).toEqual(['web', 'app', 'data']);
    expect(culture.service.publicPorts).toEqual([80, 443]);
  });

  it('reports a schema error inside the template once, against the template file', () => {
    const text = edit(exampleText(TEMPLATE), '      count: 1\n', '      count: 1\n      flavour: large\n');
    const errors = errorsOf(validateEstate(withFile(exampleFiles(), TEMPLATE, text)));
    expect(errors.map((e) => [e.file, e.kind, e.path.join('.'), e.line])).toEqual([
      [TEMPLATE, 'unknown-key', 'service.serverGroups.2.flavour', positionOf(text, 'flavour:').line],
    ]);
  });

  it('reports a template reference the client cannot satisfy against the template, naming the client', () => {
    const path = 'config/clients/douane-stats.yaml';
    const text = edit(exampleText(path), '      - { name: data, cidr: 10.50.3.0/24 }\n', '');
    const errors = errorsOf(validateEstate(withFile(exampleFiles(), path, text)));
    expect(errors.map((e) => [e.file, e.kind, e.path.join('.')])).toEqual([[TEMPLATE, 'reference', 'service.serverGroups.2.subnet']]);
    expect(errors[0].message).toContain('(in client `douane-stats`)');
    expect(errors[0].line).toBe(positionOf(exampleText(TEMPLATE), 'subnet: data').line);
  });

  it('reports a key missing from both client and template against the client', () => {
    const path = 'config/clients/douane-stats.yaml';
    const original = exampleText(path);
    const text = original.slice(0, original.indexOf('  network:')) + '  publicPorts: [443]\n';
    const errors = errorsOf(validateEstate(withFile(exampleFiles(), path, text)));
    expect(errors.map((e) => [e.file, e.kind, e.path.join('.')])).toEqual([[path, 'schema', 'service.network']]);
    expect(errors[0].message).toBe('missing required key `network` (expected object)');
    expect(errors[0].line).toBe(positionOf(text, 'service:').line);
  });
});
