/**
 * sovstack as another repository gets it: scripts/consumer.sh packs the tarball, installs it into a
 * copy of examples/consumer, builds and synthesizes that project and validates its stacks with the
 * real OpenTofu. This file runs the script once and checks what it left behind. Never skipped: a
 * missing toolchain is a failure (run `npm run tools`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };

interface PackFile {
  path: string;
  size: number;
}
interface Pack {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: PackFile[];
}

let work: string;
let run: { status: number | null; stdout: string; stderr: string };
let pack: Pack;
let consumer: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'sovstack-consumer-test-'));
  const env: NodeJS.ProcessEnv = { ...process.env, SOVSTACK_CONSUMER_WORK: work };
  delete env['CDKTF_OUTDIR'];
  const result = spawnSync('bash', [join(root, 'scripts', 'consumer.sh')], { cwd: root, env, encoding: 'utf8', timeout: 230_000 });
  run = { status: result.status, stdout: result.stdout, stderr: result.stderr };
  consumer = join(work, 'consumer');
  if (run.status === 0) pack = (JSON.parse(readFileSync(join(work, 'pack.json'), 'utf8')) as Pack[])[0];
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const readJson = <T>(...parts: string[]): T => JSON.parse(readFileSync(join(...parts), 'utf8')) as T;

describe('sovstack from its tarball, in a separate cdktf project', () => {
  it('packs, installs, builds, synthesizes and validates (scripts/consumer.sh exits 0)', () => {
    expect(run.stderr + run.stdout).not.toMatch(/content check failed/);
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('tarball content check: ok');
    expect(run.stdout).toMatch(/ok: 2 stack\(s\) valid; tarball sovstack-0\.1\.0\.tgz \d+ kB/);
  });

  it('ships no tests, fixtures, estate config, lab, toolchain or synth output, and everything needed at runtime', () => {
    const paths = pack.files.map((f) => f.path);
    console.log(
      `${pack.filename}: ${pack.entryCount} files, ${(pack.size / 1024).toFixed(1)} kB packed, ${(pack.unpackedSize / 1024).toFixed(1)} kB unpacked`,
    );
    const forbidden = paths.filter((p) =>
      /^test\/|(^|\/)fixtures?\/|(^|\/)\.tools\/|(^|\/)cdktf\.out\/|^config\/|^lab\/|^examples\/|^bench\/|^scripts\/|\.test\.|\.spec\.|\.tsbuildinfo$|\.tgz$|(^|\/)node_modules\/|^dist\/main\./.test(
        p,
      ),
    );
    expect(forbidden).toEqual([]);
    const outside = paths.filter(
      (p) =>
        !/^(dist\/(core|app|constructs|stacks|\.gen)\/|(core|app|constructs|stacks|\.gen)\/.+\.ts$|schema\/openstack-provider\.json$|(package\.json|README\.md|CHANGELOG\.md|LICENSE)$)/.test(
          p,
        ),
    );
    expect(outside).toEqual([]);
    for (const needed of [
      'package.json',
      'README.md',
      'CHANGELOG.md',
      'schema/openstack-provider.json',
      'dist/app/cli/main.js',
      'dist/app/index.js',
      'dist/app/index.d.ts',
      'dist/.gen/providers/openstack/index.js',
      'dist/.gen/providers/openstack/provider/index.d.ts',
    ]) {
      expect(paths, needed).toContain(needed);
    }
    expect(pack.size).toBeLessThan(1024 * 1024); // a jump here means something unintended ships
    expect(pack.entryCount).toBe(paths.length);
  });

  it('resolves every export-map entry from the installed copy', () => {
    const exported = readJson<Record<string, string[]>>(work, 'exports.json');
    const expected = Object.keys(pkg.exports)
      .filter((s) => s !== './package.json')
      .map((s) => (s === '.' ? 'sovstack' : `sovstack/${s.slice(2)}`));
    expect(Object.keys(exported)).toEqual(expected);
    expect(exported['sovstack']).toEqual(expect.arrayContaining(['place', 'defaultRules', 'CloudSchema', 'IaasService', 'synthEstate']));
    expect(exported['sovstack/bindings']).toEqual(expect.arrayContaining(['provider', 'networkingSecgroupV2', 'computeInstanceV2']));
    // peers resolved to the consumer's single copy, not a nested one
    expect(readdirSync(join(consumer, 'node_modules', 'sovstack'))).not.toContain('node_modules');
  });

  it('links sovstack-state-key into node_modules/.bin, where `npx` (as in `npx cdktf deploy`) finds it by name for tofu', () => {
    // A user's shell: none of the npm_* settings of an npm process this test may run under (CI runs it under
    // `npm exec --package=node@22`, whose npm_config_package the inner npm exec would take as its own).
    const userEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
    // `-c` (a shell command with the project's bins on PATH) rather than `-- sh -c`, which npm 11 run by another
    // node than its own (Node 22 from the npm registry, in CI) refuses with "could not determine executable to run".
    const found = spawnSync('npm', ['exec', '--no', '-c', 'command -v sovstack-state-key; sovstack-state-key provide'], {
      cwd: consumer,
      env: userEnv,
      encoding: 'utf8',
    });
    expect(found.stdout.trim()).toBe(join(consumer, 'node_modules', '.bin', 'sovstack-state-key'));
    expect(found.stderr).toContain('sovstack-state-key: usage: sovstack-state-key provide --stack <stack>');
  });

  it('synthesizes one stack per placed client, each valid for tofu, stamped with the installed version', () => {
    const stacks = readdirSync(join(consumer, 'cdktf.out', 'stacks')).sort();
    expect(stacks).toEqual(['culture-agenda-europe-central', 'justice-casier-national-sec1']);
    for (const stack of stacks) {
      const dir = join(consumer, 'cdktf.out', 'stacks', stack);
      expect(readJson<{ valid: boolean; diagnostics: unknown[] }>(dir, 'validate.json')).toMatchObject({ valid: true, diagnostics: [] });
      const tf = readJson<{
        resource: Record<string, Record<string, { name?: string; tags?: string[] }>>;
        '//': { sovstack?: { placement?: { cloudId?: string } } };
      }>(dir, 'cdk.tf.json');
      // The consumer's stack extends PlacedStack, which records the placement as ClientStack does.
      expect(tf['//'].sovstack?.placement?.cloudId).toBe(stack.endsWith('europe-central') ? 'europe-central' : 'national-sec1');
      const groups = Object.values(tf.resource['openstack_networking_secgroup_v2'] ?? {});
      expect(groups.map((g) => g.name)).toContain(`${stack.startsWith('culture') ? 'culture-agenda' : 'justice-casier'}-admin-ssh`);
      expect(Object.values(tf.resource['openstack_networking_network_v2'] ?? {})[0]?.tags).toContain('sovstack:version=0.1.0');
    }
  });

  it("uses the consumer's own placement rule: the budget cap moves culture-agenda off the preferred cloud", () => {
    const report = readJson<{ placements: { client: string; cloud: string; budget: Record<string, { status: string } | null> }[] }>(
      consumer,
      'cdktf.out',
      'placement.json',
    );
    const culture = report.placements.find((p) => p.client === 'culture-agenda');
    expect(culture?.cloud).toBe('europe-central');
    expect(culture?.budget).toMatchObject({ 'national-sec1': { status: 'fail' }, 'europe-central': { status: 'pass' } });
    expect(report.placements.find((p) => p.client === 'justice-casier')?.cloud).toBe('national-sec1');

    // Without the rule, the same estate puts culture-agenda on the cloud with the better priority.
    const probe = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { place } from 'sovstack';
         import { ministryClouds } from './dist/src/clouds.js';
         import { ministryClients } from './dist/src/clients.js';
         const r = place({ clouds: ministryClouds(), clients: ministryClients() });
         console.log(JSON.stringify(Object.fromEntries(r.placements.map((p) => [p.client, p.cloud]))));`,
      ],
      { cwd: consumer, encoding: 'utf8' },
    );
    expect(probe.stderr).toBe('');
    expect(JSON.parse(probe.stdout)).toEqual({ 'culture-agenda': 'national-sec1', 'justice-casier': 'national-sec1' });
  });

  it('has a tarball check that rejects what must not ship', () => {
    const fake = join(work, 'fake-pack.json');
    const files = [
      'package.json',
      'test/config/loader.test.ts',
      'config/clouds/sovereign-fr1.yaml',
      '.tools/bin/tofu',
      'cdktf.out/manifest.json',
    ];
    writeFileSync(
      fake,
      JSON.stringify([
        {
          filename: 'sovstack-0.1.0.tgz',
          size: 1,
          unpackedSize: 1,
          entryCount: files.length,
          files: files.map((path) => ({ path, size: 1 })),
        },
      ]),
    );
    const result = spawnSync(process.execPath, [join(root, 'scripts', 'consumer-pack-check.mjs'), fake], { cwd: root, encoding: 'utf8' });
    expect(result.status).toBe(1);
    for (const text of [
      'test/config/loader.test.ts: tests must not ship',
      'config/clouds/sovereign-fr1.yaml: estate config must not ship',
      '.tools/bin/tofu: toolchain must not ship',
      'cdktf.out/manifest.json: synth output must not ship',
      'schema/openstack-provider.json: needed at runtime but missing',
      'dist/.gen/providers/openstack/index.js: imported at runtime but missing',
    ]) {
      expect(result.stderr).toContain(text);
    }
  });
});
