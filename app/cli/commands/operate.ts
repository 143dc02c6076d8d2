/**
 * What `plan`, `deploy`, `destroy` and `drift` share: the selection and run flags, and the step that
 * turns them into an operate run with progress on stderr (a live view on a terminal, plain lines
 * elsewhere) and, with `--json`, JSON-lines events on stdout. The engine is loaded only when one of
 * them runs.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { CommandResult } from '../../command.js';
import type { EventSink, OperateAction } from '../../operate/events.js';
import { DEFAULT_DEPLOYED_DIR, DEPLOYED_DIR_ENV } from '../../operate/deployed.js';
import { defaultRunDir } from '../../operate/journal.js';
import type { OperateOptions } from '../../operate/run.js';
import { configOption, outOption, todayOption } from '../options.js';

/** Flags every operate command takes. */
export interface OperateCliOptions {
  all?: boolean;
  cloud?: string[];
  affected?: string;
  config: string;
  out: string;
  skipSynth?: boolean;
  jobs?: number;
  json?: boolean;
  runDir: string;
  resume?: string;
  deployedDir: string;
  today?: string;
}

/** `-j <n>`: a whole number of at least 1. */
function parseJobs(value: string): number {
  if (!/^[1-9][0-9]*$/.test(value))
    throw new InvalidArgumentError(`a whole number of stacks at once, at least 1, is expected (e.g. -j 4), got '${value}'`);
  return Number(value);
}

/** Adds the shared arguments and flags to an operate command. */
export function withOperateOptions(command: Command): Command {
  return command
    .argument('[stacks...]', 'stack names or globs (e.g. "sante-*")')
    .option('--all', 'every synthesized stack')
    .option('--cloud <id>', 'only the stacks on this cloud (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--affected <git-ref>', 'only the stacks a change since this git ref affects (destroy: the removed ones)')
    .addOption(configOption())
    .addOption(outOption())
    .option('--skip-synth', 'use the synth output as it is')
    .addOption(todayOption())
    .addOption(
      new Option(
        '-j, --jobs <n>',
        'most stacks at once, all clouds together (default: the sum of the clouds\u2019 operations.concurrency, at most 8)',
      ).argParser(parseJobs),
    )
    .option('--json', 'stream the run\u2019s events as JSON lines on stdout')
    .addOption(new Option('--run-dir <dir>', 'where run folders (journal, logs, plans) go').default(defaultRunDir()))
    .option('--resume <run-id>', 'continue a run that crashed or was interrupted, skipping what finished')
    .addOption(
      new Option('--deployed-dir <dir>', 'where the configuration last deployed of each stack is kept').default(
        process.env[DEPLOYED_DIR_ENV] ?? DEFAULT_DEPLOYED_DIR,
      ),
    );
}

/** The progress sinks for this process: live on a terminal with a size (not in CI), plain lines otherwise, JSON lines with `--json`. */
async function progressFor(json: boolean): Promise<{ sinks: EventSink[]; stop: () => void }> {
  const { jsonProgress, liveProgress, plainProgress } = await import('../../operate/progress.js');
  const sinks: EventSink[] = [];
  let stop = (): void => undefined;
  if (process.stderr.isTTY && process.stderr.rows > 0 && (process.env.CI ?? '') === '') {
    const live = liveProgress(process.stderr);
    sinks.push(live.sink);
    stop = live.stop;
  } else {
    sinks.push(plainProgress((text) => process.stderr.write(text)));
  }
  if (json) sinks.push(jsonProgress((text) => process.stdout.write(text)));
  return { sinks, stop };
}

/**
 * Runs `action` on the stacks the flags select.
 *
 * @example await operateCommand('plan', ['sante-*'], { config: 'config', out: 'cdktf.out', runDir: '.sovstack/runs', deployedDir: '.sovstack/deployed' })
 */
export async function operateCommand(
  action: OperateAction,
  stacks: string[],
  opts: OperateCliOptions,
  extra: Pick<
    OperateOptions,
    'plansDir' | 'replanUnreviewed' | 'savePlansDir' | 'purgeState' | 'decommission' | 'reportDir' | 'rolling'
  > = {},
): Promise<CommandResult> {
  const options: OperateOptions = {
    action,
    configDir: opts.config,
    outDir: opts.out,
    skipSynth: opts.skipSynth === true,
    names: stacks,
    all: opts.all === true,
    clouds: opts.cloud ?? [],
    runDir: opts.runDir,
    deployedDir: opts.deployedDir,
    ...(opts.affected !== undefined ? { affected: opts.affected } : {}),
    ...(opts.jobs !== undefined ? { jobs: opts.jobs } : {}),
    ...(opts.resume !== undefined ? { resume: opts.resume } : {}),
    ...(opts.today !== undefined ? { today: opts.today } : {}),
    ...extra,
  };
  const progress = await progressFor(opts.json === true);
  const { operate } = await import('../../operate/run.js');
  try {
    return await operate(options, { sinks: progress.sinks, json: opts.json === true });
  } finally {
    progress.stop();
  }
}
