/**
 * Reading folders whole, for tests that compare outputs byte for byte.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Every file below `dir`: its path relative to `dir` → its bytes as latin1 text (one character per byte,
 * so any byte difference shows in a comparison).
 *
 * @example expect(snapshotTree('a/cdktf.out')).toEqual(snapshotTree('b/cdktf.out'))
 */
export function snapshotTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(dir, path)] = readFileSync(path, 'latin1');
  }
  return files;
}
