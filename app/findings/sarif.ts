/**
 * The `sarif` format: SARIF 2.1.0, as read by GitHub code scanning (`github/codeql-action/upload-sarif`)
 * and other code-scanning tools. A config finding points at its file, line and column; a stack finding
 * at the stack's `cdk.tf.json` with the JSON path as a logical location.
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { toolkitVersion } from '../../core/package-info.js';
import type { Finding } from '../../core/findings.js';
import { ruleIds, stackFile, type FindingsReport } from './report.js';

/** Where the SARIF 2.1.0 JSON schema is published (the vendored copy is `schema/sarif-2.1.0.schema.json`). */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/** A file path as a SARIF artifact URI: relative paths stay relative (to the repository root), absolute ones become `file://` URIs. */
function artifactUri(path: string): string {
  if (isAbsolute(path)) return pathToFileURL(path).href;
  return path.split(/[\\/]/).map(encodeURIComponent).join('/');
}

/** What each family of rules checks, for the rule list of the SARIF driver. */
function describeRule(rule: string): string {
  const [family, name] = rule.includes('/') ? rule.split('/', 2) : ['', rule];
  if (family === 'config') return `sovstack configuration: ${name}`;
  if (family === 'placement') return `sovstack placement: ${name}`;
  if (family === 'schema') return `OpenStack provider schema: ${name}`;
  return `sovstack guardrail: ${rule}`;
}

function location(finding: Finding, outdir: string): Record<string, unknown> | undefined {
  const file = finding.file ?? (finding.stack === undefined ? undefined : stackFile(outdir, finding.stack));
  if (file === undefined) return undefined;
  const region =
    finding.line === undefined
      ? undefined
      : { startLine: finding.line, ...(finding.column === undefined ? {} : { startColumn: finding.column }) };
  const logical = finding.configPath ?? finding.jsonPath;
  return {
    physicalLocation: { artifactLocation: { uri: artifactUri(file) }, ...(region ? { region } : {}) },
    ...(logical === undefined ? {} : { logicalLocations: [{ fullyQualifiedName: logical, kind: 'member' }] }),
  };
}

/**
 * Renders `report` as a SARIF 2.1.0 log with one run: the driver lists every rule that has a finding,
 * each finding is a result with its rule, level (`error`, `warning`, `note`), message and location.
 *
 * @example JSON.parse(renderSarif({ command: 'check', subjects: [], findings })).runs[0].results
 */
export function renderSarif(report: FindingsReport): string {
  const outdir = report.outdir ?? 'cdktf.out';
  const rules = ruleIds(report.findings);
  const results = report.findings.map((finding) => {
    const where = location(finding, outdir);
    return {
      ruleId: finding.rule,
      ruleIndex: rules.indexOf(finding.rule),
      level: finding.level,
      message: { text: finding.message },
      ...(where ? { locations: [where] } : {}),
    };
  });
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'sovstack',
            version: toolkitVersion,
            rules: rules.map((id) => ({ id, shortDescription: { text: describeRule(id) } })),
          },
        },
        automationDetails: { id: `sovstack/${report.command}/` },
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
