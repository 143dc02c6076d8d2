/**
 * Agreement between the fast schema check and real `tofu validate -json` (OpenTofu 1.12.6, provider 3.4.0) on the
 * corpus in test/check/corpus/. Each corpus file is a minimal Terraform JSON stack; its top-level `"//"` comment
 * (ignored by OpenTofu) records the expectation: `{ valid: true }`, or the single issue (code, address, attribute)
 * the fast check must report. For every file both sides must agree on valid/invalid, and every tofu error must
 * point at the same block address and argument/block name as a fast-check issue, and vice versa.
 *
 * Where the two differ by design (documented in src/check/check-stack.ts and pinned in the last describe block):
 * - provider-side validation (ValidateFunc, ConflictsWith, RequiredWith, ExactlyOneOf…) is not in the schema JSON:
 *   tofu rejects, the fast check accepts. The corpus keeps every other argument valid for the provider so these
 *   never mix into a case.
 * - `${…}` expressions are accepted for any type by the fast check; tofu also checks references and folds
 *   constants (`"${true}"` for a number is rejected).
 * Differences that were resolved by matching tofu (both covered by VALID corpus files):
 * - provider configurations that no resource or data source uses are not validated by tofu, so not by the check;
 * - the provider SDK skips nested block lists holding unknown values, so a computed-only argument there is not
 *   reported by tofu validate, nor by the check.
 * - tofu stops after the first failing stage (HCL decoding before provider validation), so each corpus file
 *   carries exactly one error.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkStack } from '../../core/check/check-stack.js';
import type { SchemaIssue, SchemaIssueCode } from '../../core/check/check-stack.js';
import { loadProviderSchema, packageRoot } from '../../core/check/provider-schema.js';
import { leafName, tofuTargets, TofuValidator } from './tofu.js';
import type { TofuDiagnostic, TofuValidateResult } from './tofu.js';

interface Expectation {
  valid: boolean;
  code?: SchemaIssueCode;
  address?: string;
  attribute?: string;
}
interface CorpusCase {
  file: string;
  document: Record<string, unknown>;
  expect: Expectation;
}

const corpusDir = join(packageRoot(import.meta.url), 'test', 'check', 'corpus');
const corpus: CorpusCase[] = readdirSync(corpusDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => {
    const document = JSON.parse(readFileSync(join(corpusDir, file), 'utf8')) as Record<string, unknown>;
    const expectation = (document['//'] as { expect?: Expectation } | undefined)?.expect;
    if (expectation === undefined) throw new Error(`${file}: missing "//".expect`);
    return { file, document, expect: expectation };
  });

const ALL_CODES: SchemaIssueCode[] = [
  'unknown-resource-type',
  'unknown-data-source-type',
  'unknown-attribute',
  'missing-required',
  'wrong-type',
  'too-few-blocks',
  'too-many-blocks',
  'unknown-block',
  'computed-only',
];

/** The argument/block (or, for unknown types, the type) a fast-check issue points to. */
function issueName(issue: SchemaIssue): string {
  if (issue.attribute !== undefined) return leafName(issue.attribute);
  const steps = issue.address.split('.');
  return issue.address.startsWith('data.') ? steps[1] : steps[0];
}

function sameTarget(issue: SchemaIssue, diag: TofuDiagnostic): boolean {
  const { names, address } = tofuTargets(diag);
  return names.has(issueName(issue)) && (address === undefined || address === issue.address);
}

function describeDiag(d: TofuDiagnostic): string {
  return `${d.summary}: ${d.detail ?? ''} [${d.address ?? d.snippet?.context ?? ''}]`;
}

const schema = loadProviderSchema();
let tofu: TofuValidator;
const results = new Map<string, TofuValidateResult>();

beforeAll(async () => {
  tofu = await TofuValidator.create();
  const validated = await tofu.validateAll(corpus.map((c) => c.document));
  corpus.forEach((c, i) => results.set(c.file, validated[i]));
}, 300_000);

afterAll(() => tofu?.dispose());

describe('corpus shape', () => {
  it('has at least 24 invalid and 4 valid stacks, covering every issue code', () => {
    const invalid = corpus.filter((c) => !c.expect.valid);
    expect(invalid.length).toBeGreaterThanOrEqual(24);
    expect(corpus.length - invalid.length).toBeGreaterThanOrEqual(4);
    expect(new Set(invalid.map((c) => c.expect.code))).toEqual(new Set(ALL_CODES));
  });

  it('uses the OpenStack provider 3.4.0 from the OpenTofu registry in every stack', () => {
    for (const c of corpus) {
      expect(c.document.terraform, c.file).toEqual({
        required_providers: { openstack: { source: 'registry.opentofu.org/terraform-provider-openstack/openstack', version: '3.4.0' } },
      });
    }
  });
});

describe('fast check agrees with tofu validate', () => {
  for (const c of corpus) {
    it(c.file, () => {
      const tofuResult = results.get(c.file)!;
      const tofuErrors = tofuResult.diagnostics.filter((d) => d.severity === 'error');
      const issues = checkStack(c.document, schema);

      // Both sides against the recorded expectation, then against each other.
      expect(tofuResult.valid, `tofu on ${c.file}: ${tofuErrors.map(describeDiag).join('; ')}`).toBe(c.expect.valid);
      if (c.expect.valid) {
        expect(issues).toEqual([]);
        expect(tofuErrors).toEqual([]);
        return;
      }
      const expected: Partial<SchemaIssue> = {
        code: c.expect.code!,
        address: c.expect.address!,
        severity: 'error',
      };
      if (c.expect.attribute !== undefined) expected.attribute = c.expect.attribute;
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject(expected);
      expect(issues[0]?.attribute).toBe(c.expect.attribute);

      expect(tofuErrors.length).toBeGreaterThan(0);
      for (const diag of tofuErrors) {
        expect(
          issues.some((issue) => sameTarget(issue, diag)),
          `no fast-check issue points where tofu does: ${describeDiag(diag)}; fast check: ${JSON.stringify(issues)}`,
        ).toBe(true);
      }
      for (const issue of issues) {
        expect(
          tofuErrors.some((diag) => sameTarget(issue, diag)),
          `tofu reports nothing at ${issue.address} ${issue.attribute ?? ''}: ${tofuErrors.map(describeDiag).join('; ')}`,
        ).toBe(true);
      }
    });
  }
});

describe('documented differences: tofu rejects, the schema-only check cannot see it', () => {
  const base = {
    terraform: {
      required_providers: { openstack: { source: 'registry.opentofu.org/terraform-provider-openstack/openstack', version: '3.4.0' } },
    },
    provider: { openstack: [{}] },
  };
  const cases: { name: string; resource: Record<string, unknown> }[] = [
    {
      name: 'provider ValidateFunc: a security group rule direction outside ingress/egress',
      resource: {
        openstack_networking_secgroup_v2: { web: { name: 'web' } },
        openstack_networking_secgroup_rule_v2: {
          r: { direction: 'sideways', ethertype: 'IPv4', security_group_id: '${openstack_networking_secgroup_v2.web.id}' },
        },
      },
    },
    {
      name: 'provider RequiredWith: db instance size without volume_type',
      resource: {
        openstack_db_instance_v1: { db: { name: 'db', size: 10, flavor_id: 'f', datastore: [{ type: 'mysql', version: '8' }] } },
      },
    },
    {
      name: 'a constant expression of the wrong type',
      resource: { openstack_networking_network_v2: { n: { name: 'n', mtu: '${true}' } } },
    },
    {
      name: 'a reference to an undeclared resource',
      resource: {
        openstack_networking_subnet_v2: { s: { network_id: '${openstack_networking_network_v2.missing.id}', cidr: '10.0.0.0/24' } },
      },
    },
  ];
  for (const c of cases) {
    it(
      c.name,
      async () => {
        const document = { ...base, resource: c.resource };
        expect(checkStack(document, schema)).toEqual([]);
        const result = await tofu.validate(document);
        expect(result.valid).toBe(false);
      },
      60_000,
    );
  }
});
