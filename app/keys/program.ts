/**
 * Where the `sovstack-state-key` program is, for OpenTofu: a stack's `external` key provider names the
 * program, not a path (the stack JSON stays the same on every machine), so every tofu run on an encrypted
 * stack needs it on `PATH`. One folder holding a small launcher of this very package's built program,
 * with the node running sovstack, works alike from a clone (`dist/`) and from an installed package.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { STATE_KEY_PROGRAM } from '../../core/guardrails/encryption-block.js';
import { packageRoot } from '../../core/package-info.js';

/**
 * The built key program of the sovstack package at `root` (default: this package).
 *
 * @example keyProgramScript(); // '/work/app/node_modules/sovstack/dist/app/keys/main.js'
 */
export function keyProgramScript(root: string = packageRoot): string {
  return join(root, 'dist', 'app', 'keys', 'main.js');
}

const quoted = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** The launcher's text: this node running `script`, or a one-line fix when the package is not built. */
function launcher(script: string): string {
  return [
    '#!/bin/sh',
    `# written by sovstack: OpenTofu's external key provider for encrypted stacks (docs/state-encryption.md)`,
    `[ -f ${quoted(script)} ] || { echo ${quoted(`${STATE_KEY_PROGRAM}: ${script} is missing; fix: npm run build`)} >&2; exit 1; }`,
    `exec ${quoted(process.execPath)} ${quoted(script)} "$@"`,
    '',
  ].join('\n');
}

/**
 * The folder holding a `sovstack-state-key` launcher of this package's program, under `cacheRoot`
 * (default `~/.cache/sovstack`), in a sub-folder named after the node and the program (two checkouts never
 * share one). Written once; rewritten only when its text differs.
 *
 * @example const dir = keyProgramDir(); // '~/.cache/sovstack/key-program/3f2a…'
 */
export function keyProgramDir(cacheRoot: string = join(homedir(), '.cache', 'sovstack'), script: string = keyProgramScript()): string {
  const text = launcher(script);
  const dir = join(cacheRoot, 'key-program', createHash('sha256').update(text).digest('hex').slice(0, 16));
  const file = join(dir, STATE_KEY_PROGRAM);
  if (!existsSync(file) || readFileSync(file, 'utf8') !== text) {
    mkdirSync(dir, { recursive: true });
    writeFileAtomic.sync(file, text, { mode: 0o755 });
  }
  return dir;
}

/**
 * `path` (a `PATH` value) with the key program's folder first.
 *
 * @example env.PATH = pathWithKeyProgram(env.PATH);
 */
export function pathWithKeyProgram(path: string | undefined, dir: string = keyProgramDir()): string {
  return path === undefined || path === '' ? dir : `${dir}${delimiter}${path}`;
}
