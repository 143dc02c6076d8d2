/**
 * Human renderings of a placement result: a plain-text table for the terminal and Markdown for reports.
 */
import type { CloudEvaluation, CostEstimate, PlacementFailure, PlacementResult, VerdictStatus } from './types.js';

/**
 * A cost as `123.45 EUR`, or `—` when there is no estimate.
 *
 * @example formatCost({ currency: 'EUR', monthly: 80, lines: [], unpriced: [] }) // '80.00 EUR'
 */
export function formatCost(cost: CostEstimate | undefined): string {
  return cost ? `${cost.monthly.toFixed(2)} ${cost.currency}` : '—';
}

function alignTable(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - [...cell].length)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * A placement failure's message, preceded by the client's file when known.
 *
 * @example failureText({ client: 'x', kind: 'unknown-pin', file: 'config/clients/x.yaml', message: '…', evaluations: [] }) // 'config/clients/x.yaml: …'
 */
export function failureText(failure: PlacementFailure): string {
  return failure.file ? `${failure.file}: ${failure.message}` : failure.message;
}

/**
 * Placement failures for a terminal or a log: a count, then one line per client with its kind, file and message.
 *
 * @example formatPlacementFailures(result.failures) // 'placement failed for 1 client(s):\n- x (unknown-pin): config/clients/x.yaml: …'
 */
export function formatPlacementFailures(failures: readonly PlacementFailure[]): string {
  const lines = failures.map((f) => `- ${f.client} (${f.kind}): ${failureText(f)}`);
  return [`placement failed for ${failures.length} client(s):`, ...lines].join('\n');
}

/**
 * A plain-text table of placements (client, cloud, sensitivity, monthly cost, reason), followed by the
 * failures and the warnings, for the terminal.
 *
 * @example console.log(formatPlacementTable(place(estate)))
 */
export function formatPlacementTable(result: PlacementResult): string {
  const out: string[] = [];
  if (result.placements.length > 0) {
    const rows = [['CLIENT', 'CLOUD', 'SENSITIVITY', 'MONTHLY COST', 'REASON']];
    for (const p of result.placements) rows.push([p.client, p.cloud, p.sensitivity, formatCost(p.cost), p.reason]);
    out.push(alignTable(rows));
  } else {
    out.push('No client placed.');
  }
  if (result.failures.length > 0) {
    out.push('', 'FAILED');
    out.push(alignTable(result.failures.map((f) => [f.client, f.kind, failureText(f)])));
  }
  const warnings = result.placements.flatMap((p) => p.warnings.map((w) => `${p.client}: ${w}`));
  if (warnings.length > 0) {
    out.push('', 'WARNINGS', ...warnings.map((w) => `- ${w}`));
  }
  return out.join('\n') + '\n';
}

/** Escape text for a Markdown table cell. */
const cell = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
/** Escape text for inline HTML (the `<summary>` of a details block). */
const html = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** How each verdict status shows in Markdown: `not-applicable` is neither a pass nor a fail. */
const VERDICT_MARK: Record<VerdictStatus, string> = { pass: '✅', fail: '❌', 'not-applicable': '➖ not applicable:' };

function evaluationMarkdown(evaluation: CloudEvaluation, chosen: boolean): string[] {
  const status = evaluation.eligible ? '✅ eligible' : '❌ not eligible';
  const lines = [`**${evaluation.cloud}** — ${status}${chosen ? ' (chosen)' : ''}`, ''];
  for (const v of evaluation.verdicts) lines.push(`- ${VERDICT_MARK[v.status]} \`${v.rule}\` — ${v.reason}`);
  for (const w of evaluation.warnings) lines.push(`- ⚠️ ${w}`);
  lines.push('');
  return lines;
}

/**
 * Markdown: a placement table, the failures, then one collapsible `<details>` block per client listing each
 * cloud's verdicts with ✅/❌ and its warnings.
 *
 * @param options.heading level-2 heading text. Default `Placement`.
 * @example writeFileSync('placement.md', renderPlacementMarkdown(place(estate)))
 */
export function renderPlacementMarkdown(result: PlacementResult, options: { heading?: string } = {}): string {
  const out: string[] = [`## ${options.heading ?? 'Placement'}`, ''];
  if (result.placements.length > 0) {
    out.push('| Client | Cloud | Sensitivity | Monthly cost | Reason |', '| --- | --- | --- | --- | --- |');
    for (const p of result.placements) {
      out.push(`| ${cell(p.client)} | ${cell(p.cloud)} | ${p.sensitivity} | ${cell(formatCost(p.cost))} | ${cell(p.reason)} |`);
    }
  } else {
    out.push('No client placed.');
  }
  out.push('');
  if (result.failures.length > 0) {
    out.push('### Failures', '');
    for (const f of result.failures) out.push(`- ❌ **${f.client}** (\`${f.kind}\`): ${failureText(f)}`);
    out.push('');
  }

  const details = [
    ...result.placements.map((p) => ({
      client: p.client,
      summary: `${p.client} (${p.clientName}) → ${p.cloud}`,
      chosen: p.cloud,
      warnings: p.warnings,
      evaluations: p.evaluations,
    })),
    ...result.failures.map((f) => ({
      client: f.client,
      summary: `${f.client} → not placed (${f.kind})`,
      chosen: undefined,
      warnings: [] as string[],
      evaluations: f.evaluations,
    })),
  ].sort((a, b) => (a.client < b.client ? -1 : a.client > b.client ? 1 : 0));

  if (details.length > 0) out.push('### Details', '');
  for (const d of details) {
    out.push('<details>', `<summary>${html(d.summary)}</summary>`, '');
    for (const w of d.warnings) out.push(`- ⚠️ ${w}`);
    if (d.warnings.length > 0) out.push('');
    for (const e of d.evaluations) out.push(...evaluationMarkdown(e, e.cloud === d.chosen));
    out.push('</details>', '');
  }
  return out.join('\n');
}
