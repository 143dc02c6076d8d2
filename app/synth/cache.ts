/**
 * The incremental synth cache: one entry per synthesized stack, keyed by a hash of everything the
 * stack's output depends on. An entry holds the stack's manifest record and the bytes of its
 * Terraform file, so an unchanged stack is written back without building a single construct.
 *
 * Layout: `<dir>/v1/<stack>.<key>.stack`, each file a one-line JSON header
 * (`{ key, manifest, file, bytes }`) followed by the stack file's bytes. Entries are written
 * atomically (write-file-atomic, without fsync: a lost entry only costs a rebuild), so a reader sees a
 * whole entry or none.
 *
 * Beside the entries, `<dir>/outputs-v1b.json` records, for the output folder the last successful run
 * wrote, each stack's key, manifest record and the size, modification and change times and inode of
 * its file: a stack whose key is unchanged and whose file still has all four is up to date without
 * reading either the file or the entry.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import writeFileAtomic from 'write-file-atomic';
import type { ClientConfig, CloudConfig } from '../../core/config/schema.js';
import type { GuardrailSuppression } from '../../core/guardrails/types.js';
import { canonicalJson } from '../../core/json.js';

/** Bump when the entry format or the key's composition changes. */
const CACHE_FORMAT = 'v1';

/** Folders of sovstack's own code whose content goes into {@link codeFingerprint}. */
const CODE_FOLDERS = ['core', 'constructs', 'stacks', 'app', '.gen'];

/** Default cache folder of an output folder: `.sovstack-cache/<outdir name>` beside it. */
export function defaultCacheDir(outdir: string): string {
  const absolute = resolve(outdir);
  return join(dirname(absolute), '.sovstack-cache', absolute.split(sep).pop() || 'out');
}

/**
 * The stack cache folder of a synth: its `cache.dir` when given, else {@link defaultCacheDir} of its output
 * folder; undefined when the cache is off (`cache: false`).
 *
 * @example stackCacheDir({ outdir: 'cdktf.out' }) // '<cwd>/.sovstack-cache/cdktf.out'
 */
export function stackCacheDir(options: { readonly outdir: string; readonly cache?: { readonly dir: string } | false }): string | undefined {
  return options.cache === false ? undefined : (options.cache?.dir ?? defaultCacheDir(options.outdir));
}

/**
 * Folder of the config validation cache (see `loadEstate`'s `cacheDir`) of a working folder:
 * `<dir>/.sovstack-cache/.validation`, shared by `synth` (for an output folder in `dir`) and the
 * commands that only load the estate.
 *
 * @example
 * defaultValidationCacheDir('.'); // '<cwd>/.sovstack-cache/.validation'
 */
export function defaultValidationCacheDir(dir: string): string {
  return join(resolve(dir), '.sovstack-cache', '.validation');
}

function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

function listCode(dir: string, into: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') listCode(path, into);
    } else if (/\.(m|c)?(j|t)s$/.test(entry.name) && !/\.d\.(m|c)?ts$/.test(entry.name)) {
      into.push(path);
    }
  }
}

let fingerprint: string | undefined;

/**
 * Hash of the code that produces stacks: every source or compiled module under `core/`, `app/`, `stacks/`,
 * `constructs/` and `.gen/` of the tree this module runs from (`dist/` when compiled, the package
 * when run from sources), plus the versions of cdktf and constructs and of the libraries that parse and
 * validate config (yaml, zod). Any change to sovstack's code therefore invalidates every cache entry.
 * Computed once per process.
 */
export function codeFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint;
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const files: string[] = [];
  for (const folder of CODE_FOLDERS) listCode(join(root, folder), files);
  files.sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  const require = createRequire(import.meta.url);
  for (const pkg of ['cdktf', 'constructs', 'yaml', 'zod']) {
    const manifest = require(`${pkg}/package.json`) as { version: string };
    hash.update(`${pkg}@${manifest.version}\0`);
  }
  fingerprint = hash.digest('hex');
  return fingerprint;
}

/** Everything one stack's output depends on. */
export interface StackKeyInput {
  /** The client, merged with its template and validated. */
  readonly client: ClientConfig;
  /** The cloud it is placed on. */
  readonly cloud: CloudConfig;
  /** The cloud hosting the state when not the placed cloud (the state-backend guardrail reads it); undefined when absent. */
  readonly stateHost?: CloudConfig;
  /** The placement engine's reason, recorded in the stack. */
  readonly reason?: string;
  /** sovstack's version, written in labels. */
  readonly toolkitVersion: string;
  /** {@link codeFingerprint} or a stand-in. */
  readonly code: string;
}

const cloudHashes = new WeakMap<CloudConfig, string>();

/** Hash of a cloud's config, memoized: every client on the cloud needs it. */
function cloudHash(cloud: CloudConfig | undefined): string | null {
  if (!cloud) return null;
  let hash = cloudHashes.get(cloud);
  if (hash === undefined) {
    hash = sha256(canonicalJson(cloud));
    cloudHashes.set(cloud, hash);
  }
  return hash;
}

/** Environment variables that change what cdktf writes. */
const CDKTF_ENVIRONMENT = ['CDKTF_CONTEXT_JSON', 'SYNTH_HCL_OUTPUT', 'CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS'];

/**
 * The values of the environment variables that change what cdktf writes (null when unset): part of
 * every stack's cache key and of the whole run's inputs (`up-to-date.ts`).
 *
 * @example cdktfEnvironment() // { CDKTF_CONTEXT_JSON: null, SYNTH_HCL_OUTPUT: null, CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: null }
 */
export function cdktfEnvironment(): Record<string, string | null> {
  return Object.fromEntries(CDKTF_ENVIRONMENT.map((name) => [name, process.env[name] ?? null]));
}

/** The cache key of one stack: a SHA-256 over {@link StackKeyInput} and the cdktf environment. */
export function stackCacheKey(input: StackKeyInput): string {
  const environment = cdktfEnvironment();
  return sha256(
    canonicalJson({
      format: CACHE_FORMAT,
      // Plain JSON of the client: key order follows the file, so reordering keys only costs a rebuild; ~5× faster than sorting keys.
      client: sha256(JSON.stringify(input.client)),
      cloud: cloudHash(input.cloud),
      stateHost: cloudHash(input.stateHost),
      reason: input.reason ?? null,
      toolkitVersion: input.toolkitVersion,
      code: input.code,
      environment,
    }),
  );
}

/** A synthesized stack as the cache stores it. */
export interface CachedStack {
  /** The stack's record in `manifest.json`. */
  readonly manifest: Record<string, unknown>;
  /** Path of the stack file relative to the output folder (the manifest's `synthesizedStackPath`). */
  readonly file: string;
  /** The stack file's bytes. */
  readonly content: Buffer;
}

/** What the last successful run left in the output folder for one stack. */
export interface OutputRecord {
  readonly key: string;
  /** The stack's record in `manifest.json`. */
  readonly manifest: Record<string, unknown>;
  /** Path of the stack file relative to the output folder. */
  readonly file: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** Change time and inode: a hand edit that restores the size and modification time (`cp -p`, `touch -d`) still shows. */
  readonly ctimeMs: number;
  readonly ino: number;
  /** Guardrail suppressions recorded in the file (listed in `placement.md`). */
  readonly suppressed?: readonly GuardrailSuppression[];
}

interface OutputIndex {
  /** Absolute output folder the records describe. */
  outdir: string;
  stacks: Record<string, OutputRecord>;
}

const OUTPUT_INDEX = `outputs-${CACHE_FORMAT}b.json`;
const ENTRY_SUFFIX = '.stack';

interface EntryHeader {
  key: string;
  manifest: Record<string, unknown>;
  file: string;
  bytes: number;
}

/** A cache folder. Entries of stacks not used by a successful run are pruned by {@link SynthCache.prune}. */
export class SynthCache {
  private readonly folder: string;
  private readonly present: Set<string>;
  private readonly used = new Set<string>();

  /** @param dir The cache folder; created when missing. */
  constructor(readonly dir: string) {
    this.folder = join(dir, CACHE_FORMAT);
    mkdirSync(this.folder, { recursive: true });
    this.present = new Set(readdirSync(this.folder));
  }

  private static fileName(stack: string, key: string): string {
    return `${stack}.${key}${ENTRY_SUFFIX}`;
  }

  /** The entry of `stack` under `key`, or undefined when absent or unreadable. */
  get(stack: string, key: string): CachedStack | undefined {
    const name = SynthCache.fileName(stack, key);
    if (!this.present.has(name)) return undefined;
    let raw: Buffer;
    try {
      raw = readFileSync(join(this.folder, name));
    } catch {
      return undefined;
    }
    const newline = raw.indexOf(10);
    if (newline < 0) return undefined;
    let header: EntryHeader;
    try {
      header = JSON.parse(raw.subarray(0, newline).toString('utf8')) as EntryHeader;
    } catch {
      return undefined;
    }
    const content = raw.subarray(newline + 1);
    if (header.key !== key || content.length !== header.bytes || typeof header.file !== 'string') return undefined;
    this.used.add(name);
    return { manifest: header.manifest, file: header.file, content };
  }

  /** Stores the entry of `stack` under `key`. */
  set(stack: string, key: string, entry: CachedStack): void {
    SynthCache.write(this.dir, stack, key, entry);
    this.adopt(stack, key);
  }

  /**
   * Writes the entry of `stack` under `key` into the cache folder `dir` (from any thread); the
   * run's {@link SynthCache} then {@link SynthCache.adopt}s it.
   */
  static write(dir: string, stack: string, key: string, entry: CachedStack): void {
    const name = SynthCache.fileName(stack, key);
    const folder = join(dir, CACHE_FORMAT);
    const header: EntryHeader = { key, manifest: entry.manifest, file: entry.file, bytes: entry.content.length };
    writeFileAtomic.sync(join(folder, name), Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), entry.content]), { fsync: false });
  }

  /** Counts an entry written by {@link SynthCache.write} as present and used by this run. */
  adopt(stack: string, key: string): void {
    const name = SynthCache.fileName(stack, key);
    this.present.add(name);
    this.used.add(name);
  }

  /** Keeps the entry of `stack` under `key` (when present) from being pruned, without reading it. */
  keep(stack: string, key: string): void {
    const name = SynthCache.fileName(stack, key);
    if (this.present.has(name)) this.used.add(name);
  }

  /**
   * The output record of `stack` when the last successful run into `outdir` wrote it under `key` and
   * its stack folder still holds exactly that one file, with the recorded size, modification and change
   * times and inode.
   */
  currentOutput(outdir: string, stack: string, key: string): OutputRecord | undefined {
    const index = this.outputIndex();
    const record = index?.outdir === resolve(outdir) ? index.stacks[stack] : undefined;
    if (record?.key !== key) return undefined;
    const path = join(outdir, record.file);
    try {
      const entries = readdirSync(dirname(path));
      if (entries.length !== 1 || entries[0] !== basename(path)) return undefined;
      const stat = statSync(path);
      const same =
        stat.size === record.size && stat.mtimeMs === record.mtimeMs && stat.ctimeMs === record.ctimeMs && stat.ino === record.ino;
      return same ? record : undefined;
    } catch {
      return undefined;
    }
  }

  /** Records the stack files a successful run left in `outdir` (see {@link SynthCache.currentOutput}). */
  recordOutputs(outdir: string, stacks: readonly Omit<OutputRecord, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino'>[] & { name: string }[]): void {
    const index: OutputIndex = { outdir: resolve(outdir), stacks: {} };
    for (const { name, ...record } of stacks) {
      const stat = statSync(join(outdir, record.file));
      index.stacks[name] = { ...record, size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino };
    }
    writeFileAtomic.sync(join(this.dir, OUTPUT_INDEX), JSON.stringify(index), { fsync: false });
    this.outputs = index;
  }

  private outputs: OutputIndex | undefined | null = null;

  private outputIndex(): OutputIndex | undefined {
    if (this.outputs !== null) return this.outputs;
    try {
      const parsed = JSON.parse(readFileSync(join(this.dir, OUTPUT_INDEX), 'utf8')) as OutputIndex;
      this.outputs = typeof parsed.outdir === 'string' && typeof parsed.stacks === 'object' && parsed.stacks !== null ? parsed : undefined;
    } catch {
      this.outputs = undefined;
    }
    return this.outputs;
  }

  /**
   * Removes every entry this run neither read nor wrote, and temporary files (write-file-atomic's
   * `<entry>.<hex>`, a killed writer's) older than an hour: a younger one may be another run's write.
   */
  prune(): void {
    for (const name of readdirSync(this.folder)) {
      const path = join(this.folder, name);
      if (!name.endsWith(ENTRY_SUFFIX)) {
        if (Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { force: true });
      } else if (!this.used.has(name)) {
        rmSync(path, { force: true });
      }
    }
  }

  /** Whether an entry file exists (for tests and diagnostics). */
  static has(dir: string, stack: string, key: string): boolean {
    return existsSync(join(dir, CACHE_FORMAT, SynthCache.fileName(stack, key)));
  }
}
