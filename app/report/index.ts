/**
 * Public API of plan reports: what a change does to every stack, readable in a pull request.
 *
 * @example
 * import { buildReport, renderReportMarkdown } from './report/index.js';
 * const md = renderReportMarkdown(buildReport({ head: 'cdktf.out', base: 'base.out', plans: { 'x-sovereign-fr1': 'plans/x-sovereign-fr1.plan.json' } }));
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { failed, ok, type CommandResult } from '../command.js';
import { buildReport } from './build.js';
import { readPlan, sanitizePlan } from './plan.js';
import { renderReportMarkdown, renderReportText } from './render.js';

export { buildReport, type BuildReportOptions } from './build.js';
export { suppressionsOf } from './suppressions.js';
export { markDataLoss, planDataLoss } from './data-loss.js';
export { REPORT_MARKER, countsSummary, renderReportMarkdown, renderReportText, type MarkdownOptions } from './render.js';
export {
  classifyActions,
  parsePlan,
  planAttributeChanges,
  readPlan,
  sanitizePlan,
  summarizePlan,
  type PlanJson,
  type PlanResourceChange,
} from './plan.js';
export { REDACTED, REDACTED_CHANGED, redactPair, redactText, redactValue } from './redact.js';
export type * from './types.js';
export type { CommandResult } from '../command.js';

/** Suffix of plan files in a plans folder: `<stack>.plan.json`. */
export const PLAN_FILE_SUFFIX = '.plan.json';

/**
 * Plan files of a folder by stack name: every `<stack>.plan.json` directly inside it.
 *
 * @example plansFromDir('plans') // { 'sante-dossiers-sovereign-fr1': 'plans/sante-dossiers-sovereign-fr1.plan.json' }
 */
export function plansFromDir(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  const out: Record<string, string> = {};
  for (const file of readdirSync(dir).sort()) {
    if (file.endsWith(PLAN_FILE_SUFFIX)) out[file.slice(0, -PLAN_FILE_SUFFIX.length)] = join(dir, file);
  }
  return out;
}

/** Output formats of {@link runReportCommand}. */
export type ReportFormat = 'markdown' | 'text' | 'json';

/** Options of {@link runReportCommand} (`sovstack report`). */
export interface ReportCommandOptions {
  /** Head synth output folder. Default `cdktf.out`. */
  head?: string;
  /** Base synth output folder. Default: none. */
  base?: string;
  /** Plan JSON file per stack. Merged over `plansDir`. */
  plans?: Record<string, string>;
  /** Folder of `<stack>.plan.json` files (a missing folder means no plans). */
  plansDir?: string;
  /** What goes to stdout. Default `text`. */
  format?: ReportFormat;
  /** Folder where `report.md`, `report.txt` and `report.json` are all written. Default: none. */
  out?: string;
  /** Passed to the Markdown renderer (e.g. a link to the CI run). */
  footer?: string;
}

/**
 * `sovstack report`: builds the report and renders it. Exit code 0 whatever the warnings
 * (the report is for review, deploy gates are elsewhere), 1 on error with the message in `stderr`.
 *
 * @example runReportCommand({ head: 'cdktf.out', base: 'base.out', plansDir: 'plans', format: 'markdown' })
 */
export function runReportCommand(options: ReportCommandOptions = {}): CommandResult {
  try {
    const report = buildReport({
      head: options.head ?? 'cdktf.out',
      ...(options.base !== undefined ? { base: options.base } : {}),
      plans: { ...(options.plansDir !== undefined ? plansFromDir(options.plansDir) : {}), ...(options.plans ?? {}) },
    });
    const md = (): string => renderReportMarkdown(report, options.footer !== undefined ? { footer: options.footer } : {});
    const json = (): string => `${JSON.stringify(report, null, 2)}\n`;
    if (options.out !== undefined) {
      mkdirSync(options.out, { recursive: true });
      writeFileSync(join(options.out, 'report.md'), md());
      writeFileSync(join(options.out, 'report.txt'), renderReportText(report));
      writeFileSync(join(options.out, 'report.json'), json());
    }
    const format = options.format ?? 'text';
    return ok(format === 'markdown' ? md() : format === 'json' ? json() : renderReportText(report));
  } catch (error) {
    return failed(`sovstack report: ${(error as Error).message}\n`);
  }
}

/**
 * Sanitizes a `tofu show -json` file into `output` (see {@link sanitizePlan}): the only form of a
 * plan that should leave the plan job. Exit code 0, or 1 with the message in `stderr`.
 *
 * @example runSanitizePlanCommand({ input: 'raw.json', output: 'plans/x-sovereign-fr1.plan.json' })
 */
export function runSanitizePlanCommand(options: { input: string; output: string }): CommandResult {
  try {
    const plan = sanitizePlan(readPlan(options.input));
    writeFileSync(options.output, `${JSON.stringify(plan, null, 2)}\n`);
    const changes = plan.resource_changes?.length ?? 0;
    return ok(`${options.output}: ${changes} resource change(s), values redacted\n`);
  } catch (error) {
    return failed(`sovstack sanitize-plan: ${(error as Error).message}\n`);
  }
}
