// The raw baseline: a plain Node script that writes the same output folder as sovstack (every stack's
// cdk.tf.json, manifest.json, placement.json and placement.md, byte for byte) for clients 0..N-1 of a
// synthetic estate, by templating what sovstack emitted for one representative client of each kind.
// It does the work any generator must do (build each document, serialize it with sorted keys and
// cdktf's indentation, create folders, write files) and nothing else: no config parsing, no placement,
// no constructs, no token resolution.
//
// Usage: node bench/baseline.mjs <templates.json> <clients> <outdir> <configDir as recorded>
// Prints `{"ms": <wall time of the writing>}`.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [templatesFile, countText, outdir, configDir] = process.argv.slice(2);
const templates = JSON.parse(readFileSync(templatesFile, 'utf8'));
const count = Number(countText);

// Client i's id and network prefix, as bench/estate.ts derives them.
const clientId = (i) => `c${String(i).padStart(5, '0')}-${templates.kinds[i % templates.kinds.length].slug}`;
const prefix = (i) => `10.${100 + (i >> 8)}.${i & 255}.`;

// json-stable-stringify with `space: 2`, as cdktf writes stacks and the manifest: sorted keys, two
// spaces per level, empty arrays and objects spread over two lines, no trailing newline.
function stable(node, level) {
  if (node === null || typeof node !== 'object') return JSON.stringify(node);
  const indent = `\n${'  '.repeat(level)}`;
  const out = [];
  if (Array.isArray(node)) {
    for (const item of node) out.push(`${indent}  ${item === undefined ? 'null' : stable(item, level + 1)}`);
    return `[${out.join(',')}${indent}]`;
  }
  for (const key of Object.keys(node).sort()) {
    if (node[key] === undefined) continue;
    out.push(`${indent}  ${JSON.stringify(key)}: ${stable(node[key], level + 1)}`);
  }
  return `{${out.join(',')}${indent}}`;
}

// Replaces the representative's id and network prefix by the client's, in keys and strings.
function substitute(node, from, to) {
  if (typeof node === 'string') return node.split(from.id).join(to.id).split(from.prefix).join(to.prefix);
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map((item) => substitute(item, from, to));
  const out = {};
  for (const key of Object.keys(node)) out[substitute(key, from, to)] = substitute(node[key], from, to);
  return out;
}

const started = performance.now();
rmSync(outdir, { recursive: true, force: true });
mkdirSync(join(outdir, 'stacks'), { recursive: true });
const manifest = { stacks: {}, version: templates.manifestVersion };
const placements = [];
const rows = [];
const details = [];
for (let i = 0; i < count; i++) {
  const kind = templates.kinds[i % templates.kinds.length];
  const from = { id: kind.id, prefix: kind.prefix };
  const to = { id: clientId(i), prefix: prefix(i) };
  const stack = kind.stack.split(from.id).join(to.id);
  mkdirSync(join(outdir, 'stacks', stack));
  writeFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), stable(substitute(kind.tf, from, to), 0));
  manifest.stacks[stack] = substitute(kind.manifest, from, to);
  placements.push(substitute(kind.placement, from, to));
  rows.push(substitute(kind.mdRow, from, to));
  details.push(substitute(kind.mdDetails, from, to));
}
writeFileSync(join(outdir, 'manifest.json'), stable(manifest, 0));
const report = { toolkitVersion: templates.toolkitVersion, configDir, placements, clouds: templates.clouds };
writeFileSync(join(outdir, 'placement.json'), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(
  join(outdir, 'placement.md'),
  `${templates.mdHead}${rows.join('')}${templates.mdBetween}${details.join(templates.mdGap)}${templates.mdTail}`,
);
console.log(JSON.stringify({ ms: performance.now() - started }));
