#!/usr/bin/env node
// Checks the file list of sovstack's tarball, as printed by `npm pack --json` (path given as argv[2]),
// run from the package root: nothing but the whitelist ships (no tests, fixtures, estate config, lab,
// toolchain or synth output), everything the export map, the bin and the schema check need is there,
// and every source map points at files that ship. Prints the tarball's size and file count.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

const [packJson] = process.argv.slice(2);
if (!packJson) {
  console.error('usage: consumer-pack-check.mjs <output of npm pack --json>');
  process.exit(2);
}
const [pack] = JSON.parse(readFileSync(packJson, 'utf8'));
const files = pack.files.map((f) => f.path);
const shipped = new Set(files);
const problems = [];

// Rules from the issue: never tests, fixtures, toolchain, synth output, the estate's config or the lab.
const forbidden = [
  [/^test\//, 'tests'],
  [/(^|\/)fixtures?(\/|$)/, 'fixtures'],
  [/(^|\/)__snapshots__\//, 'test snapshots'],
  [/\.(test|spec)\.[cm]?[jt]s(\.map)?$|\.(test|spec)\.d\.ts$/, 'test files'],
  [/(^|\/)\.tools(\/|$)/, 'toolchain'],
  [/(^|\/)cdktf\.out(\/|$)/, 'synth output'],
  [/^config\//, 'estate config'],
  [/^lab\//, 'lab'],
  [/(^|\/)\.terraform(\/|$)|\.tfstate|\.tsbuildinfo$|\.tgz$|(^|\/)node_modules\//, 'build or deploy leftovers'],
  [/^dist\/main\.(js|d\.ts|js\.map)$/, 'the repository’s own cdktf app (top-level await)'],
];
for (const path of files) {
  for (const [pattern, what] of forbidden) if (pattern.test(path)) problems.push(`${path}: ${what} must not ship`);
}

// Whitelist: anything else is an accident of the `files` field.
const allowed = [
  /^package\.json$/,
  /^README\.md$/,
  /^CHANGELOG\.md$/,
  /^LICENSE(\.\w+)?$/,
  /^schema\/openstack-provider\.json$/,
  /^dist\/(core|app|constructs|stacks|\.gen)\/.+\.(js|d\.ts|js\.map)$/,
  /^(core|app|constructs|stacks|\.gen)\/.+\.ts$/,
];
for (const path of files) if (!allowed.some((p) => p.test(path))) problems.push(`${path}: not in the package whitelist`);

// Everything the export map, the bin and the runtime schema check need.
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const required = new Set(['package.json', 'README.md', 'CHANGELOG.md', 'schema/openstack-provider.json']);
for (const target of Object.values(pkg.exports)) {
  for (const file of typeof target === 'string' ? [target] : Object.values(target)) required.add(normalize(file));
}
for (const bin of Object.values(pkg.bin ?? {})) required.add(normalize(bin));
for (const path of required) if (!shipped.has(path)) problems.push(`${path}: needed at runtime but missing`);

// Every module reachable from an entry or the bin by relative imports ships (e.g. the dot-folder dist/.gen).
const reachable = new Set();
const visit = (file) => {
  if (reachable.has(file) || !file.endsWith('.js') || !existsSync(file)) return;
  reachable.add(file);
  for (const m of readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    visit(normalize(join(dirname(file), m[1])));
  }
};
for (const path of required) visit(path);
for (const path of reachable) {
  if (!shipped.has(path) && !required.has(path)) problems.push(`${path}: imported at runtime but missing`);
}

// Source maps: every .js names a map that ships, every map names sources that ship.
for (const path of files.filter((p) => p.endsWith('.js'))) {
  const match = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(path, 'utf8'));
  if (!match) continue;
  const map = normalize(join(dirname(path), match[1]));
  if (!shipped.has(map)) {
    problems.push(`${path}: its source map ${map} does not ship`);
    continue;
  }
  const { sources = [] } = JSON.parse(readFileSync(map, 'utf8'));
  for (const source of sources) {
    const file = normalize(join(dirname(map), source));
    if (!shipped.has(file)) {
      problems.push(`${map}: source ${file} does not ship${existsSync(file) ? '' : ' (and no longer exists: stale build output?)'}`);
    }
  }
}

const kB = (n) => `${(n / 1024).toFixed(1)} kB`;
console.log(`tarball ${pack.filename}: ${pack.entryCount} files, ${kB(pack.size)} packed, ${kB(pack.unpackedSize)} unpacked`);
if (problems.length > 0) {
  console.error(`tarball content check failed (${problems.length}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('tarball content check: ok');
