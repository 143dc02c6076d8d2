/**
 * The output switch beyond crashes: overlapping runs are serialized by the lock and leave one
 * complete output; unchanged stacks are hard-linked, not copied; the replaced generation is kept as
 * a spare and recycled by the next run without writing through its links; an output folder of an older
 * sovstack is migrated (and a kill during the migration is recovered); a bad `--out` writes nothing;
 * a lock whose owner died is taken over, a live one is waited for.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockTimeoutMs, openOutput } from '../../app/synth/output.js';
import { synthEstate } from '../../app/synth/run.js';
import { repoRoot } from '../support/tools.js';

const bin = join(repoRoot, 'dist', 'app', 'cli', 'main.js');
const work = mkdtempSync(join(tmpdir(), 'sovstack-output-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Three estates: the example (`x`), without one client (`y`), without another (`z`); each in `<work>/<name>/config`. */
const ESTATES = { x: undefined, y: 'ecologie-cartes', z: 'douane-stats' } as const;
type EstateName = keyof typeof ESTATES;

function run(estate: EstateName, out: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [bin, 'synth', '--config', 'config', '--out', out], {
    cwd: join(work, estate),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { done, stderr: () => stderr };
}

function digest(dir: string): string {
  const files: [string, string][] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push([relative(dir, path), createHash('sha256').update(readFileSync(path)).digest('hex')]);
    }
  };
  walk(dir);
  return JSON.stringify(files);
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

const reference = new Map<EstateName, string>();

beforeAll(async () => {
  for (const [name, without] of Object.entries(ESTATES) as [EstateName, string | undefined][]) {
    cpSync(join(repoRoot, 'config'), join(work, name, 'config'), { recursive: true });
    if (without) rmSync(join(work, name, 'config', 'clients', `${without}.yaml`));
    const out = join(work, `ref-${name}`, 'out');
    expect((await run(name, out).done).code).toBe(0);
    reference.set(name, digest(out));
  }
  expect(new Set(reference.values()).size).toBe(3);
}, 600_000);

describe('overlapping runs', () => {
  it('wait for each other through the lock and leave one complete output; unchanged stacks are hard-linked', async () => {
    const out = join(work, 'overlap', 'out');
    expect((await run('x', out).done).code).toBe(0);
    const marker = join(work, 'overlap-pause');
    const paused = run('y', out, { SOVSTACK_TEST_OUTPUT_HOOK: `linked:pause:${marker}` });
    await until(() => existsSync(`${marker}.paused`));

    const staging = join(
      work,
      'overlap',
      readdirSync(join(work, 'overlap')).find((e) => e.startsWith('.out.gen-') && e !== readlinkSync(out))!,
    );
    const stack = 'meteo-archives-vendor-eu-west-0';
    expect(statSync(join(staging, 'stacks', stack, 'cdk.tf.json')).ino).toBe(statSync(join(out, 'stacks', stack, 'cdk.tf.json')).ino);

    const waiting = run('z', out);
    await until(() => waiting.stderr().includes('waiting for the run holding'));
    expect(digest(out)).toBe(reference.get('x'));

    writeFileSync(`${marker}.resume`, '');
    expect((await paused.done).code).toBe(0);
    expect((await waiting.done).code).toBe(0);
    expect(digest(out)).toBe(reference.get('z'));
    expect(existsSync(`${out}.lock`)).toBe(false);
  });
});

describe('the spare generation', () => {
  it('is recycled without ever writing through a link into the output, and a tampered spare folder is not reused', async () => {
    const out = join(work, 'spare', 'out');
    const spare = join(work, 'spare', '.out.spare');
    const stack = 'meteo-archives-vendor-eu-west-0';
    const file = (root: string) => join(root, 'stacks', stack, 'cdk.tf.json');
    expect((await run('x', out).done).code).toBe(0);
    expect(existsSync(spare)).toBe(false);
    expect((await run('y', out).done).code).toBe(0);
    // The replaced generation is the spare, and shares the files of every unchanged stack with the output.
    expect(statSync(file(spare)).ino).toBe(statSync(file(out)).ino);

    // Tampered: an extra file in one stack folder, another stack's file replaced by a copy (a new inode) with other bytes.
    const [first, second] = readdirSync(join(spare, 'stacks')).filter((name) => name !== stack);
    writeFileSync(join(spare, 'stacks', first, 'extra.txt'), 'left by hand');
    const copied = join(spare, 'stacks', second, 'cdk.tf.json');
    const bytes = readFileSync(copied);
    rmSync(copied);
    writeFileSync(copied, Buffer.concat([bytes, Buffer.from(' ')]));

    const marker = join(work, 'spare-pause');
    const paused = run('x', out, { SOVSTACK_TEST_OUTPUT_HOOK: `linked:pause:${marker}` });
    await until(() => existsSync(`${marker}.paused`));
    const staging = join(
      work,
      'spare',
      readdirSync(join(work, 'spare')).find((e) => e.startsWith('.out.gen-') && e !== readlinkSync(out))!,
    );
    expect(existsSync(spare)).toBe(false);
    // The spare became the staging folder: the unchanged stack's folder was kept as it was (same inode as the output's).
    expect(statSync(file(staging)).ino).toBe(statSync(file(out)).ino);
    // While the run writes into the recycled folder, the output is untouched.
    expect(digest(out)).toBe(reference.get('y'));
    writeFileSync(`${marker}.resume`, '');
    expect((await paused.done).code).toBe(0);
    expect(digest(out)).toBe(reference.get('x'));
    expect(digest(spare)).toBe(reference.get('y'));
  });
});

describe('an output folder written by an older sovstack (a real folder)', () => {
  it('is migrated to a link; a run killed mid-migration leaves the old output aside and the next run links it back', async () => {
    const out = join(work, 'migrate', 'out');
    cpSync(join(work, 'ref-x', 'out'), out, { recursive: true, dereference: true });
    expect(lstatSync(out).isDirectory()).toBe(true);
    const killed = await run('y', out, { SOVSTACK_TEST_OUTPUT_HOOK: 'migrating:kill' }).done;
    expect(killed.signal).toBe('SIGKILL');
    expect(digest(join(work, 'migrate', '.out.gen-0'))).toBe(reference.get('x'));

    expect((await run('y', out).done).code).toBe(0);
    expect(lstatSync(out).isSymbolicLink()).toBe(true);
    expect(digest(out)).toBe(reference.get('y'));
    expect(readdirSync(join(work, 'migrate')).sort()).toEqual([readlinkSync(out), '.out.spare', '.sovstack-cache', 'out'].sort());
  });
});

describe('a bad output path', () => {
  it('fails before writing anything: no lock, no cache, no staging, the file untouched', async () => {
    const dir = join(work, 'bad');
    mkdirSync(dir);
    writeFileSync(join(dir, 'hostname'), 'host\n');
    for (const outdir of [join(dir, 'hostname'), join(dir, 'hostname', 'out')]) {
      const outcome = await synthEstate({ configDir: join(work, 'x', 'config'), outdir });
      expect(outcome.ok).toBe(false);
      expect(!outcome.ok && outcome.message).toMatch(/is a file/);
    }
    expect(readdirSync(dir)).toEqual(['hostname']);
    expect(readFileSync(join(dir, 'hostname'), 'utf8')).toBe('host\n');
  });
});

describe('the lock', () => {
  it('is taken over when its owner died, and released after the run', async () => {
    const out = join(work, 'stale', 'out');
    mkdirSync(join(work, 'stale'));
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(`${out}.lock`, JSON.stringify({ pid: dead, host: hostname() }));
    expect((await run('x', out).done).code).toBe(0);
    expect(digest(out)).toBe(reference.get('x'));
    expect(existsSync(`${out}.lock`)).toBe(false);
  });

  it('held by a live process is waited for, then reported with the fix when the wait times out', () => {
    const out = join(work, 'held', 'out');
    mkdirSync(join(work, 'held'));
    writeFileSync(`${out}.lock`, JSON.stringify({ pid: process.ppid, host: hostname() }));
    const told: string[] = [];
    const opened = openOutput(out, { timeoutMs: 100, onWait: (message) => told.push(message) });
    expect(opened).toEqual({
      problem: expect.stringMatching(
        new RegExp(`pid ${process.ppid} .*still holds .*out\\.lock; fix: wait for it to end, or remove`),
      ) as unknown,
    });
    expect(told).toEqual([expect.stringContaining('waiting for the run holding')]);
    expect(readdirSync(join(work, 'held'))).toEqual(['out.lock']);
  });

  it('waits as long as SOVSTACK_LOCK_TIMEOUT says, written as for tofu -lock-timeout', () => {
    expect(['500ms', '30s', '5m', '1h', '45', undefined, 'soon'].map(lockTimeoutMs)).toEqual([
      500, 30_000, 300_000, 3_600_000, 45_000, 600_000, 600_000,
    ]);
  });
});
