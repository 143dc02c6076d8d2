/**
 * The output folder is never half-written: real `sovstack synth` child processes of a 300-client
 * estate are killed with SIGKILL at every step of the switch (through the test-only hook
 * SOVSTACK_TEST_OUTPUT_HOOK) and at many points while the new output is being written; after each
 * kill the output is byte for byte either the previous complete output or the new complete one, and
 * the next run recovers (stale lock, leftovers). Two overlapping runs leave one complete output.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientId, clientYaml, range, writeEstate } from '../../bench/estate.js';
import { repoRoot } from '../support/tools.js';

const bin = join(repoRoot, 'dist', 'app', 'cli', 'main.js');
const work = mkdtempSync(join(tmpdir(), 'sovstack-output-crash-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

type EstateName = 'a' | 'b';
const other = (estate: EstateName): EstateName => (estate === 'a' ? 'b' : 'a');

/**
 * Estate `a`: 300 generated clients. Estate `b`: most even clients changed, client 299 gone, client
 * 300 new — so a switch rewrites about half of the stacks, reuses the rest and drops one. Each lives
 * in `<work>/<name>/config` and runs with that folder's parent as working directory, so both record
 * the same `configDir` and differ only by what they are meant to differ by.
 */
/** Even clients whose kind has no template (the generator's revision adds a security group, which a template's server groups would not name). */
const changedClients = range(300).filter((index) => index % 2 === 0 && !/^template:/m.test(clientYaml(index)));

function writeEstates(): void {
  writeEstate(join(work, 'a', 'config'), { clients: range(300), exampleDir: join(repoRoot, 'config') });
  writeEstate(join(work, 'b', 'config'), { clients: [...range(299), 300], exampleDir: join(repoRoot, 'config') });
  for (const index of changedClients) writeFileSync(join(work, 'b', 'config', 'clients', `${clientId(index)}.yaml`), clientYaml(index, 1));
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs `sovstack synth` of `estate` into `out`; `whileRunning` may kill it. */
function synth(
  estate: EstateName,
  out: string,
  env: Record<string, string> = {},
  whileRunning?: (kill: () => void, running: () => boolean) => void,
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'synth', '--config', 'config', '--out', out], {
      cwd: join(work, estate),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let running = true;
    child.on('close', (code, signal) => {
      running = false;
      resolve({ code, signal, stderr });
    });
    whileRunning?.(
      () => child.kill('SIGKILL'),
      () => running,
    );
  });
}

/** Digest of every file under `dir` (following the output link), with its relative path. */
function digest(dir: string): { hash: string; files: Map<string, string> } {
  const files = new Map<string, string>();
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : 1))) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path), createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  };
  if (existsSync(dir)) walk(dir);
  return {
    hash: createHash('sha256')
      .update(JSON.stringify([...files]))
      .digest('hex'),
    files,
  };
}

const reference = new Map<EstateName, { hash: string; files: Map<string, string> }>();

/** Which complete output `out` holds, or a description of the mix when it holds neither. */
function stateOf(out: string): string {
  const found = digest(out);
  for (const [name, ref] of reference) if (found.hash === ref.hash) return name;
  const matching = (name: EstateName) => [...found.files].filter(([file, hash]) => reference.get(name)!.files.get(file) === hash).length;
  return `neither: ${found.files.size} files, ${matching('a')} as in a, ${matching('b')} as in b`;
}

/** Polls the staging generation of `out` and kills the run once it holds `count` stack folders. */
function killAfterStacks(out: string, count: number) {
  const stagedStacks = (): number => {
    const parent = join(out, '..');
    const current = lstatSync(out, { throwIfNoEntry: false })?.isSymbolicLink() ? readlinkSync(out) : undefined;
    const staging = readdirSync(parent).filter((entry) => entry.startsWith('.out.gen-') && entry !== current);
    return Math.max(0, ...staging.map((entry) => readdirSync(join(parent, entry, 'stacks')).length));
  };
  return (kill: () => void, running: () => boolean): void => {
    const poll = (): void => {
      if (!running()) return;
      let staged = 0;
      try {
        staged = stagedStacks();
      } catch {
        // The run created or removed a folder between two reads; look again.
      }
      if (staged >= count) kill();
      else setTimeout(poll, 5);
    };
    poll();
  };
}

beforeAll(async () => {
  writeEstates();
  for (const name of ['a', 'b'] as const) {
    const out = join(work, `ref-${name}`, 'out');
    const run = await synth(name, out);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    reference.set(name, digest(out));
  }
  const [a, b] = [reference.get('a')!, reference.get('b')!];
  expect(a.files.size).toBe(303);
  const changed = [...a.files].filter(([file, hash]) => file.startsWith('stacks/') && b.files.get(file) !== hash).length;
  expect(changed).toBe(changedClients.length + 1);
  expect(changed).toBeGreaterThan(100);
}, 600_000);

describe('a synth killed at any point', () => {
  it('leaves exactly the previous or the new complete output, and the next run recovers', async () => {
    const out = join(work, 'run', 'out');
    let current: EstateName = 'a';
    expect((await synth('a', out)).code).toBe(0);
    expect(stateOf(out)).toBe('a');
    const steps = ['locked', 'staging', 'linked', 'link-created', 'switched', 'cleaned'];
    const points: [string, Record<string, string>, ((kill: () => void, running: () => boolean) => void) | undefined][] = [
      ...steps.map((step): [string, Record<string, string>, undefined] => [step, { SOVSTACK_TEST_OUTPUT_HOOK: `${step}:kill` }, undefined]),
      ...[1, 13, 25, 37, 49, 61, 73, 85, 97, 109, 121, 133].map(
        (count): [string, Record<string, string>, (kill: () => void, running: () => boolean) => void] => [
          `after ${count} stacks`,
          {},
          killAfterStacks(out, count),
        ],
      ),
    ];
    const outcomes: string[] = [];
    const afterSwitch = new Set(['switched', 'cleaned']);
    for (const [point, env, whileRunning] of points) {
      const target = other(current);
      const run = await synth(target, out, env, whileRunning);
      const state = stateOf(out);
      expect([current, target], `killed ${point}: ${state}`).toContain(state);
      if (steps.includes(point)) {
        // The hook really stopped the run at that step: before the switch the old output stays, after it the new one is there.
        expect(run.signal, point).toBe('SIGKILL');
        expect(state, point).toBe(afterSwitch.has(point) ? target : current);
      }
      outcomes.push(`${point}: ${run.signal ?? `exit ${run.code}`}, ${state === current ? 'old' : 'new'} output`);
      current = state as EstateName;
    }
    process.stderr.write(`kill points and outcomes:\n${outcomes.join('\n')}\n`);
    const final = await synth(other(current), out);
    expect(final.code).toBe(0);
    expect(stateOf(out)).toBe(other(current));
    expect(readdirSync(join(work, 'run')).sort()).toEqual([
      '.out.gen-' + readlinkSync(out).split('-').pop(),
      '.out.spare',
      '.sovstack-cache',
      'out',
    ]);
  }, 1_200_000);
});
