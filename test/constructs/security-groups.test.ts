import { describe, expect, it } from 'vitest';
import { SecurityGroups, portBounds } from '../../constructs/index.js';
import { SecurityGroupSchema } from '../../core/config/schema.js';
import { PORTABLE_SERVICE, at, makeClient, refTo, resourcesOf, synthJson, testLabels } from '../support/fixtures.js';

const RULE = 'openstack_networking_secgroup_rule_v2';
const GROUP = 'openstack_networking_secgroup_v2';

describe('SecurityGroups', () => {
  const groups = makeClient({ service: PORTABLE_SERVICE }).service.securityGroups;
  const build = (defaultEgress?: boolean) =>
    synthJson((s) => new SecurityGroups(s, 'sg', { groups, labels: testLabels(), namePrefix: 'mi', defaultEgress }));

  it('creates groups without the OpenStack default rules, tagged', () => {
    const json = build();
    expect(at(json, GROUP, 'sg/web/group')).toEqual({
      name: 'mi-web',
      description: 'sovstack security group web',
      delete_default_rules: true,
      tags: testLabels().tags(),
    });
    expect(resourcesOf(json, GROUP)).toHaveLength(2);
  });

  it('renders declared rules: ports, ranges, protocols, remote CIDR or remote group', () => {
    const json = build();
    expect(at(json, RULE, 'sg/web/rule-1')).toEqual({
      security_group_id: refTo(json, GROUP, 'sg/web/group', 'id'),
      direction: 'ingress',
      ethertype: 'IPv4',
      protocol: 'tcp',
      port_range_min: 443,
      port_range_max: 443,
      remote_ip_prefix: '0.0.0.0/0',
      description: 'public HTTPS',
    });
    expect(at(json, RULE, 'sg/web/rule-3')).toMatchObject({ protocol: 'icmp', remote_ip_prefix: '10.0.0.0/8' });
    expect(at(json, RULE, 'sg/web/rule-3').port_range_min).toBeUndefined();
    expect(at(json, RULE, 'sg/db/rule-1')).toMatchObject({
      direction: 'ingress',
      protocol: 'tcp',
      port_range_min: 5432,
      port_range_max: 5432,
      remote_group_id: refTo(json, GROUP, 'sg/web/group', 'id'),
    });
    expect(at(json, RULE, 'sg/db/rule-1').remote_ip_prefix).toBeUndefined();
    expect(at(json, RULE, 'sg/db/rule-2')).toMatchObject({
      direction: 'egress',
      port_range_min: 8000,
      port_range_max: 8080,
      remote_ip_prefix: '10.10.0.0/16',
    });
  });

  it('adds explicit allow-all egress only to groups that declare no egress rule', () => {
    const json = build();
    expect(at(json, RULE, 'sg/web/egress-any-ipv4')).toMatchObject({
      direction: 'egress',
      ethertype: 'IPv4',
      remote_ip_prefix: '0.0.0.0/0',
    });
    expect(at(json, RULE, 'sg/web/egress-any-ipv6')).toMatchObject({ direction: 'egress', ethertype: 'IPv6', remote_ip_prefix: '::/0' });
    expect(at(json, RULE, 'sg/web/egress-any-ipv4').protocol).toBeUndefined();
    // db declares an egress rule: its egress is an allow-list.
    expect(() => at(json, RULE, 'sg/db/egress-any-ipv4')).toThrow('found 0');
    expect(resourcesOf(json, RULE)).toHaveLength(3 + 2 + 2);
    expect(resourcesOf(build(false), RULE)).toHaveLength(3 + 2);
  });

  it('uses IPv6 ethertype and ipv6-icmp for IPv6 CIDRs and any-protocol rules omit protocol', () => {
    const v6 = [
      SecurityGroupSchema.parse({
        name: 'v6',
        rules: [
          { protocol: 'icmp', cidr: '2001:db8::/32' },
          { protocol: 'any', cidr: '10.0.0.0/8' },
        ],
      }),
    ];
    const json = synthJson((s) => new SecurityGroups(s, 'sg', { groups: v6, labels: testLabels() }));
    expect(at(json, RULE, 'sg/v6/rule-1')).toMatchObject({ ethertype: 'IPv6', protocol: 'ipv6-icmp' });
    expect(at(json, RULE, 'sg/v6/rule-2').protocol).toBeUndefined();
    expect(at(json, GROUP, 'sg/v6/group').name).toBe('sovstack-v6');
  });

  it('rejects a rule towards an undeclared group and unknown group lookups', () => {
    const bad = [SecurityGroupSchema.parse({ name: 'a', rules: [{ protocol: 'tcp', ports: 22, group: 'ghost' }] })];
    expect(() => synthJson((s) => new SecurityGroups(s, 'sg', { groups: bad, labels: testLabels() }))).toThrow(
      'security group "a" rule 1 refers to unknown group "ghost"',
    );
    synthJson((s) => {
      const sgs = new SecurityGroups(s, 'sg', { groups, labels: testLabels() });
      expect(() => sgs.groupId('ghost')).toThrow('security group "ghost" is not declared (declared: web, db)');
    });
  });

  it('parses port ranges', () => {
    expect(portBounds(22)).toEqual([22, 22]);
    expect(portBounds('8000-8080')).toEqual([8000, 8080]);
  });
});
