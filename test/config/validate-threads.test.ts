import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { clientId, clientYaml, range, writeEstate } from '../../bench/estate.js';
import { loadEstate } from '../../core/config/loader.js';
import { hasValidationStore } from '../../core/config/validation-cache.js';
import { workerExecArgv } from '../../core/threads.js';
import { repoRoot } from '../support/tools.js';
import { PARALLEL_VALIDATION_THRESHOLD, validateEstateInParts, validateEstateOnThreads } from '../../core/config/validate-threads.js';
import { validateEstate, type SourceFile } from '../../core/config/validate.js';
import { exampleFiles } from './helpers.js';

/** The example estate's clouds, templates and user data with `count` generated client files instead of its own. */
function largeEstate(count: number): SourceFile[] {
  const context = exampleFiles().filter((file) => !file.path.startsWith('config/clients/'));
  return [...context, ...range(count).map((index) => ({ path: `config/clients/${clientId(index)}.yaml`, text: clientYaml(index) }))];
}

/** `files` with the client file of `index` replaced by `text`. */
function replacing(files: SourceFile[], index: number, text: string): SourceFile[] {
  const path = `config/clients/${clientId(index)}.yaml`;
  return files.map((file) => (file.path === path ? { path, text } : file));
}

const COUNT = PARALLEL_VALIDATION_THRESHOLD + 44;
const LAST = COUNT - 1; // in the worker's part with two threads

describe('validateEstateOnThreads', () => {
  const files = largeEstate(COUNT);

  it('gives a valid estate equal to the single-thread one, whatever the thread count', async () => {
    const single = validateEstate(files, 'config');
    expect(single.ok).toBe(true);
    for (const jobs of [2, 3]) {
      const outcome = await validateEstateInParts(files, 'config', jobs);
      expect({ threads: outcome.threads, merged: outcome.merged }).toEqual({ threads: jobs, merged: true });
      expect(outcome.result).toEqual(single);
    }
    expect(single.ok && single.estate.clients).toHaveLength(COUNT);
  });

  it('gives exactly the single-thread errors when a part other than its own is invalid', async () => {
    const broken = replacing(files, LAST, clientYaml(LAST).replace(/^policy:/m, 'polcy:'));
    const single = validateEstate(broken, 'config');
    expect(single.ok).toBe(false);
    const outcome = await validateEstateInParts(broken, 'config', 2);
    expect({ threads: outcome.threads, merged: outcome.merged }).toEqual({ threads: 2, merged: false });
    expect(outcome.result).toEqual(single);
  });

  it('redacts a secret of one part from the errors of another exactly as a single thread does', async () => {
    const secret = 'glpat-Zq8vN3xT5rW1yB7kL2mP';
    // The token is pasted in a first file (a secret) and, as an unknown key's value, in a last one.
    const first = `${clientYaml(0)}notes: ${secret}\n`;
    const last = clientYaml(LAST).replace(/^policy:/m, `${secret}: 1\npolicy:`);
    const leaked = replacing(replacing(files, 0, first), LAST, last);
    const single = validateEstate(leaked, 'config');
    expect(single.ok).toBe(false);
    const threaded = await validateEstateOnThreads(leaked, 'config', 2);
    expect(threaded).toEqual(single);
    expect(JSON.stringify(threaded)).not.toContain(secret);
  });

  it('validates in one thread below the threshold (same result)', async () => {
    const small = largeEstate(5);
    const outcome = await validateEstateInParts(small, 'config', 4);
    expect(outcome.threads).toBe(1);
    expect(outcome.result).toEqual(validateEstate(small, 'config'));
  });
});

describe('loadEstate on threads', () => {
  it('loads a large estate from disk the same with one thread, two, and two with a cold then warm cache', async () => {
    const work = mkdtempSync(join(tmpdir(), 'sovstack-load-threads-'));
    try {
      const dir = join(work, 'config');
      writeEstate(dir, { clients: range(COUNT), exampleDir: 'config' });
      const single = await loadEstate(dir, { jobs: 1 });
      expect(single.ok && single.estate.clients).toHaveLength(COUNT);
      expect(await loadEstate(dir, { jobs: 2 })).toEqual(single);
      const cacheDir = join(work, 'cache');
      expect(hasValidationStore(dir, cacheDir)).toBe(false);
      expect(await loadEstate(dir, { jobs: 2, cacheDir })).toEqual(single);
      expect(hasValidationStore(dir, cacheDir)).toBe(true);
      expect(await loadEstate(dir, { jobs: 2, cacheDir })).toEqual(single);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('validation workers in a process run as node --input-type=module -e', () => {
  it('start (Node refuses --input-type in a worker, so it is not passed on) and validate their part', () => {
    const work = mkdtempSync(join(tmpdir(), 'sovstack-input-type-'));
    try {
      const filesJson = join(work, 'files.json');
      writeFileSync(filesJson, JSON.stringify(largeEstate(COUNT)));
      const script = `
        import { readFileSync } from 'node:fs';
        import { validateEstateInParts } from ${JSON.stringify(pathToFileURL(join(repoRoot, 'dist', 'core', 'config', 'validate-threads.js')).href)};
        const files = JSON.parse(readFileSync(process.env.FILES_JSON, 'utf8'));
        const outcome = await validateEstateInParts(files, 'config', 2);
        console.log(JSON.stringify({ threads: outcome.threads, merged: outcome.merged, ok: outcome.result.ok }));`;
      const run = (options: string[]) =>
        spawnSync(process.execPath, [...options, '-e', script], { encoding: 'utf8', env: { ...process.env, FILES_JSON: filesJson } });
      const plain = run(['--input-type=module']);
      expect(plain.stderr).toBe('');
      expect(JSON.parse(plain.stdout)).toEqual({ threads: 2, merged: true, ok: true });
      // With an option Node refuses in a worker when given explicitly, no worker starts: one thread validates it all.
      const refused = run(['--input-type=module', '--max-old-space-size=512']);
      expect(refused.stderr).toBe('');
      expect(JSON.parse(refused.stdout)).toEqual({ threads: 2, merged: false, ok: true });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('workerExecArgv drops --input-type in both spellings and keeps the rest', () => {
    expect(workerExecArgv(['--input-type=module', '--enable-source-maps'])).toEqual(['--enable-source-maps']);
    expect(workerExecArgv(['--input-type', 'module', '--max-old-space-size=512'])).toEqual(['--max-old-space-size=512']);
    expect(workerExecArgv([])).toEqual([]);
  });
});
