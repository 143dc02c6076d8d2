/**
 * One Terraform stack per placed client: provider and backend of its cloud, its IaaS service, outputs.
 */
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { cloudProfileFrom } from '../constructs/cloud-profile.js';
import { IaasService } from '../constructs/iaas-service.js';
import { ResourceLabels } from '../constructs/labels.js';
import { PlacedStack, type PlacedStackProps } from './placed-stack.js';

export { stackNameFor } from './placed-stack.js';

/**
 * Props of {@link ClientStack}.
 */
export interface ClientStackProps extends PlacedStackProps {
  /** Toolkit version, written as the `sovstack:version` label. No default. */
  readonly toolkitVersion: string;
}

/**
 * The stack of one client on its placed cloud: a {@link PlacedStack} (provider, backend and placement
 * record of the cloud) holding the client's {@link IaasService}. Outputs: `network_id`, `server_names`, `server_ips` and,
 * with a load balancer, `lb_vip`.
 *
 * The synthesized JSON records the placement and any suppressed guardrail under `//.sovstack`.
 *
 * @example
 * const stack = new ClientStack(app, { client, cloud, placementReason: placement.reason, toolkitVersion: '0.1.0' });
 * registerGuardrails(stack, { clouds });
 */
export class ClientStack extends PlacedStack {
  /** The client's service. */
  readonly service: IaasService;

  /**
   * @param scope The app.
   * @param props See {@link ClientStackProps}.
   */
  constructor(scope: Construct, props: ClientStackProps) {
    super(scope, props);
    const { client, cloud } = this;
    const labels = new ResourceLabels({
      clientId: client.id,
      cloudId: cloud.id,
      sensitivity: client.policy.sensitivity,
      version: props.toolkitVersion,
    });
    this.service = new IaasService(this, 'service', {
      profile: cloudProfileFrom(cloud),
      service: client.service,
      labels,
      ...(client.userData !== undefined ? { userData: client.userData } : {}),
      protectData: client.decommission !== true,
    });

    new TerraformOutput(this, 'network_id', {
      value: this.service.network.networkId,
      description: 'id of the tenant network',
    });
    const servers = Object.values(this.service.serverGroups).flatMap((g) => g.servers);
    new TerraformOutput(this, 'server_names', {
      value: servers.map((s) => s.instance.name),
      description: 'names of the servers, in server-group order',
    });
    new TerraformOutput(this, 'server_ips', {
      value: servers.map((s) => s.fixedIp),
      description: 'fixed IPs of the servers, same order as server_names',
    });
    if (this.service.loadBalancer) {
      new TerraformOutput(this, 'lb_vip', {
        value: this.service.loadBalancer.vipAddress,
        description: 'VIP address of the load balancer on the tenant network',
      });
    }
  }
}
