import { describe, expect, it } from 'vitest';
import { noWorldOpenIngress, type GuardrailContext, type GuardrailElement } from '../../core/guardrails/index.js';
import { PORTABLE_SERVICE, makeClient, sovereignCloud } from '../support/fixtures.js';
import { clientWithRules, guardedStack, synthError } from './helpers.js';

const STACK = 'min-interieur-sovereign-fr1';

describe('no-world-open-ingress (synth)', () => {
  it('fails synth on SSH open to the world, naming the rule, the construct path and the fix', () => {
    const error = synthError(guardedStack({ client: clientWithRules([{ protocol: 'tcp', ports: 22, cidr: '0.0.0.0/0' }]) }));
    expect(error).toContain(
      `[guardrail no-world-open-ingress] ${STACK}/service/security-groups/web/rule-2: ingress tcp 22 is open to 0.0.0.0/0 ` +
        'but 22 is not in service.publicPorts ([443]); fix: restrict the rule to the networks that need it',
    );
  });

  it('passes when the world-open ports are all public, and for egress or restricted ingress', () => {
    const ok = clientWithRules(
      [
        { protocol: 'tcp', ports: '80-81', cidr: '::/0' },
        { protocol: 'tcp', ports: 22, cidr: '10.0.0.0/8' },
        { direction: 'egress', protocol: 'any', cidr: '0.0.0.0/0' },
      ],
      [80, 81, 443],
    );
    expect(synthError(guardedStack({ client: ok }))).toBeUndefined();
  });

  it('fails on a range partly outside publicPorts, and on any/icmp open to the world', () => {
    const error = synthError(
      guardedStack({
        client: clientWithRules(
          [
            { protocol: 'udp', ports: '440-450', cidr: '0.0.0.0/0' },
            { protocol: 'any', cidr: '::/0' },
            { protocol: 'icmp', cidr: '0.0.0.0/0' },
          ],
          [443],
        ),
      }),
    );
    expect(error).toContain(
      `${STACK}/service/security-groups/web/rule-2: ingress udp 440-450 is open to 0.0.0.0/0 but ports 440, 441, 442, 444, 445, … are not in service.publicPorts`,
    );
    expect(error).toContain(`${STACK}/service/security-groups/web/rule-3: ingress any (all ports) is open to ::/0`);
    expect(error).toContain(`${STACK}/service/security-groups/web/rule-4: ingress icmp (all ports) is open to 0.0.0.0/0`);
  });
});

describe('no-world-open-ingress (rule)', () => {
  const ctx = (elements: GuardrailElement[], publicPorts: number[] = []): GuardrailContext => ({
    stackPath: 's',
    placement: { clientId: 'c', cloudId: 'sovereign-fr1', sensitivity: 'standard', stateHostedIn: 'sovereign-fr1' },
    placedCloud: sovereignCloud(),
    clouds: new Map(),
    client: makeClient({ service: PORTABLE_SERVICE }),
    publicPorts,
    elements,
  });
  const rule = (attributes: Record<string, unknown>): GuardrailElement => ({
    path: 's/r',
    kind: 'resource',
    type: 'openstack_networking_secgroup_rule_v2',
    attributes: { direction: 'ingress', ethertype: 'IPv4', ...attributes },
  });

  it('flags a tcp rule without ports open to the world (every port)', () => {
    const findings = noWorldOpenIngress.check(ctx([rule({ protocol: 'tcp', remote_ip_prefix: '0.0.0.0/0' })], [443]));
    expect(findings).toEqual([
      expect.objectContaining({ path: 's/r', message: expect.stringContaining('ingress tcp on every port is open to 0.0.0.0/0') }),
    ]);
  });

  it('treats an ingress rule with neither remote_ip_prefix nor remote_group_id as open to every source', () => {
    const findings = noWorldOpenIngress.check(ctx([rule({ protocol: 'tcp', port_range_min: 22, port_range_max: 22 })], [443]));
    expect(findings).toEqual([
      expect.objectContaining({
        path: 's/r',
        message: expect.stringContaining(
          'ingress tcp 22 is open to any source (no remote_ip_prefix nor remote_group_id) but 22 is not in service.publicPorts',
        ),
      }),
    ]);
    expect(noWorldOpenIngress.check(ctx([rule({ protocol: 'tcp', port_range_min: 443, port_range_max: 443 })], [443]))).toEqual([]);
  });

  it('ignores other resource types and rules towards a remote group', () => {
    expect(
      noWorldOpenIngress.check(
        ctx([
          { ...rule({ protocol: 'tcp', remote_ip_prefix: '0.0.0.0/0' }), type: 'openstack_networking_secgroup_v2' },
          rule({ protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_group_id: '${TfToken[TOKEN.1]}' }),
        ]),
      ),
    ).toEqual([]);
  });
});
