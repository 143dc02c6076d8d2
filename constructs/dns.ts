/**
 * A client's Designate DNS zone.
 */
import { Construct } from 'constructs';
import { dnsZoneV2 } from '../.gen/providers/openstack/index.js';
import type { z } from 'zod';
import { DnsSchema } from '../core/config/schema.js';
import type { ResourceLabels } from './labels.js';

/** The DNS part of a service (`service.dns`), as written: see {@link DnsSchema}. */
export type DnsSpec = z.input<typeof DnsSchema>;

/**
 * Props of {@link Dns}.
 */
export interface DnsProps {
  /** Zone name (with trailing dot) and contact email, validated with {@link DnsSchema}. No default. Example: `{ zone: 'app.example.gouv.fr.', email: 'dns@example.gouv.fr' }`. */
  readonly spec: DnsSpec;
  /** Labels; a zone takes neither tags nor metadata, so the client id goes into its description. No default. */
  readonly labels: ResourceLabels;
  /** Zone TTL in seconds. Default 3600. */
  readonly ttl?: number;
}

/**
 * One primary `dns_zone_v2` (construct id `zone`), no records.
 *
 * @example
 * new Dns(this, 'dns', { spec: { zone: 'app.example.gouv.fr.', email: 'dns@example.gouv.fr' }, labels });
 */
export class Dns extends Construct {
  /** The zone. */
  readonly zone: dnsZoneV2.DnsZoneV2;

  /**
   * @param scope Parent construct.
   * @param id Construct id.
   * @param props See {@link DnsProps}.
   */
  constructor(scope: Construct, id: string, props: DnsProps) {
    super(scope, id);
    const spec = DnsSchema.parse(props.spec);
    this.zone = new dnsZoneV2.DnsZoneV2(this, 'zone', {
      name: spec.zone,
      email: spec.email,
      type: 'PRIMARY',
      ttl: props.ttl ?? 3600,
      description: `sovstack zone of client ${props.labels.props.clientId}`,
    });
  }
}
