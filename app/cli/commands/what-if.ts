import { whatIfRetire, type WhatIfResult } from '../../../core/placement/index.js';
import { failed, ok, type CommandResult } from '../../command.js';
import { loadDated, type DecisionOptions } from './load.js';
import type { Command } from 'commander';
import { configOption, emit, horizonOption, todayOption } from '../options.js';

function money(amount: number | null, currency = ''): string {
  if (amount === null) return '—';
  const sign = amount > 0 ? '+' : '';
  return `${sign}${amount.toFixed(2)}${currency ? ` ${currency}` : ''}`;
}

/** Plain-text rendering of a what-if: who moves where, who is stranded, and the cost totals. */
export function formatWhatIf(result: WhatIfResult): string {
  const rows = [['CLIENT', 'FROM', 'TO', 'STATUS', 'COST DELTA/MONTH', 'REASON']];
  for (const entry of result.clients) {
    rows.push([entry.client, entry.from ?? '—', entry.to ?? '—', entry.status, money(entry.costDelta), entry.reason]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => [...row[i]].length)));
  const table = rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd(),
  );
  const totals = result.totals.map(
    (t) => `total ${t.currency}: ${t.before.toFixed(2)} → ${t.after.toFixed(2)} per month (${money(t.delta, t.currency)})`,
  );
  const stranded =
    result.stranded.length > 0 ? [`STRANDED (no eligible cloud once ${result.cloud} is retired): ${result.stranded.join(', ')}`] : [];
  const warnings = result.clients.flatMap((entry) => entry.warnings.map((w) => `- ${entry.client}: ${w}`));
  const warningBlock = warnings.length > 0 ? ['', 'WARNINGS', ...warnings] : [];
  return [`What if ${result.cloud} is retired:`, '', ...table, '', ...totals, ...stranded, ...warningBlock].join('\n') + '\n';
}

/** Options of {@link whatIfCommand}. */
export interface WhatIfCommandOptions extends DecisionOptions {
  /** Id of the cloud to retire. */
  retire: string;
  /** Print the result as JSON. Default false. */
  json?: boolean;
}

/** `sovstack what-if --retire <cloud>`: exit 0 when every client still has a cloud, 1 when some are stranded. */
export async function whatIfCommand(opts: WhatIfCommandOptions): Promise<CommandResult> {
  const loaded = await loadDated(opts);
  if ('exitCode' in loaded) return loaded;
  if (!loaded.estate.clouds.some((cloud) => cloud.id === opts.retire)) {
    const known = loaded.estate.clouds.map((cloud) => cloud.id).join(', ');
    return failed(`what-if: unknown cloud "${opts.retire}"; the estate has: ${known}\n`);
  }
  const result = whatIfRetire(loaded.estate, opts.retire, { today: loaded.today, horizonDays: opts.horizonDays });
  const stdout = opts.json ? `${JSON.stringify(result, null, 2)}\n` : formatWhatIf(result);
  return result.stranded.length === 0
    ? ok(stdout)
    : failed(`${result.stranded.length} client(s) stranded: ${result.stranded.join(', ')}\n`, stdout);
}

/** Adds `sovstack what-if` to `program`. */
export function registerWhatIf(program: Command): void {
  program
    .command('what-if')
    .description('who moves where, who is stranded and what it costs if a cloud is retired (exit 1 when stranded)')
    .addOption(configOption())
    .requiredOption('--retire <cloud>', 'cloud id to retire')
    .addOption(todayOption())
    .addOption(horizonOption())
    .option('--json', 'machine-readable output')
    .action(async (opts: WhatIfCommandOptions) => emit(await whatIfCommand(opts)));
}
