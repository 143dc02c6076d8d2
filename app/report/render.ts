/**
 * Renderings of a report: Markdown for pull-request comments, plain aligned text for terminals.
 */
import type { ActionCounts, AttributeChange, Money, PlacementRow, Report, ResourceAction, StackReport, WarningKind } from './types.js';

/** First line of the Markdown rendering: CI finds the previous comment by it and updates it. */
export const REPORT_MARKER = '<!-- sovstack:plan-report -->';

const WARNING_LABEL: Record<WarningKind, string> = {
  'data-loss': 'BLOCKER: DATA LOSS',
  'placement-failure': 'PLACEMENT FAILURE',
  'plan-errored': 'PLAN ERRORED',
  destroy: 'DESTROY',
  replace: 'REPLACE',
  moved: 'CLIENT MOVES CLOUD',
  'removed-client': 'CLIENT REMOVED',
  'sensitive-change': 'SENSITIVE CLIENT',
  'deprecated-cloud': 'DEPRECATED CLOUD',
  'placement-warning': 'PLACEMENT WARNING',
};

const ACTION_LABEL: Record<ResourceAction, string> = {
  create: '+ create',
  update: '~ update',
  replace: '± replace',
  destroy: '- destroy',
  'no-op': '= no-op',
  read: '> read',
  forget: '/ forget',
  change: '~ change',
};

const signed = (n: number): string => `${n > 0 ? '+' : n < 0 ? '−' : '±'}${Math.abs(n).toFixed(2)}`;
const amount = (m: Money | undefined): string => (m ? `${m.amount.toFixed(2)} ${m.currency}` : '—');
const deltaText = (m: Money | undefined): string => (m ? `${signed(m.amount)} ${m.currency}` : '—');

function changeText(row: PlacementRow): string {
  switch (row.change) {
    case undefined:
      return '—';
    case 'moved':
      return `moved from ${row.previousCloud ?? '?'}`;
    default:
      return row.change;
  }
}

function statusText(stack: StackReport): string {
  return stack.status ?? '—';
}

function sourceText(stack: StackReport): string {
  switch (stack.source) {
    case 'plan':
      return `plan${stack.engineVersion ? ` (tofu ${stack.engineVersion})` : ''}`;
    case 'synth':
      return 'synth diff vs base';
    case 'none':
      return 'no plan, no base';
  }
}

/** The update column: plan updates, or synth "changed" resources marked `*` (update or replace). */
const updateCell = (s: StackReport): string =>
  s.source === 'synth' ? (s.counts.change > 0 ? `${s.counts.change}*` : '0') : String(s.counts.update);
const replaceCell = (s: StackReport): string =>
  s.source === 'synth' && s.counts.change > 0 ? `${s.counts.replace > 0 ? `${s.counts.replace}+` : ''}?` : String(s.counts.replace);
const countCell = (s: StackReport, n: number): string => (s.source === 'none' ? '—' : String(n));

/** "1 create, 2 update" — the non-zero counts. */
export function countsSummary(counts: ActionCounts): string {
  const parts: [number, string][] = [
    [counts.create, 'create'],
    [counts.update, 'update'],
    [counts.change, 'changed (update or replace)'],
    [counts.replace, 'replace'],
    [counts.destroy, 'destroy'],
    [counts.forget, 'forget'],
    [counts.read, 'read'],
    [counts.noop, 'no-op'],
  ];
  const shown = parts.filter(([n]) => n > 0).map(([n, w]) => `${n} ${w}`);
  return shown.length > 0 ? shown.join(', ') : 'no resources';
}

const attributeText = (a: AttributeChange): string =>
  `${a.path}: ${a.before ?? '(none)'} -> ${a.after ?? '(none)'}${a.forcesReplacement ? '  [forces replacement]' : ''}`;

const hasChanges = (s: StackReport): boolean => s.resources.length > 0 || s.otherChanges.length > 0;

// ---------------------------------------------------------------- Markdown

const cell = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const html = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

function markdownResources(stack: StackReport): string[] {
  const out = ['| Action | Resource | Details |', '| --- | --- | --- |'];
  for (const r of stack.resources) {
    const details = [
      ...(r.blocker ? [`**BLOCKER: ${html(r.blocker)}**`] : []),
      ...(r.previousAddress ? [`moved from ${code(r.previousAddress)}`] : []),
      ...(r.reason ? [html(r.reason)] : []),
      ...r.attributes.map(
        (a) =>
          `${code(a.path)}: ${code(a.before ?? '(none)')} → ${code(a.after ?? '(none)')}${a.forcesReplacement ? ' **forces replacement**' : ''}`,
      ),
    ];
    const icon = r.blocker !== undefined ? '⛔ ' : r.action === 'destroy' || r.action === 'replace' ? '⚠️ ' : '';
    out.push(`| ${icon}${ACTION_LABEL[r.action]} | ${code(r.address)} | ${cell(details.join('<br>'))} |`);
  }
  if (stack.otherChanges.length > 0) out.push('', `Other configuration changed: ${stack.otherChanges.map(code).join(', ')}`);
  return out;
}

/** Options of {@link renderReportMarkdown}. */
export interface MarkdownOptions {
  /**
   * Longest output in characters; past it the per-resource lists are left out (GitHub comments hold
   * 65 536 characters). Default 60 000.
   */
  maxLength?: number;
  /** Sentence added under the title, e.g. a link to the CI run with the full report. Default: none. */
  footer?: string;
}

function markdownWarnings(report: Report): string[] {
  if (report.warnings.length === 0) return ['### ✅ No warnings'];
  return [
    `### ⚠️ WARNINGS (${report.warnings.length})`,
    '',
    ...report.warnings.map((w) => `- ⚠️ **${WARNING_LABEL[w.kind]}** — ${html(w.message)}`),
  ];
}

function markdownPlacements(report: Report): string[] {
  if (report.placements.length === 0) return ['No placement information (`placement.json` missing).'];
  const out = ['| Client | Cloud | Change | Sensitivity | Monthly | Δ vs base | Reason |', '| --- | --- | --- | --- | ---: | ---: | --- |'];
  for (const p of report.placements) {
    const sensitivity = p.sensitivity === 'sensitive' ? '🔒 sensitive' : p.sensitivity;
    const change = p.change === 'moved' || p.change === 'removed' ? `⚠️ ${changeText(p)}` : changeText(p);
    out.push(
      `| ${cell(p.client)} | ${cell(p.cloud)} | ${cell(change)} | ${sensitivity} | ${amount(p.monthly)} | ${deltaText(p.delta)} | ${cell(p.reason)} |`,
    );
  }
  return out;
}

function markdownStacks(report: Report, withResources: boolean): string[] {
  if (report.stacks.length === 0) return ['No stacks.'];
  const out = [
    '| Stack | Status | Create | Update | Replace | Destroy | No-op | Source |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const s of report.stacks) {
    const status = s.status === 'removed' ? '⚠️ removed (orphaned)' : statusText(s);
    out.push(
      `| ${code(s.stack)} | ${status} | ${countCell(s, s.counts.create)} | ${s.source === 'none' ? '—' : updateCell(s).replace('*', '\\*')} | ${s.source === 'none' ? '—' : replaceCell(s)} | ${countCell(s, s.counts.destroy)} | ${countCell(s, s.counts.noop)} | ${sourceText(s)} |`,
    );
  }
  if (report.stacks.some((s) => s.source === 'synth')) {
    out.push('', '\\* synth diff: configuration changed; whether in place or by replacement only a plan tells (`?`).');
  }
  if (withResources) {
    for (const s of report.stacks.filter(hasChanges)) {
      out.push('', `<details><summary>${html(s.stack)} — ${html(countsSummary(s.counts))} (${html(sourceText(s))})</summary>`, '');
      out.push(...markdownResources(s), '', '</details>');
    }
  } else if (report.stacks.some(hasChanges)) {
    out.push('', '_Resource lists left out to fit in a comment: see the full report in the CI artifacts._');
  }
  return out;
}

/** Every suppressed guardrail of every stack; suppressions are listed even when resource lists are left out. */
function markdownSuppressions(report: Report): string[] {
  const rows = report.stacks.flatMap((s) => s.suppressions.map((x) => ({ stack: s.stack, ...x })));
  if (rows.length === 0) return [];
  const out = ['', `### Guardrail suppressions (${rows.length})`, '', '| Stack | Rule | Element | Reason |', '| --- | --- | --- | --- |'];
  for (const r of rows) out.push(`| ${code(r.stack)} | ${code(r.rule)} | ${code(r.path)} | ${cell(html(r.reason))} |`);
  return out;
}

function markdownCosts(report: Report): string[] {
  if (report.costs.length === 0) return [];
  const out = ['', '### Estimated monthly cost', ''];
  if (report.base !== undefined) {
    out.push('| Currency | Base | Head | Δ |', '| --- | ---: | ---: | ---: |');
    for (const c of report.costs)
      out.push(`| ${c.currency} | ${(c.baseMonthly ?? 0).toFixed(2)} | ${c.monthly.toFixed(2)} | ${signed(c.delta ?? 0)} |`);
  } else {
    out.push('| Currency | Total |', '| --- | ---: |');
    for (const c of report.costs) out.push(`| ${c.currency} | ${c.monthly.toFixed(2)} |`);
  }
  out.push('', "Estimates from the clouds' unit prices; items a cloud does not price are left out.");
  return out;
}

function markdown(report: Report, withResources: boolean, footer: string | undefined): string {
  const against = report.base !== undefined ? ` compared with base ${code(report.base)}` : ' (no base: no comparison)';
  const out: string[] = [
    REPORT_MARKER,
    '## sovstack plan report',
    '',
    `Head ${code(report.head)}${against} · sovstack ${report.toolkitVersion}`,
    '',
  ];
  out.push(...markdownWarnings(report), '', '### Placement', '', ...markdownPlacements(report));
  out.push('', '### Stacks', '', ...markdownStacks(report, withResources));
  out.push(...markdownSuppressions(report), ...markdownCosts(report));
  if (footer) out.push('', footer);
  return `${out.join('\n')}\n`;
}

/**
 * Markdown for a pull-request comment: a marker line ({@link REPORT_MARKER}), WARNINGS first, the
 * placement table, a stack table and one folded `<details>` resource list per changed stack, and
 * the monthly cost totals. Values are already redacted in the report.
 *
 * @example writeFileSync('report.md', renderReportMarkdown(buildReport({ head: 'cdktf.out', base: 'base.out' })))
 */
export function renderReportMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const full = markdown(report, true, options.footer);
  if (full.length <= (options.maxLength ?? 60_000)) return full;
  return markdown(report, false, options.footer);
}

// ---------------------------------------------------------------- Text

/** Left-aligned columns separated by two spaces; `right` lists columns aligned right. */
function alignTable(rows: string[][], right: ReadonlySet<number> = new Set()): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  return rows.map((row) =>
    row
      .map((c, i) => {
        const pad = ' '.repeat((widths[i] ?? 0) - [...c].length);
        if (right.has(i)) return pad + c;
        return i === row.length - 1 ? c : c + pad;
      })
      .join('  ')
      .trimEnd(),
  );
}

function textWarnings(report: Report): string[] {
  if (report.warnings.length === 0) return ['No warnings.'];
  const rows = report.warnings.map((w) => [`!! ${WARNING_LABEL[w.kind]}`, w.message]);
  return [`!! WARNINGS (${report.warnings.length})`, ...alignTable(rows).map((l) => `  ${l}`)];
}

function textPlacements(report: Report): string[] {
  if (report.placements.length === 0) return ['No placement information (placement.json missing).'];
  const rows = [['CLIENT', 'CLOUD', 'CHANGE', 'SENSITIVITY', 'MONTHLY', 'DELTA', 'REASON']];
  for (const p of report.placements)
    rows.push([p.client, p.cloud, changeText(p), p.sensitivity, amount(p.monthly), deltaText(p.delta), p.reason]);
  return alignTable(rows, new Set([4, 5]));
}

function textStacks(report: Report): string[] {
  if (report.stacks.length === 0) return ['No stacks.'];
  const rows = [['STACK', 'STATUS', 'CREATE', 'UPDATE', 'REPLACE', 'DESTROY', 'NO-OP', 'SOURCE']];
  for (const s of report.stacks) {
    rows.push([
      s.stack,
      s.status === 'removed' ? 'removed (orphaned)' : statusText(s),
      countCell(s, s.counts.create),
      s.source === 'none' ? '—' : updateCell(s),
      s.source === 'none' ? '—' : replaceCell(s),
      countCell(s, s.counts.destroy),
      countCell(s, s.counts.noop),
      sourceText(s),
    ]);
  }
  const out = alignTable(rows, new Set([2, 3, 4, 5, 6]));
  if (report.stacks.some((s) => s.source === 'synth')) {
    out.push('* synth diff: configuration changed; whether in place or by replacement only a plan tells (?).');
  }
  return out;
}

function textChanges(report: Report): string[] {
  const changed = report.stacks.filter(hasChanges);
  if (changed.length === 0) return [];
  const out = ['', 'CHANGES'];
  for (const s of changed) {
    out.push(`${s.stack}: ${countsSummary(s.counts)} (${sourceText(s)})`);
    const rows = s.resources.map((r) => [
      ACTION_LABEL[r.action],
      r.address,
      [r.previousAddress ? `moved from ${r.previousAddress}` : '', r.reason ?? ''].filter(Boolean).join('; '),
    ]);
    const lines = alignTable(rows);
    s.resources.forEach((r, i) => {
      out.push(`  ${lines[i] ?? ''}`);
      for (const a of r.attributes) out.push(`      ${attributeText(a)}`);
    });
    if (s.otherChanges.length > 0) out.push(`  other configuration changed: ${s.otherChanges.join(', ')}`);
  }
  return out;
}

function textSuppressions(report: Report): string[] {
  const rows = report.stacks.flatMap((s) => s.suppressions.map((x) => [s.stack, x.rule, x.path, x.reason]));
  if (rows.length === 0) return [];
  return ['', `GUARDRAIL SUPPRESSIONS (${rows.length})`, ...alignTable([['STACK', 'RULE', 'ELEMENT', 'REASON'], ...rows])];
}

function textCosts(report: Report): string[] {
  if (report.costs.length === 0) return [];
  const withBase = report.base !== undefined;
  const rows = withBase ? [['CURRENCY', 'BASE', 'HEAD', 'DELTA']] : [['CURRENCY', 'TOTAL']];
  for (const c of report.costs) {
    rows.push(
      withBase
        ? [c.currency, (c.baseMonthly ?? 0).toFixed(2), c.monthly.toFixed(2), signed(c.delta ?? 0)]
        : [c.currency, c.monthly.toFixed(2)],
    );
  }
  return ['', 'ESTIMATED MONTHLY COST', ...alignTable(rows, new Set([1, 2, 3]))];
}

/**
 * Plain text for a terminal: no HTML, no Markdown, aligned columns; WARNINGS first, guardrail
 * suppressions after the changes.
 *
 * @example process.stdout.write(renderReportText(report))
 */
export function renderReportText(report: Report): string {
  const against = report.base !== undefined ? ` compared with base ${report.base}` : ' (no base: no comparison)';
  const out: string[] = ['SOVSTACK PLAN REPORT', `head ${report.head}${against}, sovstack ${report.toolkitVersion}`, ''];
  out.push(...textWarnings(report), '', 'PLACEMENT', ...textPlacements(report), '', 'STACKS', ...textStacks(report));
  out.push(...textChanges(report), ...textSuppressions(report), ...textCosts(report));
  return `${out.join('\n')}\n`;
}
