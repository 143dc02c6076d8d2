/**
 * The ministry's own stack class: sovstack's base stack (provider, backend and placement record of the
 * placed cloud), sovstack's constructs composed by hand, one resource of its own from sovstack's
 * generated bindings and sovstack's guardrails.
 */
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { networkingSecgroupRuleV2, networkingSecgroupV2 } from 'sovstack/bindings';
import type { ClientConfig, CloudConfig } from 'sovstack/config';
import { Dns, ResourceLabels, SecurityGroups, ServerGroup, TenantNetwork, cloudProfileFrom } from 'sovstack/constructs';
import { registerGuardrails } from 'sovstack/guardrails';
import { PlacedStack } from 'sovstack/stacks';

/** Where the ministry's administrators connect from: the only source allowed to reach SSH. */
export const ADMIN_BASTION_CIDR = '10.250.0.0/28';

/** Props of {@link MinistryServiceStack}. */
export interface MinistryServiceStackProps {
  readonly client: ClientConfig;
  /** The cloud the placement engine chose. */
  readonly cloud: CloudConfig;
  /** Every cloud, so the guardrails can check where state is hosted. */
  readonly clouds: readonly CloudConfig[];
  /** The placement engine's sentence explaining the choice. */
  readonly reason: string;
  /** Written as the `sovstack:version` label. */
  readonly version: string;
}

/** One client on its placed cloud. sovstack's guardrails run on it at synth (a `PlacedStack` is a `GuardrailTarget`). */
export class MinistryServiceStack extends PlacedStack {
  constructor(scope: Construct, props: MinistryServiceStackProps) {
    super(scope, { client: props.client, cloud: props.cloud, placementReason: props.reason });
    const { client, cloud } = this;
    const profile = cloudProfileFrom(cloud);
    const labels = new ResourceLabels({
      clientId: client.id,
      cloudId: cloud.id,
      sensitivity: client.policy.sensitivity,
      version: props.version,
    });
    const { service } = client;
    const network = new TenantNetwork(this, 'network', { profile, network: service.network, labels, namePrefix: client.id });
    const groups = new SecurityGroups(this, 'security-groups', { groups: service.securityGroups, labels, namePrefix: client.id });

    // A resource sovstack does not model, built from the same generated bindings its constructs use.
    const adminSsh = new networkingSecgroupV2.NetworkingSecgroupV2(this, 'admin-ssh', {
      name: `${client.id}-admin-ssh`,
      description: 'SSH from the ministry bastion only',
      tags: labels.tags(),
    });
    new networkingSecgroupRuleV2.NetworkingSecgroupRuleV2(this, 'admin-ssh-rule', {
      securityGroupId: adminSsh.id,
      direction: 'ingress',
      ethertype: 'IPv4',
      protocol: 'tcp',
      portRangeMin: 22,
      portRangeMax: 22,
      remoteIpPrefix: ADMIN_BASTION_CIDR,
    });

    const servers = service.serverGroups.flatMap((spec) => {
      const group = new ServerGroup(this, `servers-${spec.name}`, {
        profile,
        spec,
        networkId: network.networkId,
        subnetId: network.subnetId(spec.subnet),
        securityGroupIds: [...spec.securityGroups.map((g) => groups.groupId(g)), adminSsh.id],
        labels,
        namePrefix: client.id,
      });
      return group.servers;
    });
    if (service.dns) {
      profile.requireService('dns');
      new Dns(this, 'dns', { spec: service.dns, labels });
    }

    new TerraformOutput(this, 'server_ips', { value: servers.map((s) => s.fixedIp), description: 'fixed IPs of the servers' });
    registerGuardrails(this, { clouds: props.clouds });
  }
}
