/**
 * Config checks found missing by a new user (issue 16): wrong country codes, catalog coverage for the
 * clouds a client may actually land on, and fixes that are themselves valid.
 */
import { describe, expect, it } from 'vitest';
import { validateEstate } from '../../core/config/index.js';
import { IdSchema } from '../../core/config/schema.js';
import { edit, errorsOf, errorsWithClient, exampleFiles, positionOf, PROBE_CLIENT, withFile } from './helpers.js';

const CLOUD = 'config/clouds/vendor-eu-west-0.yaml';
const cloudText = (): string => exampleFiles().find((f) => f.path === CLOUD)!.text;

describe('country codes in config', () => {
  it('refuses UK in excludedSuppliers.countries, at its line, saying GB', () => {
    const text = edit(PROBE_CLIENT, '  preferredClouds: [vendor-eu-west-0]\n', '  excludedSuppliers:\n    countries: [UK]\n');
    const errors = errorsWithClient(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      file: 'config/clients/probe.yaml',
      path: ['policy', 'excludedSuppliers', 'countries', 0],
      line: positionOf(text, 'countries: [UK]').line,
      message: 'UK is not an ISO 3166-1 code; the United Kingdom is GB: write GB',
    });
  });

  it('refuses EL as a cloud’s data country, saying GR', () => {
    const text = edit(cloudText(), 'dataLocation:\n  country: FR', 'dataLocation:\n  country: EL');
    const errors = errorsOf(validateEstate(withFile(exampleFiles(), CLOUD, text)));
    expect(errors.map((e) => [e.path.join('.'), e.line, e.message])).toEqual([
      [
        'dataLocation.country',
        positionOf(text, 'country: EL').line,
        "EL is the EU's abbreviation for Greece; the ISO 3166-1 code is GR: write GR",
      ],
    ]);
  });

  it('accepts a French outermost region as a data country', () => {
    const text = edit(cloudText(), 'dataLocation:\n  country: FR', 'dataLocation:\n  country: RE');
    expect(validateEstate(withFile(exampleFiles(), CLOUD, text)).ok).toBe(true);
  });
});

describe('catalog coverage at validate', () => {
  it('reports a volume tier that only a cloud the client cannot use maps, at the line using it', () => {
    const sensitive = edit(PROBE_CLIENT, '  sensitivity: standard\n  preferredClouds: [vendor-eu-west-0]\n', '  sensitivity: sensitive\n');
    const text = edit(sensitive, 'tier: standard', 'tier: balanced');
    const errors = errorsWithClient(text);
    expect(errors).toEqual([
      expect.objectContaining({
        kind: 'catalog',
        path: ['service', 'serverGroups', 0, 'volumes', 0, 'tier'],
        line: positionOf(text, 'tier: balanced').line,
        message: 'volume tier `balanced` is not mapped by the clouds it may land on (sovereign-fr1); only vendor-eu-west-0 maps it',
        fix: 'add `balanced` to catalog.volumeTiers of sovereign-fr1, or use one of: performance, standard',
      }),
    ]);
  });

  it('reports a name the pinned cloud does not map', () => {
    const pinned = edit(
      PROBE_CLIENT,
      '  preferredClouds: [vendor-eu-west-0]\n',
      '  pin:\n    cloud: vendor-eu-west-0\n    justification: existing reservation on the vendor cloud\n',
    );
    const text = edit(pinned, 'image: debian-12', 'image: rocky-9');
    const errors = errorsWithClient(text);
    expect(errors.map((e) => [e.path.join('.'), e.message])).toEqual([
      ['service.serverGroups.0.image', 'image `rocky-9` is not mapped by its pinned cloud vendor-eu-west-0; only sovereign-fr1 maps it'],
    ]);
  });
});

describe('fixes that are valid', () => {
  it('never suggests an id the id rule refuses (file name with a space)', () => {
    const text = edit(PROBE_CLIENT, 'id: probe', 'id: culture-portail');
    const errors = errorsWithClient(text, 'config/clients/culture portail.yaml');
    const mismatch = errors.find((e) => e.kind === 'file-name');
    expect(mismatch?.fix).toBe('rename the file to culture-portail.yaml (`culture portail` is not a valid id)');
    for (const id of mismatch?.fix?.match(/id: ([^`]+)/g) ?? []) expect(IdSchema.safeParse(id.slice(4)).success).toBe(true);
  });

  it('suggests a valid id when neither the file name nor the declared id is one', () => {
    const text = edit(PROBE_CLIENT, 'id: probe', 'id: Culture_Portail');
    const errors = errorsWithClient(text, 'config/clients/Culture Portail.yaml');
    expect(errors.find((e) => e.kind === 'file-name')?.fix).toBe('set `id: culture-portail` and rename the file to culture-portail.yaml');
  });
});
