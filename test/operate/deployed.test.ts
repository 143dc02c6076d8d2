import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeployedStoreError, findOrphans, forgetDeployed, listDeployed, readDeployed, recordDeployed } from '../../app/operate/deployed.js';

let root: string;
let dir: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sovstack-deployed-'));
  dir = join(root, '.sovstack', 'deployed');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const STACK = 'min-culture-sovereign-fr1';
const stackJson = (region: string): string =>
  JSON.stringify({
    terraform: { backend: { local: { path: 'x.tfstate' } } },
    provider: { openstack: [{ region, auth_url: 'https://id/v3' }] },
  });

describe('the last-deployed store', () => {
  it('records a stack in a folder it creates and reads it back as the same JSON', () => {
    expect(readDeployed(dir, STACK)).toBeUndefined();
    recordDeployed(dir, STACK, stackJson('fr1'));
    expect(JSON.parse(readDeployed(dir, STACK)!)).toEqual(JSON.parse(stackJson('fr1')));
    expect(listDeployed(dir)).toEqual([STACK]);
  });

  it('writes canonical JSON: the same configuration gives the same bytes whatever its key order', () => {
    recordDeployed(dir, 'a-fr1', '{"b":1,"a":{"d":[1,{"z":0,"y":1}],"c":null}}');
    recordDeployed(dir, 'b-fr1', '{"a":{"c":null,"d":[1,{"y":1,"z":0}]},"b":1}');
    const text = readDeployed(dir, 'a-fr1');
    expect(text).toBe(readDeployed(dir, 'b-fr1'));
    expect(text).toBe(
      '{\n  "a": {\n    "c": null,\n    "d": [\n      1,\n      {\n        "y": 1,\n        "z": 0\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
  });

  it('replaces the previous record and leaves no temporary file behind', () => {
    recordDeployed(dir, STACK, stackJson('fr1'));
    recordDeployed(dir, STACK, stackJson('fr2'));
    expect(JSON.parse(readDeployed(dir, STACK)!).provider.openstack[0].region).toBe('fr2');
    expect(readdirSync(dir)).toEqual([`${STACK}.tf.json`]);
  });

  it('forgets a stack, and forgetting one never recorded is no error', () => {
    recordDeployed(dir, STACK, stackJson('fr1'));
    forgetDeployed(dir, STACK);
    forgetDeployed(dir, STACK);
    forgetDeployed(join(root, 'absent'), STACK);
    expect(readDeployed(dir, STACK)).toBeUndefined();
    expect(listDeployed(dir)).toEqual([]);
  });

  it('lists nothing for a missing folder and ignores files that are not stack records', () => {
    expect(listDeployed(join(root, 'absent'))).toEqual([]);
    recordDeployed(dir, 'b-vendor', '{}');
    recordDeployed(dir, 'a-sovereign', '{}');
    writeFileSync(join(dir, 'b-vendor.tf.json.3141592653'), '{"half":'); // an interrupted write's temporary file
    writeFileSync(join(dir, 'README.md'), 'notes');
    writeFileSync(join(dir, 'Upper.tf.json'), '{}');
    expect(listDeployed(dir)).toEqual(['a-sovereign', 'b-vendor']);
  });

  it.each(['../escape', 'a/b', '', 'A-fr1', '.hidden', 'a\\b', 'x'.repeat(82), 'a-fr1\n'])(
    'refuses %j as a stack name in every operation, before touching the disk',
    (name) => {
      for (const operation of [() => recordDeployed(dir, name, '{}'), () => readDeployed(dir, name), () => forgetDeployed(dir, name)]) {
        expect(operation).toThrow(DeployedStoreError);
        expect(operation).toThrow(/is not a stack name: expected <client>-<cloud>/);
      }
      expect(listDeployed(root)).toEqual([]);
      expect(readdirSync(root)).toEqual([]);
    },
  );

  it('accepts the longest stack name ids allow (40 + 1 + 40 characters)', () => {
    const name = `a${'b'.repeat(39)}-c${'d'.repeat(39)}`;
    recordDeployed(dir, name, '{}');
    expect(listDeployed(dir)).toEqual([name]);
  });

  it('refuses to record text that is not a JSON object, keeping the previous record', () => {
    recordDeployed(dir, STACK, stackJson('fr1'));
    expect(() => recordDeployed(dir, STACK, '{"provider":')).toThrow(
      /cannot record the deployed configuration of min-culture-sovereign-fr1: it is not JSON/,
    );
    expect(() => recordDeployed(dir, STACK, '[1]')).toThrow(/expected a Terraform JSON object/);
    expect(JSON.parse(readDeployed(dir, STACK)!).provider.openstack[0].region).toBe('fr1');
  });

  it('names the damaged file and the fix when a record no longer parses', () => {
    recordDeployed(dir, STACK, '{}');
    writeFileSync(join(dir, `${STACK}.tf.json`), '{"trunc');
    expect(() => readDeployed(dir, STACK)).toThrow(
      new RegExp(`${join(dir, STACK)}\\.tf\\.json is not JSON .*deploy the stack again to record it anew`),
    );
  });

  it('says which path it cannot write to, and the fix, when the store folder is a file', () => {
    writeFileSync(join(root, 'file'), '');
    expect(() => recordDeployed(join(root, 'file'), STACK, '{}')).toThrow(DeployedStoreError);
    expect(() => recordDeployed(join(root, 'file'), STACK, '{}')).toThrow(/cannot write .*file.*or set --deployed-dir/);
    expect(readFileSync(join(root, 'file'), 'utf8')).toBe('');
  });
});

describe('findOrphans', () => {
  it('lists the deployed stacks that left the synth output, sorted and once each', () => {
    expect(findOrphans(['b-fr1', 'a-fr1', 'a-eu0', 'b-fr1', 'z-eu0'], ['a-eu0', 'c-fr1'])).toEqual(['a-fr1', 'b-fr1', 'z-eu0']);
  });

  it('finds none when everything deployed is still synthesized, or nothing was deployed', () => {
    expect(findOrphans(['a-fr1'], ['a-fr1', 'b-fr1'])).toEqual([]);
    expect(findOrphans([], ['a-fr1'])).toEqual([]);
  });

  it('finds the old stack of a client that moved, from the store itself', () => {
    const store = join(root, 'store');
    recordDeployed(store, 'min-culture-vendor-eu-west-0', '{}');
    recordDeployed(store, 'min-sante-sovereign-fr1', '{}');
    const synthesized = ['min-culture-sovereign-fr1', 'min-sante-sovereign-fr1'];
    expect(findOrphans(listDeployed(store), synthesized)).toEqual(['min-culture-vendor-eu-west-0']);
  });
});
