/**
 * A client's security groups and their rules.
 *
 * Choices:
 * - Every group is created with `delete_default_rules = true`, so the group holds exactly the rules
 *   synthesized here and the plan shows all of them.
 * - Egress: a group that declares no egress rule gets two explicit egress rules, any protocol to
 *   `0.0.0.0/0` and `::/0` (what OpenStack would have created by default, now visible and reviewable).
 *   A group that declares at least one egress rule gets only the declared ones (egress allow-list).
 *   Set `defaultEgress: false` to create no implicit egress at all.
 * - A rule towards a remote group is created for IPv4 (the tenant network is IPv4 unless a subnet
 *   says otherwise); a CIDR rule takes its ethertype from the CIDR; ICMP over IPv6 is `ipv6-icmp`.
 */
import { Construct } from 'constructs';
import { networkingSecgroupRuleV2, networkingSecgroupV2 } from '../.gen/providers/openstack/index.js';
import type { z } from 'zod';
import { SecurityGroupSchema, type PortRange, type SecurityRule } from '../core/config/schema.js';
import type { ResourceLabels } from './labels.js';

/** A security group as written (`service.securityGroups[]`): see {@link SecurityGroupSchema}. */
export type SecurityGroupSpec = z.input<typeof SecurityGroupSchema>;

/**
 * Props of {@link SecurityGroups}.
 */
export interface SecurityGroupsProps {
  /**
   * The groups to create (`service.securityGroups`), each validated with {@link SecurityGroupSchema}, which holds the
   * defaults (`rules` none; a rule's `direction` ingress, `protocol` tcp). No default.
   * Example: `[{ name: 'web', rules: [{ ports: 443, cidr: '10.128.0.0/12' }] }]`.
   */
  readonly groups: readonly SecurityGroupSpec[];
  /** Labels rendered as `tags` on the groups (rules take no tags). No default. */
  readonly labels: ResourceLabels;
  /** Prefix of OpenStack group names (`<prefix>-<group>`). Default `sovstack`. */
  readonly namePrefix?: string;
  /** Add allow-all egress (IPv4 + IPv6) to groups that declare no egress rule. Default true. */
  readonly defaultEgress?: boolean;
}

/** Inclusive port range of a rule's `ports`: `443` → [443, 443], `"8000-8080"` → [8000, 8080]. */
export function portBounds(ports: PortRange): [number, number] {
  if (typeof ports === 'number') return [ports, ports];
  const [lo, hi] = ports.split('-').map(Number) as [number, number];
  return [lo, hi];
}

/**
 * Security groups with their rules. Construct ids: `<group>` for the group, `<group>/rule-<n>`
 * (1-based, declaration order) for declared rules, `<group>/egress-any-ipv4|ipv6` for implicit egress.
 *
 * @example
 * const sgs = new SecurityGroups(this, 'security-groups', { groups: service.securityGroups, labels });
 * sgs.groupId('web');
 */
export class SecurityGroups extends Construct {
  /** Groups by name. */
  readonly groups: Readonly<Record<string, networkingSecgroupV2.NetworkingSecgroupV2>>;

  /**
   * @param scope Parent construct.
   * @param id Construct id.
   * @param props See {@link SecurityGroupsProps}.
   */
  constructor(scope: Construct, id: string, props: SecurityGroupsProps) {
    super(scope, id);
    const specs = props.groups.map((group) => SecurityGroupSchema.parse(group));
    const prefix = props.namePrefix ?? 'sovstack';
    const defaultEgress = props.defaultEgress ?? true;
    const groups: Record<string, networkingSecgroupV2.NetworkingSecgroupV2> = {};
    const scopes: Record<string, Construct> = {};

    for (const spec of specs) {
      if (groups[spec.name]) throw new Error(`security group "${spec.name}" is declared twice`);
      const groupScope = new Construct(this, spec.name);
      scopes[spec.name] = groupScope;
      groups[spec.name] = new networkingSecgroupV2.NetworkingSecgroupV2(groupScope, 'group', {
        name: `${prefix}-${spec.name}`,
        description: spec.description ?? `sovstack security group ${spec.name}`,
        deleteDefaultRules: true,
        tags: props.labels.tags(),
      });
    }
    this.groups = groups;

    for (const spec of specs) {
      const group = groups[spec.name];
      const groupScope = scopes[spec.name];
      spec.rules.forEach((rule, index) => this.addRule(groupScope, group, spec.name, rule, index));
      const declaresEgress = spec.rules.some((r) => r.direction === 'egress');
      if (defaultEgress && !declaresEgress) addDefaultEgress(groupScope, group);
    }
  }

  /** Declared rule `index` (0-based) of group `groupName`; a remote group must be one of this service's. */
  private addRule(
    groupScope: Construct,
    group: networkingSecgroupV2.NetworkingSecgroupV2,
    groupName: string,
    rule: SecurityRule,
    index: number,
  ): void {
    const v6 = rule.cidr !== undefined && rule.cidr.includes(':');
    const [min, max] = rule.ports !== undefined ? portBounds(rule.ports) : [undefined, undefined];
    let remoteGroupId: string | undefined;
    if (rule.group !== undefined) {
      const remote = this.groups[rule.group];
      if (!remote) {
        throw new Error(`security group "${groupName}" rule ${index + 1} refers to unknown group "${rule.group}"`);
      }
      remoteGroupId = remote.id;
    }
    new networkingSecgroupRuleV2.NetworkingSecgroupRuleV2(groupScope, `rule-${index + 1}`, {
      securityGroupId: group.id,
      direction: rule.direction,
      ethertype: v6 ? 'IPv6' : 'IPv4',
      protocol: rule.protocol === 'any' ? undefined : rule.protocol === 'icmp' && v6 ? 'ipv6-icmp' : rule.protocol,
      portRangeMin: min,
      portRangeMax: max,
      remoteIpPrefix: rule.cidr,
      remoteGroupId,
      description: rule.description,
    });
  }

  /** Id (token) of a group by name; throws naming the known groups when it does not exist. */
  groupId(name: string): string {
    const group = this.groups[name];
    if (!group) throw new Error(`security group "${name}" is not declared (declared: ${Object.keys(this.groups).join(', ')})`);
    return group.id;
  }
}

/** Allow-all egress, IPv4 then IPv6, for a group that declares no egress rule. */
function addDefaultEgress(groupScope: Construct, group: networkingSecgroupV2.NetworkingSecgroupV2): void {
  for (const [ethertype, cidr] of [
    ['IPv4', '0.0.0.0/0'],
    ['IPv6', '::/0'],
  ] as const) {
    new networkingSecgroupRuleV2.NetworkingSecgroupRuleV2(groupScope, `egress-any-${ethertype.toLowerCase()}`, {
      securityGroupId: group.id,
      direction: 'egress',
      ethertype,
      remoteIpPrefix: cidr,
      description: 'sovstack default egress (group declares no egress rule)',
    });
  }
}
