/**
 * Where the sovstack package lives and which version it is, found from this module's own location
 * so that it works from the sources (tsx, vitest), from dist/ and from an installed package.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The nearest folder at or above `start` holding a package.json (whose `name` is `name`, when given).
 *
 * @example findPackageRoot('/work/app/dist/src', 'sovstack') // '/work/app'
 * @throws Error when no such package.json exists up to the filesystem root.
 */
export function findPackageRoot(start: string, name?: string): string {
  let dir = start;
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && (name === undefined || (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === name)) {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json${name ? ` named "${name}"` : ''} above ${start}`);
    dir = parent;
  }
}

/** Absolute path of the folder holding sovstack's package.json. */
export const packageRoot: string = findPackageRoot(dirname(fileURLToPath(import.meta.url)), 'sovstack');

/** sovstack's version from package.json; stamped on every resource and in every report. */
export const toolkitVersion: string = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
