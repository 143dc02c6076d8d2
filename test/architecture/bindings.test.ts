/**
 * schema/bindings.json lists exactly the OpenStack types sovstack's constructs and stacks use: a listed
 * type nothing imports is dead generated code; an imported binding not listed vanishes at the next
 * `npm run gen`. This test reads the imports from the generated bindings and compares both lists.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');

/** The namespace cdktf generates for a type: `openstack_dns_zone_v2` → `dnsZoneV2`, a data source gets `dataOpenstack…`. */
export function bindingName(type: string, kind: 'resource' | 'data'): string {
  const words = (kind === 'data' ? `data_${type}` : type.replace(/^openstack_/, '')).split('_');
  return words.map((word, i) => (i === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1))).join('');
}

/** Names imported from the generated bindings (`.gen/providers/openstack/index.js`) by one module, `provider` aside. */
export function importedBindings(text: string): string[] {
  const pattern = /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*['"][^'"]*\.gen\/providers\/openstack\/index\.js['"]/g;
  return [...text.matchAll(pattern)]
    .flatMap((match) => match[1].split(','))
    .map(
      (name) =>
        name
          .trim()
          .replace(/^type\s+/, '')
          .split(/\s+as\s+/)[0],
    )
    .filter((name) => name !== '' && name !== 'provider');
}

/** What is listed but not imported, and imported but not listed. */
export function bindingDrift(listed: readonly string[], imported: readonly string[]): { unused: string[]; unlisted: string[] } {
  return {
    unused: listed.filter((name) => !imported.includes(name)).sort(),
    unlisted: [...new Set(imported)].filter((name) => !listed.includes(name)).sort(),
  };
}

function sources(dir: string, into: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sources(path, into);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) into.push(path);
  }
  return into;
}

describe('schema/bindings.json', () => {
  const config = JSON.parse(readFileSync(join(root, 'schema', 'bindings.json'), 'utf8')) as { resources: string[]; dataSources: string[] };
  const listed = [...config.resources.map((t) => bindingName(t, 'resource')), ...config.dataSources.map((t) => bindingName(t, 'data'))];
  const imported = ['constructs', 'stacks'].flatMap((dir) =>
    sources(join(root, dir)).flatMap((file) => importedBindings(readFileSync(file, 'utf8'))),
  );

  it('lists exactly the bindings the constructs and stacks import', () => {
    expect(imported.length).toBeGreaterThan(0);
    expect(bindingDrift(listed, imported)).toEqual({ unused: [], unlisted: [] });
  });

  it('names the bindings as the generator does', () => {
    const generated = readFileSync(join(root, '.gen', 'providers', 'openstack', 'index.ts'), 'utf8');
    const exported = [...generated.matchAll(/export \* as (\w+) from/g)].map((m) => m[1]).filter((n) => n !== 'provider');
    expect([...exported].sort()).toEqual([...listed].sort());
  });
});

describe('binding drift detection', () => {
  it('derives binding names from type names', () => {
    expect(bindingName('openstack_dns_zone_v2', 'resource')).toBe('dnsZoneV2');
    expect(bindingName('openstack_networking_network_v2', 'data')).toBe('dataOpenstackNetworkingNetworkV2');
  });

  it('reads named imports from the generated bindings only', () => {
    const text = [
      "import { dnsZoneV2, type lbPoolV2, provider } from '../.gen/providers/openstack/index.js';",
      "import { Construct } from 'constructs';",
      "import {\n  networkingPortV2 as port,\n} from '../../.gen/providers/openstack/index.js';",
    ].join('\n');
    expect(importedBindings(text)).toEqual(['dnsZoneV2', 'lbPoolV2', 'networkingPortV2']);
  });

  it('reports a listed type nothing imports and an imported binding not listed', () => {
    expect(bindingDrift(['dnsZoneV2', 'computeKeypairV2'], ['dnsZoneV2', 'lbPoolV2'])).toEqual({
      unused: ['computeKeypairV2'],
      unlisted: ['lbPoolV2'],
    });
  });
});
