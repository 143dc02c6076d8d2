/**
 * GitLab dynamic child pipeline for the affected stacks: GitLab's `parallel:matrix` only takes
 * static values, so the pull-request pipeline generates one plan job per stack plus the report job.
 */
import { stringify } from 'yaml';
import type { AffectedStacks } from './affected.js';

/** Options of {@link renderGitlabPlanPipeline}. */
export interface GitlabPipelineOptions {
  /** Image of every job. Default `node:20-bookworm`. */
  image?: string;
  /** Parent job whose artifacts (`cdktf.out/`, `.sovstack-ci/base.out/`) the jobs need. Default `affected`. */
  synthJob?: string;
}

/** GitLab job names allow these characters; anything else becomes `-`. */
const jobName = (stack: string): string => `plan ${stack.replace(/[^A-Za-z0-9_.-]/g, '-')}`;

/**
 * YAML of a child pipeline: one `plan <stack>` job per new or changed stack (removed stacks are not
 * planned: they are no longer synthesized), then `report`, which needs every plan job and posts the
 * report on the merge request. With no affected stack the pipeline holds only `report`.
 *
 * @example writeFileSync('plan-pipeline.yml', renderGitlabPlanPipeline(affectedStacks({ base, head })))
 */
export function renderGitlabPlanPipeline(affected: AffectedStacks, options: GitlabPipelineOptions = {}): string {
  const synthJob = options.synthJob ?? 'affected';
  const parentArtifacts = { pipeline: '$PARENT_PIPELINE_ID', job: synthJob };
  const cache = { key: 'sovstack-tools', paths: ['.cache/sovstack'] };
  const setup = [
    'export SOVSTACK_TOOLS_CACHE="$CI_PROJECT_DIR/.cache/sovstack/tools"',
    'npm ci --no-audit --no-fund',
    'bash scripts/tools.sh',
    'npm run --silent build',
  ];
  const doc: Record<string, unknown> = {
    stages: ['plan', 'report'],
    default: { image: options.image ?? 'node:20-bookworm', cache, before_script: setup },
  };
  const planned = affected.matrix.include.filter((e) => e.change !== 'removed');
  for (const entry of planned) {
    doc[jobName(entry.stack)] = {
      stage: 'plan',
      needs: [parentArtifacts],
      resource_group: `sovstack-${entry.stack}`,
      variables: { STACK: entry.stack, CLIENT: entry.client, CLOUD: entry.cloud, CHANGE: entry.change },
      script: ['bash scripts/ci/plan-stack.sh "$STACK" --outdir cdktf.out --plans-dir plans'],
      artifacts: { paths: ['plans/'], expire_in: '1 week' },
    };
  }
  doc.report = {
    stage: 'report',
    needs: [parentArtifacts, ...planned.map((e) => ({ job: jobName(e.stack), artifacts: true }))],
    script: [
      'bash scripts/ci/report.sh --head cdktf.out --base .sovstack-ci/base.out --plans-dir plans --out report --footer "[Pipeline $CI_PIPELINE_ID]($CI_PIPELINE_URL)"',
      'bash scripts/ci/post-comment-gitlab.sh report/report.md',
    ],
    artifacts: { paths: ['report/'], expire_in: '1 month', when: 'always' },
  };
  return stringify(doc, { lineWidth: 0 });
}
