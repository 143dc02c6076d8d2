/**
 * The PR report shows what the placement engine warned about (issue 16): a cloud near its end of life, an
 * exclusion that excludes nothing; and a placement failure names the client's file.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildReport, renderReportMarkdown, renderReportText } from '../../app/report/index.js';
import { SOVEREIGN, service, writeSynthOutput } from './synth-fixtures.js';

const NEAR = 'sovereign-fr1 reaches its end of life on 2027-03-01, in 90 days (warning horizon 180 days): plan the move';

describe('placement warnings in the report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sovstack-report-placement-'));
  writeSynthOutput(join(dir, 'out'), {
    clouds: [SOVEREIGN],
    clients: [{ id: 'x', cloud: 'sovereign-fr1', warnings: [NEAR], resources: service('x') }],
    failures: [{ client: 'y', kind: 'unknown-pin', file: 'config/clients/y.yaml', message: 'y is pinned to z', evaluations: [] }],
  });
  const report = buildReport({ head: join(dir, 'out') });

  test('each placement warning is a report warning naming the client', () => {
    expect(report.warnings.filter((w) => w.kind === 'placement-warning')).toEqual([
      { kind: 'placement-warning', client: 'x', message: `x: ${NEAR}` },
    ]);
    expect(renderReportMarkdown(report)).toContain(`- ⚠️ **PLACEMENT WARNING** — x: ${NEAR}`);
    expect(renderReportText(report)).toContain(`!! PLACEMENT WARNING  x: ${NEAR}`);
  });

  test('a placement failure names the client file', () => {
    expect(report.warnings.find((w) => w.kind === 'placement-failure')?.message).toBe(
      'client y could not be placed (unknown-pin): config/clients/y.yaml: y is pinned to z',
    );
  });
});
