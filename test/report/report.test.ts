import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  REDACTED,
  REDACTED_CHANGED,
  REPORT_MARKER,
  buildReport,
  classifyActions,
  plansFromDir,
  readPlan,
  renderReportMarkdown,
  renderReportText,
  runReportCommand,
  runSanitizePlanCommand,
  sanitizePlan,
  summarizePlan,
  type Report,
  type WarningKind,
} from '../../app/report/index.js';
import { PLANS, stable, writeScenario } from './scenario.js';
import { SOVEREIGN, service, writeSynthOutput } from './synth-fixtures.js';

/** Every secret value present in the plan fixtures or the scenario's synthesized JSON. */
const SECRETS = [
  '0ld-Admin-Pa55',
  'Cr3ate-Secret-N0t-In-Report',
  'Synth-Config-Secret',
  'Before-Admin-Secret',
  'hunter2',
  'tok-before-123',
  'tok-after-456',
  'app-cred-secret',
];

const scenario = writeScenario();
const report = buildReport({ head: scenario.head, base: scenario.base, plans: scenario.plans });
const kinds = (r: Report): WarningKind[] => r.warnings.map((w) => w.kind);
const stack = (r: Report, name: string) => {
  const found = r.stacks.find((s) => s.stack === name);
  if (!found) throw new Error(`no stack ${name} in report`);
  return found;
};

describe('buildReport over a base and a head with plans', () => {
  test('the renderings match the reviewed snapshots', async () => {
    await expect(stable(renderReportMarkdown(report), scenario)).toMatchFileSnapshot('__snapshots__/scenario.md');
    await expect(stable(renderReportText(report), scenario)).toMatchFileSnapshot('__snapshots__/scenario.txt');
  });

  test('counts of a real plan: create, update, replace, destroy, no-op', () => {
    const sante = stack(report, 'sante-dossiers-sovereign-fr1');
    expect(sante.source).toBe('plan');
    expect(sante.engineVersion).toBe('1.12.6');
    expect(sante.counts).toMatchObject({ create: 1, update: 1, replace: 1, destroy: 1, noop: 1 });
    const subnet = sante.resources.find((r) => r.action === 'replace');
    expect(subnet?.address).toBe('openstack_networking_subnet_v2.network_subnet-back_4D5E6F');
    expect(subnet?.attributes).toEqual([{ path: 'cidr', before: '"10.20.2.0/24"', after: '"10.20.3.0/24"', forcesReplacement: true }]);
    const network = sante.resources.find((r) => r.action === 'update');
    expect(network?.attributes.map((a) => a.path)).toEqual(['tags']);
  });

  test('without a plan the counts come from the synth comparison, per resource address', () => {
    const douane = stack(report, 'douane-stats-vendor-eu-west-0');
    expect(douane.source).toBe('synth');
    expect(douane.status).toBe('changed');
    expect(douane.counts).toMatchObject({ create: 1, change: 1, destroy: 0, noop: 3, update: 0, replace: 0 });
    expect(douane.resources.find((r) => r.action === 'change')?.attributes).toEqual([
      { path: 'flavor_name', before: '"s3.large.2"', after: '"s3.xlarge.2"' },
    ]);
    expect(stack(report, 'enseignement-eu-vendor-eu-west-0')).toMatchObject({ status: 'new', source: 'synth', counts: { create: 4 } });
    expect(renderReportText(report)).toMatch(/douane-stats-vendor-eu-west-0\s+changed\s+1\s+1\*\s+\?\s+0\s+3\s+synth diff vs base/);
  });

  test('cdktf metadata alone (`//` keys, cdktf version) is no change', () => {
    const insee = stack(report, 'insee-calcul-vendor-eu-west-0');
    expect(insee.status).toBe('unchanged');
    expect(insee.resources).toEqual([]);
    expect(insee.otherChanges).toEqual([]);
  });

  test('placement changes: new, unchanged, moved from, removed', () => {
    const change = Object.fromEntries(report.placements.map((p) => [p.client, p.change]));
    expect(change).toEqual({
      'culture-portail': 'moved',
      'douane-stats': 'unchanged',
      'enseignement-eu': 'new',
      'insee-calcul': 'unchanged',
      'meteo-archives': 'removed',
      'sante-dossiers': 'unchanged',
    });
    expect(report.placements.find((p) => p.client === 'culture-portail')?.previousCloud).toBe('vendor-eu-west-0');
    expect(renderReportText(report)).toMatch(/culture-portail\s+sovereign-fr1\s+moved from vendor-eu-west-0/);
    expect(renderReportMarkdown(report)).toContain('| culture-portail | sovereign-fr1 | ⚠️ moved from vendor-eu-west-0 |');
  });

  test('monthly cost per client, delta against the base and total', () => {
    const byClient = Object.fromEntries(report.placements.map((p) => [p.client, p]));
    expect(byClient['douane-stats']?.delta).toEqual({ currency: 'EUR', amount: 118.5 });
    expect(byClient['meteo-archives']?.delta).toEqual({ currency: 'EUR', amount: -25.3 });
    expect(byClient['meteo-archives']?.monthly).toBeUndefined();
    expect(byClient['enseignement-eu']?.delta).toEqual({ currency: 'EUR', amount: 57.4 });
    expect(report.costs).toEqual([{ currency: 'EUR', monthly: 979.95, baseMonthly: 759.2, delta: 220.75 }]);
    expect(renderReportText(report)).toMatch(/EUR\s+759\.20\s+979\.95\s+\+220\.75/);
  });
});

describe('warnings, each kind', () => {
  const md = renderReportMarkdown(report);
  const text = renderReportText(report);

  test('warnings come first in both renderings', () => {
    expect(md.split('\n')[0]).toBe(REPORT_MARKER);
    expect(md.indexOf('### ⚠️ WARNINGS (8)')).toBeLessThan(md.indexOf('### Placement'));
    expect(text.indexOf('!! WARNINGS (8)')).toBeLessThan(text.indexOf('PLACEMENT'));
    expect(kinds(report)).toEqual([
      'destroy',
      'replace',
      'moved',
      'removed-client',
      'sensitive-change',
      'deprecated-cloud',
      'deprecated-cloud',
      'deprecated-cloud',
    ]);
  });

  test('destroy names the stack and the resource', () => {
    const w = report.warnings.find((x) => x.kind === 'destroy');
    expect(w?.stack).toBe('sante-dossiers-sovereign-fr1');
    expect(w?.message).toContain('openstack_compute_instance_v2.servers_legacy-0_FEDCBA');
    expect(md).toContain('- ⚠️ **DESTROY** — sante-dossiers-sovereign-fr1: 1 resource will be DESTROYED');
  });

  test('replace names the resource', () => {
    expect(report.warnings.find((x) => x.kind === 'replace')?.message).toContain(
      'openstack_networking_subnet_v2.network_subnet-back_4D5E6F',
    );
    expect(text).toMatch(/!! REPLACE\s+sante-dossiers-sovereign-fr1: 1 resource will be REPLACED/);
  });

  test('a client changing cloud: the old stack is orphaned until decommissioned', () => {
    const w = report.warnings.find((x) => x.kind === 'moved');
    expect(w).toMatchObject({ client: 'culture-portail', stack: 'culture-portail-vendor-eu-west-0' });
    expect(w?.message).toContain(
      'old stack culture-portail-vendor-eu-west-0 is ORPHANED (its 4 resources keep running on vendor-eu-west-0)',
    );
    expect(w?.message).toContain('cdktf destroy culture-portail-vendor-eu-west-0');
    expect(stack(report, 'culture-portail-vendor-eu-west-0').status).toBe('removed');
  });

  test('a removed client', () => {
    const w = report.warnings.find((x) => x.kind === 'removed-client');
    expect(w).toMatchObject({ client: 'meteo-archives', stack: 'meteo-archives-vendor-eu-west-0' });
    expect(w?.message).toContain('is REMOVED from the configuration');
  });

  test('any change to a sensitive client stack', () => {
    const sensitive = report.warnings.filter((x) => x.kind === 'sensitive-change');
    expect(sensitive.map((x) => x.stack)).toEqual(['sante-dossiers-sovereign-fr1']);
    expect(md).toContain('🔒 sensitive');
  });

  test('placement on a deprecated cloud, with its end of life', () => {
    const deprecated = report.warnings.filter((x) => x.kind === 'deprecated-cloud');
    expect(deprecated.map((x) => x.client)).toEqual(['douane-stats', 'enseignement-eu', 'insee-calcul']);
    expect(deprecated[0]?.message).toContain('DEPRECATED cloud vendor-eu-west-0 (end of life 2027-06-30)');
  });

  test('placement failures and errored plans', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sovstack-report-fail-'));
    writeSynthOutput(join(dir, 'out'), {
      clouds: [SOVEREIGN],
      clients: [{ id: 'x', cloud: 'sovereign-fr1', sensitivity: 'sensitive', resources: service('x') }],
      failures: [{ client: 'y', kind: 'no-eligible-cloud', message: 'no cloud offers dns', evaluations: [] }],
    });
    const errored = { ...readPlan(join(PLANS, 'create.plan.json')), errored: true };
    writeFileSync(join(dir, 'x.plan.json'), JSON.stringify(errored));
    const r = buildReport({ head: join(dir, 'out'), plans: { 'x-sovereign-fr1': join(dir, 'x.plan.json') } });
    expect(kinds(r)).toEqual(['placement-failure', 'plan-errored', 'sensitive-change']);
    expect(r.warnings[0]?.message).toBe('client y could not be placed (no-eligible-cloud): no cloud offers dns');
  });

  test('no warnings: an explicit all-clear', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sovstack-report-clear-'));
    const estate = { clouds: [SOVEREIGN], clients: [{ id: 'x', cloud: 'sovereign-fr1', resources: service('x') }] };
    writeSynthOutput(join(dir, 'a'), estate);
    writeSynthOutput(join(dir, 'b'), estate);
    const r = buildReport({ head: join(dir, 'b'), base: join(dir, 'a') });
    expect(r.warnings).toEqual([]);
    expect(renderReportMarkdown(r)).toContain('### ✅ No warnings');
    expect(renderReportText(r)).toContain('No warnings.');
  });
});

describe('secrets never reach a report', () => {
  test('sensitive plan values and secret-looking keys are redacted in every rendering', () => {
    const handmade = mkdtempSync(join(tmpdir(), 'sovstack-report-secret-'));
    writeSynthOutput(join(handmade, 'out'), {
      clouds: [SOVEREIGN],
      clients: [{ id: 'justice-casier', cloud: 'sovereign-fr1', sensitivity: 'sensitive', resources: service('justice-casier') }],
    });
    const r = buildReport({ head: join(handmade, 'out'), plans: { 'justice-casier-sovereign-fr1': join(PLANS, 'handmade.plan.json') } });
    const outputs = [
      renderReportMarkdown(r),
      renderReportText(r),
      JSON.stringify(r),
      renderReportMarkdown(report),
      renderReportText(report),
      JSON.stringify(report),
    ];
    for (const out of outputs) for (const secret of SECRETS) expect(out).not.toContain(secret);
    const app = r.stacks[0]?.resources.find((x) => x.address.includes('servers_app-0'));
    expect(app?.attributes).toEqual([
      {
        path: 'metadata',
        before: `{"owner":"dsj","api_token":"${REDACTED}"}`,
        after: `{"owner":"dsj-sec","api_token":"${REDACTED_CHANGED}"}`,
      },
      { path: 'user_data', before: `"${REDACTED}"`, after: `"${REDACTED_CHANGED}"` },
    ]);
  });

  test('a secret in a synthesized resource is redacted in a synth diff', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sovstack-report-synth-secret-'));
    const withPass = (pass: string) => ({
      clouds: [SOVEREIGN],
      clients: [{ id: 'x', cloud: 'sovereign-fr1', resources: { openstack_compute_instance_v2: { vm: { name: 'x', admin_pass: pass } } } }],
    });
    writeSynthOutput(join(dir, 'a'), withPass('Synth-Config-Secret-1'));
    writeSynthOutput(join(dir, 'b'), withPass('Synth-Config-Secret-2'));
    const r = buildReport({ head: join(dir, 'b'), base: join(dir, 'a') });
    expect(r.stacks[0]?.resources[0]?.attributes).toEqual([
      { path: 'admin_pass', before: `"${REDACTED}"`, after: `"${REDACTED_CHANGED}"` },
    ]);
    expect(renderReportText(r)).not.toContain('Synth-Config-Secret');
  });

  test('sanitizePlan drops clear-text state and keeps what the report needs', () => {
    for (const name of ['mixed', 'create', 'handmade']) {
      const raw = readPlan(join(PLANS, `${name}.plan.json`));
      const clean = sanitizePlan(raw);
      const text = JSON.stringify(clean);
      for (const secret of SECRETS) expect(text).not.toContain(secret);
      expect(Object.keys(clean)).not.toContain('prior_state');
      expect(Object.keys(clean)).not.toContain('planned_values');
      expect(summarizePlan(clean)).toEqual(summarizePlan(raw));
      expect(sanitizePlan(clean)).toEqual(clean);
    }
    expect(JSON.stringify(readPlan(join(PLANS, 'mixed.plan.json')))).toContain('0ld-Admin-Pa55');
  });
});

describe('plan actions', () => {
  test('hand-made plan: read, forget, create-before-destroy replacement, moved no-op', () => {
    const { counts, resources } = summarizePlan(readPlan(join(PLANS, 'handmade.plan.json')));
    expect(counts).toMatchObject({ create: 0, update: 1, replace: 1, destroy: 0, noop: 1, read: 1, forget: 1 });
    const credential = resources.find((r) => r.type === 'openstack_identity_application_credential_v3');
    expect(credential).toMatchObject({ action: 'replace', reason: 'replace because cannot update; forced by expires_at' });
    expect(credential?.attributes).toEqual([
      { path: 'expires_at', before: '"2026-12-31T00:00:00Z"', after: '"2027-12-31T00:00:00Z"', forcesReplacement: true },
      { path: 'secret', before: `"${REDACTED}"`, after: `"${REDACTED_CHANGED}"` },
    ]);
    expect(resources.find((r) => r.action === 'no-op')?.previousAddress).toBe(
      'openstack_networking_secgroup_v2.security-groups_web_88EE99',
    );
  });

  test('every action list OpenTofu emits is classified; others are refused', () => {
    expect(classifyActions(['create'])).toBe('create');
    expect(classifyActions(['update'])).toBe('update');
    expect(classifyActions(['delete'])).toBe('destroy');
    expect(classifyActions(['delete', 'create'])).toBe('replace');
    expect(classifyActions(['create', 'delete'])).toBe('replace');
    expect(classifyActions(['no-op'])).toBe('no-op');
    expect(classifyActions(['read'])).toBe('read');
    expect(() => classifyActions(['delete', 'update'])).toThrow('unknown plan actions [delete,update]');
  });
});

describe('inputs and the command', () => {
  test('without a base: no change column, counts from plans only', () => {
    const r = buildReport({ head: scenario.head, plans: { 'sante-dossiers-sovereign-fr1': join(PLANS, 'mixed.plan.json') } });
    expect(r.base).toBeUndefined();
    expect(r.placements.every((p) => p.change === undefined && p.delta === undefined)).toBe(true);
    expect(stack(r, 'douane-stats-vendor-eu-west-0').source).toBe('none');
    expect(stack(r, 'douane-stats-vendor-eu-west-0').status).toBeUndefined();
    expect(stack(r, 'sante-dossiers-sovereign-fr1').source).toBe('plan');
    expect(r.costs).toEqual([{ currency: 'EUR', monthly: 979.95 }]);
    expect(renderReportText(r)).toMatch(/douane-stats-vendor-eu-west-0\s+—\s+—\s+—\s+—\s+—\s+—\s+no plan, no base/);
  });

  test('a plan for a stack the head does not have is an error', () => {
    expect(() => buildReport({ head: scenario.head, plans: { 'nope-sovereign-fr1': join(PLANS, 'mixed.plan.json') } })).toThrow(
      /stack nope-sovereign-fr1, which the head synth output/,
    );
    const result = runReportCommand({ head: scenario.head, plans: { 'nope-sovereign-fr1': join(PLANS, 'mixed.plan.json') } });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('sovstack report:');
  });

  test('a file that is not a plan is an error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sovstack-report-bad-'));
    writeFileSync(join(dir, 'x.json'), '{"resource_changes": []}');
    expect(() => readPlan(join(dir, 'x.json'))).toThrow('is not `tofu show -json` output');
  });

  test('runReportCommand reads a plans folder and writes md, txt and json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sovstack-report-cmd-'));
    const plans = join(dir, 'plans');
    expect(runSanitizePlanCommand({ input: join(PLANS, 'mixed.plan.json'), output: join(dir, 'missing', 'x.plan.json') }).exitCode).toBe(1);
    writeFileSync(join(dir, 'ignored.txt'), '');
    mkdirSync(plans);
    const sanitized = runSanitizePlanCommand({
      input: join(PLANS, 'mixed.plan.json'),
      output: join(plans, 'sante-dossiers-sovereign-fr1.plan.json'),
    });
    expect(sanitized).toMatchObject({ exitCode: 0 });
    expect(plansFromDir(plans)).toEqual({ 'sante-dossiers-sovereign-fr1': join(plans, 'sante-dossiers-sovereign-fr1.plan.json') });
    const result = runReportCommand({
      head: scenario.head,
      base: scenario.base,
      plansDir: plans,
      format: 'markdown',
      out: join(dir, 'report'),
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.startsWith(REPORT_MARKER)).toBe(true);
    expect(result.stdout).toContain('| `sante-dossiers-sovereign-fr1` | changed | 1 | 1 | 1 | 1 | 1 | plan (tofu 1.12.6) |');
    for (const f of ['report.md', 'report.txt', 'report.json']) expect(existsSync(join(dir, 'report', f))).toBe(true);
    const json = JSON.parse(readFileSync(join(dir, 'report', 'report.json'), 'utf8')) as Report;
    expect(json).toEqual(buildReport({ head: scenario.head, base: scenario.base, plans: plansFromDir(plans) }));
    expect(runReportCommand({ head: scenario.head, format: 'text' }).stdout).toContain('SOVSTACK PLAN REPORT');
  });

  test('Markdown too long for a comment leaves the resource lists out, keeping warnings', () => {
    const full = renderReportMarkdown(report);
    const short = renderReportMarkdown(report, { maxLength: 3000 });
    expect(full).toContain('<details>');
    expect(short).not.toContain('<details>');
    expect(short).toContain('_Resource lists left out to fit in a comment');
    expect(short).toContain('### ⚠️ WARNINGS (8)');
  });
});
