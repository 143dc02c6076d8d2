/**
 * The validation cache: a load through it returns exactly what an uncached load returns, re-validates
 * a changed client file (and reports its errors as an uncached load does), and starts afresh when a
 * cloud or template file changes. With every client file cached, the clouds, templates and user data
 * are not validated again either: their validated form is stored for the estate folder as given.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEstate, validateWithCache, type SourceFile } from '../../core/config/index.js';

const work = mkdtempSync(join(tmpdir(), 'sovstack-validation-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let counter = 0;
function copyEstate(): string {
  const dir = join(work, `estate-${++counter}`);
  for (const folder of ['clouds', 'clients', 'templates', 'user-data'])
    cpSync(resolve('config', folder), join(dir, folder), { recursive: true });
  return dir;
}

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
}

/** The estate's files, as the loader reads them. */
function filesOf(dir: string): SourceFile[] {
  return ['clouds', 'clients', 'templates', 'user-data'].flatMap((folder) =>
    readdirSync(join(dir, folder))
      .sort()
      .map((name) => ({ path: join(dir, folder, name), text: readFileSync(join(dir, folder, name), 'utf8') })),
  );
}

describe('validation cache', () => {
  it('returns what an uncached load returns, cold and warm', async () => {
    const dir = copyEstate();
    const cacheDir = join(work, 'cache-same');
    const uncached = await loadEstate(dir);
    expect(uncached.ok).toBe(true);
    expect(await loadEstate(dir, { cacheDir })).toEqual(uncached);
    expect(readdirSync(cacheDir)).toHaveLength(1);
    expect(await loadEstate(dir, { cacheDir })).toEqual(uncached);
  });

  it('takes unchanged client files from the cache instead of validating them again', () => {
    const dir = copyEstate();
    const cacheDir = join(work, 'cache-used');
    const files = filesOf(dir);
    expect(validateWithCache(files, dir, cacheDir).ok).toBe(true);
    // Mark every stored client: a load that reads the cache returns the marks.
    const [store] = readdirSync(cacheDir);
    const path = join(cacheDir, store);
    const stored = deserialize(readFileSync(path)) as { clients: Record<string, { name: string }> };
    for (const client of Object.values(stored.clients)) client.name = `cached ${client.name}`;
    writeFileSync(path, serialize(stored));
    const warm = validateWithCache(files, dir, cacheDir);
    if (!warm.ok) throw new Error('estate invalid');
    expect(warm.estate.clients.map((c) => c.name.startsWith('cached '))).toEqual(warm.estate.clients.map(() => true));
  });

  it('with every client file cached, reuses the stored clouds, templates and warnings, for the same folder only', () => {
    const dir = copyEstate();
    const cacheDir = join(work, 'cache-without-clients');
    const files = filesOf(dir);
    const uncached = validateWithCache(files, dir, join(work, 'cache-reference'));
    expect(validateWithCache(files, dir, cacheDir)).toStrictEqual(uncached);
    const [store] = readdirSync(cacheDir);
    const path = join(cacheDir, store);
    type Stored = { withoutClients?: { dir: string; estate: { clouds: { name: string }[]; clients: unknown[] } } };
    const stored = deserialize(readFileSync(path)) as Stored;
    expect(stored.withoutClients?.dir).toBe(dir);
    expect(stored.withoutClients?.estate.clients).toEqual([]);
    // Marked: a load that reuses it returns the mark; the same folder given another way validates again.
    for (const cloud of stored.withoutClients!.estate.clouds) cloud.name = `stored ${cloud.name}`;
    writeFileSync(path, serialize(stored));
    const warm = validateWithCache(files, dir, cacheDir);
    expect(warm.ok && warm.estate.clouds.every((cloud) => cloud.name.startsWith('stored '))).toBe(true);
    expect(warm.ok && warm.estate.clients.map((c) => c.id)).toEqual(uncached.ok && uncached.estate.clients.map((c) => c.id));
    const otherwise = validateWithCache(files, `${dir}/`, cacheDir);
    expect(otherwise.ok && otherwise.estate.clouds.some((cloud) => cloud.name.startsWith('stored '))).toBe(false);
    expect(validateWithCache(files, dir, cacheDir)).toStrictEqual(uncached);
  });

  it('re-validates a changed client and reports its errors like an uncached load', async () => {
    const dir = copyEstate();
    const cacheDir = join(work, 'cache-changed');
    expect((await loadEstate(dir, { cacheDir })).ok).toBe(true);
    const file = join(dir, 'clients', 'meteo-archives.yaml');
    edit(file, 'sizeGb: 200', 'sizeGb: 250');
    const changed = await loadEstate(dir, { cacheDir });
    expect(changed).toEqual(await loadEstate(dir));
    if (!changed.ok) throw new Error('estate invalid');
    expect(JSON.stringify(changed.estate.clients.find((c) => c.id === 'meteo-archives'))).toContain('250');
    edit(file, 'sizeGb: 250', 'sizeGb: -1');
    const broken = await loadEstate(dir, { cacheDir });
    expect(broken.ok).toBe(false);
    expect(broken).toEqual(await loadEstate(dir));
  });

  it('starts afresh when a cloud changes: clients are validated against the new catalogs', async () => {
    const dir = copyEstate();
    const cacheDir = join(work, 'cache-cloud');
    expect((await loadEstate(dir, { cacheDir })).ok).toBe(true);
    // No cloud offers the size \`small\` any more: clients asking for it become invalid.
    for (const cloud of readdirSync(join(dir, 'clouds'))) edit(join(dir, 'clouds', cloud), '    small:', '    tiny:');
    const result = await loadEstate(dir, { cacheDir });
    expect(result.ok).toBe(false);
    expect(result).toEqual(await loadEstate(dir));
  });

  it('starts afresh when a user-data file changes: the clients naming it carry the new text', async () => {
    const dir = copyEstate();
    const cacheDir = join(work, 'cache-user-data');
    expect((await loadEstate(dir, { cacheDir })).ok).toBe(true);
    edit(join(dir, 'user-data', 'app.sh'), 'set -eu', 'set -eux');
    const result = await loadEstate(dir, { cacheDir });
    const titres = result.ok ? result.estate.clients.find((client) => client.id === 'interieur-titres') : undefined;
    expect(titres?.userData?.['user-data/app.sh']).toContain('set -eux');
    expect(result).toEqual(await loadEstate(dir));
  });
});
