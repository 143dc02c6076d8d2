/**
 * The export map is the public API: every entry resolves through the package's own name (Node's
 * self-reference, so exactly as `import 'sovstack/…'` resolves for a consumer), its types and its
 * runtime agree symbol for symbol, and every symbol the CHANGELOG documents for it exists.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  exports: Record<string, string | { types: string; default: string }>;
  peerDependencies: Record<string, string>;
  dependencies: Record<string, string>;
};

const ENTRIES = ['.', './constructs', './stacks', './config', './placement', './guardrails', './check', './bindings'];
const specifier = (subpath: string): string => (subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`);

/** Runs an ES module snippet with node from the package root (so `sovstack/…` self-resolves); returns its stdout as JSON. */
function runNode(code: string, cwd = root): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Symbols named in backticks in the CHANGELOG's "Entry points" list, per entry specifier. */
function documentedSymbols(): Map<string, string[]> {
  const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
  const start = changelog.indexOf('- Entry points');
  expect(start, 'CHANGELOG.md lists the entry points').toBeGreaterThan(-1);
  const lines = changelog.slice(start).split('\n').slice(1);
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of lines) {
    if (/^\S/.test(line) || line.startsWith('- ')) break; // next top-level bullet or heading ends the list
    const entry = /^ {2}- `(sovstack(?:\/[a-z.]+)?)`/.exec(line);
    if (entry) {
      current = [];
      out.set(entry[1], current);
    }
    const text = entry ? line.slice(entry[0].length) : line; // the entry's own name is not a symbol
    for (const match of text.matchAll(/`([A-Za-z_$][\w$]*)`/g)) current?.push(match[1]);
  }
  return out;
}

/** Exported names of each entry's `types` file, each with whether it is a value (exists at runtime). */
function declaredExports(): Map<string, Map<string, boolean>> {
  const files = ENTRIES.map((e) => join(root, (pkg.exports[e] as { types: string }).types));
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: [],
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const out = new Map<string, Map<string, boolean>>();
  ENTRIES.forEach((entry, i) => {
    const source = program.getSourceFile(files[i]);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`${files[i]}: not a module`);
    const names = new Map<string, boolean>();
    for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const typeOnly = (symbol.declarations ?? []).some((d) => ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly));
      names.set(symbol.name, !typeOnly && (target.flags & ts.SymbolFlags.Value) !== 0);
    }
    out.set(entry, names);
  });
  return out;
}

let runtime: Record<string, string[]>;
let declared: Map<string, Map<string, boolean>>;

beforeAll(() => {
  const code = `
    const out = {};
    for (const s of ${JSON.stringify(ENTRIES.map(specifier))}) out[s] = Object.keys(await import(s)).sort();
    console.log(JSON.stringify(out));`;
  const result = runNode(code);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  runtime = JSON.parse(result.stdout) as Record<string, string[]>;
  declared = declaredExports();
});

describe('package exports', () => {
  it('has exactly the documented entries, each with types before default, pointing at built files', () => {
    expect(Object.keys(pkg.exports)).toEqual([...ENTRIES, './package.json']);
    expect(pkg.exports['./package.json']).toBe('./package.json');
    for (const entry of ENTRIES) {
      const target = pkg.exports[entry] as { types: string; default: string };
      expect(Object.keys(target), entry).toEqual(['types', 'default']);
      expect(target.default.replace(/\.js$/, '.d.ts'), entry).toBe(target.types);
      expect(existsSync(join(root, target.default)), `${target.default} (npm run build)`).toBe(true);
      expect(existsSync(join(root, target.types)), target.types).toBe(true);
    }
  });

  it('resolves every entry through the package name, and its runtime exports match its declarations', () => {
    for (const entry of ENTRIES) {
      const values = [...(declared.get(entry) ?? new Map<string, boolean>())].filter(([, isValue]) => isValue).map(([name]) => name);
      expect(runtime[specifier(entry)], specifier(entry)).toEqual(values.sort());
      expect(values.length, specifier(entry)).toBeGreaterThan(0);
    }
  });

  it('exposes every symbol the CHANGELOG documents, in the entry it documents it for', () => {
    const documented = documentedSymbols();
    expect([...documented.keys()].sort()).toEqual([...ENTRIES.map(specifier), `${pkg.name}/package.json`].sort());
    for (const [spec, names] of documented) {
      if (spec === `${pkg.name}/package.json`) continue;
      const entry = spec === pkg.name ? '.' : `./${spec.slice(pkg.name.length + 1)}`;
      expect(names.length, `symbols documented for ${spec}`).toBeGreaterThan(2);
      const exported = declared.get(entry) ?? new Map<string, boolean>();
      for (const name of names) expect(exported.has(name), `${spec} exports ${name}`).toBe(true);
    }
  });

  it('re-exports in the main entry the narrower entries’ symbols, with the two clashes renamed', () => {
    const main = new Set(runtime[pkg.name]);
    for (const entry of ['./constructs', './stacks', './config', './placement', './guardrails']) {
      for (const name of runtime[specifier(entry)] ?? []) expect(main.has(name), `${pkg.name} re-exports ${name} of ${entry}`).toBe(true);
    }
    const names = declared.get('.');
    expect(names?.get('ServerGroup')).toBe(true); // the construct
    expect(names?.get('ServerGroupSpec')).toBe(false); // the config type
    expect(names?.get('Estate')).toBe(false);
    expect(names?.get('PlacementEstate')).toBe(false);
    expect(main.has('synthEstate') && main.has('toolkitVersion')).toBe(true);
  });

  it('exposes the generated bindings: one namespace per generated resource, the very classes the constructs use', () => {
    const generated = [...readFileSync(join(root, '.gen/providers/openstack/index.ts'), 'utf8').matchAll(/export \* as (\w+) from/g)]
      .map((m) => m[1])
      .sort();
    expect(generated.length).toBeGreaterThan(20);
    expect(runtime[`${pkg.name}/bindings`]).toEqual(generated);
    const code = `
      import { App, TerraformStack } from 'cdktf';
      import { networkingNetworkV2 } from 'sovstack/bindings';
      import { CloudProfile, ResourceLabels, TenantNetwork } from 'sovstack/constructs';
      const stack = new TerraformStack(new App({ outdir: process.argv[1] ?? 'unused' }), 's');
      const net = new TenantNetwork(stack, 'net', {
        profile: new CloudProfile({ cloudId: 'c', region: 'r', availabilityZones: ['a'], externalNetwork: 'ext', externalNetworkId: '6f1c2a4e-8d3b-4c57-9a0e-2b7d5e91c340' }),
        network: { cidr: '10.0.0.0/16', subnets: [{ name: 'app', cidr: '10.0.1.0/24' }] },
        labels: new ResourceLabels({ clientId: 'x', cloudId: 'c', sensitivity: 'standard', version: '0' }),
      });
      console.log(JSON.stringify(net.network instanceof networkingNetworkV2.NetworkingNetworkV2));`;
    const result = runNode(code);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('true');
  });

  it('serves package.json and nothing outside the map', () => {
    const result = runNode(`
      const { default: p } = await import('sovstack/package.json', { with: { type: 'json' } });
      let deep = 'resolved';
      try { await import('sovstack/dist/core/config/index.js'); } catch (e) { deep = e.code; }
      console.log(JSON.stringify({ version: p.version, deep }));`);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ version: pkg.version, deep: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
  });

  it('keeps the cdktf app and the CLI out of the library: no entry reaches main.ts or the CLI, importing has no effect', () => {
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
        visit(resolve(dirname(file), m[1]));
      }
    };
    for (const entry of ENTRIES) visit(join(root, (pkg.exports[entry] as { default: string }).default));
    const reached = [...seen].map((f) => relative(root, f));
    expect(reached).toContain('dist/core/placement/engine.js'); // the walk does follow imports
    expect(reached).toContain('dist/.gen/providers/openstack/index.js');
    expect(reached.filter((f) => f === 'dist/main.js' || f.startsWith('dist/app/cli/main'))).toEqual([]);

    const cwd = mkdtempSync(join(tmpdir(), 'sovstack-import-'));
    try {
      const url = pathToFileURL(join(root, (pkg.exports['.'] as { default: string }).default)).href;
      const result = runNode(`await import(${JSON.stringify(url)}); console.log(String(process.exitCode));`, cwd);
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe('undefined\n');
      expect(readdirSync(cwd)).toEqual([]); // no cdktf.out, no cache, nothing
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('declares cdktf and constructs as peers, not as dependencies', () => {
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(['cdktf', 'constructs']);
    expect(pkg.dependencies).not.toHaveProperty('cdktf');
    expect(pkg.dependencies).not.toHaveProperty('constructs');
  });
});
