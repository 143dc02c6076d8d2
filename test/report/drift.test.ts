/**
 * The drift report on real refresh-only plans: one recorded on the lab after out-of-band changes through
 * the OpenStack API (test/fixtures/drift/capture.sh tells how), and one made here by OpenTofu where nothing
 * drifted. Planted fake secrets in the recorded plan prove that no secret reaches the report.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildDriftReport,
  hasDrift,
  renderDriftJson,
  renderDriftMarkdown,
  runDriftReportCommand,
  type DriftReport,
} from '../../app/report/drift.js';
import { runSanitizePlanCommand } from '../../app/report/index.js';
import { repoRoot, scratchWith, tofu } from '../support/tools.js';

const FIXTURE = join(repoRoot, 'test', 'fixtures', 'drift', 'lab-refresh-only.plan.json');
const STACK = 'e2e-drift-lab-sovereign';
/** Values planted in the recorded plan: a sensitive attribute, a secret-looking key, a value the detector flags. */
const PLANTED = ['fixture-admin-pass-not-a-secret-7Qm2', 'fixture-db-password-not-a-secret-9Xa1', 'fixture-pw-not-a-secret-4Kd8'];

const recorded = (): Record<string, unknown> => JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown>;
const work = mkdtempSync(join(tmpdir(), 'sovstack-drift-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The recorded plan with its one drift entry for `address` replaced by `change` (before, after, sensitive marks). */
function withDrift(address: string, change: Record<string, unknown>): Record<string, unknown> {
  const plan = recorded();
  const drift = plan['resource_drift'] as { address: string; change: Record<string, unknown> }[];
  const entry = drift.find((e) => e.address === address)!;
  entry.change = { ...entry.change, ...change };
  return plan;
}

describe('drift of a recorded lab plan', () => {
  const report = buildDriftReport([{ stack: STACK, plan: recorded() }]);

  it('names each drifted resource with its stack, type and change, and nothing that only went from null to []', () => {
    expect(report.stacks).toEqual([STACK]);
    expect(report.resources.map((r) => [r.stack, r.address, r.type, r.change])).toEqual([
      [STACK, 'openstack_blockstorage_volume_v3.data', 'openstack_blockstorage_volume_v3', 'update'],
      [STACK, 'openstack_compute_instance_v2.app', 'openstack_compute_instance_v2', 'update'],
      [STACK, 'openstack_networking_network_v2.net', 'openstack_networking_network_v2', 'update'],
      [STACK, 'openstack_networking_secgroup_rule_v2.ssh', 'openstack_networking_secgroup_rule_v2', 'delete'],
    ]);
    // The security group and the subnet are in resource_drift too, but only for tags / dns_nameservers null → [].
    const raw = (recorded()['resource_drift'] as { address: string }[]).map((e) => e.address);
    expect(raw).toContain('openstack_networking_subnet_v2.app');
    expect(raw).toContain('openstack_networking_secgroup_v2.web');
    expect(hasDrift(report)).toBe(true);
  });

  it('names each changed attribute with its path and both values', () => {
    const attributes = (address: string): unknown => report.resources.find((r) => r.address === address)?.attributes;
    expect(attributes('openstack_networking_network_v2.net')).toEqual([
      { path: 'description', before: 'made by sovstack', after: 'changed by hand' },
      { path: 'name', before: 'h13s-drift-net', after: 'h13s-drift-net-renamed' },
    ]);
    expect(attributes('openstack_compute_instance_v2.app')).toEqual(
      expect.arrayContaining([
        { path: 'name', before: 'h13s-drift-app-1', after: 'h13s-drift-app-1-renamed' },
        { path: 'power_state', before: 'active', after: 'shutoff' },
      ]),
    );
    expect(attributes('openstack_networking_secgroup_rule_v2.ssh')).toEqual([]);
  });

  it('redacts secret-looking keys and values the detector flags, and keeps the plain ones', () => {
    expect(report.resources.find((r) => r.address === 'openstack_blockstorage_volume_v3.data')?.attributes).toEqual([
      { path: 'metadata.backup_url', after: '(redacted)' },
      { path: 'metadata.db_password', after: '(redacted)' },
      { path: 'metadata.role', before: 'data', after: 'archive' },
    ]);
  });

  it('never lets a planted secret into the Markdown or the JSON', () => {
    expect(readFileSync(FIXTURE, 'utf8')).toContain(PLANTED[0]); // the plan itself holds them in clear text
    for (const text of [renderDriftMarkdown(report), renderDriftJson(report)]) {
      for (const secret of PLANTED) expect(text).not.toContain(secret);
      expect(text).not.toContain('fixture-');
    }
  });

  it('renders Markdown naming the stack, each resource, each attribute and the way back', () => {
    const md = renderDriftMarkdown(report);
    expect(md).toContain('**4 resources changed outside OpenTofu** in 1 of 1 stack checked.');
    expect(md).toContain('`sovstack deploy <stack>` puts them back');
    expect(md).toContain(`### ${STACK}`);
    expect(md).toContain('- `openstack_networking_secgroup_rule_v2.ssh`: **deleted**');
    expect(md).toContain('  - `name`: `"h13s-drift-net"` → `"h13s-drift-net-renamed"`');
    expect(md).toContain('  - `metadata.db_password`: (none) → `"(redacted)"`');
  });

  it('renders JSON that reads back as the report', () => {
    expect(JSON.parse(renderDriftJson(report)) as DriftReport).toEqual(report);
  });
});

describe('drift paths and values', () => {
  it('walks nested blocks and lists down to the attribute: rule[0].port_range_min', () => {
    const plan = withDrift('openstack_networking_secgroup_v2.web', {
      before: { name: 'web', rule: [{ port_range_min: 22, port_range_max: 22 }], tags: null },
      after: {
        name: 'web',
        rule: [
          { port_range_min: 2222, port_range_max: 22 },
          { port_range_min: 80, port_range_max: 80 },
        ],
        tags: [],
      },
      before_sensitive: {},
      after_sensitive: {},
    });
    const web = buildDriftReport([{ stack: STACK, plan }]).resources.find((r) => r.address === 'openstack_networking_secgroup_v2.web');
    expect(web?.attributes).toEqual([
      { path: 'rule[0].port_range_min', before: 22, after: 2222 },
      { path: 'rule[1].port_range_max', after: 80 },
      { path: 'rule[1].port_range_min', after: 80 },
    ]);
  });

  it('quotes keys that are not identifiers, and shows a secret that changed without its values', () => {
    const plan = withDrift('openstack_blockstorage_volume_v3.data', {
      before: { metadata: { 'app.example/owner': 'a' }, admin_pass: 'old-fixture' },
      after: { metadata: { 'app.example/owner': 'b' }, admin_pass: 'new-fixture' },
      before_sensitive: { admin_pass: true },
      after_sensitive: { admin_pass: true },
    });
    const volume = buildDriftReport([{ stack: STACK, plan }]).resources.find((r) => r.address === 'openstack_blockstorage_volume_v3.data');
    expect(volume?.attributes).toEqual([
      { path: 'admin_pass', before: '(redacted)', after: '(redacted, changed)' },
      { path: 'metadata["app.example/owner"]', before: 'a', after: 'b' },
    ]);
  });

  it('sorts stacks and resources whatever the order of the plans', () => {
    const empty = { format_version: '1.2', terraform_version: '1.12.6' };
    const report = buildDriftReport([
      { stack: 'z-lab-vendor', plan: recorded() },
      { stack: 'a-lab-sovereign', plan: empty },
      { stack: 'b-lab-sovereign', plan: recorded() },
    ]);
    expect(report.stacks).toEqual(['a-lab-sovereign', 'b-lab-sovereign', 'z-lab-vendor']);
    expect([...new Set(report.resources.map((r) => r.stack))]).toEqual(['b-lab-sovereign', 'z-lab-vendor']);
    expect(renderDriftMarkdown(report)).toContain('in 2 of 3 stacks checked');
  });
});

describe('drift fails closed', () => {
  it.each([
    [{}, /the plan of s is not `tofu show -json` output/],
    [{ format_version: '1.2', errored: true }, /the refresh-only plan of s errored; its drift is unknown/],
    [{ format_version: '1.2', resource_drift: {} }, /resource_drift of s is not a list/],
    [{ format_version: '1.2', resource_drift: [{ address: 'a.b' }] }, /unreadable resource_drift entry in the plan of s/],
    [
      { format_version: '1.2', resource_drift: [{ address: 'a.b', type: 'a', change: { actions: ['create'] } }] },
      /drift actions \[create\]/,
    ],
  ])('refuses %j rather than report no drift', (plan, message) => {
    expect(() => buildDriftReport([{ stack: 's', plan }])).toThrow(message);
  });

  it('refuses two plans for one stack', () => {
    const plan = { format_version: '1.2' };
    expect(() =>
      buildDriftReport([
        { stack: 's', plan },
        { stack: 's', plan },
      ]),
    ).toThrow('two plans for stack s');
  });
});

describe('a refresh-only plan made by OpenTofu where nothing drifted', () => {
  it('reports no drift for every stack checked', () => {
    const dir = scratchWith({
      terraform: { backend: { local: { path: 'nothing.tfstate' } } },
      resource: { terraform_data: { marker: { input: 'unchanged' } } },
    });
    const ok = (args: string[]): string => {
      const result = tofu(args, dir);
      expect(result.code, result.stderr).toBe(0);
      return result.stdout;
    };
    ok(['init', '-input=false']);
    ok(['apply', '-auto-approve', '-input=false']);
    ok(['plan', '-refresh-only', '-input=false', '-out=refresh.tfplan']);
    const plan = JSON.parse(ok(['show', '-json', 'refresh.tfplan'])) as unknown;
    rmSync(dir, { recursive: true, force: true });
    const report = buildDriftReport([{ stack: 'quiet-lab-sovereign', plan }]);
    expect(report).toEqual({ stacks: ['quiet-lab-sovereign'], resources: [] });
    expect(hasDrift(report)).toBe(false);
    expect(renderDriftMarkdown(report)).toBe('## Drift\n\nNo drift: 1 stack checked, every resource as OpenTofu left it.\n');
  });
});

describe('sovstack report --drift', () => {
  it('reads a folder of plans, writes drift.md and drift.json, and prints the format asked', () => {
    const plans = join(work, 'plans');
    mkdirSync(plans, { recursive: true });
    cpSync(FIXTURE, join(plans, `${STACK}.json`));
    writeFileSync(join(plans, 'quiet-lab-vendor.plan.json'), JSON.stringify({ format_version: '1.2' }));
    const out = join(work, 'out');
    const result = runDriftReportCommand({ plansDir: plans, format: 'json', out });
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout) as DriftReport;
    expect(report.stacks).toEqual([STACK, 'quiet-lab-vendor']);
    expect(readFileSync(join(out, 'drift.json'), 'utf8')).toBe(result.stdout);
    expect(readFileSync(join(out, 'drift.md'), 'utf8')).toContain(`### ${STACK}`);
  });

  it('reads the plans sanitize-plan leaves (resource_drift kept, redacted) to the same report', () => {
    const plans = join(work, 'sanitized');
    mkdirSync(plans, { recursive: true });
    const sanitized = join(plans, `${STACK}.plan.json`);
    expect(runSanitizePlanCommand({ input: FIXTURE, output: sanitized }).exitCode).toBe(0);
    const text = readFileSync(sanitized, 'utf8');
    for (const secret of PLANTED) expect(text).not.toContain(secret);
    const result = runDriftReportCommand({ plansDir: plans, format: 'markdown' });
    expect(result.stdout).toBe(renderDriftMarkdown(buildDriftReport([{ stack: STACK, plan: recorded() }])));
  });

  it('fails, naming the folder, when there is no plan to read', () => {
    const empty = join(work, 'empty');
    mkdirSync(empty, { recursive: true });
    const none = runDriftReportCommand({ plansDir: empty });
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain(`no plan in ${empty}`);
    const missing = runDriftReportCommand({ plansDir: join(work, 'absent') });
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('cannot read the plans folder');
  });

  it('runs from the built CLI, and asks for --plans', () => {
    const bin = join(repoRoot, 'dist', 'app', 'cli', 'main.js');
    const plans = join(work, 'cli');
    mkdirSync(plans, { recursive: true });
    cpSync(FIXTURE, join(plans, `${STACK}.json`));
    const run = spawnSync(process.execPath, [bin, 'report', '--drift', '--plans', plans, '--format', 'markdown'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('- `openstack_networking_secgroup_rule_v2.ssh`: **deleted**');
    const bare = spawnSync(process.execPath, [bin, 'report', '--drift'], { encoding: 'utf8' });
    expect(bare.status).toBe(1);
    expect(bare.stderr).toContain('--plans <dir> is required');
  });
});
