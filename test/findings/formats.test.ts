/**
 * The machine-readable formats: SARIF validated against the official SARIF 2.1.0 JSON schema,
 * JUnit XML well-formed and faithful (counts, failures, escaping), JSON round-tripping the findings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import {
  configErrorFindings,
  placementFailureFindings,
  renderJson,
  renderJunit,
  renderSarif,
  schemaIssueFindings,
  type FindingsReport,
} from '../../app/findings/index.js';
import type { Finding } from '../../core/findings.js';
import { repoRoot } from '../support/tools.js';

const sarifSchema = JSON.parse(readFileSync(join(repoRoot, 'schema', 'sarif-2.1.0.schema.json'), 'utf8')) as object;
// The published schema writes one pattern that is not valid under the `u` flag, hence `unicodeRegExp: false`.
const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
ajvFormats.default(ajv);
const validateSarif = ajv.compile(sarifSchema);

const configFindings = configErrorFindings([
  {
    file: 'config/clients/a.yaml',
    path: ['service', 'network', 'cidr'],
    line: 11,
    column: 5,
    kind: 'cidr',
    message: 'prefix /33',
    fix: 'use /0-/32',
  },
  { file: 'config/clients/dir with space.yaml', path: [], kind: 'file', message: 'is a folder, not a file' },
]);
const stackFindings = schemaIssueFindings([
  {
    stack: 'a-sovereign-fr1',
    address: 'openstack_compute_instance_v2.web-1',
    attribute: 'sise',
    severity: 'error',
    code: 'unknown-attribute',
    message: 'no attribute "sise"',
  },
]);
const warning: Finding = {
  rule: 'placement/warning',
  level: 'warning',
  message: 'b: cloud x reaches end of life <2027-01-01> & "soon"',
  file: 'config/clients/b.yaml',
};
const unlocated: Finding = { rule: 'synth/synth', level: 'error', message: 'lock held' };
const all: Finding[] = [...configFindings, ...stackFindings, warning, unlocated];
const report: FindingsReport = {
  command: 'check',
  subjects: ['config/clients/a.yaml', 'config/clients/b.yaml', 'config/clients/c.yaml', 'a-sovereign-fr1'],
  findings: all,
  outdir: 'out',
};

describe('converters', () => {
  it('carry file, line, column, config path and the fix of a config error', () => {
    expect(configFindings[0]).toEqual({
      rule: 'config/cidr',
      level: 'error',
      message: 'prefix /33; fix: use /0-/32',
      file: 'config/clients/a.yaml',
      line: 11,
      column: 5,
      configPath: 'service.network.cidr',
    });
  });

  it('put a schema issue at its stack and JSON path, a placement failure in the client file', () => {
    expect(stackFindings[0]).toMatchObject({
      stack: 'a-sovereign-fr1',
      jsonPath: 'resource.openstack_compute_instance_v2.web-1.sise',
      rule: 'schema/unknown-attribute',
    });
    const failure = placementFailureFindings(
      [{ client: 'c', kind: 'no-eligible-cloud', message: 'no cloud passes data-location', evaluations: [] }],
      'config',
    );
    expect(failure).toEqual([
      {
        rule: 'placement/no-eligible-cloud',
        level: 'error',
        message: 'c: no cloud passes data-location',
        file: 'config/clients/c.yaml',
        configPath: 'policy',
      },
    ]);
  });
});

describe('SARIF', () => {
  const log = JSON.parse(renderSarif(report)) as {
    runs: {
      tool: { driver: { rules: { id: string }[] } };
      results: { ruleId: string; ruleIndex: number; level: string; locations?: unknown[] }[];
    }[];
  };

  it('is valid against the SARIF 2.1.0 schema', () => {
    const valid = validateSarif(log);
    expect(validateSarif.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check is not vacuous: a result without message is rejected', () => {
    const broken = structuredClone(log) as { runs: { results: Record<string, unknown>[] }[] };
    delete broken.runs[0].results[0].message;
    expect(validateSarif(broken)).toBe(false);
  });

  it('lists every rule once and points each result at its rule, level and location', () => {
    const run = log.runs[0];
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual([
      'config/cidr',
      'config/file',
      'placement/warning',
      'schema/unknown-attribute',
      'synth/synth',
    ]);
    expect(run.results.map((r) => [r.ruleId, run.tool.driver.rules[r.ruleIndex].id, r.level])).toEqual([
      ['config/cidr', 'config/cidr', 'error'],
      ['config/file', 'config/file', 'error'],
      ['schema/unknown-attribute', 'schema/unknown-attribute', 'error'],
      ['placement/warning', 'placement/warning', 'warning'],
      ['synth/synth', 'synth/synth', 'error'],
    ]);
    expect(run.results[0].locations).toEqual([
      {
        physicalLocation: { artifactLocation: { uri: 'config/clients/a.yaml' }, region: { startLine: 11, startColumn: 5 } },
        logicalLocations: [{ fullyQualifiedName: 'service.network.cidr', kind: 'member' }],
      },
    ]);
    expect(run.results[1].locations).toEqual([
      { physicalLocation: { artifactLocation: { uri: 'config/clients/dir%20with%20space.yaml' } } },
    ]);
    expect(run.results[2].locations).toEqual([
      {
        physicalLocation: { artifactLocation: { uri: 'out/stacks/a-sovereign-fr1/cdk.tf.json' } },
        logicalLocations: [{ fullyQualifiedName: 'resource.openstack_compute_instance_v2.web-1.sise', kind: 'member' }],
      },
    ]);
    expect(run.results[4].locations).toBeUndefined();
  });
});

describe('JUnit XML', () => {
  const xml = renderJunit(report);

  it('is well-formed XML', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
  });

  it('has one suite for the command, a case per subject, failures for errors only, text escaped', () => {
    const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testcase' }).parse(xml) as {
      testsuites: { testsuite: { '@_name': string; '@_tests': string; '@_failures': string; testcase: Record<string, unknown>[] } };
    };
    const suite = parsed.testsuites.testsuite;
    expect(suite['@_name']).toBe('sovstack check');
    const cases = suite.testcase.map((c) => [c['@_name'], 'failure' in c, 'system-out' in c]);
    expect(cases).toEqual([
      ['config/clients/a.yaml', true, false],
      ['config/clients/b.yaml', false, true],
      ['config/clients/c.yaml', false, false],
      ['a-sovereign-fr1', true, false],
      ['config/clients/dir with space.yaml', true, false],
      ['(run)', true, false],
    ]);
    expect([suite['@_tests'], suite['@_failures']]).toEqual(['6', '4']);
    expect(suite.testcase[1]['system-out']).toBe('warning: [placement/warning]: b: cloud x reaches end of life <2027-01-01> & "soon"');
    expect(xml).toContain('&lt;2027-01-01&gt; &amp; &quot;soon&quot;');
  });
});

describe('JSON', () => {
  it('round-trips the findings with a summary; warnings alone leave it ok', () => {
    const doc = JSON.parse(renderJson(report)) as { ok: boolean; summary: object; findings: Finding[] };
    expect(doc.findings).toEqual(all);
    expect(doc.summary).toEqual({ errors: 4, warnings: 1, notes: 0 });
    expect(doc.ok).toBe(false);
    expect((JSON.parse(renderJson({ command: 'synth', subjects: [], findings: [warning] })) as { ok: boolean }).ok).toBe(true);
  });
});
