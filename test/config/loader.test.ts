import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatConfigErrors, loadEstate } from '../../core/config/index.js';
import { errorsOf } from './helpers.js';

const BROKEN = 'test/fixtures/config/broken-estate';

describe('loadEstate', () => {
  it('loads the shipped example estate with zero errors', async () => {
    const result = await loadEstate('config');
    if (!result.ok) throw new Error(formatConfigErrors(result.errors));
    expect(result.estate.dir).toBe('config');
    expect(result.estate.clouds.map((c) => c.id)).toEqual(['sovereign-fr1', 'vendor-eu-west-0']);
    expect(result.estate.templates.map((t) => t.id)).toEqual(['web-3tier']);
    expect(result.estate.clients).toHaveLength(9);
  });

  it('reports every problem of a broken estate at once, with positions, ignoring other folders and files', async () => {
    const errors = errorsOf(await loadEstate(BROKEN));
    expect(errors.map((e) => [e.file.replace(`${BROKEN}/`, ''), e.line, e.kind, e.path.join('.')])).toEqual([
      ['clients/alpha.yaml', 6, 'unknown-key', 'policy.colour'],
      ['clients/alpha.yaml', 11, 'cidr', 'service.network.subnets.0.cidr'],
      ['clients/alpha.yaml', 13, 'reference', 'service.serverGroups.0.subnet'],
      ['clients/beta.yml', undefined, 'file-name', ''],
      ['clients/gamma.yaml', 5, 'yaml', ''],
    ]);
    const text = formatConfigErrors(errors);
    expect(text.split('\n')[0]).toBe(
      `${BROKEN}/clients/alpha.yaml:6:3 policy.colour: unknown key \`colour\` — fix: remove it, or check the spelling; ` +
        'allowed keys: dataLocation, excludedSuppliers, pin, preferredClouds, sensitivity',
    );
    expect(text).not.toContain('lab/junk.yaml');
    expect(text).not.toContain('README');
  });

  it('shows files relative to the working directory when given an absolute folder', async () => {
    const errors = errorsOf(await loadEstate(resolve(BROKEN)));
    expect(errors[0].file).toBe(`${BROKEN}/clients/alpha.yaml`);
  });

  it('reports a missing clouds/ folder but still validates the clients it has', async () => {
    const errors = errorsOf(await loadEstate('test/fixtures/config/no-clouds'));
    expect(errors.map((e) => [e.file, e.kind])).toEqual([['test/fixtures/config/no-clouds/clouds', 'file-name']]);
  });
});
