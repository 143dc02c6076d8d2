/**
 * Reads security-group rules of a stack artifact into ingress entries (group, protocol, ports, remote
 * span), reporting every value that cannot be decided statically.
 */
import { isExpression, undecidableLevel } from '../values.js';
import type { ArtifactElement, GuardrailContext, RuleFinding } from '../types.js';
import { parseRemotePrefix, wholeSpace, type AddressSpan, type IpVersion } from './address-space.js';

/** One ingress rule as address space and ports. */
export interface IngressEntry {
  /** The rule's `security_group_id` as written (a reference expression or a literal id). */
  readonly group: string;
  /** Protocol, lower case; `any` when missing. Numbers are named (`6` → `tcp`). */
  readonly protocol: string;
  /** First and last port reached (every port for a protocol without ports). */
  readonly ports: readonly [number, number];
  /** Remote address span. */
  readonly span: AddressSpan;
  /** How the remote is written, for messages: the prefix, or `any source`. */
  readonly remote: string;
  /** JSON path to report: the rule's `remote_ip_prefix`, or the rule itself when it has no remote. */
  readonly jsonPath: string;
}

const PROTOCOL_NAMES: Readonly<Record<string, string>> = { '6': 'tcp', '17': 'udp', '132': 'sctp', '1': 'icmp', '58': 'ipv6-icmp' };
const WITH_PORTS = new Set(['tcp', 'udp', 'sctp', 'dccp', 'udplite']);
const ALL_PORTS: readonly [number, number] = [0, 65535];
const isUnset = (v: unknown): boolean => v === undefined || v === null || v === '';

class Undecidable extends Error {}

function literal(ctx: GuardrailContext, e: ArtifactElement, attr: string, out: RuleFinding[]): unknown {
  const value = e.body[attr];
  if (!isExpression(value)) return value;
  const shown = String(value).length > 60 ? `${String(value).slice(0, 57)}…` : String(value);
  out.push({
    jsonPath: `${e.jsonPath}.${attr}`,
    level: undecidableLevel(ctx),
    message:
      `${attr} is the Terraform expression ${shown}, which cannot be checked before plan (fails closed for a sensitive ` +
      `client, warns for a standard one); fix: write a literal value`,
  });
  throw new Undecidable();
}

function portOf(value: unknown, fallback: number): number {
  if (isUnset(value)) return fallback;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isInteger(n) ? n : fallback;
}

function remoteOf(
  ctx: GuardrailContext,
  e: ArtifactElement,
  out: RuleFinding[],
): { span: AddressSpan; remote: string; jsonPath: string }[] {
  const prefix = literal(ctx, e, 'remote_ip_prefix', out);
  if (isUnset(prefix)) {
    if (!isUnset(e.body['remote_group_id'])) return [];
    const ethertype = literal(ctx, e, 'ethertype', out);
    const versions: IpVersion[] = ethertype === 'IPv6' ? [6] : ethertype === 'IPv4' || isUnset(ethertype) ? [4] : [4, 6];
    return versions.map((v) => ({ span: wholeSpace(v), remote: 'any source (no remote)', jsonPath: e.jsonPath }));
  }
  const span = typeof prefix === 'string' ? parseRemotePrefix(prefix) : undefined;
  const jsonPath = `${e.jsonPath}.remote_ip_prefix`;
  if (span) return [{ span, remote: String(prefix), jsonPath }];
  out.push({
    jsonPath,
    message: `remote_ip_prefix is not an IP prefix, so its reach cannot be judged; fix: write a CIDR such as 10.0.0.0/24`,
  });
  throw new Undecidable();
}

function entriesOf(ctx: GuardrailContext, e: ArtifactElement, out: RuleFinding[]): IngressEntry[] {
  const direction = literal(ctx, e, 'direction', out);
  if (direction === 'egress') return [];
  const raw = literal(ctx, e, 'protocol', out);
  const name = isUnset(raw) ? 'any' : String(raw).toLowerCase();
  const protocol = PROTOCOL_NAMES[name] ?? name;
  let ports = ALL_PORTS;
  if (WITH_PORTS.has(protocol)) {
    const min = literal(ctx, e, 'port_range_min', out);
    const max = literal(ctx, e, 'port_range_max', out);
    ports = [portOf(min, 0), portOf(max, 65535)];
  }
  const group = JSON.stringify(e.body['security_group_id'] ?? '');
  return remoteOf(ctx, e, out).map((r) => ({ group, protocol, ports, ...r }));
}

/**
 * The ingress entries of the security-group rules in `ctx.elements`; values that cannot be decided
 * (expressions, invalid prefixes) are pushed to `out` and their rule is left out.
 */
export function ingressEntries(ctx: GuardrailContext, out: RuleFinding[]): IngressEntry[] {
  return ctx.elements.flatMap((e) => {
    try {
      return entriesOf(ctx, e, out);
    } catch (error) {
      if (error instanceof Undecidable) return [];
      throw error;
    }
  });
}
