/**
 * The four sovstack labels every taggable resource carries, rendered per resource kind.
 *
 * - Neutron and Octavia resources (network, subnet, router, security group, port, floating IP,
 *   load balancer, listener, pool, member) take `tags`: a string set, rendered `key=value`.
 * - Nova instances and Cinder volumes take `metadata`: a string map with the keys as they are.
 * - Swift containers take `metadata` too, but Swift turns keys into HTTP headers
 *   (`X-Container-Meta-<key>`) where `:` is not allowed, so keys are rendered `sovstack-client`.
 * - Server groups, security-group rules, router interfaces, floating-IP associations, volume
 *   attachments, health monitors and DNS zones have neither: they carry nothing (DNS zones get a
 *   description naming the client).
 */
import type { Sensitivity } from '../core/config/schema.js';

/**
 * Input of {@link ResourceLabels}.
 */
export interface ResourceLabelsProps {
  /** Client id (`sovstack:client`). No default. */
  readonly clientId: string;
  /** Id of the cloud the client is placed on (`sovstack:cloud`). No default. */
  readonly cloudId: string;
  /** Client sensitivity (`sovstack:sensitivity`). No default. */
  readonly sensitivity: Sensitivity;
  /** Version of the toolkit that synthesized the stack (`sovstack:version`). No default. */
  readonly version: string;
}

/** Label keys, in the order they are rendered. */
export const LABEL_KEYS = ['sovstack:client', 'sovstack:cloud', 'sovstack:sensitivity', 'sovstack:version'] as const;

/**
 * The sovstack labels of one client's resources.
 *
 * @example
 * const labels = new ResourceLabels({ clientId: 'min-a', cloudId: 'sovereign-fr1', sensitivity: 'sensitive', version: '0.1.0' });
 * labels.tags();     // ['sovstack:client=min-a', 'sovstack:cloud=sovereign-fr1', ...]
 * labels.metadata(); // { 'sovstack:client': 'min-a', ... }
 */
export class ResourceLabels {
  /** The label values. */
  readonly props: ResourceLabelsProps;

  /** @param props The four label values; none has a default. */
  constructor(props: ResourceLabelsProps) {
    for (const [key, value] of Object.entries(props)) {
      if (typeof value !== 'string' || value.length === 0) throw new Error(`label ${key} must be a non-empty string`);
    }
    this.props = { ...props };
  }

  /** Key → value, in {@link LABEL_KEYS} order. */
  metadata(): Record<string, string> {
    return {
      'sovstack:client': this.props.clientId,
      'sovstack:cloud': this.props.cloudId,
      'sovstack:sensitivity': this.props.sensitivity,
      'sovstack:version': this.props.version,
    };
  }

  /** `key=value` strings for resources with a `tags` set (Neutron, Octavia). */
  tags(): string[] {
    return Object.entries(this.metadata()).map(([k, v]) => `${k}=${v}`);
  }

  /** Metadata for Swift containers: keys with `-` instead of `:` (header-safe). */
  containerMetadata(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.metadata()).map(([k, v]) => [k.replace(':', '-'), v]));
  }
}
