/**
 * The whole run's up-to-date check (`app/synth/up-to-date.ts`): a rerun with nothing changed answers
 * from the last run's record, with the outcome the whole pipeline gives; every change to what the output
 * depends on, and every way to get a changed output or estate past it, takes the whole pipeline, which
 * then writes what a cold run writes or reports what is wrong.
 *
 * Which path a run took shows in the output link: the whole pipeline always commits a new generation
 * (`.cdktf.out.gen-<n>`), the up-to-date answer leaves the link as it was.
 */
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { synthEstate, type SynthOptions, type SynthOutcome } from '../../app/synth/run.js';
import { recordRun, runInputs, runRecordPath } from '../../app/synth/up-to-date.js';
import { snapshotTree } from '../support/files.js';

const exampleConfig = resolve('config');
const work = mkdtempSync(join(tmpdir(), 'sovstack-up-to-date-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let counter = 0;

interface Setup {
  options: SynthOptions;
  config: string;
  outdir: string;
  /** The outcome of the first (whole) run. */
  first: Extract<SynthOutcome, { ok: true }>;
}

function ok(outcome: SynthOutcome): Extract<SynthOutcome, { ok: true }> {
  if (!outcome.ok) throw new Error(`synth failed (${outcome.stage}): ${outcome.message}`);
  return outcome;
}

/** A copy of the example estate synthesized once into a new output folder. */
async function setup(extra: Partial<SynthOptions> = {}): Promise<Setup> {
  const root = join(work, `case-${++counter}`);
  const config = join(root, 'config');
  for (const folder of ['clouds', 'clients', 'templates', 'user-data'])
    cpSync(join(exampleConfig, folder), join(config, folder), { recursive: true });
  const outdir = join(root, 'cdktf.out');
  const options: SynthOptions = { configDir: config, outdir, placeOptions: { today: '2026-12-01' }, ...extra };
  const first = ok(await synthEstate(options));
  return { options, config, outdir, first };
}

const link = (outdir: string): string => readlinkSync(outdir);

/** Runs the synth again; `whole` says whether it took the whole pipeline (a new generation). */
async function rerun(options: SynthOptions): Promise<{ outcome: SynthOutcome; whole: boolean }> {
  const before = link(options.outdir);
  const outcome = await synthEstate(options);
  return { outcome, whole: link(options.outdir) !== before };
}

/** What a cold run without any cache writes for `options` (into another folder). */
async function cold(options: SynthOptions): Promise<Record<string, string>> {
  const outdir = join(work, `cold-${++counter}`, 'cdktf.out');
  // The estate path is recorded in placement.json relative to the working folder: same estate, same text.
  ok(await synthEstate({ ...options, outdir, cache: false }));
  return snapshotTree(outdir);
}

/**
 * Rewrites `file` with `content`, then gives it back its exact modification time (to the nanosecond, as
 * `touch -r` or `cp -p` do): only its change time and maybe its inode tell.
 */
function rewriteKeepingTime(file: string, content: string | Buffer, replace = false): void {
  const reference = `${file}.time`;
  execFileSync('touch', ['-r', file, reference]);
  if (replace) unlinkSync(file);
  writeFileSync(file, content);
  execFileSync('touch', ['-r', reference, file]);
  unlinkSync(reference);
}

const clientFile = (config: string): string => join(config, 'clients', readdirSync(join(config, 'clients')).sort()[0]);
const stackFile = (outdir: string, stack: string): string => join(outdir, 'stacks', stack, 'cdk.tf.json');

describe('a rerun with nothing changed', () => {
  it('answers from the record with exactly the outcome the whole pipeline gives, output untouched', async () => {
    const { options, outdir, first } = await setup();
    const before = snapshotTree(outdir);
    const fast = await rerun(options);
    expect(fast.whole).toBe(false);
    expect(snapshotTree(outdir)).toEqual(before);
    // The same run through the whole pipeline (record removed): same outcome, every stack up to date.
    rmSync(runRecordPath(options)!);
    const whole = await rerun(options);
    expect(whole.whole).toBe(true);
    expect(fast.outcome).toStrictEqual(whole.outcome);
    expect(ok(whole.outcome).stacks).toEqual(first.stacks);
    expect(ok(whole.outcome).cache?.misses).toEqual([]);
    expect(snapshotTree(outdir)).toEqual(before);
  });

  it('still answers when a hidden file (ignored by the loader) appears in the estate', async () => {
    const { options, config } = await setup();
    writeFileSync(join(config, 'clients', '.notes.yaml'), 'scratch: true\n');
    expect((await rerun(options)).whole).toBe(false);
  });

  it('is not used without the cache, nor with placement rules given as code', async () => {
    const { options } = await setup();
    expect(runInputs({ ...options, cache: false })).toBeUndefined();
    expect(runInputs({ ...options, placeOptions: { today: '2026-12-01', rules: [] } })).toBeUndefined();
  });
});

/** Changes to the inputs: each takes the whole pipeline, and the output is then what a cold run writes. */
const inputChanges: [string, (s: Setup) => void | Partial<SynthOptions>][] = [
  [
    'a client file edited to the same size (a volume of 60 GB instead of 50)',
    ({ config }) => {
      const file = join(config, 'clients', 'culture-portail.yaml');
      const text = readFileSync(file, 'utf8');
      expect(text).toContain('sizeGb: 50');
      writeFileSync(file, text.replace('sizeGb: 50', 'sizeGb: 60'));
    },
  ],
  ['a client file touched, its bytes unchanged', ({ config }) => utimesSync(clientFile(config), new Date(), new Date())],
  [
    'a client file added',
    ({ config }) => {
      const text = readFileSync(clientFile(config), 'utf8');
      const id = readdirSync(join(config, 'clients'))
        .sort()[0]
        .replace(/\.yaml$/, '');
      writeFileSync(join(config, 'clients', 'zz-copy.yaml'), text.replaceAll(id, 'zz-copy'));
    },
  ],
  ['a client file removed', ({ config }) => unlinkSync(clientFile(config))],
  [
    'a cloud file edited',
    ({ config }) => {
      const file = join(config, 'clouds', readdirSync(join(config, 'clouds')).sort()[0]);
      writeFileSync(file, `${readFileSync(file, 'utf8')}# reviewed\n`);
    },
  ],
  ['another decision date', () => ({ placeOptions: { today: '2027-01-15' } })],
  ['another warning horizon', () => ({ placeOptions: { today: '2026-12-01', horizonDays: 30 } })],
  ['orphan stack folders kept (the app under cdktf-cli)', () => ({ keepOrphanStacks: true })],
];

/** Changes to the output: each takes the whole pipeline, which puts back what a cold run writes. */
const outputChanges: [string, (s: Setup) => void][] = [
  [
    'a stack file edited to the same size, its modification time restored (cp -p, touch -d)',
    ({ outdir, first }) => {
      const file = stackFile(outdir, first.stacks[0]);
      const before = statSync(file, { bigint: true });
      const text = readFileSync(file, 'utf8');
      const tampered = text.replace(/"auth_url": "https:\/\/([a-z])/, (_m, c: string) => `"auth_url": "https://${c === 'x' ? 'y' : 'x'}`);
      expect(tampered).not.toBe(text);
      rewriteKeepingTime(file, tampered);
      const after = statSync(file, { bigint: true });
      expect([after.size, after.mtimeNs, after.ino]).toEqual([before.size, before.mtimeNs, before.ino]);
    },
  ],
  ['a stack file removed', ({ outdir, first }) => unlinkSync(stackFile(outdir, first.stacks[0]))],
  [
    'a file added beside a stack file',
    ({ outdir, first }) => writeFileSync(join(outdir, 'stacks', first.stacks[0], 'extra.tf.json'), '{}'),
  ],
  ['a stack folder added', ({ outdir }) => mkdirSync(join(outdir, 'stacks', 'intruder'))],
  [
    'placement.json replaced by an identical copy with the same modification time',
    ({ outdir }) => {
      const file = join(outdir, 'placement.json');
      rewriteKeepingTime(file, readFileSync(file), true);
    },
  ],
  [
    'the output link pointed at a copy of its generation',
    ({ outdir }) => {
      const copy = join(outdir, '..', '.copy');
      cpSync(join(outdir, '..', link(outdir)), copy, { recursive: true, preserveTimestamps: true });
      unlinkSync(outdir);
      symlinkSync('.copy', outdir);
    },
  ],
];

describe('what takes the whole pipeline', () => {
  it.each(inputChanges)('%s', async (_name, change) => {
    const s = await setup();
    const options = { ...s.options, ...(change(s) ?? {}) };
    const { outcome, whole } = await rerun(options);
    expect(whole).toBe(true);
    ok(outcome);
    expect(snapshotTree(s.outdir)).toEqual(await cold(options));
    // And the run after it is recognised again.
    expect((await rerun(options)).whole).toBe(false);
  });

  it.each(outputChanges)('%s', async (_name, change) => {
    const s = await setup();
    const expected = snapshotTree(s.outdir);
    change(s);
    const { outcome, whole } = await rerun(s.options);
    expect(whole).toBe(true);
    ok(outcome);
    expect(snapshotTree(s.outdir)).toEqual(expected);
  });

  it('a record that is not one (garbage, another format)', async () => {
    const s = await setup();
    const record = runRecordPath(s.options)!;
    writeFileSync(record, 'not a record');
    expect((await rerun(s.options)).whole).toBe(true);
    writeFileSync(record, JSON.stringify({ format: 'run-v1', inputs: runInputs(s.options) }));
    expect((await rerun(s.options)).whole).toBe(true);
  });
});

describe('fails closed on an estate it cannot vouch for', () => {
  it('clients/ swapped for a link to a copy outside the estate: the whole pipeline refuses it', async () => {
    const s = await setup();
    const outside = join(s.config, '..', 'outside-clients');
    renameSync(join(s.config, 'clients'), outside);
    symlinkSync(outside, join(s.config, 'clients'));
    const before = snapshotTree(s.outdir);
    const { outcome, whole } = await rerun(s.options);
    expect(whole).toBe(false);
    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? '' : outcome.message).toContain('outside the estate folder');
    expect(snapshotTree(s.outdir)).toEqual(before);
  });

  it('a client file replaced by a link to the same bytes: the whole pipeline runs', async () => {
    const s = await setup();
    const file = clientFile(s.config);
    const kept = join(s.config, 'clients', '.kept');
    renameSync(file, kept);
    symlinkSync(kept, file);
    expect((await rerun(s.options)).whole).toBe(true);
  });

  it('another run holds the output: the whole pipeline waits for it (here: times out)', async () => {
    const s = await setup();
    // A live process of this host (the test runner's parent) holds the lock.
    writeFileSync(`${s.outdir}.lock`, JSON.stringify({ pid: process.ppid, host: hostname() }));
    process.env.SOVSTACK_LOCK_TIMEOUT = '200ms';
    try {
      const outcome = await synthEstate(s.options);
      expect(outcome.ok).toBe(false);
      expect(outcome.ok ? '' : outcome.message).toMatch(/lock/);
    } finally {
      delete process.env.SOVSTACK_LOCK_TIMEOUT;
      rmSync(`${s.outdir}.lock`);
    }
  });
});

describe('recording a run', () => {
  afterEach(() => delete process.env.SYNTH_HCL_OUTPUT);

  it('records nothing, and drops the last record, when an input changed during the run, even back to the same bytes', async () => {
    const s = await setup();
    const record = runRecordPath(s.options)!;
    expect(statSync(record).size).toBeGreaterThan(0);
    const inputs = runInputs(s.options)!;
    const file = clientFile(s.config);
    const text = readFileSync(file);
    writeFileSync(file, 'edited while the run read it\n');
    writeFileSync(file, text);
    recordRun(s.options, inputs, join(s.outdir, '..', link(s.outdir)), s.first);
    expect(() => statSync(record)).toThrow();
    recordRun(s.options, runInputs(s.options)!, join(s.outdir, '..', link(s.outdir)), s.first);
    expect(statSync(record).size).toBeGreaterThan(0);
  });

  it('records nothing for a generation the output no longer links to', async () => {
    const s = await setup();
    const record = runRecordPath(s.options)!;
    rmSync(record);
    recordRun(s.options, runInputs(s.options)!, join(s.outdir, '..', '.cdktf.out.gen-999'), s.first);
    expect(() => statSync(record)).toThrow();
  });

  it('keys the environment variables cdktf reads', async () => {
    const s = await setup();
    const before = runInputs(s.options);
    process.env.SYNTH_HCL_OUTPUT = 'true';
    expect(runInputs(s.options)).not.toBe(before);
  });
});
