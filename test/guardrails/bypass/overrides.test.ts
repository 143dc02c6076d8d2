/**
 * Bypass corpus, library overrides and raw elements: whatever writes the value — a construct, an
 * override on the element or on the stack, a raw TerraformElement — the final JSON is what is judged.
 */
import { TerraformElement, TerraformResource } from 'cdktf';
import { describe, it } from 'vitest';
import { networkingPortV2, networkingSecgroupRuleV2 } from '../../../.gen/providers/openstack/index.js';
import { clientWithRules, guardedStack, jsonPathOf, webRule } from '../helpers.js';
import { expectRefused, type BypassCase } from './cases.js';

const VENDOR_AUTH = 'https://iam.eu-west-0.vendor.example/v3';
const PROVIDER = 'provider.openstack[0]';
const ssh = (cidr: string) => clientWithRules([{ protocol: 'tcp', ports: 22, cidr }]);

/** A raw element writing a whole resource into the stack JSON, outside any construct cdktf knows the type of. */
class RawJson extends TerraformElement {
  constructor(
    scope: ConstructorParameters<typeof TerraformElement>[0],
    id: string,
    private readonly json: Record<string, unknown>,
  ) {
    super(scope, id);
  }
  override toTerraform(): Record<string, unknown> {
    return this.json;
  }
}

const CASES: BypassCase[] = [
  {
    name: 'stack.addOverride on provider.openstack.0.auth_url',
    rule: 'provider-matches-placement',
    build: () => {
      const stack = guardedStack();
      stack.addOverride('provider.openstack.0.auth_url', VENDOR_AUTH);
      return { stack, jsonPath: `${PROVIDER}.auth_url` };
    },
  },
  {
    name: 'stack.addOverride on provider.openstack.0.region',
    rule: 'provider-matches-placement',
    build: () => {
      const stack = guardedStack();
      stack.addOverride('provider.openstack.0.region', 'eu-west-0');
      return { stack, jsonPath: `${PROVIDER}.region` };
    },
  },
  {
    name: 'provider.addOverride auth_url',
    rule: 'provider-matches-placement',
    build: () => {
      const stack = guardedStack();
      stack.provider.addOverride('auth_url', VENDOR_AUTH);
      return { stack, jsonPath: `${PROVIDER}.auth_url` };
    },
  },
  {
    name: 'a second provider block written by a raw element',
    rule: 'provider-matches-placement',
    build: () => {
      const stack = guardedStack();
      new RawJson(stack, 'raw-provider', { provider: { openstack: [{ alias: 'other', auth_url: VENDOR_AUTH, region: 'fr1' }] } });
      return { stack, jsonPath: 'provider.openstack[1].auth_url' };
    },
  },
  {
    name: 'stack.addOverride replacing the pg backend conn_str with one holding a password',
    rule: 'no-secrets-in-attributes',
    build: () => {
      const stack = guardedStack();
      stack.addOverride('terraform.backend.pg.conn_str', 'postgres://tofu:hunter2@db.fr1.example/state');
      return { stack, jsonPath: 'terraform.backend.pg.conn_str' };
    },
  },
  {
    name: 'stack.addOverride on a server user_data with a private key',
    rule: 'no-secrets-in-attributes',
    build: () => {
      const stack = guardedStack();
      const path = jsonPathOf(stack.service.serverGroups['web'].servers[0].instance);
      stack.addOverride(`${path}.user_data`, '#cloud-config\n-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n');
      return { stack, jsonPath: `${path}.user_data` };
    },
  },
  {
    name: 'instance.addOverride user_data with password=',
    rule: 'no-secrets-in-attributes',
    build: () => {
      const stack = guardedStack();
      const instance = stack.service.serverGroups['web'].servers[0].instance;
      instance.addOverride('user_data', '#!/bin/sh\nexport DB_URL="host=db password=hunter2"\n');
      return { stack, jsonPath: `${jsonPathOf(instance)}.user_data` };
    },
  },
  {
    name: 'rule.addOverride remote_ip_prefix 0.0.0.0/0 on an SSH rule',
    rule: 'no-world-open-ingress',
    build: () => {
      const stack = guardedStack({ client: ssh('10.0.0.0/8') });
      webRule(stack, 2).addOverride('remote_ip_prefix', '0.0.0.0/0');
      return { stack, jsonPath: `${jsonPathOf(webRule(stack, 2))}.remote_ip_prefix` };
    },
  },
  {
    name: 'stack.addOverride on a rule remote_ip_prefix',
    rule: 'no-world-open-ingress',
    build: () => {
      const stack = guardedStack({ client: ssh('10.0.0.0/8') });
      const path = jsonPathOf(webRule(stack, 2));
      stack.addOverride(`${path}.remote_ip_prefix`, '0.0.0.0/0');
      return { stack, jsonPath: `${path}.remote_ip_prefix` };
    },
  },
  {
    name: 'removing the remote of an SSH rule (no remote = every source)',
    rule: 'no-world-open-ingress',
    build: () => {
      const stack = guardedStack({ client: ssh('10.0.0.0/8') });
      webRule(stack, 2).addOverride('remote_ip_prefix', null);
      return { stack, jsonPath: jsonPathOf(webRule(stack, 2)) };
    },
  },
  {
    name: 'widening the public 443 rule to 443-65535',
    rule: 'no-world-open-ingress',
    build: () => {
      const stack = guardedStack({ client: ssh('10.0.0.0/8') });
      webRule(stack, 1).addOverride('port_range_max', 65535);
      return { stack, jsonPath: `${jsonPathOf(webRule(stack, 1))}.remote_ip_prefix` };
    },
  },
  {
    name: 'dropping the protocol of the public 443 rule (any protocol, every port)',
    rule: 'no-world-open-ingress',
    build: () => {
      const stack = guardedStack({ client: ssh('10.0.0.0/8') });
      webRule(stack, 1).addOverride('protocol', null);
      return { stack, jsonPath: `${jsonPathOf(webRule(stack, 1))}.remote_ip_prefix` };
    },
  },
  {
    name: 'turning a world egress rule into ingress',
    rule: 'no-world-open-ingress',
    build: () => {
      const stack = guardedStack({ client: ssh('10.0.0.0/8') });
      const egress = stack.service.securityGroups.node.findChild('web').node.findChild('egress-any-ipv4') as TerraformResource;
      egress.addOverride('direction', 'ingress');
      return { stack, jsonPath: `${jsonPathOf(egress)}.remote_ip_prefix` };
    },
  },
  {
    name: 'host bits in a /0 prefix (1.2.3.4/0 is the whole IPv4 space)',
    rule: 'no-world-open-ingress',
    build: () => {
      const stack = guardedStack({ client: ssh('10.0.0.0/8') });
      webRule(stack, 2).addOverride('remote_ip_prefix', '1.2.3.4/0');
      return { stack, jsonPath: `${jsonPathOf(webRule(stack, 2))}.remote_ip_prefix` };
    },
  },
  {
    name: 'port_security_enabled = false on a server port (override)',
    rule: 'no-disabled-port-security',
    build: () => {
      const stack = guardedStack();
      const port = stack.service.serverGroups['web'].servers[0].port;
      port.addOverride('port_security_enabled', false);
      return { stack, jsonPath: `${jsonPathOf(port)}.port_security_enabled` };
    },
  },
  {
    name: 'port_security_enabled = "false" as a string, set through the binding',
    rule: 'no-disabled-port-security',
    build: () => {
      const stack = guardedStack();
      const port = stack.service.serverGroups['web'].servers[0].port;
      port.addOverride('port_security_enabled', 'false');
      return { stack, jsonPath: `${jsonPathOf(port)}.port_security_enabled` };
    },
  },
  {
    name: 'port_security_enabled = false on the tenant network (stack override)',
    rule: 'no-disabled-port-security',
    build: () => {
      const stack = guardedStack();
      const path = jsonPathOf(stack.service.network.network);
      stack.addOverride(`${path}.port_security_enabled`, false);
      return { stack, jsonPath: `${path}.port_security_enabled` };
    },
  },
  {
    name: 'a raw TerraformResource security-group rule open to the world on SSH',
    rule: 'no-world-open-ingress',
    build: () => {
      const stack = guardedStack();
      const raw = new TerraformResource(stack, 'raw-rule', { terraformResourceType: 'openstack_networking_secgroup_rule_v2' });
      for (const [k, v] of Object.entries({
        direction: 'ingress',
        ethertype: 'IPv4',
        protocol: 'tcp',
        port_range_min: 22,
        port_range_max: 22,
      })) {
        raw.addOverride(k, v);
      }
      raw.addOverride('remote_ip_prefix', '0.0.0.0/0');
      raw.addOverride('security_group_id', 'sg-1');
      return { stack, jsonPath: `${jsonPathOf(raw)}.remote_ip_prefix` };
    },
  },
  {
    name: 'a raw TerraformElement writing a security-group rule open on 3389',
    rule: 'no-world-open-ingress',
    build: () => {
      const stack = guardedStack();
      const rule = { direction: 'ingress', protocol: 'tcp', port_range_min: 3389, port_range_max: 3389, remote_ip_prefix: '::/0' };
      new RawJson(stack, 'raw-rdp', { resource: { openstack_networking_secgroup_rule_v2: { rdp: { ...rule, security_group_id: 'sg' } } } });
      return { stack, jsonPath: 'resource.openstack_networking_secgroup_rule_v2.rdp.remote_ip_prefix' };
    },
  },
  {
    name: 'a binding rule created straight in the stack, outside the service',
    rule: 'no-world-open-ingress',
    build: () => {
      const stack = guardedStack();
      const rule = new networkingSecgroupRuleV2.NetworkingSecgroupRuleV2(stack, 'direct', {
        direction: 'ingress',
        ethertype: 'IPv4',
        protocol: 'tcp',
        portRangeMin: 5432,
        portRangeMax: 5432,
        remoteIpPrefix: '0.0.0.0/0',
        securityGroupId: stack.service.securityGroups.groups['web'].id,
      });
      return { stack, jsonPath: `${jsonPathOf(rule)}.remote_ip_prefix` };
    },
  },
  {
    name: 'a binding port created straight in the stack with port security off',
    rule: 'no-disabled-port-security',
    build: () => {
      const stack = guardedStack();
      const port = new networkingPortV2.NetworkingPortV2(stack, 'naked', {
        networkId: stack.service.network.networkId,
        portSecurityEnabled: false,
      });
      return { stack, jsonPath: `${jsonPathOf(port)}.port_security_enabled` };
    },
  },
  {
    name: 'a raw element writing a resource with a secret-named attribute',
    rule: 'no-secrets-in-attributes',
    build: () => {
      const stack = guardedStack();
      new RawJson(stack, 'raw-user', { resource: { openstack_identity_user_v3: { admin: { name: 'admin', password: 'Tr0ub4dor&3' } } } });
      return { stack, jsonPath: 'resource.openstack_identity_user_v3.admin.password' };
    },
  },
];

describe('bypass corpus: overrides and raw elements are judged on the final JSON', () => {
  it.each(CASES)('refuses: $name', (c) => expectRefused(c));
});
