#!/usr/bin/env node
// Before `tsc` (npm's prebuild): deletes what dist/ holds for TypeScript sources that no longer
// exist (a moved or deleted module), so a stale dist/ cannot be imported by the tests or packed,
// while the incremental build (dist/.tsbuildinfo) keeps its speed for everything else.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
const outputSuffixes = ['.d.ts.map', '.d.ts', '.js.map', '.js'];

function sourceOf(output) {
  const suffix = outputSuffixes.find((s) => output.endsWith(s));
  return suffix === undefined ? undefined : join(root, `${relative(dist, output).slice(0, -suffix.length)}.ts`);
}

function prune(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      prune(path);
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
      continue;
    }
    const source = sourceOf(path);
    if (source !== undefined && !existsSync(source)) rmSync(path);
  }
}

if (existsSync(dist)) prune(dist);
