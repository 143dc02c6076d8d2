import { formatPlacementTable, place, type PlacementResult } from '../../../core/placement/index.js';
import { failed, ok, type CommandResult } from '../../command.js';
import { loadForCommand } from './load.js';
import type { Command } from 'commander';
import { configOption, emit } from '../options.js';

/** The `place --json` document: every client, its cloud, each cloud's per-rule verdicts, warnings and cost. */
export function placementJson(result: PlacementResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

/** `sovstack place`: which cloud each client lands on and why; exit 1 when any client cannot be placed. */
export async function placeCommand(opts: { config: string; json?: boolean }): Promise<CommandResult> {
  const loaded = await loadForCommand(opts.config);
  if ('errors' in loaded) return failed(loaded.errors);
  const result = place(loaded.estate);
  const stdout = opts.json ? placementJson(result) : formatPlacementTable(result);
  if (result.failures.length === 0) return ok(stdout);
  const reasons = result.failures.map((f) => `- ${f.client} (${f.kind}): ${f.message}`).join('\n');
  return failed(`placement failed for ${result.failures.length} client(s):\n${reasons}\n`, stdout);
}

/** Adds `sovstack place` to `program`. */
export function registerPlace(program: Command): void {
  program
    .command('place')
    .description('place every client on a cloud and say why (exit 1 when a client cannot be placed)')
    .addOption(configOption())
    .option('--json', 'every cloud’s per-rule verdicts, warnings and estimated monthly cost as JSON')
    .action(async (opts: { config: string; json?: boolean }) => emit(await placeCommand(opts)));
}
