import { describe, expect, it } from 'vitest';
import { evaluateArtifact, noWorldOpenIngress, parseRemotePrefix, readArtifact, stackPlacement } from '../../core/guardrails/index.js';
import { makeClient, sovereignCloud } from '../support/fixtures.js';
import { clientWithRules, guardedStack, jsonPathOf, STACK, synthError, webRule } from './helpers.js';

const TYPE = 'openstack_networking_secgroup_rule_v2';

/** Findings of the rule on a stack JSON holding the given rules (all in group `sg` unless said). */
function judge(rules: Record<string, Record<string, unknown>>, publicPorts: number[] = [443]) {
  const resource = Object.fromEntries(
    Object.entries(rules).map(([name, body]) => [
      name,
      { direction: 'ingress', ethertype: 'IPv4', security_group_id: '${sg.id}', ...body },
    ]),
  );
  const client = makeClient({
    service: { network: { cidr: '10.10.0.0/16', subnets: [{ name: 'a', cidr: '10.10.1.0/24' }] }, publicPorts },
  });
  return evaluateArtifact(readArtifact('s', { resource: { [TYPE]: resource } }), stackPlacement(client, sovereignCloud(), []), {
    rules: [noWorldOpenIngress],
  }).findings.map((f) => `${f.jsonPath}: ${f.message}`);
}
const tcp = (port: number | [number, number], remote_ip_prefix?: string, extra: Record<string, unknown> = {}) => ({
  protocol: 'tcp',
  port_range_min: Array.isArray(port) ? port[0] : port,
  port_range_max: Array.isArray(port) ? port[1] : port,
  ...(remote_ip_prefix !== undefined ? { remote_ip_prefix } : {}),
  ...extra,
});

describe('no-world-open-ingress on a synthesized stack', () => {
  it('fails synth on SSH open to the world, naming the rule, the stack, the JSON path and the fix', () => {
    const stack = guardedStack({ client: clientWithRules([{ protocol: 'tcp', ports: 22, cidr: '0.0.0.0/0' }]) });
    expect(synthError(stack)).toContain(
      `[guardrail no-world-open-ingress] ${STACK} ${jsonPathOf(webRule(stack, 2))}.remote_ip_prefix: ingress tcp 22 (port 22 not in ` +
        'service.publicPorts) is open to 0.0.0.0/0, wider than /8; fix: restrict the rule to the networks that need it',
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
});

describe('no-world-open-ingress: address space', () => {
  /** The 256 /8 prefixes of IPv4 as rules on `port` (each within the bound, together the whole space). */
  const slash8s = (port: number | [number, number], group = (_i: number) => '${sg.id}') =>
    Object.fromEntries(Array.from({ length: 256 }, (_, i) => [`r${i}`, tcp(port, `${i}.0.0.0/8`, { security_group_id: group(i) })]));

  it('fails on halves of the whole space (each wider than the bound): 0.0.0.0/1 + 128.0.0.0/1, ::/1 + 8000::/1', () => {
    const halves = judge({ a: tcp(22, '0.0.0.0/1'), b: tcp(22, '128.0.0.0/1') });
    expect(halves.map((f) => f.split(':')[0])).toEqual([`resource.${TYPE}.a.remote_ip_prefix`, `resource.${TYPE}.b.remote_ip_prefix`]);
    expect(judge({ a: tcp(22, '::/1', { ethertype: 'IPv6' }), b: tcp(22, '8000::/1', { ethertype: 'IPv6' }) })).toHaveLength(2);
  });

  it('fails on a union of prefixes each within the bound that covers the whole space (256 × /8)', () => {
    expect(judge(slash8s(22))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^resource\\.${TYPE}\\.r0\\.remote_ip_prefix: ingress tcp 22 \\(port 22 not in service\\.publicPorts\\) is open to all of 0\\.0\\.0\\.0/0 through the union of 0\\.0\\.0\\.0/8`,
        ),
      ),
    ]);
    const { r255: _last, ...missingOne } = slash8s(22);
    expect(judge(missingOne)).toEqual([]);
  });

  it('judges the union port by port: ranges that meet on a non-public port fail, elsewhere they pass', () => {
    const rules = { ...slash8s(22), r0: tcp([20, 25], '0.0.0.0/8') };
    expect(judge(rules)[0]).toContain('ingress tcp 22 (port 22 not in');
    expect(judge({ ...slash8s(22), r0: tcp([20, 21], '0.0.0.0/8') })).toEqual([]);
  });

  it('an any-protocol rule joins the union of every protocol', () => {
    expect(judge({ ...slash8s(22), r7: { remote_ip_prefix: '7.0.0.0/8' } })).toHaveLength(1);
  });

  it('does not sum unions across security groups, nor on public ports', () => {
    expect(judge(slash8s(22, (i) => (i % 2 === 0 ? '${sg.id}' : '${other.id}')))).toEqual([]);
    expect(judge(slash8s(443))).toEqual([]);
  });

  it('fails on one prefix shorter than /8 (IPv4) or /16 (IPv6), and passes at the bound', () => {
    expect(judge({ a: tcp(22, '0.0.0.0/7') })[0]).toContain('is open to 0.0.0.0/7, wider than /8');
    expect(judge({ a: tcp(22, '2000::/15', { ethertype: 'IPv6' }) })[0]).toContain('wider than /16');
    expect(judge({ a: tcp(22, '10.0.0.0/8'), b: tcp(22, '2001::/16', { ethertype: 'IPv6' }) })).toEqual([]);
  });

  it('a missing remote is every source of the ethertype; a remote group is not', () => {
    expect(judge({ a: tcp(22) })[0]).toContain(
      `resource.${TYPE}.a: ingress tcp 22 (port 22 not in service.publicPorts) is open to any source`,
    );
    expect(judge({ a: tcp(22, undefined, { ethertype: 'IPv6' }) })[0]).toContain('any source');
    expect(judge({ a: tcp(22, undefined, { remote_group_id: '${web.id}' }) })).toEqual([]);
  });

  it('missing ports are every port; numeric and upper-case protocols are named', () => {
    expect(judge({ a: { protocol: 'tcp', remote_ip_prefix: '0.0.0.0/0' } })[0]).toContain('ingress tcp every port');
    expect(judge({ a: { ...tcp(22, '0.0.0.0/0'), protocol: '6' } })[0]).toContain('ingress tcp 22');
    expect(judge({ a: { ...tcp(22, '0.0.0.0/0'), protocol: 'TCP' } })[0]).toContain('ingress tcp 22');
    expect(judge({ a: { protocol: 'icmp', remote_ip_prefix: '0.0.0.0/0' } })[0]).toContain('ingress icmp every port');
  });

  it('refuses a remote that is not an IP prefix (fail closed)', () => {
    expect(judge({ a: tcp(22, 'everyone') })[0]).toContain('remote_ip_prefix is not an IP prefix');
  });

  it('parses prefixes as Neutron accepts them', () => {
    expect(parseRemotePrefix('1.2.3.4/0')).toEqual({ version: 4, start: 0n, end: 4294967295n, prefix: 0 });
    expect(parseRemotePrefix('10.1.2.3')).toEqual({ version: 4, start: 167838211n, end: 167838211n, prefix: 32 });
    expect(parseRemotePrefix('::/0')?.prefix).toBe(0);
    expect(parseRemotePrefix('300.0.0.0/8')).toBeUndefined();
  });
});
