/**
 * The report redacts whatever the secret detector flags, wherever it is (plan before/after, synth
 * diffs, tags, metadata keys and values, user_data, descriptions, connection strings, client names,
 * suppression reasons), in every rendering and in sanitized plans; and it lists every guardrail
 * suppression of every stack.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  REDACTED,
  buildReport,
  redactPair,
  renderReportMarkdown,
  renderReportText,
  sanitizePlan,
  type PlanJson,
  type Report,
} from '../../app/report/index.js';
import { SOVEREIGN, writeSynthOutput } from './synth-fixtures.js';

/** Secrets planted below; none may appear in any output. */
const PLANTED = [
  'Pg-Pass-7731',
  'pw-in-url-42',
  'Os-Pass-9k2',
  'Cloud-Init-Pass-5',
  'Key-Name-Pass-3',
  'AKIAJ7Q2LM4N5P6R7S8T',
  'Reason-Pass-8',
];

const renderings = (r: Report): string[] => [renderReportMarkdown(r), renderReportText(r), JSON.stringify(r)];

function instance(tagSecret: string, urlSecret: string): Record<string, unknown> {
  return {
    name: 'web-1',
    tags: ['tier-web', `PGPASSWORD=${tagSecret}`],
    metadata: { backup: `postgres://u:${urlSecret}@db.internal/state`, owner: 'dsj' },
    user_data: `#cloud-config\npassword: Cloud-Init-Pass-5\n`,
  };
}

function synthPair(): { head: string; base: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sovstack-report-redaction-'));
  const estate = (tag: string, url: string, description: string) => ({
    clouds: [SOVEREIGN],
    clients: [
      {
        id: 'justice-casier',
        name: 'Justice (OS_PASSWORD=Os-Pass-9k2)',
        cloud: 'sovereign-fr1',
        resources: {
          openstack_compute_instance_v2: { web: instance(tag, url) },
          openstack_networking_secgroup_v2: { app: { name: 'app', description } },
        },
      },
    ],
  });
  writeSynthOutput(join(dir, 'base'), estate('Pg-Pass-0000', 'pw-in-url-00', 'app tier'));
  writeSynthOutput(join(dir, 'head'), estate('Pg-Pass-7731', 'pw-in-url-42', 'app tier, OS_PASSWORD=Os-Pass-9k2'));
  return { head: join(dir, 'head'), base: join(dir, 'base') };
}

describe('the report redacts what the detector flags', () => {
  test('tags, connection strings, descriptions, user_data and client names in a synth diff', () => {
    const { head, base } = synthPair();
    const r = buildReport({ head, base });
    for (const out of renderings(r)) for (const secret of [...PLANTED, 'Pg-Pass-0000', 'pw-in-url-00']) expect(out).not.toContain(secret);
    const web = r.stacks[0]?.resources.find((x) => x.address.endsWith('.web'));
    expect(web?.attributes).toEqual([
      { path: 'metadata', before: `{"backup":"${REDACTED}","owner":"dsj"}`, after: `{"backup":"(redacted, changed)","owner":"dsj"}` },
      { path: 'tags', before: `["tier-web","${REDACTED}"]`, after: `["tier-web","(redacted, changed)"]` },
    ]);
    const group = r.stacks[0]?.resources.find((x) => x.address.includes('secgroup'));
    // Both sides of a pair are redacted together, as for a secret-named key.
    expect(group?.attributes).toEqual([{ path: 'description', before: `"${REDACTED}"`, after: '"(redacted, changed)"' }]);
    expect(r.placements[0]?.clientName).toBe(REDACTED);
  });

  test('plan values without a sensitive mark, and metadata keys that are secrets, in the report and the sanitized plan', () => {
    const plan: PlanJson = {
      format_version: '1.2',
      resource_changes: [
        {
          address: 'openstack_compute_instance_v2.web',
          type: 'openstack_compute_instance_v2',
          name: 'web',
          change: {
            actions: ['update'],
            before: { tags: ['PGPASSWORD=Pg-Pass-0000'], metadata: { owner: 'dsj' } },
            after: {
              tags: ['PGPASSWORD=Pg-Pass-7731'],
              metadata: { owner: 'dsj', 'OS_PASSWORD=Key-Name-Pass-3': 'x', aws: 'AKIAJ7Q2LM4N5P6R7S8T' },
            },
            before_sensitive: {},
            after_sensitive: {},
          },
        },
      ],
    };
    const clean = JSON.stringify(sanitizePlan(plan));
    for (const secret of [...PLANTED, 'Pg-Pass-0000']) expect(clean).not.toContain(secret);
    expect(redactPair(plan.resource_changes?.[0]?.change.before, plan.resource_changes?.[0]?.change.after)[1]).toEqual({
      tags: ['(redacted, changed)'],
      metadata: { owner: 'dsj', [`${REDACTED} 2`]: REDACTED, aws: REDACTED },
    });
  });

  test('a connection string in free text is redacted whole, an ordinary one is kept', () => {
    expect(redactPair({ conn: 'postgres://u:pw-in-url-42@db/state' }, undefined)[0]).toEqual({ conn: REDACTED });
    expect(redactPair({ conn: 'postgres://u@db/state', note: 'password_length = 16' }, undefined)[0]).toEqual({
      conn: 'postgres://u@db/state',
      note: 'password_length = 16',
    });
  });
});

describe('guardrail suppressions in the report', () => {
  test('every suppression of every stack is listed in Markdown, text and JSON, reasons redacted when they hold a secret', () => {
    const { head } = synthPair();
    const file = join(head, 'stacks', 'justice-casier-sovereign-fr1', 'cdk.tf.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;
    json['//'] = {
      ...json['//'],
      sovstack: {
        guardrails: {
          suppressed: [
            {
              rule: 'no-world-open-ingress',
              path: 'justice-casier-sovereign-fr1/service/security-groups/web/rule-0',
              message: 'ingress tcp 22 is open to 0.0.0.0/0',
              reason: 'bastion reachable during the migration window',
              suppressedAt: 'justice-casier-sovereign-fr1/service/security-groups/web',
            },
            {
              rule: 'flavor-allowed',
              path: 'justice-casier-sovereign-fr1/service/servers/db',
              reason: 'vendor approved, PGPASSWORD=Reason-Pass-8',
            },
          ],
        },
      },
    };
    writeFileSync(file, JSON.stringify(json));
    const r = buildReport({ head });
    expect(r.stacks[0]?.suppressions).toEqual([
      { rule: 'flavor-allowed', path: 'justice-casier-sovereign-fr1/service/servers/db', reason: REDACTED },
      {
        rule: 'no-world-open-ingress',
        path: 'justice-casier-sovereign-fr1/service/security-groups/web/rule-0',
        reason: 'bastion reachable during the migration window',
        suppressedAt: 'justice-casier-sovereign-fr1/service/security-groups/web',
        message: 'ingress tcp 22 is open to 0.0.0.0/0',
      },
    ]);
    const [md, text, asJson] = renderings(r);
    expect(md).toContain('### Guardrail suppressions (2)');
    expect(md).toContain(
      '| `justice-casier-sovereign-fr1` | `no-world-open-ingress` | `justice-casier-sovereign-fr1/service/security-groups/web/rule-0` | bastion reachable during the migration window |',
    );
    expect(text).toMatch(/^GUARDRAIL SUPPRESSIONS \(2\)$/m);
    expect(text).toMatch(
      /^justice-casier-sovereign-fr1\s+flavor-allowed\s+justice-casier-sovereign-fr1\/service\/servers\/db\s+\(redacted\)$/m,
    );
    expect(asJson).toContain('"suppressions":[{"rule":"flavor-allowed"');
    for (const out of [md, text, asJson]) expect(out).not.toContain('Reason-Pass-8');
  });

  test('a stack without suppressions lists none and the renderings have no suppression section', () => {
    const { head } = synthPair();
    const r = buildReport({ head });
    expect(r.stacks.map((s) => s.suppressions)).toEqual([[]]);
    expect(renderReportMarkdown(r)).not.toContain('Guardrail suppressions');
    expect(renderReportText(r)).not.toContain('GUARDRAIL SUPPRESSIONS');
  });
});
