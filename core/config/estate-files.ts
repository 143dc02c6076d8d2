/**
 * The file-system edges of loading an estate: the estate folder itself, the entries of its
 * sub-folders and the bytes of each file. Every problem becomes a {@link ConfigError} naming the file
 * and the fix; nothing here throws for a bad estate.
 *
 * Symbolic links are followed when they end inside the estate folder (e.g. a client file shared by
 * two estate folders of one repository is linked, not copied) and refused otherwise, so that an
 * estate never reads a file the reviewer of its folder cannot see. A link is never skipped silently.
 */
import { readdirSync } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import type { ConfigError } from './errors.js';

/** An I/O error's code, e.g. `EACCES`, or its message when it has none. */
function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
}

/** Sub-folders of an estate that hold config files; any other folder (e.g. `lab/`) is ignored. */
export const ESTATE_FOLDERS = ['clouds', 'clients', 'templates'] as const;

/** Folder of the estate that holds user-data files; a server group's `userData` names a file in it. */
export const USER_DATA_FOLDER = 'user-data';

const fileError = (file: string, message: string, fix: string): ConfigError => ({ file, path: [], kind: 'file', message, fix });

/**
 * Why `dir` cannot be read as an estate folder, or undefined when it can.
 *
 * @example await estateFolderProblem('config/clouds/sovereign-fr1.yaml') // { message: '… is a file, not an estate folder', … }
 */
export async function estateFolderProblem(dir: string): Promise<ConfigError | undefined> {
  try {
    if ((await stat(dir)).isDirectory()) return undefined;
    return fileError(dir, 'is a file, not an estate folder', 'pass the folder holding clouds/, clients/ and templates/ to --config');
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ENOENT') return fileError(dir, 'estate folder does not exist', 'check --config (or SOVSTACK_CONFIG)');
    if (code === 'ENAMETOOLONG') return fileError(dir, 'path is too long for the file system', 'check --config (or SOVSTACK_CONFIG)');
    return fileError(dir, `estate folder cannot be read (${code})`, 'check the path and its permissions');
  }
}

/**
 * Config file names of one estate sub-folder, sorted, or why it cannot be listed; undefined when it does not exist.
 * Only `*.yaml` and `*.yml` names unless `anyName` (the user-data folder holds scripts too). Hidden names never.
 */
export async function listEstateFolder(folder: string, anyName = false): Promise<{ names: string[] } | { error: ConfigError } | undefined> {
  try {
    const entries = await readdir(folder, { withFileTypes: true });
    const names = entries
      .filter((entry) => !entry.name.startsWith('.') && (anyName || /\.ya?ml$/.test(entry.name)))
      .map((entry) => entry.name);
    return { names: names.sort() };
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') return { error: fileError(folder, 'is a file, not a folder', `replace it by a folder of <id>.yaml files`) };
    return { error: fileError(folder, `folder cannot be read (${code})`, 'check its permissions') };
  }
}

function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Where a config file's bytes come from: itself, or the target of its link when that stays inside
 * the estate folder `root`. Returns an error for a dangling link, a link leaving the estate, or an
 * entry that is not a regular file (a folder, a FIFO, a device), which is never opened.
 */
async function regularFile(path: string, shown: string, root: string): Promise<{ target: string } | { error: ConfigError }> {
  let target: string;
  try {
    target = await realpath(path);
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ENOENT') return { error: fileError(shown, 'is a link to a file that does not exist', 'fix the link or remove it') };
    return { error: fileError(shown, `cannot be read (${code})`, 'check the file and its permissions') };
  }
  if (!isInside(target, await realpath(root))) {
    return {
      error: fileError(shown, `is a link to ${target}, outside the estate folder`, 'copy the file into the estate instead of linking it'),
    };
  }
  const stats = await stat(target);
  if (stats.isDirectory()) return { error: fileError(shown, 'is a folder, not a file', 'rename the folder, or move its files up') };
  if (!stats.isFile()) return { error: fileError(shown, 'is not a regular file (e.g. a pipe or a device)', 'replace it by a YAML file') };
  return { target };
}

/**
 * Decodes `bytes` as UTF-8, or tells where the first invalid byte is (offset from 0 and line from 1).
 *
 * @example decodeUtf8(Buffer.from([0x61, 0x0a, 0xff])) // { invalidAt: 2, line: 2 }
 */
export function decodeUtf8(bytes: Uint8Array): { text: string } | { invalidAt: number; line: number } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let start = 0;
    let pending = false;
    try {
      for (let offset = 0; offset < bytes.length; offset++) {
        if (!pending) start = offset;
        pending = decoder.decode(bytes.subarray(offset, offset + 1), { stream: true }) === '';
      }
      decoder.decode();
    } catch {
      // `start` is the first byte of the sequence that turned out invalid (or truncated at the end).
    }
    const invalidAt = start;
    return { invalidAt, line: bytes.subarray(0, invalidAt).filter((byte) => byte === 0x0a).length + 1 };
  }
}

/**
 * Reads one config file of the estate in `root` as UTF-8 text, or the error that names the file
 * (shown as `shown`) and why it cannot be read.
 *
 * @example const read = await readEstateFile('config/clients/a.yaml', 'config/clients/a.yaml', 'config');
 */
export async function readEstateFile(path: string, shown: string, root: string): Promise<{ text: string } | { error: ConfigError }> {
  const file = await regularFile(path, shown, root);
  if ('error' in file) return file;
  let bytes: Buffer;
  try {
    bytes = await readFile(file.target);
  } catch (error) {
    return { error: fileError(shown, `cannot be read (${codeOf(error)})`, 'check the file and its permissions') };
  }
  const decoded = decodeUtf8(bytes);
  if ('text' in decoded) return decoded;
  const byte = bytes[decoded.invalidAt].toString(16).padStart(2, '0');
  return {
    error: {
      ...fileError(shown, `is not UTF-8: byte 0x${byte} at offset ${decoded.invalidAt} (line ${decoded.line})`, 'save the file as UTF-8'),
      line: decoded.line,
    },
  };
}

/** Top-level keys only a client file has. */
const CLIENT_KEYS = /^(policy|service)\s*:/m;

/**
 * An error for a client file put under `clouds/` (it has `policy:` or `service:` at the top level),
 * which would otherwise be reported as a cloud with unknown keys.
 */
export function misplacedClientFile(folder: string, shown: string, text: string): ConfigError | undefined {
  if (folder !== 'clouds' || !CLIENT_KEYS.test(text)) return undefined;
  return fileError(shown, 'is a client file (it has `policy:` or `service:`) in clouds/', 'move it to clients/');
}

/**
 * Entries in the estate's `clients/` folder, without reading them (0 when it cannot be listed; a load
 * reports why): how large a run will be, to decide on worker threads before the files are read.
 *
 * @example clientFileCount('config') // 9
 */
export function clientFileCount(dir: string): number {
  try {
    return readdirSync(join(dir, 'clients')).length;
  } catch {
    return 0;
  }
}
