import { existsSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { SynthOptions } from '../../synth/run.js';
import { failed, ok, type CommandResult } from '../../command.js';
import { placementWarningFindings, type FindingsFormat } from '../../findings/index.js';
import { decisionDate } from '../../today.js';
import { stackNameFor } from '../../../stacks/names.js';
import { placementWarningsText, untouchedText } from '../../synth/messages.js';
import { configOption, emit, formatOption, horizonOption, inFormat, outOption, todayOption } from '../options.js';

/** Options of {@link synthCommand}. */
export interface SynthCommandOptions {
  /** Estate folder. */
  config: string;
  /** Output folder. */
  out: string;
  /** Parallel jobs (`--jobs`); default as {@link SynthOptions.jobs}. */
  jobs?: number;
  /** Date of the decision, `YYYY-MM-DD`. Default `SOVSTACK_TODAY`, else the real date. */
  today?: string;
  /** Warning horizon before a deprecated cloud's end of life, in days. Default 180. */
  horizonDays?: number;
  /** What to print. Default `text`. */
  format?: FindingsFormat;
}

/**
 * `sovstack synth`: the whole pipeline without cdktf-cli (same output as `cdktf synth`). The synth
 * modules (cdktf, the bindings) are loaded only when this command runs.
 */
export async function synthCommand(opts: SynthCommandOptions): Promise<CommandResult> {
  const format = opts.format ?? 'text';
  const date = decisionDate(opts.today);
  if ('error' in date) return failed(`${date.error}\n`);
  const existed = existsSync(opts.out);
  const { synthEstate } = await import('../../synth/run.js');
  const options: SynthOptions = {
    configDir: opts.config,
    outdir: opts.out,
    placeOptions: { today: date.today, horizonDays: opts.horizonDays },
    ...(opts.jobs !== undefined ? { jobs: opts.jobs } : {}),
  };
  const outcome = await synthEstate(options);
  if (!outcome.ok) {
    const findings = outcome.findings ?? [{ rule: `synth/${outcome.stage}`, level: 'error' as const, message: outcome.message }];
    const text = `${outcome.stage} error, ${untouchedText(opts.out, existed)}\n${outcome.message}\n`;
    return inFormat(format, failed(text), { command: 'synth', subjects: [], findings, outdir: opts.out });
  }
  const text = `synthesized ${outcome.stacks.length} stacks into ${opts.out}: ${outcome.stacks.join(', ')}\n`;
  const subjects = outcome.placements.map((p) => stackNameFor(p.client, p.cloud));
  return inFormat(format, ok(text + placementWarningsText(outcome.placements)), {
    command: 'synth',
    subjects,
    findings: placementWarningFindings(outcome.placements, opts.config),
    outdir: opts.out,
  });
}

/** `--jobs <n>`: a positive integer, else a usage error. */
function parseJobs(value: string): number {
  const jobs = Number(value);
  if (!/^[0-9]+$/.test(value) || !Number.isInteger(jobs) || jobs < 1) {
    throw new InvalidArgumentError(`a positive integer is expected (1 builds every stack in one thread), got '${value}'`);
  }
  return jobs;
}

/** Adds `sovstack synth` to `program`. */
export function registerSynth(program: Command): void {
  program
    .command('synth')
    .description('synthesize one stack per client plus the placement report (same as `cdktf synth`)')
    .addOption(configOption())
    .addOption(outOption())
    .addOption(
      new Option(
        '-j, --jobs <n>',
        'stacks built in parallel (default: SOVSTACK_JOBS, else one per core; small estates in one thread)',
      ).argParser(parseJobs),
    )
    .addOption(todayOption())
    .addOption(horizonOption())
    .addOption(formatOption())
    .action(async (opts: SynthCommandOptions) => emit(await synthCommand(opts)));
}
