/**
 * Incremental synth: the cache reuses exactly the stacks whose inputs did not change, and a cached
 * run writes the same bytes as a cold run. The stack-at-a-time synth itself is checked against
 * cdktf's own `App.synth()` of the whole estate, the way stacks were synthesized before.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'cdktf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEstate } from '../../core/config/index.js';
import { toolkitVersion } from '../../core/package-info.js';
import { place } from '../../core/placement/index.js';
import { codeFingerprint, defaultCacheDir } from '../../app/synth/cache.js';
import { synthEstate, synthPlacedEstate, type SynthOutcome } from '../../app/synth/run.js';
import { buildStacks } from '../../stacks/index.js';
import { snapshotTree } from '../support/files.js';

const exampleConfig = resolve('config');
const work = mkdtempSync(join(tmpdir(), 'sovstack-incremental-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let counter = 0;
/** A fresh copy of the example estate. */
function copyEstate(): string {
  const dir = join(work, `estate-${++counter}`);
  for (const folder of ['clouds', 'clients', 'templates', 'user-data'])
    cpSync(join(exampleConfig, folder), join(dir, folder), { recursive: true });
  return dir;
}

function ok(outcome: SynthOutcome): Extract<SynthOutcome, { ok: true }> {
  if (!outcome.ok) throw new Error(`synth failed (${outcome.stage}): ${outcome.message}`);
  return outcome;
}

/** A cold run without cache into a new folder: the reference output of `configDir`. */
async function coldSnapshot(configDir: string): Promise<Record<string, string>> {
  const outdir = join(work, `cold-${++counter}`, 'cdktf.out');
  const outcome = ok(await synthEstate({ configDir, outdir, cache: false }));
  expect(outcome.cache).toBeUndefined();
  expect(existsSync(defaultCacheDir(outdir))).toBe(false);
  return snapshotTree(outdir);
}

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
}

let stacks: string[] = [];
let onCloud: Record<string, string[]> = {};
let exampleCold: Record<string, string> = {};

beforeAll(async () => {
  const outdir = join(work, 'reference', 'cdktf.out');
  const outcome = ok(await synthEstate({ configDir: exampleConfig, outdir, cache: false }));
  stacks = outcome.stacks;
  exampleCold = snapshotTree(outdir);
  onCloud = {};
  for (const p of outcome.placements) (onCloud[p.cloud] ??= []).push(`${p.client}-${p.cloud}`);
});

describe('stack-at-a-time synth', () => {
  it('writes the stacks and manifest that App.synth() writes for the whole estate', async () => {
    const loaded = await loadEstate(exampleConfig);
    if (!loaded.ok) throw new Error('example estate invalid');
    const result = place(loaded.estate);
    const outdir = join(work, 'app-synth');
    const app = new App({ outdir, skipValidation: false });
    buildStacks(app, { clouds: loaded.estate.clouds, clients: loaded.estate.clients, placements: result.placements, toolkitVersion });
    app.synth();
    const expected = snapshotTree(outdir);
    expect(Object.keys(expected).filter((p) => p.startsWith('stacks/'))).toHaveLength(stacks.length);
    const ours = Object.fromEntries(Object.entries(exampleCold).filter(([path]) => path in expected || path.startsWith('stacks/')));
    expect(ours).toEqual(expected);
  });

  it('is deterministic: two cold runs write the same bytes', async () => {
    expect(await coldSnapshot(exampleConfig)).toEqual(exampleCold);
  });
});

describe('incremental synth cache', () => {
  it('misses every stack on an empty cache, hits every stack on a rerun, and writes the cold bytes both times', async () => {
    const configDir = copyEstate();
    const outdir = join(work, 'rerun', 'cdktf.out');
    const first = ok(await synthEstate({ configDir, outdir }));
    expect(first.cache?.dir).toBe(defaultCacheDir(outdir));
    expect(first.cache?.misses).toEqual(stacks);
    expect(first.cache?.hits).toEqual([]);
    const cold = snapshotTree(outdir);
    expect(cold).toEqual(await coldSnapshot(configDir));

    const second = ok(await synthEstate({ configDir, outdir }));
    expect(second.cache?.hits).toEqual(stacks);
    expect(second.cache?.misses).toEqual([]);
    expect(second.stacks).toEqual(first.stacks);
    expect(snapshotTree(outdir)).toEqual(cold);
  });

  it('rebuilds only the stack of a changed client', async () => {
    const configDir = copyEstate();
    const outdir = join(work, 'one-client', 'cdktf.out');
    const cache = { dir: join(work, 'one-client-cache') };
    ok(await synthEstate({ configDir, outdir, cache }));
    edit(join(configDir, 'clients', 'meteo-archives.yaml'), 'sizeGb: 200', 'sizeGb: 250');
    const outcome = ok(await synthEstate({ configDir, outdir, cache }));
    expect(outcome.cache?.misses).toEqual(['meteo-archives-vendor-eu-west-0']);
    expect(outcome.cache?.hits).toEqual(stacks.filter((s) => s !== 'meteo-archives-vendor-eu-west-0'));
    const after = snapshotTree(outdir);
    expect(after['stacks/meteo-archives-vendor-eu-west-0/cdk.tf.json']).not.toEqual(
      exampleCold['stacks/meteo-archives-vendor-eu-west-0/cdk.tf.json'],
    );
    expect(after).toEqual(await coldSnapshot(configDir));
  });

  it('rebuilds every client on a cloud whose catalog changed, and no other', async () => {
    const configDir = copyEstate();
    const outdir = join(work, 'catalog', 'cdktf.out');
    ok(await synthEstate({ configDir, outdir }));
    edit(
      join(configDir, 'clouds', 'vendor-eu-west-0.yaml'),
      'debian-12: 3f6e1b2a-9c4d-4e8f-a1b7-5d2c8e9f0a13',
      'debian-12: 3f6e1b2a-9c4d-4e8f-a1b7-5d2c8e9f0a14',
    );
    const outcome = ok(await synthEstate({ configDir, outdir }));
    const vendor = onCloud['vendor-eu-west-0'] ?? [];
    expect(vendor.length).toBeGreaterThan(0);
    expect(outcome.cache?.misses).toEqual([...vendor].sort());
    expect(outcome.cache?.hits).toEqual(stacks.filter((s) => !vendor.includes(s)));
    expect(snapshotTree(outdir)).toEqual(await coldSnapshot(configDir));
  });

  it('rebuilds the stack of a client whose placement moved, under its new name, and drops the old one', async () => {
    const configDir = copyEstate();
    const outdir = join(work, 'moved', 'cdktf.out');
    ok(await synthEstate({ configDir, outdir }));
    // culture-portail has no preference and lands on the priority-10 cloud; a preference moves it.
    edit(
      join(configDir, 'clients', 'culture-portail.yaml'),
      'sensitivity: standard',
      'sensitivity: standard\n  preferredClouds: [vendor-eu-west-0]',
    );
    const outcome = ok(await synthEstate({ configDir, outdir }));
    expect(outcome.cache?.misses).toEqual(['culture-portail-vendor-eu-west-0']);
    expect(outcome.stacks).not.toContain('culture-portail-sovereign-fr1');
    expect(snapshotTree(outdir)).toEqual(await coldSnapshot(configDir));
  });

  it('rebuilds everything when the toolkit version or the code changes', async () => {
    const loaded = await loadEstate(exampleConfig);
    if (!loaded.ok) throw new Error('example estate invalid');
    const result = place(loaded.estate);
    const outdir = join(work, 'versions', 'cdktf.out');
    const cache = { dir: join(work, 'versions-cache') };
    const base = { estate: loaded.estate, result, configDir: exampleConfig, outdir, keepOrphanStacks: false, cache };
    const run = async (version: string, code: string) => ok(await synthPlacedEstate({ ...base, toolkitVersion: version, code }));

    expect((await run(toolkitVersion, codeFingerprint())).cache?.misses).toEqual(stacks);
    expect((await run(toolkitVersion, codeFingerprint())).cache?.misses).toEqual([]);
    const bumped = await run('99.0.0', codeFingerprint());
    expect(bumped.cache?.misses).toEqual(stacks);
    expect(readFileSync(join(outdir, 'stacks', stacks[0], 'cdk.tf.json'), 'utf8')).toContain('99.0.0');
    expect((await run('99.0.0', codeFingerprint())).cache?.hits).toEqual(stacks);
    expect((await run('99.0.0', 'another build of sovstack')).cache?.misses).toEqual(stacks);
    // Back to the real version and code: the entries of the other runs were pruned, so all are rebuilt.
    expect((await run(toolkitVersion, codeFingerprint())).cache?.misses).toEqual(stacks);
    expect(snapshotTree(outdir)).toEqual(exampleCold);
  });

  it('treats a damaged entry as a miss and still writes the cold bytes', async () => {
    const outdir = join(work, 'damaged', 'cdktf.out');
    const cache = { dir: join(work, 'damaged-cache') };
    ok(await synthEstate({ configDir: exampleConfig, outdir, cache }));
    const entries = readdirSync(join(cache.dir, 'v1'));
    expect(entries).toHaveLength(stacks.length);
    const victim = entries.find((e) => e.startsWith('interieur-titres-'))!;
    const path = join(cache.dir, 'v1', victim);
    writeFileSync(path, readFileSync(path).subarray(0, 300));
    // With the output gone, the entries have to be read.
    rmSync(outdir, { recursive: true, force: true });
    const outcome = ok(await synthEstate({ configDir: exampleConfig, outdir, cache }));
    expect(outcome.cache?.misses).toEqual(['interieur-titres-sovereign-fr1']);
    expect(snapshotTree(outdir)).toEqual(exampleCold);
  });

  it('recognises stacks already in the output from their size and time, without reading the entries', async () => {
    const outdir = join(work, 'by-stat', 'cdktf.out');
    const cache = { dir: join(work, 'by-stat-cache') };
    ok(await synthEstate({ configDir: exampleConfig, outdir, cache }));
    // Truncated entries would all be misses if they were read.
    for (const entry of readdirSync(join(cache.dir, 'v1'))) writeFileSync(join(cache.dir, 'v1', entry), 'x');
    const outcome = ok(await synthEstate({ configDir: exampleConfig, outdir, cache }));
    expect(outcome.cache?.hits).toEqual(stacks);
    expect(snapshotTree(outdir)).toEqual(exampleCold);
  });

  it('rewrites placement.json and placement.md only when their content changes', async () => {
    const configDir = copyEstate();
    const outdir = join(work, 'reports', 'cdktf.out');
    ok(await synthEstate({ configDir, outdir }));
    const mtime = (name: string) => statSync(join(outdir, name)).mtimeMs;
    const before = { json: mtime('placement.json'), md: mtime('placement.md'), manifest: mtime('manifest.json') };
    await new Promise((done) => setTimeout(done, 20));
    ok(await synthEstate({ configDir, outdir }));
    expect({ json: mtime('placement.json'), md: mtime('placement.md') }).toEqual({ json: before.json, md: before.md });
    // A rule's description changes the stack, not the placement.
    edit(join(configDir, 'clients', 'sante-dossiers.yaml'), 'SSH from the admin bastion network', 'SSH from the bastion');
    expect(ok(await synthEstate({ configDir, outdir })).cache?.misses).toEqual(['sante-dossiers-sovereign-fr1']);
    expect({ json: mtime('placement.json'), md: mtime('placement.md') }).toEqual({ json: before.json, md: before.md });
    edit(join(configDir, 'clouds', 'vendor-eu-west-0.yaml'), 'name: ', 'name: Renamed ');
    ok(await synthEstate({ configDir, outdir }));
    expect(mtime('placement.json')).not.toBe(before.json);
    expect(snapshotTree(outdir)).toEqual(await coldSnapshot(configDir));
  });

  it('restores a cached stack whose output folder was edited or holds extra files', async () => {
    const outdir = join(work, 'edited', 'cdktf.out');
    const cache = { dir: join(work, 'edited-cache') };
    ok(await synthEstate({ configDir: exampleConfig, outdir, cache }));
    const edited = join(outdir, 'stacks', 'douane-stats-sovereign-fr1', 'cdk.tf.json');
    writeFileSync(edited, readFileSync(edited, 'utf8').replace('"version"', '"versjon"'));
    writeFileSync(join(outdir, 'stacks', 'insee-calcul-sovereign-fr1', 'stray.txt'), 'left behind\n');
    const outcome = ok(await synthEstate({ configDir: exampleConfig, outdir, cache }));
    expect(outcome.cache?.hits).toEqual(stacks);
    expect(snapshotTree(outdir)).toEqual(exampleCold);
  });

  it('leaves the output and the cache entries of the last good run in place when a run fails', async () => {
    const configDir = copyEstate();
    const outdir = join(work, 'failing', 'cdktf.out');
    const cache = { dir: join(work, 'failing-cache') };
    ok(await synthEstate({ configDir, outdir, cache }));
    const before = snapshotTree(outdir);
    // A world-open SSH rule fails the guardrails at synth time.
    edit(join(configDir, 'clients', 'meteo-archives.yaml'), 'ports: 22, cidr: 198.51.100.0/24', 'ports: 22, cidr: 0.0.0.0/0');
    const failed = await synthEstate({ configDir, outdir, cache });
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect(failed.stage).toBe('synth');
    expect(snapshotTree(outdir)).toEqual(before);
    edit(join(configDir, 'clients', 'meteo-archives.yaml'), 'ports: 22, cidr: 0.0.0.0/0', 'ports: 22, cidr: 198.51.100.0/24');
    const again = ok(await synthEstate({ configDir, outdir, cache }));
    expect(again.cache?.misses).toEqual([]);
    expect(snapshotTree(outdir)).toEqual(before);
  });
});
