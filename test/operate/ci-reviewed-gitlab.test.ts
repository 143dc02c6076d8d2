/**
 * scripts/ci/reviewed-plans-gitlab.sh against a GitLab API served on loopback: from the merged merge
 * request to its last pipeline on the head commit, its `plan` child pipeline, every page of its plan
 * jobs with artifacts, and only the `plans/` files of those artifacts.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/tools.js';

const root = mkdtempSync(join(tmpdir(), 'sovstack-gitlab-plans-'));
const TOKEN = 'glpat-test-token';

/** A job's artifacts archive holding `files` (path → content), made with zip(1). */
function archive(name: string, files: Record<string, string>): Buffer {
  const dir = join(root, 'archives', name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  const zip = spawnSync('zip', ['-q', '-r', join(root, `${name}.zip`), '.'], { cwd: dir });
  if (zip.status !== 0) throw new Error(`zip: ${String(zip.stderr)}`);
  return readFileSync(join(root, `${name}.zip`));
}

const routes = new Map<string, unknown>([
  [
    '/repository/commits/merge1/merge_requests',
    [
      { iid: 3, state: 'opened', sha: 'other' },
      { iid: 12, state: 'merged', sha: 'head1' },
    ],
  ],
  ['/repository/commits/direct/merge_requests', []],
  [
    '/merge_requests/12/pipelines',
    [
      { id: 900, sha: 'later-push' },
      { id: 800, sha: 'head1' },
      { id: 700, sha: 'head1' },
    ],
  ],
  ['/pipelines/800/bridges', [{ name: 'plan', downstream_pipeline: { id: 801 } }]],
  [
    '/pipelines/801/jobs?per_page=100&page=1',
    [
      { id: 1, stage: 'plan', artifacts_file: { filename: 'artifacts.zip' } },
      { id: 3, stage: 'plan', artifacts_file: null },
    ],
  ],
  // a page with no plan job that kept artifacts is not the last one
  [
    '/pipelines/801/jobs?per_page=100&page=2',
    [
      { id: 2, stage: 'report', artifacts_file: { filename: 'artifacts.zip' } },
      { id: 5, stage: 'plan', artifacts_file: null },
    ],
  ],
  ['/pipelines/801/jobs?per_page=100&page=3', [{ id: 4, stage: 'plan', artifacts_file: { filename: 'artifacts.zip' } }]],
  ['/pipelines/801/jobs?per_page=100&page=4', []],
]);
const artifacts = new Map<string, Buffer>();
let server: Server;
let base = '';

beforeAll(async () => {
  artifacts.set(
    '/jobs/1/artifacts',
    archive('job-1', {
      'plans/a-sovereign-fr1.plan.json': '{"a": 1}\n',
      'plans/a-sovereign-fr1.tfplan': 'ciphertext',
      'plans/a-sovereign-fr1.tfplan.meta': '{"stack": "a-sovereign-fr1"}\n',
      'report/elsewhere.txt': 'not a plan',
    }),
  );
  artifacts.set('/jobs/4/artifacts', archive('job-4', { 'plans/b-vendor-eu-west-0.plan.json': '{"b": 1}\n' }));
  server = createServer((request, response) => {
    const path = (request.url ?? '').replace('/api/v4/projects/7', '');
    if (request.headers['private-token'] !== TOKEN) return void response.writeHead(401).end('{"message":"401 Unauthorized"}');
    if (path.startsWith('/repository/commits/broken')) return void response.writeHead(500).end('{"message":"500"}');
    const zip = artifacts.get(path);
    if (zip) return void response.writeHead(200, { 'content-type': 'application/zip' }).end(zip);
    const body = routes.get(path);
    if (body === undefined) return void response.writeHead(404).end('{"message":"404 Not found"}');
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${address.port}/api/v4`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Runs the script for commit `sha` (asynchronously: the API is served by this process). */
function fetchPlans(sha: string, dir: string, token = TOKEN): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      [join(repoRoot, 'scripts/ci/reviewed-plans-gitlab.sh'), dir],
      {
        cwd: root,
        env: { PATH: process.env.PATH, GITLAB_API_TOKEN: token, CI_API_V4_URL: base, CI_PROJECT_ID: '7', CI_COMMIT_SHA: sha },
        encoding: 'utf8',
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('reviewed-plans-gitlab.sh', () => {
  it("gathers the plans/ files of every plan job with artifacts, on every page, of the merged request's pipeline on its head", async () => {
    const result = await fetchPlans('merge1', 'reviewed');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('reviewed\n');
    expect(result.stderr).toContain('plans of merge request !12 (pipeline 800, 2 plan jobs) in reviewed');
    expect(readdirSync(join(root, 'reviewed')).sort()).toEqual([
      'a-sovereign-fr1.plan.json',
      'a-sovereign-fr1.tfplan',
      'a-sovereign-fr1.tfplan.meta',
      'b-vendor-eu-west-0.plan.json',
    ]);
    expect(readFileSync(join(root, 'reviewed', 'a-sovereign-fr1.tfplan'), 'utf8')).toBe('ciphertext');
  });

  it('prints nothing and warns when the commit merged no merge request: every stack is planned afresh', async () => {
    const result = await fetchPlans('direct', 'none');
    expect(result).toEqual({
      code: 0,
      stdout: '',
      stderr: 'reviewed-plans-gitlab.sh: no merged merge request for direct; every stack is planned afresh\n',
    });
  });

  it('fails on an API error or a refused token rather than deploying without the reviewed plans', async () => {
    expect((await fetchPlans('broken', 'x')).code).not.toBe(0);
    const refused = await fetchPlans('merge1', 'y', 'wrong');
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).toBe('');
  });
});
