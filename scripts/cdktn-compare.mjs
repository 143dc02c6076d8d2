#!/usr/bin/env node
// Compares two synth output folders, one made with cdktf and one with CDK Terrain (cdktn), and exits non-zero on any
// difference other than the two a toolkit change explains:
//   1. the toolkit version each records: `version` in manifest.json and `//.metadata.version` in each cdk.tf.json
//      (each must equal the version given on the command line, then both are dropped);
//   2. how an empty array is printed: cdktf 0.21 writes `[` and `]` on two lines, cdktn 0.24 writes `[]`. The text
//      of every JSON file is normalized explicitly (`[`, newline, indentation, `]` → `[]`) and the files whose only
//      other printing difference this was are counted in the summary.
// JSON files are then compared as documents, key order included (JSON.stringify of both parsed documents).
// Every other file (placement.md, …) must be byte-equal, and both folders must hold the same files.
//
// Usage: node scripts/cdktn-compare.mjs <cdktf.out> <cdktf-version> <cdktn.out> <cdktn-version>
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const [refDir, refVersion, newDir, newVersion] = process.argv.slice(2);
if (!newVersion) {
  console.error('usage: cdktn-compare.mjs <cdktf.out> <cdktf-version> <cdktn.out> <cdktn-version>');
  process.exit(2);
}

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** The recorded toolkit version of a parsed file, removed from it; `undefined` when the file records none. */
function takeVersion(file, json) {
  if (file === 'manifest.json') {
    const { version } = json;
    delete json.version;
    return version;
  }
  const metadata = json['//']?.metadata;
  if (file.endsWith('cdk.tf.json') && metadata) {
    const { version } = metadata;
    delete metadata.version;
    return version;
  }
  return undefined;
}

const EMPTY_ARRAY_ON_TWO_LINES = /\[\n\s*\]/g;

const printsEmptyArrayOnTwoLines = (text) => /\[\n\s*\]/.test(text);

function normalizedJson(file, text, expectedVersion, problems) {
  const json = JSON.parse(text.replace(EMPTY_ARRAY_ON_TWO_LINES, '[]'));
  const version = takeVersion(file, json);
  if (version !== undefined && version !== expectedVersion) {
    problems.push(`${file}: records version ${version}, expected ${expectedVersion}`);
  }
  return JSON.stringify(json, null, 2);
}

const problems = [];
let emptyArrayPrinting = 0;
const refFiles = filesUnder(refDir);
const newFiles = filesUnder(newDir);
for (const file of refFiles.filter((f) => !newFiles.includes(f))) problems.push(`${file}: only in ${refDir}`);
for (const file of newFiles.filter((f) => !refFiles.includes(f))) problems.push(`${file}: only in ${newDir}`);
for (const file of refFiles.filter((f) => newFiles.includes(f))) {
  const a = readFileSync(join(refDir, file), 'utf8');
  const b = readFileSync(join(newDir, file), 'utf8');
  const same = file.endsWith('.json')
    ? normalizedJson(file, a, refVersion, problems) === normalizedJson(file, b, newVersion, problems)
    : a === b;
  if (same && printsEmptyArrayOnTwoLines(a) !== printsEmptyArrayOnTwoLines(b)) emptyArrayPrinting++;
  if (!same) problems.push(`${file}: differs (diff -r ${join(refDir, file)} ${join(newDir, file)})`);
}
if (refFiles.length === 0) problems.push(`${refDir}: no files`);

if (problems.length > 0) {
  console.error(`cdktn-compare: ${problems.length} difference(s):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(
  `cdktn-compare: ${refFiles.length} files equal apart from the toolkit version (cdktf ${refVersion}, cdktn ${newVersion}); ` +
    `${emptyArrayPrinting} of them print empty arrays differently`,
);
