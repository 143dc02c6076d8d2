/**
 * Rule `no-world-open-ingress`: only the service's declared public ports are open to the whole internet.
 */
import { Token } from 'cdktf';
import { isWholeInternet } from '../../config/cidr.js';
import type { GuardrailRule, RuleFinding } from '../types.js';

const RULE_TYPE = 'openstack_networking_secgroup_rule_v2';

function literalNumber(value: unknown): number | undefined {
  return typeof value === 'number' && !Token.isUnresolved(value) ? value : undefined;
}

const isSet = (value: unknown): boolean => value !== undefined && value !== null && value !== '';

/**
 * How a rule's source reaches the whole internet, or undefined when it does not: an explicit
 * 0.0.0.0/0 or ::/0, or no remote at all (Neutron then admits every source).
 */
function worldSource(remoteIpPrefix: unknown, remoteGroupId: unknown): string | undefined {
  if (isSet(remoteIpPrefix)) {
    if (typeof remoteIpPrefix !== 'string' || Token.isUnresolved(remoteIpPrefix)) return undefined;
    return isWholeInternet(remoteIpPrefix) ? remoteIpPrefix : undefined;
  }
  return isSet(remoteGroupId) ? undefined : 'any source (no remote_ip_prefix nor remote_group_id)';
}

/** An ingress rule open to 0.0.0.0/0 or ::/0 (or to no remote at all) covers only ports listed in `service.publicPorts`. */
export const noWorldOpenIngress: GuardrailRule = {
  id: 'no-world-open-ingress',
  description: 'ingress open to 0.0.0.0/0 or ::/0 is limited to the ports in service.publicPorts',
  check(ctx) {
    const findings: RuleFinding[] = [];
    const allowed = new Set(ctx.publicPorts);
    const listed = ctx.publicPorts.length > 0 ? `[${[...ctx.publicPorts].sort((a, b) => a - b).join(', ')}]` : 'empty';
    for (const element of ctx.elements) {
      if (element.kind !== 'resource' || element.type !== RULE_TYPE) continue;
      const a = element.attributes;
      if (a['direction'] !== 'ingress') continue;
      const prefix = worldSource(a['remote_ip_prefix'], a['remote_group_id']);
      if (prefix === undefined) continue;
      const protocol = typeof a['protocol'] === 'string' && a['protocol'] !== '' ? a['protocol'] : 'any';
      const fix =
        'fix: restrict the rule to the networks that need it (cidr or group), or add the port to ' +
        'service.publicPorts if it must be reachable from the internet';
      if (protocol !== 'tcp' && protocol !== 'udp') {
        findings.push({
          path: element.path,
          message:
            `ingress ${protocol} (all ports) is open to ${prefix}, only tcp/udp ports listed in service.publicPorts ` +
            `(${listed}) may be; fix: restrict the rule to the networks that need it (cidr or group)`,
        });
        continue;
      }
      const min = literalNumber(a['port_range_min']);
      const max = literalNumber(a['port_range_max']);
      if (min === undefined || max === undefined) {
        findings.push({
          path: element.path,
          message: `ingress ${protocol} on every port is open to ${prefix} but service.publicPorts is ${listed}; ${fix}`,
        });
        continue;
      }
      const missing: number[] = [];
      for (let port = min; port <= max; port++) if (!allowed.has(port)) missing.push(port);
      if (missing.length === 0) continue;
      const offending =
        min === max
          ? `${min} is`
          : `port${missing.length > 1 ? 's' : ''} ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''} ` +
            `${missing.length > 1 ? 'are' : 'is'}`;
      findings.push({
        path: element.path,
        message:
          `ingress ${protocol} ${min === max ? min : `${min}-${max}`} is open to ${prefix} but ${offending} not in ` +
          `service.publicPorts (${listed}); ${fix}`,
      });
    }
    return findings;
  },
};
