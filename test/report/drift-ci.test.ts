/**
 * The scheduled drift jobs of docs/ci: they parse, GitLab's offline-checkable rules hold (with the main
 * template they are included from), they run `sovstack drift` per cloud of the estate and fail on its
 * exits 2 (drift) and 1 (error) while keeping the report, and never upload saved plans (they hold secrets).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { gitlabPipelineProblems } from '../affected/gitlab-rules.js';
import { repoRoot } from '../support/tools.js';

const template = (name: string): string => readFileSync(join(repoRoot, 'docs', 'ci', name), 'utf8');
const estateClouds = readdirSync(join(repoRoot, 'config', 'clouds'))
  .filter((name) => name.endsWith('.yaml'))
  .map((name) => name.slice(0, -'.yaml'.length))
  .sort();

interface GithubStep {
  id?: string;
  if?: string;
  run?: string;
  uses?: string;
  with?: Record<string, string>;
}
interface GithubJob {
  needs?: string;
  environment?: string;
  outputs?: Record<string, string>;
  strategy?: { matrix?: { cloud?: string } };
  steps: GithubStep[];
}

describe('docs/ci/drift.github.yml', () => {
  const text = template('drift.github.yml');
  const workflow = parse(text) as { on: { schedule: { cron: string }[] }; jobs: Record<string, GithubJob> };

  it('is a scheduled workflow with a drift job per cloud, in the cloud environment', () => {
    expect(parseDocument(text).errors).toEqual([]);
    expect(workflow.on.schedule[0]?.cron).toMatch(/^\d+ \d+ \* \* \*$/);
    const drift = workflow.jobs['drift'];
    expect(drift.needs).toBe('clouds');
    expect(drift.strategy?.matrix?.cloud).toBe('${{ fromJSON(needs.clouds.outputs.clouds) }}');
    expect(drift.environment).toBe('${{ matrix.cloud }}');
  });

  it('lists the clouds of the estate for the matrix', () => {
    const list = workflow.jobs['clouds'].steps.find((step) => step.id === 'list')!.run!;
    const command = list.replace(/^echo "clouds=\$\((.*)\)" >> "\$GITHUB_OUTPUT"$/s, '$1');
    expect(command).not.toBe(list);
    const output = execFileSync('bash', ['-c', command], { cwd: repoRoot, encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual(estateClouds);
  });

  it('runs sovstack drift on the cloud, keeps the report, and fails on drift and on errors', () => {
    const steps = workflow.jobs['drift'].steps;
    const run = steps.find((step) => step.id === 'drift')!.run!;
    expect(run).toContain('node dist/app/cli/main.js drift --all --cloud "${{ matrix.cloud }}" --report drift');
    expect(run.split('\n').find((line) => line.includes('main.js drift'))).not.toContain('--skip-synth');
    expect(run).toContain('echo "code=$code" >> "$GITHUB_OUTPUT"');
    const upload = steps.find((step) => step.uses?.startsWith('actions/upload-artifact'))!;
    expect(upload.if).toBe('always()');
    expect(upload.with?.['path']).toContain('drift/');
    expect(upload.with?.['path']).not.toMatch(/plans/);
    expect(steps.find((step) => step.uses?.startsWith('actions/github-script'))?.if).toBe("steps.drift.outputs.code == '2'");
    expect(steps.at(-1)).toMatchObject({ if: "steps.drift.outputs.code != '0'", run: 'exit "${{ steps.drift.outputs.code }}"' });
  });
});

describe('docs/ci/drift.gitlab-ci.yml', () => {
  const text = template('drift.gitlab-ci.yml');
  const job = (parse(text) as { drift: Record<string, unknown> }).drift as {
    rules: { if: string }[];
    parallel: { matrix: { CLOUD: string[] }[] };
    script: string[];
    artifacts: { when: string; paths: string[]; exclude: string[] };
  };

  it('passes the GitLab rules checked offline, included in the main template', () => {
    expect(parseDocument(text).errors).toEqual([]);
    expect(gitlabPipelineProblems(`${template('gitlab-ci.yml')}\n${text}`)).toEqual([]);
  });

  it('runs on the drift schedule only, once per cloud of the estate', () => {
    expect(job.rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "schedule" && $SOVSTACK_SCHEDULE == "drift"' }]);
    expect([...job.parallel.matrix[0].CLOUD].sort()).toEqual(estateClouds);
  });

  it('runs sovstack drift on the cloud, exits with its code, and keeps the report but not the saved plans', () => {
    expect(job.script[0]).toContain('node dist/app/cli/main.js drift --all --cloud "$CLOUD" --report drift');
    expect(job.script.at(-1)).toBe('exit $code');
    expect(job.artifacts.when).toBe('always');
    expect(job.artifacts.paths).toContain('drift/');
    expect(job.artifacts.exclude).toEqual(['.sovstack/runs/*/plans/**']);
  });
});
