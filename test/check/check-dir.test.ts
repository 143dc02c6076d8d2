import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSynthOutput, formatIssues } from '../../core/check/check-dir.js';

const tmp = mkdtempSync(join(tmpdir(), 'sovstack-synth-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function synth(outdir: string, stacks: Record<string, object | string>): void {
  for (const [name, content] of Object.entries(stacks)) {
    mkdirSync(join(outdir, 'stacks', name), { recursive: true });
    writeFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), typeof content === 'string' ? content : JSON.stringify(content));
  }
}

const net = (name: unknown) => ({ resource: { openstack_networking_network_v2: { net: { name, mtu: 'big' } } } });

describe('checkSynthOutput', () => {
  it('checks every stacks/*/cdk.tf.json in name order and tags issues with the stack', () => {
    const out = join(tmp, 'out1');
    synth(out, {
      'zeta-client': net('z'),
      'alpha-client': net('a'),
      'ok-client': { resource: { openstack_networking_network_v2: { n: { name: 'ok' } } } },
    });
    mkdirSync(join(out, 'stacks', 'not-a-stack'), { recursive: true }); // no cdk.tf.json: ignored
    const result = checkSynthOutput(out);
    expect(result.stacks).toBe(3);
    expect(result.issues.map((i) => [i.stack, i.address, i.attribute, i.code])).toEqual([
      ['alpha-client', 'openstack_networking_network_v2.net', 'mtu', 'wrong-type'],
      ['zeta-client', 'openstack_networking_network_v2.net', 'mtu', 'wrong-type'],
    ]);
  });

  it('fails clearly without synth output or with a malformed stack', () => {
    expect(() => checkSynthOutput(join(tmp, 'nothing'))).toThrow(/no synthesized stacks in .*nothing.stacks \(run cdktf synth first\)/);
    const out = join(tmp, 'out2');
    synth(out, { broken: '{"resource": ' });
    expect(() => checkSynthOutput(out)).toThrow(/broken.cdk\.tf\.json: /);
    synth(out, { broken: '[1]' });
    expect(() => checkSynthOutput(out)).toThrow(/top level must be a JSON object/);
  });
});

describe('formatIssues', () => {
  it('prints one line per issue: stack address attribute: message', () => {
    const text = formatIssues([
      {
        stack: 'alpha',
        address: 'openstack_networking_network_v2.net',
        attribute: 'mtu',
        severity: 'error',
        code: 'wrong-type',
        message: 'bad mtu',
      },
      { address: 'openstack_thing_v9.x', severity: 'error', code: 'unknown-resource-type', message: 'no such type' },
    ]);
    expect(text).toBe('alpha openstack_networking_network_v2.net mtu: bad mtu\n- openstack_thing_v9.x: no such type');
    expect(formatIssues([])).toBe('');
  });
});
