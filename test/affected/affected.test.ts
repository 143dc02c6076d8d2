import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import {
  affectedStacks,
  canonicalStack,
  readSynthOutput,
  renderGitlabPlanPipeline,
  runAffectedCommand,
  stackOwner,
  type AffectedStacks,
} from '../../app/affected/index.js';
import {
  SOVEREIGN,
  VENDOR,
  service,
  stackJson,
  writeSynthOutput,
  type FixtureClient,
  type FixtureEstate,
} from '../report/synth-fixtures.js';
import { repoRoot } from '../support/tools.js';
import { commit, git, newRepo, stage } from './history.js';

/** Vendor catalog: abstract size `small` → flavor. */
const vendorClient = (id: string, smallFlavor: string, cloud = 'vendor-eu-west-0'): FixtureClient => ({
  id,
  cloud,
  resources: service(id, { flavor: cloud === 'vendor-eu-west-0' ? smallFlavor : 'm1.small' }),
});

const estate = (clients: FixtureClient[], options: Partial<FixtureEstate> = {}): FixtureEstate => ({
  clouds: [SOVEREIGN, VENDOR],
  clients,
  ...options,
});

const sante = (servers: number): FixtureClient => ({
  id: 'sante-dossiers',
  cloud: 'sovereign-fr1',
  sensitivity: 'sensitive',
  resources: service('sante-dossiers', { servers }),
});
const insee: FixtureClient = {
  id: 'insee-calcul',
  cloud: 'vendor-eu-west-0',
  resources: service('insee-calcul', { flavor: 'm3.2xlarge.8' }),
};

/** Every stack of the matrix, chunk after chunk. */
const entries = (a: AffectedStacks) => a.matrix.include.flatMap((c) => c.stacks);

const summary = (a: AffectedStacks) => ({ new: a.new, changed: a.changed, removed: a.removed, unchanged: a.unchanged });

describe('affected stacks over a scripted git history', () => {
  let repo: string;
  const commits: Record<string, string> = {};
  const synth = { synthCmd: 'node synth.mjs', prepareCmd: '' };
  const affected = (base: string, head: string): AffectedStacks => {
    const result = runAffectedCommand({ cwd: repo, base: commits[base], head: commits[head], ...synth });
    expect(result.stderr).toBeUndefined();
    expect(result.exitCode).toBe(0);
    return JSON.parse(result.stdout) as AffectedStacks;
  };

  beforeAll(() => {
    repo = newRepo();
    const initial = [sante(1), vendorClient('douane-stats', 's3.medium.2'), vendorClient('culture-portail', 's3.medium.2'), insee];
    commits.initial = commit(repo, 'initial estate', estate(initial));
    const added = [...initial, vendorClient('enseignement-eu', 's3.medium.2')];
    commits.addClient = commit(repo, 'add client enseignement-eu', estate(added));
    const changed = [sante(2), ...added.slice(1)];
    commits.changeClient = commit(repo, 'sante-dossiers: 2 api servers', estate(changed));
    const catalog = [
      changed[0],
      ...['douane-stats', 'culture-portail'].map((id) => vendorClient(id, 's3.medium.4')),
      insee,
      vendorClient('enseignement-eu', 's3.medium.4'),
    ];
    commits.catalog = commit(repo, 'vendor catalog: small is now s3.medium.4', estate(catalog));
    commits.cdktfUpgrade = commit(repo, 'cdktf 0.21.1 (metadata only)', estate(catalog, { cdktfVersion: '0.21.1' }));
    const retired = catalog.map((c) => (c.cloud === 'vendor-eu-west-0' ? { ...c, cloud: 'sovereign-fr1', resources: service(c.id) } : c));
    commits.retireCloud = commit(
      repo,
      'retire vendor-eu-west-0',
      estate(retired, { cdktfVersion: '0.21.1', clouds: [SOVEREIGN, { ...VENDOR, lifecycle: { status: 'retired' } }] }),
    );
    commits.removeClient = commit(
      repo,
      'remove culture-portail',
      estate(
        retired.filter((c) => c.id !== 'culture-portail'),
        { cdktfVersion: '0.21.1', clouds: [SOVEREIGN, { ...VENDOR, lifecycle: { status: 'retired' } }] },
      ),
    );
  });

  test('adding a client: one new stack', () => {
    const a = affected('initial', 'addClient');
    expect(summary(a)).toEqual({
      new: ['enseignement-eu-vendor-eu-west-0'],
      changed: [],
      removed: [],
      unchanged: [
        'culture-portail-vendor-eu-west-0',
        'douane-stats-vendor-eu-west-0',
        'insee-calcul-vendor-eu-west-0',
        'sante-dossiers-sovereign-fr1',
      ],
    });
    expect(entries(a)).toEqual([
      { stack: 'enseignement-eu-vendor-eu-west-0', client: 'enseignement-eu', cloud: 'vendor-eu-west-0', change: 'new' },
    ]);
  });

  test('changing a client: its stack only', () => {
    const a = affected('addClient', 'changeClient');
    expect(a.changed).toEqual(['sante-dossiers-sovereign-fr1']);
    expect(a.new).toEqual([]);
    expect(a.removed).toEqual([]);
    expect(entries(a)).toEqual([
      { stack: 'sante-dossiers-sovereign-fr1', client: 'sante-dossiers', cloud: 'sovereign-fr1', change: 'changed' },
    ]);
  });

  test('changing a cloud catalog: every stack using the entry, and only those', () => {
    const a = affected('changeClient', 'catalog');
    expect(a.changed).toEqual(['culture-portail-vendor-eu-west-0', 'douane-stats-vendor-eu-west-0', 'enseignement-eu-vendor-eu-west-0']);
    expect(a.unchanged).toEqual(['insee-calcul-vendor-eu-west-0', 'sante-dossiers-sovereign-fr1']);
    expect(entries(a).map((e) => e.change)).toEqual(['changed', 'changed', 'changed']);
  });

  test('a cdktf upgrade that only changes metadata affects nothing', () => {
    const a = affected('catalog', 'cdktfUpgrade');
    expect(a.unchanged).toHaveLength(5);
    expect(entries(a)).toEqual([]);
  });

  test('retiring a cloud: its clients move, old stacks removed and new stacks created', () => {
    const a = affected('cdktfUpgrade', 'retireCloud');
    const moved = ['culture-portail', 'douane-stats', 'enseignement-eu', 'insee-calcul'];
    expect(a.new).toEqual(moved.map((c) => `${c}-sovereign-fr1`));
    expect(a.removed).toEqual(moved.map((c) => `${c}-vendor-eu-west-0`));
    expect(a.changed).toEqual([]);
    expect(a.unchanged).toEqual(['sante-dossiers-sovereign-fr1']);
    expect(entries(a).filter((e) => e.change === 'removed')).toContainEqual({
      stack: 'insee-calcul-vendor-eu-west-0',
      client: 'insee-calcul',
      cloud: 'vendor-eu-west-0',
      change: 'removed',
    });
    expect(entries(a)).toHaveLength(8);
  });

  test('removing a client: its stack is removed', () => {
    const a = affected('retireCloud', 'removeClient');
    expect(summary(a)).toMatchObject({ new: [], changed: [], removed: ['culture-portail-sovereign-fr1'] });
    expect(entries(a)).toEqual([
      { stack: 'culture-portail-sovereign-fr1', client: 'culture-portail', cloud: 'sovereign-fr1', change: 'removed' },
    ]);
  });

  test('a range of several commits compares its two ends only', () => {
    const a = affected('initial', 'catalog');
    expect(a.new).toEqual(['enseignement-eu-vendor-eu-west-0']);
    expect(a.changed).toEqual(['culture-portail-vendor-eu-west-0', 'douane-stats-vendor-eu-west-0', 'sante-dossiers-sovereign-fr1']);
  });

  test('the head defaults to the working tree, uncommitted changes included; worktrees are cleaned up', () => {
    const current = readSynthOutput(join(repo, 'fixture-out'));
    expect(current.stacks.size).toBe(4);
    stage(repo, estate([sante(3)], { cdktfVersion: '0.21.1', clouds: [SOVEREIGN] }));
    try {
      const result = runAffectedCommand({ cwd: repo, base: 'HEAD', ...synth, format: 'text' });
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain('changed    sante-dossiers-sovereign-fr1');
      expect(result.stdout).toContain('removed    douane-stats-sovereign-fr1  (orphaned until decommissioned)');
      expect(result.stdout.trim().split('\n').pop()).toBe('0 new, 1 changed, 3 removed, 0 unchanged; CI: 4 jobs of at most 1 stack');
    } finally {
      git(repo, 'checkout', '--quiet', '--', '.');
      git(repo, 'clean', '-fdq');
    }
    expect(git(repo, 'worktree', 'list').split('\n')).toHaveLength(1);
  });

  test('the prepare command runs in the worktree before the synth', () => {
    const env = { ...process.env, REQUIRE_PREPARE: '1' };
    const unprepared = runAffectedCommand({ cwd: repo, base: commits.initial, head: commits.addClient, ...synth, env });
    expect(unprepared.exitCode).toBe(1);
    expect(unprepared.stderr).toContain('synth command `node synth.mjs`');
    expect(unprepared.stderr).toContain('not prepared');
    const prepared = runAffectedCommand({
      cwd: repo,
      base: commits.initial,
      head: commits.addClient,
      synthCmd: 'node synth.mjs',
      prepareCmd: "node -e \"require('fs').writeFileSync('built.flag', '')\"",
      env,
    });
    expect(prepared.exitCode).toBe(0);
    expect(git(repo, 'worktree', 'list').split('\n')).toHaveLength(1);
  });

  test('an unknown base ref is a clear error', () => {
    const result = runAffectedCommand({ cwd: repo, base: 'no-such-branch', ...synth });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('no-such-branch is not a commit of');
    expect(runAffectedCommand({ cwd: repo, ...synth }).stderr).toContain('give --base');
  });

  test('scripts/ci/affected.sh glues it together with SOVSTACK_SYNTH_CMD', () => {
    const run = spawnSync('bash', [join(repoRoot, 'scripts/ci/affected.sh'), '--base', commits.changeClient, '--head', commits.catalog], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, SOVSTACK_CI_SOURCE: '1', SOVSTACK_SYNTH_CMD: 'node synth.mjs', SOVSTACK_PREPARE_CMD: '' },
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const a = JSON.parse(run.stdout) as AffectedStacks;
    expect(a.changed).toEqual(['culture-portail-vendor-eu-west-0', 'douane-stats-vendor-eu-west-0', 'enseignement-eu-vendor-eu-west-0']);
    const bad = spawnSync('bash', [join(repoRoot, 'scripts/ci/affected.sh'), '--base', 'nope'], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, SOVSTACK_CI_SOURCE: '1', SOVSTACK_SYNTH_CMD: 'node synth.mjs', SOVSTACK_PREPARE_CMD: '' },
    });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('nope is not a commit');
  });
});

describe('affectedStacks on synth output folders', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sovstack-affected-'));
  const clients = [sante(1), insee];

  test('key order and `//` metadata do not count; any infrastructure value does', () => {
    const stack = stackJson(sante(1));
    const reordered = Object.fromEntries(Object.entries(structuredClone(stack)).reverse());
    (reordered['//'] as { metadata: { version: string } }).metadata.version = '9.9.9';
    expect(canonicalStack(reordered)).toBe(canonicalStack(stack));
    const tagged = JSON.parse(JSON.stringify(stack)) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    tagged.resource.openstack_networking_network_v2.network_network_1.admin_state_up = false;
    expect(canonicalStack(tagged)).not.toBe(canonicalStack(stack));
  });

  test('the manifest is the list of stacks: a stale stack folder beside it is not a stack', () => {
    writeSynthOutput(join(dir, 'base'), estate(clients));
    writeSynthOutput(join(dir, 'head'), estate([clients[0]]));
    mkdirSync(join(dir, 'head', 'stacks', 'insee-calcul-vendor-eu-west-0'), { recursive: true });
    writeFileSync(join(dir, 'head', 'stacks', 'insee-calcul-vendor-eu-west-0', 'cdk.tf.json'), JSON.stringify(stackJson(insee)));
    const a = affectedStacks({ base: join(dir, 'base'), head: join(dir, 'head') });
    expect(a.removed).toEqual(['insee-calcul-vendor-eu-west-0']);
    expect(a.unchanged).toEqual(['sante-dossiers-sovereign-fr1']);
  });

  test('stack owners: from placements, else by known cloud id suffix', () => {
    const out = readSynthOutput(join(dir, 'base'));
    expect(stackOwner('insee-calcul-vendor-eu-west-0', out.placement)).toEqual({ client: 'insee-calcul', cloud: 'vendor-eu-west-0' });
    expect(stackOwner('new-client-sovereign-fr1', out.placement)).toEqual({ client: 'new-client', cloud: 'sovereign-fr1' });
    expect(stackOwner('mystery', undefined)).toEqual({ client: 'mystery', cloud: '' });
  });

  test('a missing folder is an error', () => {
    expect(() => affectedStacks({ base: join(dir, 'nope'), head: join(dir, 'head') })).toThrow('does not exist');
  });

  test('GitLab child pipeline: plan jobs per chunk of new or changed stacks of one cloud, then the report by stage', () => {
    writeSynthOutput(join(dir, 'g-base'), estate([sante(1), insee, vendorClient('douane-stats', 'x')]));
    writeSynthOutput(join(dir, 'g-head'), estate([sante(2), insee, vendorClient('culture-portail', 'x')]));
    const a = affectedStacks({ base: join(dir, 'g-base'), head: join(dir, 'g-head') });
    expect(a.perJob).toBe(1);
    const doc = parse(renderGitlabPlanPipeline(a)) as Record<
      string,
      { needs?: unknown[]; variables?: Record<string, string>; script?: string[]; environment?: unknown; when?: string }
    >;
    expect(Object.keys(doc).filter((k) => k.startsWith('plan '))).toEqual(['plan sovereign-fr1 1/1', 'plan vendor-eu-west-0 1/1']);
    expect(doc['plan sovereign-fr1 1/1']?.variables).toEqual({ CLOUD: 'sovereign-fr1', STACKS: 'sante-dossiers-sovereign-fr1' });
    expect(doc['plan vendor-eu-west-0 1/1']?.variables).toEqual({
      CLOUD: 'vendor-eu-west-0',
      STACKS: 'culture-portail-vendor-eu-west-0',
    });
    expect(doc['plan sovereign-fr1 1/1']?.environment).toEqual({ name: 'sovereign-fr1', action: 'prepare' });
    expect(doc.report?.needs).toBeUndefined();
    expect(doc.report?.when).toBe('always');
    const empty = parse(
      renderGitlabPlanPipeline({ new: [], changed: [], removed: [], unchanged: [], perJob: 1, matrix: { include: [] } }),
    ) as Record<string, unknown>;
    expect(Object.keys(empty)).toEqual(['stages', 'default', 'synth-outputs', 'report']);
  });
});
