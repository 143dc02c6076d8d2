/**
 * Protected data on real OpenTofu (`terraform_data` with `prevent_destroy` stands for a data volume): a
 * deploy whose plan drops a resource that was protected when last deployed is refused before apply (the
 * scale-down case `prevent_destroy` cannot catch), a destroy of a protected stack is refused with the fix,
 * and `destroy --decommission` removes it. The pure rules are checked on plan JSON too.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { liftProtection, protectedDeletions } from '../../app/operate/data-guard.js';
import { project, stackJson, writeOutput } from '../support/operate-project.js';

const VOLUME = 'openstack_blockstorage_volume_v3';
const protectedData = (input: string) => ({ input, lifecycle: { prevent_destroy: true } });
const planDeleting = (type: string, name: string, actions = ['delete']) => ({
  format_version: '1.2',
  resource_changes: [{ address: `${type}.${name}`, mode: 'managed', type, name, change: { actions } }],
});

describe('protectedDeletions (the rule)', () => {
  const deployed = JSON.stringify({ resource: { [VOLUME]: { 'app-3-data': { lifecycle: { prevent_destroy: true } }, 'app-4-data': {} } } });

  it('refuses to destroy or replace what was protected when last deployed', () => {
    expect(protectedDeletions(planDeleting(VOLUME, 'app-3-data'), deployed)).toEqual([
      `${VOLUME}.app-3-data: protected (prevent_destroy) when last deployed; this plan would destroy it`,
    ]);
    expect(protectedDeletions(planDeleting(VOLUME, 'app-3-data', ['delete', 'create']), deployed)[0]).toMatch(/would replace it/);
  });

  it('lets go what was deployed unprotected, and what is only created or updated', () => {
    expect(protectedDeletions(planDeleting(VOLUME, 'app-4-data'), deployed)).toEqual([]);
    expect(protectedDeletions(planDeleting(VOLUME, 'app-3-data', ['update']), deployed)).toEqual([]);
  });

  it('fails closed on a data resource when nothing deployed is recorded, and not on other resources', () => {
    expect(protectedDeletions(planDeleting('openstack_objectstorage_container_v1', 'logs'), undefined)[0]).toMatch(
      /no deployed configuration/,
    );
    expect(protectedDeletions(planDeleting('openstack_compute_instance_v2', 'app-3'), undefined)).toEqual([]);
  });

  it('refuses what is not a plan rather than letting it through', () => {
    expect(() => protectedDeletions({ resource_changes: [] }, deployed)).toThrow();
  });

  it('liftProtection clears every prevent_destroy and nothing else', () => {
    const lifted = JSON.parse(liftProtection(deployed)) as { resource: Record<string, Record<string, unknown>> };
    expect(lifted.resource[VOLUME]).toEqual({ 'app-3-data': { lifecycle: { prevent_destroy: false } }, 'app-4-data': {} });
  });
});

describe('deploy and destroy of protected data on real OpenTofu', () => {
  const p = project('protected');
  const withData = (count: number) =>
    stackJson(
      'd-c1',
      'c1',
      { marker: 'v1' },
      Object.fromEntries(Array.from({ length: count }, (_, i) => [`data-${i + 1}`, protectedData(`d${i + 1}`)])),
    );

  it('deploys two protected data resources', async () => {
    writeOutput(p.out, { 'd-c1': withData(2) });
    const result = await p.run('deploy', { all: true });
    expect(result.exitCode, result.stdout).toBe(0);
    expect(
      p
        .state('d-c1')
        .resources.map((r) => r.name)
        .sort(),
    ).toEqual(['data-1', 'data-2', 'marker']);
  });

  it('a scale-down that drops a protected resource is refused before apply, with the fix, and the state keeps it', async () => {
    writeOutput(p.out, { 'd-c1': withData(1) });
    const result = await p.run('deploy', { all: true });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('would lose protected data');
    expect(result.stdout).toContain('terraform_data.data-2: protected (prevent_destroy) when last deployed');
    expect(p.state('d-c1').resources.map((r) => r.name)).toContain('data-2');
  });

  it('a reviewed plan of that scale-down (deploy --plans) is judged the same way: refused before apply', async () => {
    expect((await p.run('plan', { all: true })).exitCode).toBe(2);
    const reviewed = join(p.dir, 'runs', (p.lastJournal()[0] as { runId: string }).runId, 'plans');
    const result = await p.run('deploy', { plansDir: reviewed });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('terraform_data.data-2: protected (prevent_destroy) when last deployed; this plan would destroy it');
    expect(p.state('d-c1').resources.map((r) => r.name)).toContain('data-2');
  });

  it('destroy is refused while the data is protected, and says how to decommission', async () => {
    const result = await p.run('destroy', { all: true });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('sovstack destroy d-c1 --decommission');
    expect(p.state('d-c1').resources.map((r) => r.name)).toContain('data-2');
  });

  it('destroy --decommission removes it all', async () => {
    const result = await p.run('destroy', { all: true, decommission: true });
    expect(result.exitCode, result.stdout).toBe(0);
    expect(p.state('d-c1').resources).toEqual([]);
  });
});
