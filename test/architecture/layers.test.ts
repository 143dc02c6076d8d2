/**
 * The folders are floors (docs/architecture.md): a module may import from its own floor or from a
 * floor below, never from one above. This test reads every import of every source module and fails
 * on any that runs back up, naming the file, the import and both floors.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');

/** Floor of each top-level source folder or file, bottom first. */
const FLOORS: readonly (readonly [string, number])[] = [
  ['.gen', 0],
  ['core', 1],
  ['constructs', 2],
  ['stacks', 3],
  ['app', 4],
  ['main.ts', 4],
];

export function floorOf(repoPath: string): number | undefined {
  const top = repoPath.split('/')[0] ?? '';
  return FLOORS.find(([name]) => name === top)?.[1];
}

function sources(dir: string, into: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sources(path, into);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) into.push(path);
  }
  return into;
}

/** Relative module specifiers of static imports, re-exports and dynamic `import('…')` calls. */
export function relativeImports(text: string): string[] {
  const found: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])(\.{1,2}\/[^'"]+)\1/gm;
  for (const match of text.matchAll(pattern)) found.push(match[2]);
  return found;
}

export interface UpwardImport {
  file: string;
  specifier: string;
  from: number;
  to: number;
}

/** Imports of the module at `file` (a repository path) whose text is `text` that run to a higher floor. */
export function upwardImports(file: string, text: string): UpwardImport[] {
  const from = floorOf(file);
  if (from === undefined) return [];
  const found: UpwardImport[] = [];
  for (const specifier of relativeImports(text)) {
    const to = floorOf(relative(root, resolve(root, dirname(file), specifier)));
    if (to !== undefined && to > from) found.push({ file, specifier, from, to });
  }
  return found;
}

describe('floors', () => {
  const files = [
    ...sources(join(root, 'core')),
    ...sources(join(root, 'constructs')),
    ...sources(join(root, 'stacks')),
    ...sources(join(root, 'app')),
    join(root, 'main.ts'),
  ];

  it('finds the source modules of every floor', () => {
    for (const [name] of FLOORS.filter(([n]) => n !== '.gen' && n !== 'main.ts')) {
      expect(
        files.some((f) => relative(root, f).startsWith(`${name}/`)),
        name,
      ).toBe(true);
    }
  });

  it('no module imports from a floor above its own', () => {
    const upward = files
      .flatMap((file) => upwardImports(relative(root, file), readFileSync(file, 'utf8')))
      .map((u) => `${u.file} imports ${u.specifier} (floor ${u.from} → ${u.to})`);
    expect(upward).toEqual([]);
  });

  it('catches an upward import, static, re-exported or dynamic, and allows downward ones', () => {
    const text = [
      "import { buildStacks } from '../../stacks/build.js';",
      "export * from '../../app/synth/run.js';",
      "const cli = await import('../../app/cli/main.js');",
      "import { place } from '../placement/index.js';",
      "import { provider } from '../../.gen/providers/openstack/index.js';",
    ].join('\n');
    expect(upwardImports('core/guardrails/x.ts', text).map((u) => [u.specifier, u.from, u.to])).toEqual([
      ['../../stacks/build.js', 1, 3],
      ['../../app/synth/run.js', 1, 4],
      ['../../app/cli/main.js', 1, 4],
    ]);
    expect(upwardImports('app/synth/x.ts', "import { ClientStack } from '../../stacks/client-stack.js';")).toEqual([]);
  });
});
