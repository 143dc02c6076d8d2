/**
 * Reads an estate folder from disk and hands its files to `validateEstate` (`validate.ts`), on several threads for large estates.
 */
import { isAbsolute, join, relative } from 'node:path';
import type { ConfigError } from './errors.js';
import {
  clientFileCount,
  ESTATE_FOLDERS,
  estateFolderProblem,
  listEstateFolder,
  misplacedClientFile,
  readEstateFile,
  USER_DATA_FOLDER,
} from './estate-files.js';
import type { LoadResult, SourceFile } from './validate.js';
import { threadCount } from '../threads.js';
import { PARALLEL_VALIDATION_THRESHOLD, validateEstateOnThreads, ValidationWorkers } from './validate-threads.js';
import { hasValidationStore, validateWithCacheOnThreads } from './validation-cache.js';

/** Options of {@link loadEstate}. */
export interface LoadOptions {
  /**
   * Folder of the validation cache (`validation-cache.ts`): client files unchanged since the last
   * valid load are not parsed or validated again. Default: no cache.
   */
  cacheDir?: string;
  /**
   * Threads validating the client files that need it (not in the cache): this one and `jobs` − 1
   * worker threads, when there are at least 256 such files (`PARALLEL_VALIDATION_THRESHOLD`; fewer
   * are validated in this thread). Default: `SOVSTACK_JOBS` when set, else one per available core.
   * The result is the same whatever the value.
   */
  jobs?: number;
}

/** Path as shown in errors: relative to the working directory when the file lies under it, else as given. */
function displayPath(path: string): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** Reads the config files of one estate sub-folder into `files`, and what cannot be read into `errors`. */
async function readFolder(
  dir: string,
  folder: (typeof ESTATE_FOLDERS)[number] | typeof USER_DATA_FOLDER,
  files: SourceFile[],
  errors: ConfigError[],
): Promise<void> {
  const listed = await listEstateFolder(join(dir, folder), folder === USER_DATA_FOLDER);
  if (listed === undefined) {
    if (folder === 'clouds' || folder === 'clients') {
      errors.push({
        file: displayPath(join(dir, folder)),
        path: [],
        kind: 'file-name',
        message: `the estate has no ${folder}/ folder`,
        fix: `create ${join(dir, folder)}/ with one <id>.yaml per ${folder.slice(0, -1)}`,
      });
    }
    return;
  }
  if ('error' in listed) {
    errors.push({ ...listed.error, file: displayPath(listed.error.file) });
    return;
  }
  // Read a batch at a time: one file after the other, the four file-system calls per file of 1,000 client files left the
  // thread idle for ~0.4 s; batches keep the open descriptors bounded. Results are taken in name order.
  for (let start = 0; start < listed.names.length; start += READ_BATCH) {
    const paths = listed.names.slice(start, start + READ_BATCH).map((name) => join(dir, folder, name));
    const reads = await Promise.all(paths.map((path) => readEstateFile(path, displayPath(path), dir)));
    for (const [i, read] of reads.entries()) {
      const path = displayPath(paths[i]);
      const misplaced = 'text' in read ? misplacedClientFile(folder, path, read.text) : read.error;
      if (misplaced) errors.push(misplaced);
      else if ('text' in read) files.push({ path, text: read.text });
    }
  }
}

/** How many files of a folder are read at once. */
const READ_BATCH = 64;

/**
 * Paths (as shown in errors) of the config files in the estate `dir`, sorted by folder then name,
 * whether valid or not; what a report lists as checked.
 *
 * @example await estateFileNames('config') // ['config/clouds/sovereign-fr1.yaml', …]
 */
export async function estateFileNames(dir: string): Promise<string[]> {
  const names: string[] = [];
  for (const folder of ESTATE_FOLDERS) {
    const listed = await listEstateFolder(join(dir, folder));
    if (listed && 'names' in listed) names.push(...listed.names.map((name) => displayPath(join(dir, folder, name))));
  }
  return names;
}

/**
 * Loads and validates the estate in `dir`: `dir/clouds/*.yaml`, `dir/clients/*.yaml` and the
 * optional `dir/templates/*.yaml`, read in sorted order, and every file of the optional `dir/user-data/`
 * (the user data server groups name). Files ending in `.yml` are reported
 * (rename them to `.yaml`); other files and folders are ignored. A file that is a symbolic link is
 * read through the link when its target lies inside `dir`, and reported otherwise.
 *
 * Never throws for a bad estate or an unreadable one: every problem comes back in `errors`, with
 * file, path, line and column — a missing or unreadable folder or file, a folder or pipe named
 * `*.yaml`, a file that is not UTF-8 (with the offset of the first bad byte), a client file under
 * `clouds/`.
 *
 * @param dir estate folder, e.g. `config`
 * @param options e.g. `{ cacheDir: '.sovstack-cache/config' }`; default no cache
 * @example
 * const result = await loadEstate('config');
 * if (!result.ok) { console.error(formatConfigErrors(result.errors)); process.exitCode = 1; }
 * else console.log(result.estate.clients.map((c) => c.id));
 */
export async function loadEstate(dir: string, options: LoadOptions = {}): Promise<LoadResult> {
  const problem = await estateFolderProblem(dir);
  if (problem) return { ok: false, errors: [{ ...problem, file: displayPath(problem.file) }] };
  const workers = workersAhead(dir, options);
  try {
    const files: SourceFile[] = [];
    const unread: ConfigError[] = [];
    for (const folder of [...ESTATE_FOLDERS, USER_DATA_FOLDER] as const) await readFolder(dir, folder, files, unread);
    const result =
      options.cacheDir !== undefined
        ? await validateWithCacheOnThreads(files, dir, options.cacheDir, options.jobs, workers)
        : await validateEstateOnThreads(files, dir, options.jobs, workers);
    if (unread.length === 0) return result;
    return { ok: false, errors: [...unread, ...(result.ok ? [] : result.errors)] };
  } finally {
    await workers?.close();
  }
}

/**
 * Validation workers started before the files are read, so that their start overlaps the reads: for
 * an estate of at least `PARALLEL_VALIDATION_THRESHOLD` client files whose validation is not cached yet
 * (no cache, or no store of this estate in it), when more than one thread may validate. Otherwise
 * none: with a warm cache most files need no validation, and workers, when needed, start on demand.
 */
function workersAhead(dir: string, options: LoadOptions): ValidationWorkers | undefined {
  const threads = threadCount(options.jobs);
  if (threads <= 1 || (options.cacheDir !== undefined && hasValidationStore(dir, options.cacheDir))) return undefined;
  return clientFileCount(dir) >= PARALLEL_VALIDATION_THRESHOLD ? new ValidationWorkers(threads - 1) : undefined;
}
