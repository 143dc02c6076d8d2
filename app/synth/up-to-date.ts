/**
 * The whole run's up-to-date check: a synth whose inputs are byte for byte those of the last successful
 * run into the same output, and whose output is still exactly what that run left, has nothing to do.
 * It then answers from a record of that run without loading the estate's modules, validating,
 * placing or comparing a single stack.
 *
 * The inputs are everything the output depends on: the content of every file of the estate's
 * `clouds/`, `clients/`, `templates/` and `user-data/` folders (hidden names excepted, as the loader
 * does) with the folders' real paths, sovstack's version and code ({@link codeFingerprint}), the
 * options that reach the output (estate and output paths, the decision date and warning horizon,
 * orphan stack folders kept or not) and the environment variables cdktf reads. The output is checked
 * entry by entry: the generation the output links to, and every folder and file in it with its size,
 * modification and change times and inode. A hand edit changes the change time even when it restores
 * the modification time (`touch -d`, `cp -p`); anything added, removed or replaced shows in the listing.
 *
 * It fails closed: any doubt (a symbolic link or other special entry in the estate or the output, an
 * unreadable file, placement rules given as code, another run holding the output's lock, a record
 * that cannot be read) means the whole pipeline runs, which then reports what is wrong.
 *
 * Layout: `<cache dir>/run-v1.v8` (`v8.serialize`, written atomically without fsync), beside the stack
 * cache of the output folder.
 */
import { createHash, type Hash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, type Dirent } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import writeFileAtomic from 'write-file-atomic';
import { ESTATE_FOLDERS, USER_DATA_FOLDER } from '../../core/config/estate-files.js';
import { toolkitVersion } from '../../core/package-info.js';
import { DEFAULT_HORIZON_DAYS, type Placement } from '../../core/placement/types.js';
import { cdktfEnvironment, codeFingerprint, stackCacheDir } from './cache.js';
import { currentGeneration, lockPath } from './output.js';
import type { SynthOptions, SynthOutcome } from './run.js';

/** Bump when the record's form or what goes into the inputs changes. */
const RECORD_FORMAT = 'run-v1';

interface RunRecord {
  format: string;
  /** {@link runInputs} of the run. */
  inputs: string;
  /** The generation folder the output linked to. */
  generation: string;
  /** {@link describeTree} of that generation. */
  tree: string[];
  stacks: string[];
  /** `v8.serialize` of the run's placements: deserialized only when the run is up to date. */
  placements: Buffer;
}

const byName = (a: Dirent, b: Dirent): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Where the run record of a synth with `options` lives (undefined without cache), e.g.
 * `.sovstack-cache/cdktf.out/run-v1.v8`: removing it makes the next run take the whole pipeline.
 *
 * @example runRecordPath({ configDir: 'config', outdir: 'cdktf.out' }) // '<cwd>/.sovstack-cache/cdktf.out/run-v1.v8'
 */
export function runRecordPath(options: SynthOptions): string | undefined {
  const dir = stackCacheDir(options);
  return dir === undefined ? undefined : join(dir, `${RECORD_FORMAT}.v8`);
}

/** Adds the estate folder `folder` of `configDir` to `hash`; false when one of its entries is not a regular file. */
function hashFolder(hash: Hash, configDir: string, folder: string): boolean {
  const path = join(configDir, folder);
  let entries: Dirent[];
  try {
    entries = readdirSync(path, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return false;
    hash.update(`${folder}\0absent\0`);
    return true;
  }
  hash.update(`${folder}\0${realpathSync(path)}\0`);
  for (const entry of entries.filter((e) => !e.name.startsWith('.')).sort(byName)) {
    if (!entry.isFile()) return false;
    const file = join(path, entry.name);
    // The change time too: a file edited and restored while a run reads it then differs from the start
    // of the run to its end, and the run is not recorded (its output may come from the edited bytes).
    const stat = statSync(file, { bigint: true });
    const bytes = readFileSync(file);
    hash.update(`${entry.name}\0${stat.ino} ${stat.ctimeNs} ${bytes.length}\0`).update(bytes);
  }
  return true;
}

/**
 * A digest of everything a synth with `options` reads (see the module's comment), or undefined when
 * the run cannot be recognised as unchanged: no cache, placement options other than the date and
 * horizon (rules given as code), an estate entry that is not a regular file, an unreadable estate.
 */
export function runInputs(options: SynthOptions): string | undefined {
  const place = options.placeOptions ?? {};
  if (options.cache === false || Object.keys(place).some((key) => key !== 'today' && key !== 'horizonDays')) return undefined;
  try {
    const hash = createHash('sha256');
    const settings = {
      format: RECORD_FORMAT,
      toolkitVersion,
      code: codeFingerprint(),
      configDir: realpathSync(options.configDir),
      shownConfigDir: relative(process.cwd(), options.configDir) || '.',
      outdir: resolve(options.outdir),
      keepOrphanStacks: options.keepOrphanStacks ?? false,
      today: place.today ?? null,
      horizonDays: place.horizonDays ?? DEFAULT_HORIZON_DAYS,
      environment: cdktfEnvironment(),
    };
    hash.update(`${JSON.stringify(settings)}\0`);
    for (const folder of [...ESTATE_FOLDERS, USER_DATA_FOLDER]) {
      if (!hashFolder(hash, options.configDir, folder)) return undefined;
    }
    return hash.digest('hex');
  } catch {
    return undefined;
  }
}

/**
 * Every folder and file under `root`, sorted, a file with its size, modification and change times
 * (nanoseconds) and inode; undefined when anything else is there (a link, a socket) or it cannot be read.
 */
function describeTree(root: string): string[] | undefined {
  const lines: string[] = [];
  const walk = (rel: string): boolean => {
    for (const entry of readdirSync(join(root, rel), { withFileTypes: true }).sort(byName)) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        lines.push(`${path}/`);
        if (!walk(path)) return false;
      } else if (entry.isFile()) {
        const stat = statSync(join(root, path), { bigint: true });
        lines.push(`${path} ${stat.size} ${stat.mtimeNs} ${stat.ctimeNs} ${stat.ino}`);
      } else {
        return false;
      }
    }
    return true;
  };
  try {
    return walk('') ? lines : undefined;
  } catch {
    return undefined;
  }
}

function readRecord(path: string): RunRecord | undefined {
  try {
    const record = deserialize(readFileSync(path)) as Partial<RunRecord>;
    const valid =
      record.format === RECORD_FORMAT &&
      typeof record.inputs === 'string' &&
      typeof record.generation === 'string' &&
      Array.isArray(record.tree) &&
      Array.isArray(record.stacks) &&
      Buffer.isBuffer(record.placements);
    return valid ? (record as RunRecord) : undefined;
  } catch {
    return undefined;
  }
}

const sameLines = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((line, i) => line === b[i]);

/**
 * The outcome of the last successful run into `options.outdir` when `inputs` ({@link runInputs}) are
 * that run's and its output is untouched (and no other run holds the output's lock); else undefined.
 */
export function upToDateOutcome(options: SynthOptions, inputs: string): SynthOutcome | undefined {
  const path = runRecordPath(options);
  if (path === undefined || existsSync(lockPath(options.outdir))) return undefined;
  const record = readRecord(path);
  if (record?.inputs !== inputs || currentGeneration(options.outdir) !== record.generation) return undefined;
  const tree = describeTree(record.generation);
  if (tree === undefined || !sameLines(tree, record.tree)) return undefined;
  let placements: Placement[];
  try {
    placements = deserialize(record.placements) as Placement[];
  } catch {
    return undefined;
  }
  if (!Array.isArray(placements)) return undefined;
  return { ok: true, stacks: record.stacks, placements, cache: { dir: dirname(path), hits: [...record.stacks], misses: [] } };
}

/**
 * Records a successful run that committed `generation`, for {@link upToDateOutcome}, when its inputs
 * are still `inputs` (read at its start) and the output still links to that generation: else the
 * output may not be what these inputs produce, and the record is removed. A record that cannot be
 * written only costs the next run its shortcut.
 */
export function recordRun(options: SynthOptions, inputs: string, generation: string, outcome: SynthOutcome & { ok: true }): void {
  const path = runRecordPath(options);
  if (path === undefined) return;
  const tree = currentGeneration(options.outdir) === generation && runInputs(options) === inputs ? describeTree(generation) : undefined;
  try {
    // Not recordable: the record of an earlier run goes too (it describes an output that is gone).
    if (tree === undefined) rmSync(path, { force: true });
    else {
      const placements = serialize(outcome.placements);
      const record: RunRecord = { format: RECORD_FORMAT, inputs, generation, tree, stacks: outcome.stacks, placements };
      writeFileAtomic.sync(path, serialize(record), { fsync: false });
    }
  } catch {
    // The next run takes the whole pipeline.
  }
}
