/**
 * The `json` format: the findings as they are, with a summary, for scripts.
 */
import { toolkitVersion } from '../../core/package-info.js';
import { countLevels, type FindingsReport } from './report.js';

/**
 * Renders `report` as one JSON document: `{ tool, version, command, ok, summary, subjects, findings }`,
 * where `ok` is false when any finding is an error.
 *
 * @example JSON.parse(renderJson({ command: 'validate', subjects: [], findings: [] })).ok // true
 */
export function renderJson(report: FindingsReport): string {
  const summary = countLevels(report.findings);
  const document = {
    tool: 'sovstack',
    version: toolkitVersion,
    command: report.command,
    ok: summary.errors === 0,
    summary,
    subjects: report.subjects,
    findings: report.findings,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
