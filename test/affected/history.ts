/**
 * A scripted git history in a temp repository: every commit holds a pre-rendered synth output in
 * `fixture-out/` and a `synth.mjs` that copies it to $CDKTF_OUTDIR, standing in for the CDKTF app.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSynthOutput, type FixtureEstate } from '../report/synth-fixtures.js';

const SYNTH = `import { cpSync, existsSync } from 'node:fs';
if (process.env.REQUIRE_PREPARE === '1' && !existsSync('built.flag')) {
  console.error('not prepared');
  process.exit(3);
}
cpSync('fixture-out', process.env.CDKTF_OUTDIR, { recursive: true });
`;

export const git = (repo: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** A fresh repository with the stand-in synth script and no commit. */
export function newRepo(): string {
  const repo = mkdtempSync(join(tmpdir(), 'sovstack-history-'));
  git(repo, 'init', '--quiet', '--initial-branch=main');
  git(repo, 'config', 'user.email', 'ci@example.invalid');
  git(repo, 'config', 'user.name', 'CI');
  git(repo, 'config', 'commit.gpgsign', 'false');
  writeFileSync(join(repo, 'synth.mjs'), SYNTH);
  writeFileSync(join(repo, '.gitignore'), 'built.flag\n');
  return repo;
}

/** Replaces the synth output of the working tree by the estate's. */
export function stage(repo: string, estate: FixtureEstate): void {
  rmSync(join(repo, 'fixture-out'), { recursive: true, force: true });
  writeSynthOutput(join(repo, 'fixture-out'), estate);
}

/** Stages the estate and commits it; returns the commit id. */
export function commit(repo: string, message: string, estate: FixtureEstate): string {
  stage(repo, estate);
  git(repo, 'add', '-A');
  git(repo, 'commit', '--quiet', '-m', message);
  return git(repo, 'rev-parse', 'HEAD');
}
