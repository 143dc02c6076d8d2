/**
 * The policy edges as the commands show them (issue 16): the date of the decision is explicit and settable,
 * warnings reach every command's text and JSON, failures name the client's file, messages end with a newline
 * and claim nothing about an output that never existed.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { placeCommand } from '../../app/cli/commands/place.js';
import { synthCommand } from '../../app/cli/commands/synth.js';
import { placementWarningsText, untouchedText } from '../../app/synth/messages.js';
import { validateCommand } from '../../app/cli/commands/validate.js';
import { whatIfCommand } from '../../app/cli/commands/what-if.js';
import { decisionDate, isCalendarDate } from '../../app/today.js';
import { DateSchema } from '../../core/config/schema.js';
import { repoRoot } from '../support/tools.js';

const example = join(repoRoot, 'config');
const work = mkdtempSync(join(tmpdir(), 'sovstack-policy-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The example estate with the vendor cloud deprecated, end of life 2027-03-01 (ecologie-cartes is pinned to it). */
function deprecatedVendor(): string {
  const dir = join(work, `estate-${Math.random().toString(36).slice(2)}`);
  cpSync(example, dir, { recursive: true });
  const file = join(dir, 'clouds', 'vendor-eu-west-0.yaml');
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace('lifecycle:\n  status: active', 'lifecycle:\n  status: deprecated\n  endOfLife: 2027-03-01'),
  );
  return dir;
}

const PLAN_THE_MOVE = 'vendor-eu-west-0 reaches its end of life on 2027-03-01, in 90 days (warning horizon 180 days): plan the move';

describe('the date of the decision', () => {
  it('comes from --today, else SOVSTACK_TODAY, else the clock; a bad value names its origin', () => {
    const now = new Date('2026-12-01T23:30:00Z');
    expect(decisionDate('2027-01-02', { SOVSTACK_TODAY: '2026-05-05' }, now)).toEqual({ today: '2027-01-02' });
    expect(decisionDate(undefined, { SOVSTACK_TODAY: '2026-05-05' }, now)).toEqual({ today: '2026-05-05' });
    expect(decisionDate(undefined, {}, now)).toEqual({ today: '2026-12-01' });
    expect(decisionDate('01/12/2026', {}, now)).toEqual({ error: '--today 01/12/2026: expected a date as YYYY-MM-DD, e.g. 2026-12-01' });
    expect(decisionDate(undefined, { SOVSTACK_TODAY: '2026-02-30' }, now)).toEqual({
      error: 'SOVSTACK_TODAY 2026-02-30: expected a date as YYYY-MM-DD, e.g. 2026-12-01',
    });
  });

  it('accepts exactly the dates the config schema accepts (leap years, month lengths, the format)', () => {
    const days: string[] = [];
    for (let t = Date.UTC(1999, 0, 1); t <= Date.UTC(2031, 0, 1); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
    const impossible = ['2027-02-29', '2100-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00', '2026-01-32'];
    const malformed = ['2026-1-01', '26-01-01', '2026/01/01', ' 2026-01-01', '2026-01-01T00:00', '+02026-01-01', '２０２６-01-01', ''];
    const leap = ['2000-02-29', '2024-02-29', '2400-02-29', '0000-02-29', '9999-12-31', '0000-01-01'];
    const samples = [...days, ...impossible, ...malformed, ...leap];
    const disagreements = samples.filter((text) => isCalendarDate(text) !== DateSchema.safeParse(text).success);
    expect(disagreements).toEqual([]);
    expect(samples.filter(isCalendarDate)).toHaveLength(days.length + leap.length);
  });

  it('place refuses an invalid --today with exit 1 and a message ending in a newline', async () => {
    const result = await placeCommand({ config: example, today: 'tomorrow' });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe('--today tomorrow: expected a date as YYYY-MM-DD, e.g. 2026-12-01\n');
  });
});

describe('end of life in every command', () => {
  it('place: a warning near the end of life, in the text and the JSON', async () => {
    const dir = deprecatedVendor();
    const text = await placeCommand({ config: dir, today: '2026-12-01', horizonDays: 180 });
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain(`- ecologie-cartes: ${PLAN_THE_MOVE}`);
    const json = await placeCommand({ config: dir, today: '2026-12-01', horizonDays: 180, json: true });
    const doc = JSON.parse(json.stdout) as { placements: { client: string; warnings: string[] }[] };
    expect(doc.placements.find((p) => p.client === 'ecologie-cartes')?.warnings).toContain(PLAN_THE_MOVE);
  });

  it('place: past the end of life the pin fails on lifecycle, naming the date and the client file', async () => {
    const dir = deprecatedVendor();
    const result = await placeCommand({ config: dir, today: '2027-06-01' });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      `- ecologie-cartes (pin-violation): ${dir}/clients/ecologie-cartes.yaml: ecologie-cartes is pinned to vendor-eu-west-0`,
    );
    expect(result.stderr).toContain('vendor-eu-west-0 reached its end of life on 2027-03-01 (today is 2027-06-01)');
    expect(result.stderr).toMatch(/a pin cannot land on a retired cloud or one past its end of life\n$/);
  });

  it('what-if: the warnings of the clients after the change, in the text and the JSON', async () => {
    const dir = deprecatedVendor();
    const text = await whatIfCommand({ config: dir, retire: 'sovereign-fr1', today: '2026-12-01', horizonDays: 180 });
    expect(text.stdout).toMatch(/\nWARNINGS\n/);
    expect(text.stdout).toContain(`- ecologie-cartes: ${PLAN_THE_MOVE}`);
    const json = await whatIfCommand({ config: dir, retire: 'sovereign-fr1', today: '2026-12-01', horizonDays: 180, json: true });
    const doc = JSON.parse(json.stdout) as { clients: { client: string; warnings: string[] }[] };
    expect(doc.clients.find((c) => c.client === 'ecologie-cartes')?.warnings).toContain(PLAN_THE_MOVE);
  });

  it('validate: a cloud near or past its end of life is a warning, the estate stays valid', async () => {
    const dir = deprecatedVendor();
    const near = await validateCommand({ config: dir, today: '2026-12-01', horizonDays: 180 });
    expect(near.exitCode).toBe(0);
    expect(near.stderr).toContain(`warning: ${PLAN_THE_MOVE}\n`);
    const past = await validateCommand({ config: dir, today: '2027-06-01' });
    expect(past.stderr).toContain(
      'warning: vendor-eu-west-0 reached its end of life on 2027-03-01 (today is 2027-06-01): nothing will be placed on it\n',
    );
  });

  it('synth: placement warnings are printed after the summary', () => {
    const placements = [
      { client: 'c', warnings: [PLAN_THE_MOVE] },
      { client: 'd', warnings: [] },
    ];
    expect(placementWarningsText(placements as never)).toBe(`placement warnings:\n- c: ${PLAN_THE_MOVE}\n`);
    expect(placementWarningsText([])).toBe('');
  });
});

describe('messages', () => {
  it('config errors end with a newline', async () => {
    const dir = deprecatedVendor();
    const file = join(dir, 'clients', 'sante-dossiers.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('policy:\n', 'policy:\n  excludedSuppliers: { countries: [UK] }\n'));
    const result = await validateCommand({ config: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      /sante-dossiers\.yaml:\d+:\d+ policy\.excludedSuppliers\.countries\[0\]: UK is not an ISO 3166-1 code; the United Kingdom is GB: write GB\n$/,
    );
  });

  it('synth claims no previous output when there was none', async () => {
    const dir = deprecatedVendor();
    const out = join(work, 'never-written');
    const result = await synthCommand({ config: dir, out, today: '2027-06-01' });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^placement error, nothing written to ${out}\n`));
    expect(result.stderr).not.toContain('left untouched');
    expect(existsSync(out)).toBe(false);
    expect(untouchedText(out, true)).toBe(`previous output in ${out} left untouched`);
  });
});
