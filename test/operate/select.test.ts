/**
 * Stack selection: names and globs, --cloud, --affected, --all; unknown names and clouds are errors
 * with a "did you mean"; no selection at all is an error, not a silent no-op.
 */
import { describe, expect, it } from 'vitest';
import { selectStacks } from '../../app/operate/select.js';

const candidates = new Map([
  ['sante-dossiers-sovereign-fr1', 'sovereign-fr1'],
  ['sante-stats-vendor-eu-west-0', 'vendor-eu-west-0'],
  ['douane-stats-sovereign-fr1', 'sovereign-fr1'],
  ['culture-web-vendor-eu-west-0', 'vendor-eu-west-0'],
]);
const clouds = ['sovereign-fr1', 'vendor-eu-west-0'];
const none = { names: [], all: false, clouds: [] };

describe('selectStacks', () => {
  it('selects by name and by glob, sorted, without duplicates', () => {
    expect(selectStacks(candidates, { ...none, names: ['sante-*', 'sante-stats-vendor-eu-west-0'] }, clouds)).toEqual({
      stacks: ['sante-dossiers-sovereign-fr1', 'sante-stats-vendor-eu-west-0'],
    });
    expect(selectStacks(candidates, { ...none, names: ['*-stats-*'] }, clouds)).toEqual({
      stacks: ['douane-stats-sovereign-fr1', 'sante-stats-vendor-eu-west-0'],
    });
  });

  it('--all selects every candidate; --cloud alone every stack of that cloud', () => {
    expect(selectStacks(candidates, { ...none, all: true }, clouds)).toEqual({ stacks: [...candidates.keys()].sort() });
    expect(selectStacks(candidates, { ...none, clouds: ['sovereign-fr1'] }, clouds)).toEqual({
      stacks: ['douane-stats-sovereign-fr1', 'sante-dossiers-sovereign-fr1'],
    });
  });

  it('--cloud narrows names and globs', () => {
    expect(selectStacks(candidates, { ...none, names: ['sante-*'], clouds: ['vendor-eu-west-0'] }, clouds)).toEqual({
      stacks: ['sante-stats-vendor-eu-west-0'],
    });
  });

  it('--affected narrows to the affected stacks, and may leave nothing to do', () => {
    expect(selectStacks(candidates, { ...none, affected: ['culture-web-vendor-eu-west-0'] }, clouds)).toEqual({
      stacks: ['culture-web-vendor-eu-west-0'],
    });
    expect(selectStacks(candidates, { ...none, all: true, affected: [] }, clouds)).toEqual({ stacks: [] });
  });

  it('names an unknown stack with the closest one', () => {
    expect(selectStacks(candidates, { ...none, names: ['sante-dossier-sovereign-fr1'] }, clouds)).toEqual({
      error: "no stack named 'sante-dossier-sovereign-fr1' (did you mean 'sante-dossiers-sovereign-fr1'?)",
    });
  });

  it('reports every problem at once: a glob matching nothing, an unknown cloud', () => {
    const result = selectStacks(candidates, { ...none, names: ['justice-*', 'sante-*'], clouds: ['sovereign-fr2'] }, clouds);
    expect(result).toEqual({ error: "no cloud 'sovereign-fr2' (did you mean 'sovereign-fr1'?)\nno stack matches 'justice-*'" });
  });

  it('refuses an empty selection instead of doing nothing', () => {
    expect(selectStacks(candidates, none, clouds)).toEqual({
      error: 'no stack selected: name stacks (globs allowed), or give --all, --cloud <id> or --affected <git ref>',
    });
  });
});
