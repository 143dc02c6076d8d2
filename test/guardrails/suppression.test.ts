import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import {
  checkSuppressionReason,
  GUARDRAIL_RULES,
  SUPPRESSION_METADATA,
  suppressGuardrail,
  type GuardrailRule,
} from '../../core/guardrails/index.js';
import { clientWithRules, guardedStack, jsonPathOf, reportOf, STACK, synthError, webRule } from './helpers.js';

const sshOpen = (rules?: GuardrailRule[]) =>
  guardedStack({ client: clientWithRules([{ protocol: 'tcp', ports: 22, cidr: '0.0.0.0/0' }]), ...(rules ? { rules } : {}) });
const REASON = 'bastion behind the ministry VPN concentrator, ticket SEC-42';

describe('suppression reasons', () => {
  it.each(['', '   ', '.', 'xxxxxxxxxxxxxxxxxxxxxx', 'ok ok ok ok ok ok ok ok', 'aa bb cc dd ee ff gg hh', 'because'])(
    'refuses %j',
    (reason) => {
      expect(checkSuppressionReason(reason)).toBeDefined();
      expect(() => suppressGuardrail(sshOpen(), 'no-world-open-ingress', reason)).toThrow(
        `cannot suppress guardrail no-world-open-ingress on ${STACK}: the reason`,
      );
    },
  );

  it('accepts real words, and refuses a reason holding a credential', () => {
    expect(checkSuppressionReason(REASON)).toBeUndefined();
    expect(checkSuppressionReason('accepted by the CISO, dsn postgres://a:hunter2@db/x')).toContain('never put credentials');
  });
});

describe('suppressions are accountable', () => {
  it('turns a violation off for the construct and its descendants and records it, with the JSON path, in the output', () => {
    const stack = sshOpen();
    suppressGuardrail(stack.service.securityGroups.node.findChild('web'), 'no-world-open-ingress', REASON);
    const jsonPath = `${jsonPathOf(webRule(stack, 2))}.remote_ip_prefix`;
    const outdir = Testing.fullSynth(stack);
    const json = JSON.parse(readFileSync(join(outdir, 'stacks', STACK, 'cdk.tf.json'), 'utf8'));
    expect(json['//'].sovstack.guardrails.suppressed).toEqual([
      { rule: 'no-world-open-ingress', reason: REASON, at: `${STACK}/service/security-groups/web`, jsonPaths: [jsonPath] },
    ]);
  });

  it('does not suppress other rules or sibling constructs', () => {
    const stack = sshOpen();
    suppressGuardrail(stack.service.securityGroups, 'no-secrets-in-attributes', REASON);
    suppressGuardrail(stack.service.network, 'no-world-open-ingress', REASON);
    const report = reportOf(stack);
    expect(report.suppressed).toEqual([]);
    expect(report.findings.map((f) => `${f.rule} ${f.jsonPath}`)).toEqual([
      `no-world-open-ingress ${jsonPathOf(webRule(stack, 2))}.remote_ip_prefix`,
    ]);
  });

  it('refuses a suppression on the App root, whether through suppressGuardrail or metadata', () => {
    const stack = sshOpen();
    expect(() => suppressGuardrail(stack.node.root, 'no-world-open-ingress', REASON)).toThrow('suppressions on the App root are refused');
    stack.node.root.node.addMetadata(SUPPRESSION_METADATA, { rule: 'no-world-open-ingress', reason: REASON });
    const error = synthError(stack);
    expect(error).toContain(
      `[guardrail guardrail-suppression] ${STACK} //.sovstack.guardrails.suppressed: suppression of no-world-open-ingress is refused: suppressions on the App root are refused`,
    );
    expect(error).toContain(`[guardrail no-world-open-ingress] ${STACK} ${jsonPathOf(webRule(stack, 2))}.remote_ip_prefix:`);
  });

  it('validates a suppression written straight into metadata like one from suppressGuardrail', () => {
    for (const data of [
      { rule: 'no-world-open-ingress', reason: '' },
      { rule: 'no-world-open-ingress' },
      { rule: 'no-world-open-ingres', reason: REASON },
    ]) {
      const stack = sshOpen();
      stack.service.securityGroups.node.addMetadata(SUPPRESSION_METADATA, data);
      const error = synthError(stack);
      expect(error, JSON.stringify(data)).toContain(`[guardrail guardrail-suppression] ${STACK} //.sovstack.guardrails.suppressed:`);
      expect(error).toContain('[guardrail no-world-open-ingress]');
    }
  });

  it('suppresses a custom rule registered on the stack, and refuses one that is not registered', () => {
    const custom: GuardrailRule = {
      id: 'no-server-named-web',
      description: 'no server is named web',
      inspects: ['openstack_compute_instance_v2'],
      check: (ctx) => ctx.elements.map((e) => ({ jsonPath: `${e.jsonPath}.name`, message: 'named web; fix: rename' })),
    };
    const stack = guardedStack({ rules: [...GUARDRAIL_RULES, custom] });
    expect(synthError(stack)).toContain('[guardrail no-server-named-web]');
    suppressGuardrail(stack, 'no-server-named-web', 'the naming convention predates the rule, ticket NAM-7');
    expect(synthError(stack)).toBeUndefined();
    const other = guardedStack();
    suppressGuardrail(other, 'no-server-named-web', 'the naming convention predates the rule, ticket NAM-7');
    expect(synthError(other)).toContain('rule "no-server-named-web" is not registered on this stack');
  });

  it('a stack-level suppression covers elements written by raw overrides; a faked metadata path does not move a finding', () => {
    const stack = sshOpen();
    const rule = webRule(stack, 2);
    suppressGuardrail(stack.service.network, 'no-world-open-ingress', REASON);
    rule.addOverride('//.metadata.path', `${STACK}/service/network/rule`);
    expect(reportOf(stack).findings.map((f) => f.rule)).toEqual(['no-world-open-ingress']);
    suppressGuardrail(stack, 'no-world-open-ingress', REASON);
    expect(synthError(stack)).toBeUndefined();
  });
});
