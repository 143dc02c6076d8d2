// scripts/cdktn-compare.mjs forgives exactly two differences between a cdktf and a cdktn synth (the recorded toolkit
// version, the printing of empty arrays) and fails on anything else.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = 'scripts/cdktn-compare.mjs';
const folders: string[] = [];

interface Stack {
  '//': { metadata: { stackName: string; version: string }; sovstack: { guardrails: { suppressed: never[] } } };
  resource: Record<string, Record<string, Record<string, unknown>>>;
}

function stack(version: string, network = 'mi-net'): Stack {
  return {
    '//': { metadata: { stackName: 'mi-sovereign-fr1', version }, sovstack: { guardrails: { suppressed: [] } } },
    resource: { openstack_networking_network_v2: { net: { name: network } } },
  };
}

/** cdktf 0.21 prints an empty array on two lines; cdktn 0.24 prints `[]`. */
function printed(json: unknown, emptyArrayOnTwoLines: boolean): string {
  const text = JSON.stringify(json, null, 2);
  return emptyArrayOnTwoLines ? text.replace(/\[\]/g, '[\n        ]') : text;
}

function outdir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cdktn-compare-'));
  folders.push(dir);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

function synth(version: string, twoLines: boolean, network?: string): Record<string, string> {
  return {
    'manifest.json': printed({ stacks: { 'mi-sovereign-fr1': { annotations: [] } }, version }, twoLines),
    'stacks/mi-sovereign-fr1/cdk.tf.json': printed(stack(version, network), twoLines),
    'placement.md': '| client | cloud |\n| mi | sovereign-fr1 |\n',
  };
}

function compare(ref: string, cdktn: string, versions: [string, string] = ['0.21.0', '0.24.0']) {
  const run = spawnSync(process.execPath, [SCRIPT, ref, versions[0], cdktn, versions[1]], { encoding: 'utf8' });
  return { status: run.status, output: run.stdout + run.stderr };
}

afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('cdktn-compare', () => {
  it('accepts outputs that differ only in the recorded version and the printing of empty arrays', () => {
    const result = compare(outdir(synth('0.21.0', true)), outdir(synth('0.24.0', false)));
    expect(result.output).toContain('3 files equal apart from the toolkit version');
    expect(result.output).toContain('2 of them print empty arrays differently');
    expect(result.status).toBe(0);
  });

  it('fails on a different resource attribute', () => {
    const result = compare(outdir(synth('0.21.0', true)), outdir(synth('0.24.0', false, 'other-net')));
    expect(result.output).toContain('stacks/mi-sovereign-fr1/cdk.tf.json: differs');
    expect(result.status).toBe(1);
  });

  it('fails when a recorded version is not the expected one', () => {
    const result = compare(outdir(synth('0.21.0', true)), outdir(synth('0.23.0', false)));
    expect(result.output).toContain('manifest.json: records version 0.23.0, expected 0.24.0');
    expect(result.status).toBe(1);
  });

  it('fails on a stack only one side has and on a non-JSON file that differs', () => {
    const cdktn = synth('0.24.0', false);
    cdktn['stacks/extra-vendor-eu-west-0/cdk.tf.json'] = printed(stack('0.24.0'), false);
    cdktn['placement.md'] = '| client | cloud |\n| mi | vendor-eu-west-0 |\n';
    const result = compare(outdir(synth('0.21.0', true)), outdir(cdktn));
    expect(result.output).toContain('stacks/extra-vendor-eu-west-0/cdk.tf.json: only in');
    expect(result.output).toContain('placement.md: differs');
    expect(result.status).toBe(1);
  });

  it('fails when the two sides order keys differently', () => {
    const reordered = stack('0.24.0');
    const result = compare(
      outdir(synth('0.21.0', true)),
      outdir({
        ...synth('0.24.0', false),
        'stacks/mi-sovereign-fr1/cdk.tf.json': printed({ resource: reordered.resource, '//': reordered['//'] }, false),
      }),
    );
    expect(result.output).toContain('stacks/mi-sovereign-fr1/cdk.tf.json: differs');
    expect(result.status).toBe(1);
  });
});
