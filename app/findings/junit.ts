/**
 * The `junit` format: JUnit XML as read by GitLab test reports (`artifacts:reports:junit`) and most
 * CI servers. One `<testsuite>` for the command, one `<testcase>` per file or stack it checked; a
 * subject with errors fails with one `<failure>` listing them, warnings and notes go to `<system-out>`.
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { Finding } from '../../core/findings.js';
import { subjectOf, type FindingsReport } from './report.js';

/** One line per finding: `[rule] line:column path: message`. */
function describe(finding: Finding): string {
  const where = [
    finding.line === undefined ? '' : `${finding.line}${finding.column === undefined ? '' : `:${finding.column}`}`,
    finding.configPath ?? finding.jsonPath ?? '',
  ]
    .filter((part) => part !== '')
    .join(' ');
  return `[${finding.rule}]${where === '' ? '' : ` ${where}`}: ${finding.message}`;
}

function testcase(command: string, subject: string, findings: readonly Finding[]): Record<string, unknown> {
  const errors = findings.filter((f) => f.level === 'error');
  const others = findings.filter((f) => f.level !== 'error');
  return {
    '@_name': subject,
    '@_classname': `sovstack.${command}`,
    ...(errors.length === 0
      ? {}
      : { failure: { '@_message': describe(errors[0]), '@_type': errors[0].rule, '#text': errors.map(describe).join('\n') } }),
    ...(others.length === 0 ? {} : { 'system-out': others.map((f) => `${f.level}: ${describe(f)}`).join('\n') }),
  };
}

/**
 * Renders `report` as a JUnit XML document. Subjects are the report's, in order, plus any subject a
 * finding names that the report did not list (e.g. `(run)` for a finding without file or stack).
 *
 * @example renderJunit({ command: 'validate', subjects: ['config/clients/a.yaml'], findings: [] })
 * // '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites …><testsuite name="sovstack validate" tests="1" failures="0" …'
 */
export function renderJunit(report: FindingsReport): string {
  const bySubject = new Map<string, Finding[]>(report.subjects.map((subject) => [subject, []]));
  for (const finding of report.findings) {
    const subject = subjectOf(finding);
    bySubject.set(subject, [...(bySubject.get(subject) ?? []), finding]);
  }
  const cases = [...bySubject].map(([subject, findings]) => testcase(report.command, subject, findings));
  const failures = cases.filter((c) => 'failure' in c).length;
  const suite = { '@_name': `sovstack ${report.command}`, '@_tests': cases.length, '@_failures': failures, '@_errors': 0, testcase: cases };
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: { '@_name': 'sovstack', '@_tests': cases.length, '@_failures': failures, '@_errors': 0, testsuite: suite },
  };
  return `${new XMLBuilder({ ignoreAttributes: false, format: true, suppressEmptyNode: true }).build(document)}`;
}
