/**
 * Generates, from the zod schemas in core/config/schema.ts, the config reference (docs/config-reference.md)
 * and the JSON Schemas editors use (schema/cloud.schema.json, client.schema.json, template.schema.json).
 *
 *   tsx scripts/config-reference.ts           write them
 *   tsx scripts/config-reference.ts --check   exit 1, naming the stale files, when they differ from what is committed
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { CONFIG_FILE_KINDS, configJsonSchema } from '../core/config/json-schema.js';
import { renderConfigReference } from './config-reference-render.js';

const root = join(fileURLToPath(import.meta.url), '..', '..');

/** Every generated file: repository path → content. */
async function generate(): Promise<Map<string, string>> {
  const options = { ...((await prettier.resolveConfig(join(root, 'package.json'))) ?? {}), parser: 'json' };
  const files = new Map<string, string>();
  const schemas = CONFIG_FILE_KINDS.map((kind) => ({ kind, schema: configJsonSchema(kind) }));
  for (const { kind, schema } of schemas) {
    files.set(`schema/${kind}.schema.json`, await prettier.format(JSON.stringify(schema), options));
  }
  files.set('docs/config-reference.md', renderConfigReference(schemas));
  return files;
}

const read = (path: string): string | undefined => {
  try {
    return readFileSync(join(root, path), 'utf8');
  } catch {
    return undefined;
  }
};

const files = await generate();
if (process.argv.includes('--check')) {
  const stale = [...files].filter(([path, text]) => read(path) !== text).map(([path]) => path);
  if (stale.length > 0) {
    process.stderr.write(`stale generated config docs: ${stale.join(', ')}\nfix: npm run docs:config, then commit\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`config reference and JSON Schemas are current (${files.size} files)\n`);
  }
} else {
  for (const [path, text] of files) writeFileSync(join(root, path), text);
  process.stdout.write(`wrote ${[...files.keys()].join(', ')}\n`);
}
