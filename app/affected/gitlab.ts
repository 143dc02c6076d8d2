/**
 * GitLab dynamic child pipeline for the affected stacks: GitLab's `parallel:matrix` only takes
 * static values, so the merge-request pipeline generates one plan job per chunk of stacks plus the
 * report job.
 */
import { stringify } from 'yaml';
import type { AffectedStacks } from './affected.js';
import { chunkMatrix, type MatrixChunk } from './chunks.js';

/** Options of {@link renderGitlabPlanPipeline}. */
export interface GitlabPipelineOptions {
  /** Image of every job. Default `node:20-bookworm`. */
  image?: string;
  /** Parent job whose artifacts (`cdktf.out/`, `.sovstack-ci/base.out/`) the jobs need. Default `affected`. */
  synthJob?: string;
}

/** Stages of the child pipeline, in order. */
export const GITLAB_PLAN_STAGES = ['synth', 'plan', 'report'] as const;

/** Longest job name GitLab accepts. */
const MAX_JOB_NAME = 255;

/**
 * `plan <cloud> <i>/<k>`: unique (cloud ids are unique, at most 40 characters), and GitLab groups the
 * jobs of a cloud in its pipeline view by the `<i>/<k>` suffix.
 */
const jobName = (chunk: MatrixChunk): string => `plan ${chunk.chunk}`.replace(/[^A-Za-z0-9_. /-]/g, '-').slice(0, MAX_JOB_NAME);

const SETUP = [
  'export SOVSTACK_TOOLS_CACHE="$CI_PROJECT_DIR/.cache/sovstack/tools"',
  'npm ci --no-audit --no-fund',
  'bash scripts/tools.sh',
  'npm run --silent build',
];

const REPORT_SCRIPT = [
  'bash scripts/ci/report.sh --head cdktf.out --base .sovstack-ci/base.out --plans plans --write report --footer "[Pipeline $CI_PIPELINE_ID]($CI_PIPELINE_URL)"',
  'bash scripts/ci/post-comment-gitlab.sh report/report.md',
];

function planJobs(affected: AffectedStacks, parentArtifacts: object): Record<string, unknown> {
  const planned = affected.matrix.include.flatMap((c) => c.stacks).filter((e) => e.change !== 'removed');
  const chunks = chunkMatrix(planned, affected.perJob);
  const jobs: Record<string, unknown> = {};
  for (const chunk of chunks) {
    jobs[jobName(chunk)] = {
      stage: 'plan',
      needs: [parentArtifacts],
      // `prepare`: the cloud's environment-scoped variables (credentials) without recording a deployment.
      environment: { name: chunk.cloud || 'unknown-cloud', action: 'prepare' },
      variables: { CLOUD: chunk.cloud, STACKS: chunk.stacks.map((e) => e.stack).join(' ') },
      script: ['bash scripts/ci/plan-chunk.sh $STACKS'],
      artifacts: { paths: ['plans/'], expire_in: '1 week', when: 'always' },
    };
  }
  return jobs;
}

/**
 * YAML of a child pipeline in three stages, so that no job exceeds GitLab's 50 `needs`:
 * - `synth`: `synth-outputs` takes the parent's synth outputs (its only `needs`) and passes them on;
 * - `plan`: one job per chunk of {@link AffectedStacks.perJob} new or changed stacks of one cloud
 *   (removed stacks are not planned: they are no longer synthesized), each running
 *   `scripts/ci/plan-chunk.sh` (`sovstack plan --save-plans` of the chunk; its `plans/` are the job's artifacts);
 * - `report`: no `needs`, so it starts once every earlier job has finished (`when: always`: even
 *   when plans failed) and receives the artifacts of all of them (synth outputs and `plans/`).
 * With no affected stack the pipeline holds `synth-outputs` and `report` only.
 *
 * @example writeFileSync('plan-pipeline.yml', renderGitlabPlanPipeline(affectedStacks({ base, head })))
 */
export function renderGitlabPlanPipeline(affected: AffectedStacks, options: GitlabPipelineOptions = {}): string {
  const parentArtifacts = { pipeline: '$PARENT_PIPELINE_ID', job: options.synthJob ?? 'affected' };
  const doc: Record<string, unknown> = {
    stages: [...GITLAB_PLAN_STAGES],
    default: {
      image: options.image ?? 'node:20-bookworm',
      cache: { key: 'sovstack-tools', paths: ['.cache/sovstack'] },
      before_script: SETUP,
    },
    'synth-outputs': {
      stage: 'synth',
      needs: [parentArtifacts],
      before_script: [],
      script: ['test -d cdktf.out'],
      artifacts: { paths: ['cdktf.out/', '.sovstack-ci/base.out/'], expire_in: '1 week' },
    },
    ...planJobs(affected, parentArtifacts),
    report: {
      stage: 'report',
      when: 'always',
      script: REPORT_SCRIPT,
      artifacts: { paths: ['report/'], expire_in: '1 month', when: 'always' },
    },
  };
  return stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
}
