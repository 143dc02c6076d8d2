/**
 * Commands load only the modules they need: `validate` and `place` never load cdktf or the provider
 * bindings (only `synth` does). Checked on the built binary with the probe of test/support/cdktf-probe.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cdktfModulesLoadedBy } from '../support/cdktf-probe.js';

const work = mkdtempSync(join(tmpdir(), 'sovstack-lazy-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The exit code and the number of cdktf library modules a run of the built CLI loaded. */
function loadedBy(...args: string[]): { status: number | null; cdktf: number } {
  const run = cdktfModulesLoadedBy(...args);
  return { status: run.status, cdktf: run.modules.length };
}

describe('commands load only what they need', () => {
  it('validate loads no cdktf module', () => {
    expect(loadedBy('validate', '--config', 'config')).toEqual({ status: 0, cdktf: 0 });
  });

  it('place loads no cdktf module', () => {
    expect(loadedBy('place', '--config', 'config')).toEqual({ status: 0, cdktf: 0 });
  });

  it('synth does load cdktf (the probe sees it)', () => {
    const loaded = loadedBy('synth', '--config', 'config', '--out', join(work, 'cdktf.out'), '--jobs', '1');
    expect(loaded.status).toBe(0);
    expect(loaded.cdktf).toBeGreaterThan(50);
  });
});
