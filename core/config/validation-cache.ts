/**
 * A cache of validated client files, so that loading a large estate re-parses and re-validates only
 * the files that changed.
 *
 * Everything {@link validateEstate} checks about a client file depends only on that file and on the
 * estate's cloud and template files (ids match file names, so two client files never clash). An
 * entry therefore maps the SHA-256 of a client file's path and bytes to the {@link ClientConfig}
 * validation produced from it, and the whole cache is tied to a hash of every cloud and template
 * file and of the config code itself: a changed cloud, template or sovstack version starts afresh.
 * Only files that validated without any error are cached, and the cross-file step runs on every
 * file that is not cached together with all cloud and template files. Entries are stored with
 * `v8.serialize` (values come back exactly, `undefined` and dates included).
 *
 * When no client file needs validating, what is left to validate (the cloud, template and user-data
 * files) is exactly what the store's context hash covers: its validated form, the estate without its
 * clients (clouds, templates and the clouds' warnings, none of which depends on a client file), is
 * stored too, for the estate folder as given, and reused as is.
 *
 * Layout: `<dir>/estate-<hash of the estate folder>.v8`, written atomically (write-file-atomic, no fsync).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import writeFileAtomic from 'write-file-atomic';
import type { ClientConfig } from './schema.js';
import { byId, isClientFile, validateEstate, type Estate, type LoadResult, type SourceFile } from './validate.js';
import { validateEstateOnThreads, type ValidationWorkers } from './validate-threads.js';

/** Bump when the stored form changes. */
const FORMAT = 'validation-cache-v1';

interface Stored {
  format: string;
  /** Hash of the config code, cloud and template files the entries were validated against. */
  context: string;
  /** Hash of a client file's path and bytes → its validated config. */
  clients: Record<string, ClientConfig>;
  /** The validated cloud, template and user-data files (the estate without clients) of the folder `dir`. */
  withoutClients?: { dir: string; estate: Estate };
}

function sha256(...parts: (string | Buffer)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}

let codeHash: string | undefined;

/** Hash of the modules that parse and validate config (this folder and the secret detector). */
function configCodeHash(): string {
  if (codeHash !== undefined) return codeHash;
  const here = dirname(fileURLToPath(import.meta.url));
  const parts: (string | Buffer)[] = [FORMAT];
  for (const folder of [here, join(here, '..', 'secrets')]) {
    for (const name of readdirSync(folder).sort()) {
      if (/\.(js|ts)$/.test(name) && !name.endsWith('.d.ts')) parts.push(name, readFileSync(join(folder, name)));
    }
  }
  codeHash = sha256(...parts);
  return codeHash;
}

function readStore(path: string, context: string): Pick<Stored, 'clients' | 'withoutClients'> {
  try {
    const stored = deserialize(readFileSync(path)) as Stored;
    if (stored.format !== FORMAT || stored.context !== context || typeof stored.clients !== 'object') return { clients: {} };
    return { clients: stored.clients, ...(stored.withoutClients ? { withoutClients: stored.withoutClients } : {}) };
  } catch {
    return { clients: {} };
  }
}

function writeStore(path: string, stored: Stored): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    // A cache: no fsync; a crash loses at most the time to rebuild it.
    writeFileAtomic.sync(path, serialize(stored), { fsync: false });
  } catch {
    // A cache that cannot be written only costs time on the next run.
  }
}

/** The store of the estate folder `dir` in `cacheDir`. */
const storePath = (dir: string, cacheDir: string): string => join(cacheDir, `estate-${sha256(resolve(dir)).slice(0, 16)}.v8`);

/**
 * Whether `cacheDir` holds validated client files of the estate folder `dir` (from any earlier load,
 * maybe of other contents): a load is then likely to find most of them there.
 *
 * @example hasValidationStore('config', '.sovstack-cache/.validation')
 */
export function hasValidationStore(dir: string, cacheDir: string): boolean {
  return existsSync(storePath(dir, cacheDir));
}

/** The cache's view of a load: the files to validate, and what completes the result once they are. */
interface Lookup {
  /** Clouds, templates and user data, with the client files not in the cache: what must be validated. */
  toValidate: SourceFile[];
  /** The validated form of `toValidate` when the store holds it (every client file cached): nothing to validate. */
  known?: LoadResult;
  complete: (result: LoadResult) => LoadResult;
}

function lookup(files: readonly SourceFile[], dir: string, cacheDir: string): Lookup {
  const context = files.filter((file) => !isClientFile(file)).sort((a, b) => (a.path < b.path ? -1 : 1));
  const contextHash = sha256(configCodeHash(), ...context.flatMap((file) => [file.path, file.text]));
  const store = storePath(dir, cacheDir);
  const { clients: cached, withoutClients } = readStore(store, contextHash);
  const keyed = files.filter(isClientFile).map((file) => ({ file, key: sha256(file.path, file.text) }));
  const known = keyed.filter(({ key }) => cached[key] !== undefined);
  const fresh = keyed.filter(({ key }) => cached[key] === undefined);
  const reused = fresh.length === 0 && withoutClients?.dir === dir ? withoutClients.estate : undefined;
  const complete = (result: LoadResult): LoadResult => {
    if (!result.ok) return result;
    const built = new Map(result.estate.clients.map((client) => [client.id, client] as const));
    const clients: Stored['clients'] = {};
    for (const { key } of known) clients[key] = cached[key];
    for (const { file, key } of fresh) {
      const client = built.get(file.path.replace(/^.*[\\/]/, '').replace(/\.yaml$/, ''));
      if (client) clients[key] = client;
    }
    if (fresh.length > 0 || Object.keys(cached).length !== known.length || reused === undefined) {
      const estate = reused ?? { ...result.estate, clients: [] };
      writeStore(store, { format: FORMAT, context: contextHash, clients, withoutClients: { dir, estate } });
    }
    const all = [...result.estate.clients, ...known.map(({ key }) => cached[key])];
    return { ok: true, estate: { ...result.estate, clients: all.sort(byId) } };
  };
  return {
    toValidate: [...context, ...fresh.map(({ file }) => file)],
    ...(reused !== undefined ? { known: { ok: true, estate: reused } as const } : {}),
    complete,
  };
}

/**
 * {@link validateEstate} of `files`, reusing the validated form of every client file unchanged since
 * a previous valid load of the same estate folder with the same clouds and templates. The result is
 * the one `validateEstate(files, dir)` returns.
 *
 * @param cacheDir folder holding the cache; created when missing. A cache that cannot be read or
 * written is ignored.
 * @example
 * const result = validateWithCache(files, 'config', '.sovstack-cache/config');
 */
export function validateWithCache(files: readonly SourceFile[], dir: string, cacheDir: string): LoadResult {
  const { toValidate, known, complete } = lookup(files, dir, cacheDir);
  return complete(known ?? validateEstate(toValidate, dir));
}

/**
 * {@link validateWithCache}, the client files not in the cache validated on `jobs` threads
 * ({@link validateEstateOnThreads}, with `workers` started ahead when given). Same result.
 *
 * @example
 * const result = await validateWithCacheOnThreads(files, 'config', '.sovstack-cache/config');
 */
export async function validateWithCacheOnThreads(
  files: readonly SourceFile[],
  dir: string,
  cacheDir: string,
  jobs?: number,
  workers?: ValidationWorkers,
): Promise<LoadResult> {
  const { toValidate, known, complete } = lookup(files, dir, cacheDir);
  return complete(known ?? (await validateEstateOnThreads(toValidate, dir, jobs, workers)));
}
