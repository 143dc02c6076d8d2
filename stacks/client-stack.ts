/**
 * One Terraform stack per placed client: provider and backend of its cloud, its IaaS service, outputs.
 */
import { TerraformOutput, TerraformStack, type TerraformBackend } from 'cdktf';
import type { Construct } from 'constructs';
import { provider } from '../.gen/providers/openstack/index.js';
import { cloudProfileFrom } from '../constructs/cloud-profile.js';
import { IaasService } from '../constructs/iaas-service.js';
import { ResourceLabels } from '../constructs/labels.js';
import type { ClientConfig, CloudConfig } from '../core/config/schema.js';
import { takeGuardrailReport } from '../core/guardrails/guardrails.js';
import type { GuardrailTarget, PlacementRecord } from '../core/guardrails/types.js';
import { configureBackend } from './backend.js';

/**
 * Name of a client's stack on a cloud: `<client>-<cloud>`. Moving a client to another cloud creates
 * a new stack (new state) instead of destroying and recreating inside the old one.
 *
 * @example
 * stackNameFor('min-interieur', 'sovereign-fr1'); // 'min-interieur-sovereign-fr1'
 */
export function stackNameFor(clientId: string, cloudId: string): string {
  return `${clientId}-${cloudId}`;
}

/**
 * Props of {@link ClientStack}.
 */
export interface ClientStackProps {
  /** The client (validated, templates merged). No default. */
  readonly client: ClientConfig;
  /** The cloud the client is placed on. No default. */
  readonly cloud: CloudConfig;
  /** The placement engine's reason, recorded on the stack. Default: none. */
  readonly placementReason?: string;
  /** Toolkit version, written as the `sovstack:version` label. No default. */
  readonly toolkitVersion: string;
}

/**
 * The stack of one client on its placed cloud. The OpenStack provider carries only the cloud's
 * `auth_url`, `region`, `endpoint_overrides` and `cloud` (clouds.yaml entry) — never credentials,
 * which come from OS_* variables or clouds.yaml at deploy time. The backend comes from the cloud's
 * `state` config (see `configureBackend`). Outputs: `network_id`, `server_names`, `server_ips` and,
 * with a load balancer, `lb_vip`.
 *
 * The synthesized JSON records the placement and any suppressed guardrail under `//.sovstack`.
 *
 * @example
 * const stack = new ClientStack(app, { client, cloud, placementReason: placement.reason, toolkitVersion: '0.1.0' });
 * registerGuardrails(stack, { clouds });
 */
export class ClientStack extends TerraformStack implements GuardrailTarget {
  /** `<client>-<cloud>`. */
  readonly stackName: string;
  /** The placement this stack realises. */
  readonly placement: PlacementRecord;
  /** The placed cloud. */
  readonly cloud: CloudConfig;
  /** The client. */
  readonly client: ClientConfig;
  /** The OpenStack provider. */
  readonly provider: provider.OpenstackProvider;
  /** The state backend. */
  readonly backend: TerraformBackend;
  /** The client's service. */
  readonly service: IaasService;

  /**
   * @param scope The app.
   * @param props See {@link ClientStackProps}.
   */
  constructor(scope: Construct, props: ClientStackProps) {
    const name = stackNameFor(props.client.id, props.cloud.id);
    super(scope, name);
    const { client, cloud } = props;
    this.stackName = name;
    this.client = client;
    this.cloud = cloud;
    this.placement = {
      clientId: client.id,
      cloudId: cloud.id,
      sensitivity: client.policy.sensitivity,
      stateHostedIn: cloud.state.hostedIn ?? cloud.id,
      ...(props.placementReason !== undefined ? { reason: props.placementReason } : {}),
    };

    this.provider = new provider.OpenstackProvider(this, 'openstack', {
      authUrl: cloud.openstack.authUrl,
      region: cloud.openstack.region,
      cloud: cloud.openstack.cloudsYamlName,
    });
    if (cloud.openstack.endpointOverrides) {
      // Set through an override: cdktf snake-cases map keys of provider attributes, which would turn the
      // service types (`load-balancer`, `object-store`) into names OpenStack does not know.
      this.provider.addOverride('endpoint_overrides', { ...cloud.openstack.endpointOverrides });
    }
    this.backend = configureBackend(this, cloud.state, name);

    const labels = new ResourceLabels({
      clientId: client.id,
      cloudId: cloud.id,
      sensitivity: client.policy.sensitivity,
      version: props.toolkitVersion,
    });
    this.service = new IaasService(this, 'service', { profile: cloudProfileFrom(cloud), service: client.service, labels });

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

  /** The stack's Terraform JSON, with the placement and suppressed guardrails under `//.sovstack`. */
  override toTerraform(): Record<string, unknown> {
    const tf = super.toTerraform() as Record<string, unknown>;
    const report = takeGuardrailReport(this);
    tf['//'] = {
      ...(tf['//'] ?? {}),
      sovstack: {
        placement: this.placement,
        ...(report ? { guardrails: { suppressed: report.suppressed } } : {}),
      },
    };
    return tf;
  }
}
