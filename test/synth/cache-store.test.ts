/**
 * The synth cache's files: entries written atomically come back whole, a damaged entry is a miss, and
 * pruning removes unused entries and stale temporary files but never another run's write in progress.
 */
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SynthCache } from '../../app/synth/cache.js';

const work = mkdtempSync(join(tmpdir(), 'sovstack-cache-store-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let counter = 0;
const freshDir = (): string => join(work, `cache-${++counter}`);
const entry = (text: string) => ({ manifest: { name: 'a-c1' }, file: 'stacks/a-c1/cdk.tf.json', content: Buffer.from(text) });

describe('SynthCache files', () => {
  it('reads back what it wrote, and only under the same key', () => {
    const dir = freshDir();
    new SynthCache(dir).set('a-c1', 'k1', entry('{"resource":{}}'));
    const cache = new SynthCache(dir);
    expect(cache.get('a-c1', 'k1')?.content.toString()).toBe('{"resource":{}}');
    expect(cache.get('a-c1', 'k2')).toBeUndefined();
    expect(readdirSync(join(dir, 'v1'))).toEqual(['a-c1.k1.stack']);
  });

  it('takes a truncated entry as a miss', () => {
    const dir = freshDir();
    new SynthCache(dir).set('a-c1', 'k1', entry('{"resource":{}}'));
    const path = join(dir, 'v1', 'a-c1.k1.stack');
    writeFileSync(path, '{"key":"k1","manifest":{},"file":"x","bytes":99}\n{"res');
    expect(new SynthCache(dir).get('a-c1', 'k1')).toBeUndefined();
  });

  it('prunes unused entries and temporary files older than an hour, and keeps a younger one', () => {
    const dir = freshDir();
    const writer = new SynthCache(dir);
    writer.set('used-c1', 'k1', entry('{}'));
    writer.set('unused-c1', 'k1', entry('{}'));
    const folder = join(dir, 'v1');
    // What write-file-atomic leaves of a killed write, and another run's write in progress.
    const stale = join(folder, 'b-c1.k1.stack.1a2b3c4d');
    const inFlight = join(folder, 'c-c1.k1.stack.5e6f7a8b');
    writeFileSync(stale, 'half');
    writeFileSync(inFlight, 'half');
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    utimesSync(stale, twoHoursAgo, twoHoursAgo);

    const run = new SynthCache(dir);
    expect(run.get('used-c1', 'k1')).toBeDefined();
    run.prune();
    expect(readdirSync(folder).sort()).toEqual(['c-c1.k1.stack.5e6f7a8b', 'used-c1.k1.stack']);
  });
});
