/**
 * The file-system edges of loading an estate, through the built binary: every one gives a config
 * error naming the file and exit 1 — never a stack trace, never exit 70, never a file silently skipped.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/tools.js';

const bin = join(repoRoot, 'dist', 'app', 'cli', 'main.js');
const work = mkdtempSync(join(tmpdir(), 'sovstack-loader-edges-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let count = 0;
/** A fresh copy of the example estate, changed by `edit`. */
function estate(edit: (dir: string) => void): string {
  const dir = join(work, `estate-${++count}`);
  cpSync(join(repoRoot, 'config'), dir, { recursive: true });
  edit(dir);
  return dir;
}

function validate(config: string) {
  const result = spawnSync(process.execPath, [bin, 'validate', '--config', config], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The run failed as a config error: exit 1, the message names `file`, no stack trace. */
function expectConfigError(result: ReturnType<typeof validate>, file: string, message: RegExp): void {
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toContain('internal error');
  expect(result.stderr).toContain(file);
  expect(result.stderr).toMatch(message);
  expect(result.status).toBe(1);
}

describe('loading an estate through `sovstack validate`', () => {
  it('follows a client file linked to a file inside the estate', () => {
    const dir = estate((d) => {
      mkdirSync(join(d, 'shared'));
      writeFileSync(
        join(d, 'shared', 'linked.yaml'),
        readFileSync(join(d, 'clients', 'meteo-archives.yaml'), 'utf8').replace(/^id: .*$/m, 'id: linked'),
      );
      symlinkSync(join('..', 'shared', 'linked.yaml'), join(d, 'clients', 'linked.yaml'));
    });
    const result = validate(dir);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/valid \(2 clouds, 10 clients, 1 templates\)/);
  });

  it('refuses a client file linked to a file outside the estate', () => {
    const outside = join(work, 'outside.yaml');
    writeFileSync(outside, readFileSync(join(repoRoot, 'config', 'clients', 'meteo-archives.yaml')));
    const dir = estate((d) => symlinkSync(outside, join(d, 'clients', 'outside.yaml')));
    expectConfigError(
      validate(dir),
      'clients/outside.yaml',
      /is a link to .*outside\.yaml, outside the estate folder — fix: copy the file/,
    );
  });

  it('refuses a dangling link', () => {
    const dir = estate((d) => symlinkSync('gone.yaml', join(d, 'clouds', 'dangling.yaml')));
    expectConfigError(validate(dir), 'clouds/dangling.yaml', /is a link to a file that does not exist/);
  });

  it('refuses a folder named like a config file', () => {
    const dir = estate((d) => mkdirSync(join(d, 'clients', 'folder.yaml')));
    expectConfigError(validate(dir), 'clients/folder.yaml', /is a folder, not a file/);
  });

  it('refuses a named pipe without opening it (which would block)', () => {
    const dir = estate((d) => execFileSync('mkfifo', [join(d, 'clients', 'pipe.yaml')]));
    expectConfigError(validate(dir), 'clients/pipe.yaml', /is not a regular file/);
  });

  it('refuses bytes that are not UTF-8, naming the offset and line of the first one', () => {
    const dir = estate((d) => {
      const file = join(d, 'clients', 'meteo-archives.yaml');
      const text = readFileSync(file, 'utf8');
      const at = text.indexOf('\n', text.indexOf('\n') + 1) + 1;
      writeFileSync(
        file,
        Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0x23, 0x20, 0xe9, 0x74, 0xe9, 0x0a]), Buffer.from(text.slice(at))]),
      );
    });
    const result = validate(dir);
    expectConfigError(
      result,
      'clients/meteo-archives.yaml:3',
      /is not UTF-8: byte 0xe9 at offset \d+ \(line 3\) — fix: save the file as UTF-8/,
    );
    expect(result.stderr).not.toContain('\uFFFD');
  });

  it('tells a client file put under clouds/ where it belongs', () => {
    const dir = estate((d) => cpSync(join(d, 'clients', 'meteo-archives.yaml'), join(d, 'clouds', 'meteo-archives.yaml')));
    expectConfigError(validate(dir), 'clouds/meteo-archives.yaml', /is a client file .* in clouds\/ — fix: move it to clients\//);
  });

  it('refuses a --config that is a file', () => {
    const file = join(repoRoot, 'config', 'clouds', 'sovereign-fr1.yaml');
    expectConfigError(validate(file), 'sovereign-fr1.yaml', /is a file, not an estate folder/);
  });

  it('refuses a --config that does not exist', () => {
    expectConfigError(validate(join(work, 'no-such-estate')), 'no-such-estate', /estate folder does not exist/);
  });

  it('refuses a --config whose name is too long for the file system', () => {
    const long = join(work, 'x'.repeat(5000));
    expectConfigError(validate(long), 'xxxx', /path is too long/);
  });

  it('refuses an estate whose clients/ is a file', () => {
    const dir = estate((d) => {
      rmSync(join(d, 'clients'), { recursive: true });
      writeFileSync(join(d, 'clients'), '');
    });
    expectConfigError(validate(dir), 'clients', /is a file, not a folder/);
  });
});
