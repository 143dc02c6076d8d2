/**
 * A client's Designate DNS zone.
 */
import { Construct } from 'constructs';
import { dnsRecordsetV2, dnsZoneV2 } from '../.gen/providers/openstack/index.js';
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
  /**
   * A records to create in the zone: a DNS label (`lb`, `web-1`) and an IPv4 address (token), e.g. a floating IP.
   * Default: none.
   */
  readonly records?: readonly DnsRecord[];
  /** TTL of the records, in seconds. Default 300 (short: addresses change when servers are replaced). */
  readonly recordTtl?: number;
}

/** One A record of {@link DnsProps.records}: `<label>.<zone>` → `address`. */
export interface DnsRecord {
  /** DNS label inside the zone, e.g. `lb` or `web-1`; the construct id of the record is `record-<label>`. */
  readonly label: string;
  /** IPv4 address (or a token resolving to one). */
  readonly address: string;
}

/**
 * One primary `dns_zone_v2` (construct id `zone`) and one `dns_recordset_v2` of type A per record
 * (construct id `record-<label>`), named fully qualified with the trailing dot Designate expects
 * (`lb.app.example.gouv.fr.`).
 *
 * @example
 * new Dns(this, 'dns', { spec: { zone: 'app.example.gouv.fr.', email: 'dns@example.gouv.fr' }, labels });
 */
export class Dns extends Construct {
  /** The zone. */
  readonly zone: dnsZoneV2.DnsZoneV2;
  /** The records, by label. */
  readonly records: Readonly<Record<string, dnsRecordsetV2.DnsRecordsetV2>>;

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
    const records: Record<string, dnsRecordsetV2.DnsRecordsetV2> = {};
    for (const record of props.records ?? []) {
      if (records[record.label]) throw new Error(`DNS record "${record.label}" is declared twice in zone ${spec.zone}`);
      records[record.label] = new dnsRecordsetV2.DnsRecordsetV2(this, `record-${record.label}`, {
        zoneId: this.zone.id,
        name: `${record.label}.${spec.zone}`,
        type: 'A',
        records: [record.address],
        ttl: props.recordTtl ?? 300,
        description: `sovstack record of client ${props.labels.props.clientId}`,
      });
    }
    this.records = records;
  }
}
