import { InvalidArgumentError, Option, type Command } from 'commander';
import { runAffectedCommand, type AffectedFormat } from '../../affected/index.js';
import { emit } from '../options.js';

interface AffectedCliOptions {
  base?: string;
  head?: string;
  baseOut?: string;
  headOut?: string;
  keepDir?: string;
  format: AffectedFormat;
  perJob?: number;
}

/** `--per-job <n>`: a whole number of at least 1, else a usage error (exit 2). */
function parsePerJob(value: string): number {
  if (!/^[1-9][0-9]*$/.test(value))
    throw new InvalidArgumentError('give a whole number of stacks per CI job, at least 1 (e.g. --per-job 4)');
  return Number(value);
}

/** Adds `sovstack affected` to `program`. */
export function registerAffected(program: Command): void {
  program
    .command('affected')
    .description('stacks that are new, changed or removed between a git ref and the working tree, as a CI matrix')
    .option('--base <ref>', 'git ref to compare with, e.g. origin/main')
    .option('--head <ref>', 'git ref of the change (default: the working tree)')
    .option('--base-out <dir>', 'an existing synth output of the base, instead of synthesizing --base')
    .option('--head-out <dir>', 'an existing synth output of the head, instead of synthesizing it')
    .option('--keep-dir <dir>', 'keep the synths of base and head there (base.out, head.out)')
    .addOption(new Option('--format <format>', 'output').choices(['json', 'text', 'gitlab-pipeline']).default('json'))
    .option(
      '--per-job <n>',
      'stacks per CI job (default: the smallest that keeps a GitHub matrix within 256 jobs and every GitLab job within 50 needs)',
      parsePerJob,
    )
    .action((opts: AffectedCliOptions) =>
      emit(
        runAffectedCommand({
          format: opts.format,
          ...(opts.base !== undefined ? { base: opts.base } : {}),
          ...(opts.head !== undefined ? { head: opts.head } : {}),
          ...(opts.baseOut !== undefined ? { baseOutdir: opts.baseOut } : {}),
          ...(opts.headOut !== undefined ? { headOutdir: opts.headOut } : {}),
          ...(opts.keepDir !== undefined ? { keepDir: opts.keepDir } : {}),
          ...(opts.perJob !== undefined ? { perJob: opts.perJob } : {}),
        }),
      ),
    );
}
