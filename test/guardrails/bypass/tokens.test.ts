/**
 * Bypass corpus, tokens: tokens are resolved in the final JSON, so a Lazy value is judged as what it
 * produces; what remains an expression where a CIDR, direction, port, protocol or endpoint must be fails
 * closed for a sensitive client and only warns for a standard one.
 */
import { Fn, Lazy, TerraformLocal, TerraformVariable } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { clientWithRules, guardedStack, jsonPathOf, reportOf, STACK, synthError, webRule } from '../helpers.js';
import { makeClient } from '../../support/fixtures.js';
import { expectRefused, type BypassCase } from './cases.js';

const sensitiveSsh = () => clientWithRules([{ protocol: 'tcp', ports: 22, cidr: '10.0.0.0/8' }], [443], 'sensitive');

function onRule(
  name: string,
  attr: string,
  value: (stack: ReturnType<typeof guardedStack>) => unknown,
  rule = 'no-world-open-ingress',
): BypassCase {
  return {
    name,
    rule,
    build: () => {
      const stack = guardedStack({ client: sensitiveSsh() });
      webRule(stack, 2).addOverride(attr, value(stack));
      return { stack, jsonPath: `${jsonPathOf(webRule(stack, 2))}.${attr}` };
    },
  };
}

const CASES: BypassCase[] = [
  onRule('a Lazy remote_ip_prefix producing 0.0.0.0/0 (resolved, then judged)', 'remote_ip_prefix', () =>
    Lazy.stringValue({ produce: () => '0.0.0.0/0' }),
  ),
  onRule(
    'a TerraformLocal remote_ip_prefix (sensitive: fails closed)',
    'remote_ip_prefix',
    (s) => new TerraformLocal(s, 'cidr', '0.0.0.0/0').asString,
  ),
  onRule(
    'a TerraformVariable remote_ip_prefix (sensitive: fails closed)',
    'remote_ip_prefix',
    (s) => new TerraformVariable(s, 'cidr', { type: 'string', default: '0.0.0.0/0' }).stringValue,
  ),
  onRule('Fn.lower on the direction (sensitive: fails closed)', 'direction', () => Fn.lower('INGRESS')),
  onRule('Fn.lower on the protocol (sensitive: fails closed)', 'protocol', () => Fn.lower('TCP')),
  onRule(
    'a variable port_range_min (sensitive: fails closed)',
    'port_range_min',
    (s) => new TerraformVariable(s, 'port', { type: 'number' }).numberValue,
  ),
  onRule(
    'a variable port_range_max (sensitive: fails closed)',
    'port_range_max',
    (s) => new TerraformVariable(s, 'port', { type: 'number' }).numberValue,
  ),
  onRule('Fn.cidrsubnet computing the prefix (sensitive: fails closed)', 'remote_ip_prefix', () => Fn.cidrsubnet('0.0.0.0/0', 0, 0)),
  {
    name: 'an expression ethertype on a rule without remote (sensitive: fails closed)',
    rule: 'no-world-open-ingress',
    build: () => {
      const stack = guardedStack({ client: sensitiveSsh() });
      webRule(stack, 2).addOverride('remote_ip_prefix', null);
      webRule(stack, 2).addOverride('ethertype', Fn.upper('ipv4'));
      return { stack, jsonPath: `${jsonPathOf(webRule(stack, 2))}.ethertype` };
    },
  },
  {
    name: 'a variable port_security_enabled on the network (sensitive: fails closed)',
    rule: 'no-disabled-port-security',
    build: () => {
      const stack = guardedStack({ client: sensitiveSsh() });
      const network = stack.service.network.network;
      network.addOverride('port_security_enabled', new TerraformVariable(stack, 'ps', { type: 'bool' }).booleanValue);
      return { stack, jsonPath: `${jsonPathOf(network)}.port_security_enabled` };
    },
  },
  {
    name: 'Fn.lower on the provider auth_url (a sensitive client: an expression fails closed)',
    rule: 'provider-matches-placement',
    build: () => {
      const stack = guardedStack({ client: makeClient({ sensitivity: 'sensitive' }) });
      stack.provider.addOverride('auth_url', Fn.lower('https://IAM.eu-west-0.vendor.example/v3'));
      return { stack, jsonPath: 'provider.openstack[0].auth_url' };
    },
  },
  {
    name: 'a Lazy provider auth_url producing the other cloud',
    rule: 'provider-matches-placement',
    build: () => {
      const stack = guardedStack();
      stack.provider.addOverride('auth_url', Lazy.stringValue({ produce: () => 'https://iam.eu-west-0.vendor.example/v3' }));
      return { stack, jsonPath: 'provider.openstack[0].auth_url' };
    },
  },
];

describe('bypass corpus: tokens', () => {
  it.each(CASES)('refuses: $name', (c) => expectRefused(c));

  it('warns, and does not fail, on the same undecidable prefix for a standard client; the warning is in the stack JSON', () => {
    const stack = guardedStack({ client: clientWithRules([{ protocol: 'tcp', ports: 22, cidr: '10.0.0.0/8' }]) });
    webRule(stack, 2).addOverride('remote_ip_prefix', new TerraformLocal(stack, 'cidr', '0.0.0.0/0').asString);
    const jsonPath = `${jsonPathOf(webRule(stack, 2))}.remote_ip_prefix`;
    expect(synthError(stack)).toBeUndefined();
    expect(reportOf(stack).findings).toEqual([
      expect.objectContaining({
        rule: 'no-world-open-ingress',
        level: 'warning',
        stack: STACK,
        jsonPath,
        message: expect.stringContaining('${local.cidr}'),
      }),
    ]);
  });
});
