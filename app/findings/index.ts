/**
 * Machine-readable findings of `validate`, `check` and `synth`: converters to the shared `Finding`
 * and one renderer per `--format`.
 */
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import type { FindingsFormat, FindingsReport } from './report.js';
import { renderSarif } from './sarif.js';

export { configErrorFindings, placementFailureFindings, placementWarningFindings, schemaIssueFindings } from './convert.js';
export { FINDINGS_FORMATS, countLevels, type FindingsFormat, type FindingsReport } from './report.js';
export { renderJson } from './json.js';
export { renderJunit } from './junit.js';
export { renderSarif, SARIF_SCHEMA_URI } from './sarif.js';

/**
 * Renders `report` in a machine-readable `format` (`json`, `sarif` or `junit`).
 *
 * @example process.stdout.write(renderFindings('sarif', { command: 'validate', subjects, findings }))
 */
export function renderFindings(format: Exclude<FindingsFormat, 'text'>, report: FindingsReport): string {
  if (format === 'json') return renderJson(report);
  if (format === 'sarif') return renderSarif(report);
  return renderJunit(report);
}
