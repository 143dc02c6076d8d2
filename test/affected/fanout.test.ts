import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse, parseDocument } from 'yaml';
import {
  affectedStacks,
  autoPerJob,
  chunkCount,
  chunkMatrix,
  GITHUB_MAX_MATRIX_JOBS,
  GITLAB_MAX_NEEDS,
  renderGitlabPlanPipeline,
  type AffectedStacks,
  type MatrixEntry,
  type SynthOutput,
} from '../../app/affected/index.js';
import { SOVEREIGN, VENDOR, writeSynthOutput, type FixtureClient } from '../report/synth-fixtures.js';
import { repoRoot } from '../support/tools.js';
import { gitlabPipelineProblems } from './gitlab-rules.js';

/** GitHub: a job output (the matrix travels as one) holds at most 1 MB. */
const GITHUB_MAX_OUTPUT_BYTES = 1024 * 1024;

const CLOUDS = [SOVEREIGN.id, VENDOR.id];

/** `count` stacks with generated names, spread over both clouds; every fifth one removed. */
function generated(count: number): { base: SynthOutput; head: SynthOutput } {
  const placement = { toolkitVersion: 'test', configDir: 'config', placements: [], clouds: [SOVEREIGN, VENDOR] };
  const base: SynthOutput = { dir: 'base', stacks: new Map(), placement };
  const head: SynthOutput = { dir: 'head', stacks: new Map(), placement };
  for (let i = 0; i < count; i += 1) {
    const stack = `ministere-${String(i).padStart(4, '0')}-${CLOUDS[i % 3 === 0 ? 0 : 1] ?? ''}`;
    const removed = i % 5 === 4;
    (removed ? base : head).stacks.set(stack, { resource: { openstack_networking_network_v2: { net: { name: stack } } } });
    if (!removed && i % 2 === 0) base.stacks.set(stack, { resource: {} });
  }
  return { base, head };
}

const allEntries = (a: AffectedStacks): MatrixEntry[] => a.matrix.include.flatMap((c) => c.stacks);
const affectedNames = (a: AffectedStacks): string[] => [...a.new, ...a.changed, ...a.removed].sort();

interface GitlabJob {
  stage?: string;
  needs?: unknown[];
  dependencies?: unknown[];
  when?: string;
  variables?: { STACKS?: string };
  artifacts?: { paths?: string[]; when?: string };
}

/** The report job gets the synth outputs and every plan by stage order: no `needs`, no `dependencies`, a later stage. */
function expectArtifactsReachReport(doc: Record<string, GitlabJob>, planJobs: [string, GitlabJob][]): void {
  const stages = doc.stages as unknown as string[];
  const report = doc.report ?? {};
  expect(report.needs).toBeUndefined();
  expect(report.dependencies).toBeUndefined();
  expect(report.when).toBe('always');
  expect(stages.indexOf(report.stage ?? '')).toBeGreaterThan(stages.indexOf('plan'));
  expect(doc['synth-outputs']?.artifacts?.paths).toEqual(['cdktf.out/', '.sovstack-ci/base.out/']);
  expect(stages.indexOf(doc['synth-outputs']?.stage ?? '')).toBeLessThan(stages.indexOf(report.stage ?? ''));
  for (const [, job] of planJobs) expect(job.artifacts).toMatchObject({ paths: ['plans/'], when: 'always' });
}

/** Every promise of the fan-out, for `count` affected stacks. */
function expectWithinLimits(count: number): AffectedStacks {
  const a = affectedStacks(generated(count));
  expect(affectedNames(a)).toHaveLength(count);
  // GitHub: at most 256 matrix jobs, the matrix fits a job output, every stack in exactly one chunk.
  expect(a.matrix.include.length).toBeLessThanOrEqual(GITHUB_MAX_MATRIX_JOBS);
  expect(Buffer.byteLength(JSON.stringify(a.matrix))).toBeLessThan(GITHUB_MAX_OUTPUT_BYTES);
  expect(
    allEntries(a)
      .map((e) => e.stack)
      .sort(),
  ).toEqual(affectedNames(a));
  expect(new Set(a.matrix.include.map((c) => c.chunk)).size).toBe(a.matrix.include.length);
  for (const chunk of a.matrix.include) {
    expect(chunk.stacks.length).toBeGreaterThan(0);
    expect(chunk.stacks.length).toBeLessThanOrEqual(a.perJob);
    expect(chunk.stacks.every((e) => e.cloud === chunk.cloud)).toBe(true);
  }
  // The automatic size is the smallest that fits.
  if (a.perJob > 1) expect(chunkCount(allEntries(a), a.perJob - 1)).toBeGreaterThan(GITHUB_MAX_MATRIX_JOBS);
  // GitLab: the generated child pipeline obeys GitLab's documented rules and plans each new or changed stack once.
  const yaml = renderGitlabPlanPipeline(a);
  expect(gitlabPipelineProblems(yaml)).toEqual([]);
  const doc = parse(yaml) as Record<string, GitlabJob>;
  const planJobs = Object.entries(doc).filter(([name]) => name.startsWith('plan '));
  const planned = planJobs.flatMap(([, job]) => (job.variables?.STACKS ?? '').split(' ').filter((s) => s !== ''));
  expect(planned.sort()).toEqual([...a.new, ...a.changed].sort());
  expectArtifactsReachReport(doc, planJobs);
  return a;
}

describe('CI fan-out within the CI limits', () => {
  test.each([
    [0, 1, 0],
    [1, 1, 1],
    [49, 1, 49],
    [50, 1, 50],
    [51, 1, 51],
    [256, 1, 256],
    [257, 2, 129],
    [1000, 4, 251],
  ])('%i affected stacks: %i per job, %i jobs', (count, perJob, jobs) => {
    const a = expectWithinLimits(count);
    expect(a.perJob).toBe(perJob);
    expect(a.matrix.include).toHaveLength(jobs);
  });

  test('1,000 stacks: chunks balanced per cloud', () => {
    const a = expectWithinLimits(1000);
    for (const cloud of CLOUDS) {
      const sizes = a.matrix.include.filter((c) => c.cloud === cloud).map((c) => c.stacks.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  test('an explicit --per-job is kept, even one that a GitHub matrix cannot hold (GitLab still can)', () => {
    const a = affectedStacks({ ...generated(1000), perJob: 1 });
    expect(a.matrix.include).toHaveLength(1000);
    expect(gitlabPipelineProblems(renderGitlabPlanPipeline(a))).toEqual([]);
    const big = affectedStacks({ ...generated(1000), perJob: 400 });
    expect(big.matrix.include.map((c) => [c.chunk, c.stacks.length])).toEqual([
      ['sovereign-fr1 1/1', 334],
      ['vendor-eu-west-0 1/2', 333],
      ['vendor-eu-west-0 2/2', 333],
    ]);
  });

  test('deterministic: the same stacks in any order give the same chunks, stacks sorted in each', () => {
    const entries = allEntries(affectedStacks(generated(300)));
    const shuffled = [...entries].reverse().sort((x, y) => (x.change < y.change ? -1 : x.change > y.change ? 1 : 0));
    expect(chunkMatrix(shuffled, 3)).toEqual(chunkMatrix(entries, 3));
    for (const chunk of chunkMatrix(entries, 3)) {
      const names = chunk.stacks.map((e) => e.stack);
      expect(names).toEqual([...names].sort());
    }
    expect(renderGitlabPlanPipeline(affectedStacks(generated(300)))).toBe(renderGitlabPlanPipeline(affectedStacks(generated(300))));
  });

  test('fails closed: a size below 1, or more clouds than jobs', () => {
    expect(() => chunkMatrix([], 0)).toThrow('at least 1');
    expect(() => affectedStacks({ ...generated(3), perJob: 1.5 })).toThrow('whole number');
    const manyClouds = Array.from({ length: 3 }, (_, i): MatrixEntry => ({
      stack: `c-${i}`,
      client: 'c',
      cloud: `cloud-${i}`,
      change: 'new',
    }));
    expect(() => autoPerJob(manyClouds, 2)).toThrow('span 3 clouds');
  });

  test('the pipeline rules catch what GitLab refuses', () => {
    const tooManyNeeds = {
      stages: ['plan', 'report'],
      ...Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`plan ${i}`, { stage: 'plan', script: ['true'] }])),
      report: { stage: 'report', script: ['true'], needs: Array.from({ length: 51 }, (_, i) => `plan ${i}`) },
    };
    const problems = gitlabPipelineProblems(JSON.stringify(tooManyNeeds));
    expect(problems).toEqual([`job "report": 51 needs, GitLab allows ${GITLAB_MAX_NEEDS}`]);
    const broken = {
      stages: ['plan'],
      [`${'x'.repeat(256)}`]: { stage: 'plan', script: ['true'] },
      a: { stage: 'deploy', script: [] },
      b: { stage: 'plan', script: ['true'], needs: ['nope'], extends: '.missing', artifact: {} },
    };
    expect(gitlabPipelineProblems(JSON.stringify(broken))).toEqual([
      `job "${'x'.repeat(20)}…": name longer than 255 characters`,
      'job "a": stage "deploy" is not declared in stages',
      'job "a": script must be a non-empty list of commands',
      'job "b": unknown keyword "artifact"',
      'job "b": extends ".missing", which is not defined',
      'job "b": needs "nope", which is not a job of the pipeline',
    ]);
    expect(gitlabPipelineProblems('a: 1\na: 2\n')[0]).toContain('Map keys must be unique');
  });
});

describe('CI templates consume the chunked matrix', () => {
  const template = (name: string) => readFileSync(join(repoRoot, 'docs', 'ci', name), 'utf8');

  test('GitHub Actions: plan and deploy jobs loop over their chunk', () => {
    const text = template('github-actions.yml');
    expect(parseDocument(text).errors).toEqual([]);
    const jobs = (parse(text) as { jobs: Record<string, { strategy?: { matrix?: string }; env?: Record<string, string> }> }).jobs;
    for (const name of ['plan', 'deploy']) {
      expect(jobs[name]?.strategy?.matrix).toBe('${{ fromJSON(needs.affected.outputs.matrix) }}');
      expect(jobs[name]?.env?.CHUNK).toBe('${{ toJSON(matrix.stacks) }}');
    }
    expect(text).toContain('bash scripts/ci/plan-chunk.sh');
    expect(text).toContain('bash scripts/ci/deploy-chunk.sh "$CHUNK"');
    const permissions = (job: string) => (jobs[job] as { permissions?: Record<string, string> }).permissions;
    expect(permissions('plan')).toEqual({ contents: 'read' });
    expect(permissions('deploy')).toEqual({ contents: 'write', actions: 'read', 'pull-requests': 'read' });
  });

  test('the deploys apply the reviewed plans: fetched from the merged request, passed as SOVSTACK_REVIEWED_PLANS', () => {
    const github = parse(template('github-actions.yml')) as { jobs: Record<string, { steps: Record<string, unknown>[] }> };
    const steps = github.jobs.deploy.steps;
    const download = steps.find((s) => (s.with as Record<string, unknown> | undefined)?.['run-id'] !== undefined);
    expect(download).toMatchObject({
      uses: 'actions/download-artifact@v4',
      with: { pattern: 'plan-*', path: 'reviewed', 'run-id': '${{ steps.reviewed.outputs.run-id }}' },
    });
    expect(steps.indexOf(download!)).toBeLessThan(steps.findIndex((s) => String(s.run).includes('deploy-chunk.sh')));
    expect(steps.map((s) => String(s.run ?? '')).join('\n')).toContain('export SOVSTACK_REVIEWED_PLANS=reviewed');
    const gitlab = parse(template('gitlab-ci.yml')) as { deploy: { script: string[] } };
    const script = gitlab.deploy.script.join('\n');
    expect(script).toContain('reviewed="$(bash scripts/ci/reviewed-plans-gitlab.sh reviewed)"');
    expect(script.indexOf('SOVSTACK_REVIEWED_PLANS')).toBeLessThan(script.indexOf('deploy-chunk.sh'));
  });

  test('GitLab: the template parses and triggers the generated pipeline', () => {
    const text = template('gitlab-ci.yml');
    expect(parseDocument(text).errors).toEqual([]);
    expect(gitlabPipelineProblems(text)).toEqual([]);
    expect(text).toContain('--format gitlab-pipeline');
  });
});

describe('scripts/ci/plan-chunk.sh', () => {
  const chunk = (...args: string[]) =>
    spawnSync('bash', ['scripts/ci/plan-chunk.sh', ...args], {
      cwd: repoRoot,
      env: { ...process.env, SOVSTACK_CI_SOURCE: '1' },
      encoding: 'utf8',
    });

  test('plans the chunk with `sovstack plan` and, when that fails, fails naming every stack left without a plan', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sovstack-chunk-')), 'missing.out');
    const result = chunk('a-sovereign-fr1', 'b-sovereign-fr1', '--', '--out', out, '--plans', join(out, '..', 'plans'));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`no synth output in ${out}`);
    expect(result.stderr).toContain('plan-chunk.sh: 2 of 2 plans failed: a-sovereign-fr1 b-sovereign-fr1 (exit 1)');
  });

  test('refuses an unknown option and an empty chunk as usage errors', () => {
    expect(chunk('a-sovereign-fr1', '--', '--bogus').status).toBe(2);
    expect(chunk('--', '--out', 'x').stderr).toContain('usage: plan-chunk.sh <stack>...');
  });
});

describe('sovstack affected --per-job', () => {
  const bin = join(repoRoot, 'dist', 'app', 'cli', 'main.js');
  const dir = mkdtempSync(join(tmpdir(), 'sovstack-fanout-'));
  const clients: FixtureClient[] = ['a', 'b', 'c'].map((id) => ({ id, cloud: SOVEREIGN.id, resources: {} }));
  writeSynthOutput(join(dir, 'base'), { clouds: [SOVEREIGN, VENDOR], clients: [] });
  writeSynthOutput(join(dir, 'head'), { clouds: [SOVEREIGN, VENDOR], clients });
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [bin, 'affected', '--base-out', join(dir, 'base'), '--head-out', join(dir, 'head'), ...args], {
      encoding: 'utf8',
    });

  test('splits the matrix into jobs of that many stacks', () => {
    const result = run('--per-job', '2');
    expect(result.status).toBe(0);
    const a = JSON.parse(result.stdout) as AffectedStacks;
    expect(a.perJob).toBe(2);
    expect(a.matrix.include.map((c) => c.stacks.map((e) => e.stack))).toEqual([
      ['a-sovereign-fr1', 'b-sovereign-fr1'],
      ['c-sovereign-fr1'],
    ]);
  });

  test.each(['0', '-1', '2.5', 'many'])('--per-job %s is a usage error (exit 2)', (value) => {
    const result = run('--per-job', value);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('give a whole number of stacks per CI job');
  });
});
