/**
 * The drift report on normal plans (what `sovstack drift` runs): only what changed outside OpenTofu and
 * the next deploy would put back. The plans are real, recorded on the lab (test/fixtures/drift/lab-plans.json):
 * three clients of config/lab/clients/e2e-est-*.yaml deployed with `tofu apply`, then changed through the
 * OpenStack APIs with test/e2e/out-of-band.ts (a security-group rule deleted, a server stopped, a volume's
 * metadata changed), then `tofu plan -out` and `tofu show -json | jq '{format_version, terraform_version,
 * resource_drift, resource_changes}'`. Their `resource_drift` also lists what the provider reads back
 * differently after every apply (a port's device_id, a server group's members, a volume's attachment):
 * none of it is drift.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDriftReport, hasDrift } from '../../app/report/drift.js';
import { repoRoot } from '../support/tools.js';

const plans = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'drift', 'lab-plans.json'), 'utf8')) as Record<
  string,
  { resource_drift: { address: string }[]; resource_changes: { address: string }[] }
>;
const reportOf = (stack: string) => buildDriftReport([{ stack, plan: plans[stack] }]);

describe('drift from a normal plan', () => {
  it('a deleted security-group rule is the only drift of its stack, among six resources the refresh read back differently', () => {
    const stack = 'e2e-est-01-lab-sovereign';
    expect(plans[stack].resource_drift).toHaveLength(6);
    expect(reportOf(stack).resources).toEqual([
      {
        stack,
        address: 'openstack_networking_secgroup_rule_v2.service_security-groups_app_rule-1_90390634',
        type: 'openstack_networking_secgroup_rule_v2',
        change: 'delete',
        attributes: [],
      },
    ]);
  });

  it('a stopped server is reported by its power_state alone, not by what the provider reads back after the apply', () => {
    const stack = 'e2e-est-02-lab-sovereign';
    expect(reportOf(stack).resources).toEqual([
      {
        stack,
        address: 'openstack_compute_instance_v2.service_servers_app_app-1_ACE936D4',
        type: 'openstack_compute_instance_v2',
        change: 'update',
        attributes: [{ path: 'power_state', before: 'active', after: 'shutoff' }],
      },
    ]);
  });

  it("a volume's metadata changed and added are reported key by key", () => {
    const stack = 'e2e-est-10-lab-vendor';
    const [volume, ...others] = reportOf(stack).resources;
    expect(others).toEqual([]);
    expect(volume.address).toBe('openstack_blockstorage_volume_v3.service_servers_app_app-1-data_122A7FB8');
    expect(volume.attributes).toEqual([
      { path: 'metadata.changed-by', after: 'out-of-band' },
      { path: 'metadata["sovstack:sensitivity"]', before: 'standard', after: 'public' },
    ]);
  });

  it('without the out-of-band change, what the refresh reads back differently is no drift at all', () => {
    const rule = 'openstack_networking_secgroup_rule_v2.service_security-groups_app_rule-1_90390634';
    const plan = plans['e2e-est-01-lab-sovereign'];
    const untouched = {
      ...plan,
      resource_drift: plan.resource_drift.filter((r) => r.address !== rule),
      resource_changes: plan.resource_changes.filter((r) => r.address !== rule),
    };
    expect(untouched.resource_drift.length).toBeGreaterThan(0);
    const report = buildDriftReport([{ stack: 'e2e-est-01-lab-sovereign', plan: untouched }]);
    expect(report.resources).toEqual([]);
    expect(hasDrift(report)).toBe(false);
  });
});
