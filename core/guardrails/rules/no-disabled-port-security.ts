/**
 * Rule `no-disabled-port-security`: no network or port turns port security off. Without it Neutron
 * applies no security group at all, so every port is open to whatever reaches the network.
 */
import { isExpression, undecidableLevel } from '../values.js';
import type { GuardrailRule, RuleFinding } from '../types.js';

const isFalse = (value: unknown): boolean => value === false || (typeof value === 'string' && /^(false|0|no)$/i.test(value.trim()));

/** `port_security_enabled` is never false on a networking port or network (an expression fails closed for a sensitive client). */
export const noDisabledPortSecurity: GuardrailRule = {
  id: 'no-disabled-port-security',
  description: 'no networking port or network sets port_security_enabled = false (it would bypass every security group)',
  inspects: ['openstack_networking_port_v2', 'openstack_networking_network_v2'],
  check(ctx) {
    const findings: RuleFinding[] = [];
    for (const e of ctx.elements) {
      const value = e.body['port_security_enabled'];
      const jsonPath = `${e.jsonPath}.port_security_enabled`;
      if (isExpression(value)) {
        findings.push({
          jsonPath,
          level: undecidableLevel(ctx),
          message: 'port_security_enabled is a Terraform expression, which cannot be checked before plan; fix: leave it unset or true',
        });
      } else if (isFalse(value)) {
        findings.push({
          jsonPath,
          message: `port security is disabled on this ${e.type.replace('openstack_networking_', '').replace('_v2', '')}, so no security group applies; fix: remove port_security_enabled = false`,
        });
      }
    }
    return findings;
  },
};
