/**
 * The base of every stack sovstack places: the OpenStack provider and state backend of the placed cloud,
 * and the placement record written into the synthesized JSON.
 */
import { TerraformStack, type TerraformBackend } from 'cdktf';
import type { Construct } from 'constructs';
import { provider } from '../.gen/providers/openstack/index.js';
import { clientConfig, type ClientInput } from '../core/config/client-input.js';
import type { ClientConfig, CloudConfig } from '../core/config/schema.js';
import { enforceGuardrails, guardrailRecord } from '../core/guardrails/guardrails.js';
import type { GuardrailTarget, PlacementRecord } from '../core/guardrails/types.js';
import { configureBackend } from './backend.js';
import { configureEncryption } from './encryption.js';
import { stackNameFor } from './names.js';

export { stackNameFor };

/**
 * Props of {@link PlacedStack}.
 *
 * @example
 * { client, cloud, placementReason: 'only eligible cloud' }
 */
export interface PlacedStackProps {
  /**
   * The client: a loaded `ClientConfig`, or one written in code whose policy and service get the schema defaults
   * (see `clientConfig`). No default. Example: `{ id: 'culture-agenda', name: 'Agenda', policy: { sensitivity: 'standard' }, service }`.
   */
  readonly client: ClientInput;
  /** The cloud the client is placed on. No default. */
  readonly cloud: CloudConfig;
  /** The placement engine's reason, recorded on the stack. Default: none. */
  readonly placementReason?: string;
}

/**
 * A Terraform stack holding one client on its placed cloud, named `<client>-<cloud>` ({@link stackNameFor}).
 * It carries the OpenStack provider of the cloud — `auth_url`, `region`, `endpoint_overrides`, `cloud`
 * (clouds.yaml entry) and `max_retries` (`operations.maxRetries`), never credentials, which come from OS_* variables or clouds.yaml at deploy time —
 * and the cloud's state backend (see `configureBackend`). Its final Terraform JSON is judged by the
 * registered guardrails (see `registerGuardrails`) and records the placement, suppressions and warnings
 * under `//.sovstack` (see {@link withSovstackRecord}).
 *
 * Extend it to compose constructs of your own on a placed cloud; `ClientStack` is the stack sovstack builds.
 *
 * @example
 * class MyStack extends PlacedStack {
 *   constructor(scope: Construct, props: PlacedStackProps) {
 *     super(scope, props);
 *     new TenantNetwork(this, 'network', { profile: cloudProfileFrom(props.cloud), network, labels });
 *   }
 * }
 */
export class PlacedStack extends TerraformStack implements GuardrailTarget {
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

  /**
   * @param scope The app.
   * @param props See {@link PlacedStackProps}.
   */
  constructor(scope: Construct, props: PlacedStackProps) {
    const { cloud } = props;
    const client = clientConfig(props.client);
    const name = stackNameFor(client.id, cloud.id);
    super(scope, name);
    this.stackName = name;
    this.client = client;
    this.cloud = cloud;
    this.placement = placementRecord(client, cloud, props.placementReason);
    this.provider = openstackProvider(this, cloud);
    this.backend = configureBackend(this, cloud.state, name);
    configureEncryption(this, name, client, cloud);
  }

  /**
   * The stack's final Terraform JSON (every override applied, tokens resolved), judged by the registered
   * guardrails — throws `GuardrailError` on an error finding — with the placement under `//.sovstack`.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- cdktf's own signature: callers index the JSON as with any stack
  override toTerraform(): any {
    return withSovstackRecord(this, super.toTerraform() as Record<string, unknown>);
  }
}

function placementRecord(client: ClientConfig, cloud: CloudConfig, reason: string | undefined): PlacementRecord {
  return {
    clientId: client.id,
    cloudId: cloud.id,
    sensitivity: client.policy.sensitivity,
    stateHostedIn: cloud.state.hostedIn ?? cloud.id,
    ...(reason !== undefined ? { reason } : {}),
  };
}

function openstackProvider(stack: TerraformStack, cloud: CloudConfig): provider.OpenstackProvider {
  const openstack = new provider.OpenstackProvider(stack, 'openstack', {
    authUrl: cloud.openstack.authUrl,
    region: cloud.openstack.region,
    cloud: cloud.openstack.cloudsYamlName,
    maxRetries: cloud.operations.maxRetries,
  });
  if (cloud.openstack.endpointOverrides) {
    // Set through an override: cdktf snake-cases map keys of provider attributes, which would turn the
    // service types (`load-balancer`, `object-store`) into names OpenStack does not know.
    openstack.addOverride('endpoint_overrides', { ...cloud.openstack.endpointOverrides });
  }
  return openstack;
}

/**
 * Judges a placed stack's final Terraform JSON with its registered guardrails (throws `GuardrailError` on an
 * error finding) and adds sovstack's record under `//.sovstack`: the placement and, when guardrails are
 * registered, the suppressions honoured (with the JSON paths they cover) and the warnings. Keeps any other
 * `//` entry. Returns `tf`.
 *
 * @example
 * withSovstackRecord(stack, tf)['//'].sovstack.placement.cloudId; // 'sovereign-fr1'
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the JSON toTerraform returns, typed as cdktf types it
export function withSovstackRecord(stack: PlacedStack, tf: Record<string, unknown>): Record<string, any> {
  const sovstack: Record<string, unknown> = { placement: stack.placement };
  tf['//'] = { ...(tf['//'] ?? {}), sovstack };
  const report = enforceGuardrails(stack, tf);
  if (report) sovstack['guardrails'] = guardrailRecord(report);
  return tf;
}
