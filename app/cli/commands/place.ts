import { formatPlacementFailures, formatPlacementTable, place, type PlacementResult } from '../../../core/placement/index.js';
import { failed, ok, type CommandResult } from '../../command.js';
import { loadDated, type DecisionOptions } from './load.js';
import type { Command } from 'commander';
import { configOption, emit, horizonOption, todayOption } from '../options.js';

/** The `place --json` document: every client, its cloud, each cloud's per-rule verdicts, warnings and cost. */
export function placementJson(result: PlacementResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

/** Options of {@link placeCommand}. */
export interface PlaceCommandOptions extends DecisionOptions {
  /** Print the result as JSON. Default false. */
  json?: boolean;
}

/** `sovstack place`: which cloud each client lands on and why; exit 1 when any client cannot be placed. */
export async function placeCommand(opts: PlaceCommandOptions): Promise<CommandResult> {
  const loaded = await loadDated(opts);
  if ('exitCode' in loaded) return loaded;
  const result = place(loaded.estate, { today: loaded.today, horizonDays: opts.horizonDays });
  const stdout = opts.json ? placementJson(result) : formatPlacementTable(result);
  if (result.failures.length === 0) return ok(stdout);
  return failed(`${formatPlacementFailures(result.failures)}\n`, stdout);
}

/** Adds `sovstack place` to `program`. */
export function registerPlace(program: Command): void {
  program
    .command('place')
    .description('place every client on a cloud and say why (exit 1 when a client cannot be placed)')
    .addOption(configOption())
    .addOption(todayOption())
    .addOption(horizonOption())
    .option('--json', 'every cloud’s per-rule verdicts, warnings and estimated monthly cost as JSON')
    .action(async (opts: PlaceCommandOptions) => emit(await placeCommand(opts)));
}
