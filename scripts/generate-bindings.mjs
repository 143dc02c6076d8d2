#!/usr/bin/env node
// Generates the cdktf TypeScript bindings for the OpenStack provider from the committed schema
// (schema/openstack-provider.json), for the types listed in schema/bindings.json, into
// .gen/providers/openstack. The generator emits CommonJS-style extensionless imports; we rewrite
// relative specifiers to explicit `.js` files so the bindings compile as NodeNext ES modules.
//
//   node scripts/generate-bindings.mjs          regenerate .gen/providers/openstack
//   node scripts/generate-bindings.mjs --check  regenerate into a temp dir and fail if .gen differs
import { createRequire } from 'node:module';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// @cdktf/commons runs `<terraform> version -json` when loaded: point it at our tofu and its offline config.
if (existsSync(join(root, '.tools', 'bin', 'tofu'))) {
  process.env.TERRAFORM_BINARY_NAME = join(root, '.tools', 'bin', 'tofu');
  process.env.TF_CLI_CONFIG_FILE = join(root, '.tools', 'tofurc');
}
process.env.CHECKPOINT_DISABLE = '1';

const require = createRequire(import.meta.url);
const { TerraformProviderGenerator, CodeMaker } = require('@cdktf/provider-generator');
const { ConstructsMakerProviderTarget, TerraformProviderConstraint, LANGUAGES } = require('@cdktf/commons');

const target = join(root, '.gen', 'providers', 'openstack');
const check = process.argv.includes('--check');

function selectedSchema() {
  const full = JSON.parse(readFileSync(join(root, 'schema', 'openstack-provider.json'), 'utf8'));
  const selection = JSON.parse(readFileSync(join(root, 'schema', 'bindings.json'), 'utf8'));
  const provider = full.provider_schemas[selection.provider];
  if (!provider) throw new Error(`schema/openstack-provider.json has no provider ${selection.provider}`);
  const pick = (all, names, kind) =>
    Object.fromEntries(
      names.map((name) => {
        if (!all[name]) throw new Error(`schema/bindings.json lists ${kind} ${name}, which the provider schema does not have`);
        return [name, all[name]];
      }),
    );
  return {
    version: selection.version,
    schema: {
      format_version: full.format_version,
      provider_schemas: {
        [selection.provider]: {
          provider: provider.provider,
          resource_schemas: pick(provider.resource_schemas, selection.resources, 'resource'),
          data_source_schemas: pick(provider.data_source_schemas, selection.dataSources, 'data source'),
        },
      },
      provider_versions: full.provider_versions,
    },
    source: selection.provider,
    providerVersion: full.provider_versions[selection.provider],
  };
}

function listFiles(dir) {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((p) => statSync(join(dir, p)).isFile())
    .sort();
}

/** Rewrites `from './x'` to `from './x.js'` or `from './x/index.js'`, whichever exists. */
function toEsmSpecifiers(dir) {
  for (const file of listFiles(dir).filter((f) => f.endsWith('.ts'))) {
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8').replace(/(from\s+)(['"])(\.{1,2}\/[^'"]+)\2/g, (_m, head, quote, spec) => {
      const base = resolve(dirname(path), spec);
      if (existsSync(`${base}.ts`)) return `${head}${quote}${spec}.js${quote}`;
      if (existsSync(join(base, 'index.ts'))) return `${head}${quote}${spec}/index.js${quote}`;
      throw new Error(`${relative(root, path)}: cannot resolve import ${spec}`);
    });
    writeFileSync(path, text);
  }
}

async function generate(outdir) {
  const { schema, source, providerVersion } = selectedSchema();
  const code = new CodeMaker();
  const generator = new TerraformProviderGenerator(code, schema);
  const constraint = new TerraformProviderConstraint({ name: 'openstack', source, version: providerVersion });
  generator.generate(new ConstructsMakerProviderTarget(constraint, LANGUAGES[0]));
  await generator.save(outdir);
  const generated = join(outdir, 'providers', 'openstack');
  // lazy-index.ts uses CommonJS `require` getters; under ESM the plain index is the entry point.
  rmSync(join(generated, 'lazy-index.ts'), { force: true });
  for (const file of listFiles(generated).filter((f) => f.endsWith('README.md'))) rmSync(join(generated, file));
  toEsmSpecifiers(generated);
  return generated;
}

const scratch = mkdtempSync(join(tmpdir(), 'sovstack-gen-'));
try {
  const fresh = await generate(scratch);
  if (check) {
    const want = listFiles(fresh);
    const have = existsSync(target) ? listFiles(target) : [];
    const differing = [
      ...want.filter((f) => !have.includes(f) || readFileSync(join(fresh, f), 'utf8') !== readFileSync(join(target, f), 'utf8')),
      ...have.filter((f) => !want.includes(f)),
    ];
    if (differing.length > 0) {
      console.error(
        `.gen/providers/openstack is out of sync with schema/ (${differing.length} files differ, e.g. ${differing.slice(0, 5).join(', ')}).`,
      );
      console.error('Fix: run `npm run gen` and commit the result.');
      process.exit(1);
    }
    console.log(`.gen/providers/openstack matches schema/openstack-provider.json (${want.length} files)`);
  } else {
    rmSync(target, { recursive: true, force: true });
    cpSync(fresh, target, { recursive: true });
    console.log(`generated ${listFiles(target).length} files into ${relative(root, target)}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
