/**
 * The GitHub template's step that finds the reviewed plans of the merged pull request (docs/ci/github-actions.yml,
 * deploy job, step `reviewed`), run as written with a stand-in `gh` on PATH: it answers from canned API
 * bodies through the real jq, as `gh --jq` does, and logs its arguments.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../support/tools.js';

const dir = mkdtempSync(join(tmpdir(), 'sovstack-gh-reviewed-'));
const gh = join(dir, 'gh');
writeFileSync(
  gh,
  `#!/usr/bin/env bash
echo "$*" >> "$GH_LOG"
jq_expr=.
args=("$@")
for ((i = 0; i < \${#args[@]}; i++)); do [[ "\${args[i]}" == --jq ]] && jq_expr="\${args[i+1]}"; done
case "$1 $2" in
  "api repos/"*) body="$GH_PULLS" ;;
  "run list") body="$GH_RUNS" ;;
  *) echo "gh stand-in: unexpected $*" >&2; exit 1 ;;
esac
jq -r "$jq_expr" <<<"$body"
`,
);
chmodSync(gh, 0o755);

const steps = (
  parse(readFileSync(join(repoRoot, 'docs', 'ci', 'github-actions.yml'), 'utf8')) as {
    jobs: { deploy: { steps: { id?: string; run?: string }[] } };
  }
).jobs.deploy.steps;
const script = steps.find((s) => s.id === 'reviewed')?.run ?? '';

function findRun(pulls: unknown, runs: unknown) {
  const log = join(dir, `gh-${Math.random().toString(36).slice(2)}.log`);
  const output = join(dir, `output-${Math.random().toString(36).slice(2)}`);
  writeFileSync(log, '');
  writeFileSync(output, '');
  const result = spawnSync('bash', ['-e', '-c', script], {
    env: {
      PATH: `${dir}:${process.env.PATH ?? ''}`,
      GH_LOG: log,
      GH_PULLS: JSON.stringify(pulls),
      GH_RUNS: JSON.stringify(runs),
      GITHUB_REPOSITORY: 'ministere/estate',
      GITHUB_SHA: 'merge0001',
      GITHUB_WORKFLOW_REF: 'ministere/estate/.github/workflows/deploy-estate.yml@refs/heads/main',
      GITHUB_OUTPUT: output,
    },
    encoding: 'utf8',
  });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    calls: readFileSync(log, 'utf8'),
    output: readFileSync(output, 'utf8'),
  };
}

describe('GitHub deploy job: the merged pull request’s run', () => {
  it('is the step the template has', () => {
    expect(script).toContain('gh run list');
  });

  it('follows the merged pull request to the last run of this workflow file on its head commit', () => {
    const result = findRun(
      [
        { number: 7, merged_at: null, head: { sha: 'other' } },
        { number: 12, merged_at: '2026-12-02T10:00:00Z', head: { sha: 'head0012' } },
      ],
      [{ databaseId: 4242 }, { databaseId: 4100 }],
    );
    expect(result.status, result.stderr).toBe(0);
    expect(result.output).toBe('run-id=4242\n');
    expect(result.calls).toContain('api repos/ministere/estate/commits/merge0001/pulls');
    expect(result.calls).toContain(
      'run list --repo ministere/estate --workflow deploy-estate.yml --event pull_request --commit head0012 --limit 1 --json databaseId',
    );
  });

  it('gives no run, with a warning, when the push merged no pull request: every stack is planned afresh', () => {
    const result = findRun([{ number: 7, merged_at: null, head: { sha: 'other' } }], [{ databaseId: 1 }]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.output).toBe('run-id=\n');
    expect(result.stdout).toContain('::warning::no pull-request run found for merge0001');
    expect(result.calls).not.toContain('run list');
  });

  it('gives no run when the pull request has no run left', () => {
    const result = findRun([{ number: 12, merged_at: '2026-12-02T10:00:00Z', head: { sha: 'head0012' } }], []);
    expect(result.output).toBe('run-id=\n');
  });
});
