#!/usr/bin/env node
// Glue between the CI shell scripts and sovstack's TypeScript modules: parses argv and calls
// runAffectedCommand / runReportCommand / runSanitizePlanCommand. All logic lives in src/ (tested).
// Loads the compiled modules from dist/ (npm run build); with SOVSTACK_CI_SOURCE=1 the sources
// (node must then be started with the tsx loader, as the .sh wrappers do).
import { parseArgs } from 'node:util';

const root = new URL('../../', import.meta.url);
const load = (name) =>
  import(new URL(process.env.SOVSTACK_CI_SOURCE === '1' ? `src/${name}/index.ts` : `dist/src/${name}/index.js`, root).href);

const [command, ...argv] = process.argv.slice(2);
const usage = 'usage: run.mjs affected|report|sanitize-plan [options]';

async function main() {
  switch (command) {
    case 'affected': {
      const { values } = parseArgs({
        args: argv,
        options: {
          base: { type: 'string' },
          head: { type: 'string' },
          'base-outdir': { type: 'string' },
          'head-outdir': { type: 'string' },
          'keep-dir': { type: 'string' },
          format: { type: 'string', default: 'json' },
        },
      });
      const { runAffectedCommand } = await load('affected');
      return runAffectedCommand({
        base: values.base,
        head: values.head,
        baseOutdir: values['base-outdir'],
        headOutdir: values['head-outdir'],
        keepDir: values['keep-dir'],
        format: values.format,
      });
    }
    case 'report': {
      const { values } = parseArgs({
        args: argv,
        options: {
          head: { type: 'string', default: 'cdktf.out' },
          base: { type: 'string' },
          'plans-dir': { type: 'string' },
          out: { type: 'string' },
          format: { type: 'string', default: 'text' },
          footer: { type: 'string' },
        },
      });
      const { runReportCommand } = await load('report');
      return runReportCommand({
        head: values.head,
        base: values.base,
        plansDir: values['plans-dir'],
        out: values.out,
        format: values.format,
        footer: values.footer,
      });
    }
    case 'sanitize-plan': {
      const { values } = parseArgs({ args: argv, options: { input: { type: 'string' }, output: { type: 'string' } } });
      if (!values.input || !values.output) return { exitCode: 2, stdout: '', stderr: 'sanitize-plan: --input and --output are required\n' };
      const { runSanitizePlanCommand } = await load('report');
      return runSanitizePlanCommand({ input: values.input, output: values.output });
    }
    default:
      return { exitCode: 2, stdout: '', stderr: `${usage}\n` };
  }
}

main().then(
  (result) => {
    process.stdout.write(result.stdout);
    if (result.stderr) process.stderr.write(result.stderr);
    process.exitCode = result.exitCode;
  },
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
