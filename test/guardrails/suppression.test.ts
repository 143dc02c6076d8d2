import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { evaluateGuardrails, guardrailReport, suppressGuardrail } from '../../core/guardrails/index.js';
import { clientWithRules, guardedStack } from './helpers.js';

const STACK = 'min-interieur-sovereign-fr1';
const sshOpen = () => guardedStack({ client: clientWithRules([{ protocol: 'tcp', ports: 22, cidr: '0.0.0.0/0' }]) });
const REASON = 'bastion behind the ministry VPN concentrator, ticket SEC-42';

describe('guardrail suppressions', () => {
  it('requires a non-empty reason and a known rule', () => {
    const stack = sshOpen();
    expect(() => suppressGuardrail(stack, 'no-world-open-ingress', '')).toThrow(
      `suppressing guardrail no-world-open-ingress on ${STACK} needs a non-empty reason`,
    );
    expect(() => suppressGuardrail(stack, 'no-world-open-ingress', '   ')).toThrow('needs a non-empty reason');
    expect(() => suppressGuardrail(stack, 'no-world-open-ingres', REASON)).toThrow(
      'cannot suppress unknown guardrail no-world-open-ingres',
    );
  });

  it('turns a violation off for the construct and its descendants and records it in the output', () => {
    const stack = sshOpen();
    suppressGuardrail(stack.service.securityGroups.node.findChild('web'), 'no-world-open-ingress', REASON);
    const outdir = Testing.fullSynth(stack);
    const json = JSON.parse(readFileSync(join(outdir, 'stacks', STACK, 'cdk.tf.json'), 'utf8'));
    expect(json['//'].sovstack.guardrails.suppressed).toEqual([
      {
        rule: 'no-world-open-ingress',
        path: `${STACK}/service/security-groups/web/rule-2`,
        message: expect.stringContaining('ingress tcp 22 is open to 0.0.0.0/0'),
        reason: REASON,
        suppressedAt: `${STACK}/service/security-groups/web`,
      },
    ]);
    const manifest = readFileSync(join(outdir, 'manifest.json'), 'utf8');
    expect(manifest).toContain(`[guardrail no-world-open-ingress suppressed at ${STACK}/service/security-groups/web: ${REASON}]`);
  });

  it('does not suppress other rules or sibling constructs', () => {
    const stack = sshOpen();
    suppressGuardrail(stack.service.securityGroups, 'no-secrets-in-attributes', REASON);
    suppressGuardrail(stack.service.network, 'no-world-open-ingress', REASON);
    const report = guardrailReport(stack)!;
    expect(report.suppressed).toEqual([]);
    expect(report.violations.map((v) => `${v.rule} ${v.path}`)).toEqual([
      `no-world-open-ingress ${STACK}/service/security-groups/web/rule-2`,
    ]);
  });

  it('fails app.synth() with the formatted violation', () => {
    const stack = sshOpen();
    const app = stack.node.root as ReturnType<typeof Testing.app>;
    expect(() => app.synth()).toThrow(`[guardrail no-world-open-ingress] ${STACK}/service/security-groups/web/rule-2:`);
  });

  it('evaluates a stack without registration', () => {
    expect(evaluateGuardrails(sshOpen()).violations).toHaveLength(1);
    expect(evaluateGuardrails(guardedStack()).violations).toEqual([]);
  });
});
