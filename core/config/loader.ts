/**
 * Reads an estate folder from disk and hands its files to {@link validateEstate}.
 */
import { readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import type { ConfigError } from './errors.js';
import { validateEstate, type LoadResult, type SourceFile } from './validate.js';
import { validateWithCache } from './validation-cache.js';

/** Options of {@link loadEstate}. */
export interface LoadOptions {
  /**
   * Folder of the validation cache (`validation-cache.ts`): client files unchanged since the last
   * valid load are not parsed or validated again. Default: no cache.
   */
  cacheDir?: string;
}

/** Sub-folders of an estate that hold config files; any other folder (e.g. `lab/`) is ignored. */
export const ESTATE_FOLDERS = ['clouds', 'clients', 'templates'] as const;

/** Path as shown in errors: relative to the working directory when the file lies under it, else as given. */
function displayPath(path: string): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

async function listFolder(folder: string): Promise<string[] | undefined> {
  try {
    const entries = await readdir(folder, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.') && /\.ya?ml$/.test(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Loads and validates the estate in `dir`: `dir/clouds/*.yaml`, `dir/clients/*.yaml` and the
 * optional `dir/templates/*.yaml`, read in sorted order. Files ending in `.yml` are reported
 * (rename them to `.yaml`); other files and folders are ignored.
 *
 * Never throws for a bad estate: every problem comes back in `errors`, with file, path, line and
 * column. Throws only for I/O failures other than a missing folder.
 *
 * @param dir estate folder, e.g. `config`
 * @param options e.g. `{ cacheDir: '.sovstack-cache/config' }`; default no cache
 * @example
 * const result = await loadEstate('config');
 * if (!result.ok) { console.error(formatConfigErrors(result.errors)); process.exitCode = 1; }
 * else console.log(result.estate.clients.map((c) => c.id));
 */
export async function loadEstate(dir: string, options: LoadOptions = {}): Promise<LoadResult> {
  const files: SourceFile[] = [];
  const missing: ConfigError[] = [];
  for (const folder of ESTATE_FOLDERS) {
    const names = await listFolder(join(dir, folder));
    if (names === undefined) {
      if (folder !== 'templates') {
        missing.push({
          file: displayPath(join(dir, folder)),
          path: [],
          kind: 'file-name',
          message: `the estate has no ${folder}/ folder`,
          fix: `create ${join(dir, folder)}/ with one <id>.yaml per ${folder.slice(0, -1)}`,
        });
      }
      continue;
    }
    for (const name of names) {
      const path = join(dir, folder, name);
      files.push({ path: displayPath(path), text: await readFile(path, 'utf8') });
    }
  }
  const result = options.cacheDir !== undefined ? validateWithCache(files, dir, options.cacheDir) : validateEstate(files, dir);
  if (missing.length === 0) return result;
  return { ok: false, errors: [...missing, ...(result.ok ? [] : result.errors)] };
}
