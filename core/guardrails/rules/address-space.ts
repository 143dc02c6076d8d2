/**
 * Address spans of security-group remotes: lenient parsing (as Neutron accepts them) and whether a set
 * of spans covers a whole address family.
 */
import { parseCidr } from '../../config/cidr.js';

/** IP version of an address. */
export type IpVersion = 4 | 6;

/** A contiguous range of addresses of one family. */
export interface AddressSpan {
  /** Address family. */
  readonly version: IpVersion;
  /** First address. */
  readonly start: bigint;
  /** Last address. */
  readonly end: bigint;
  /** Prefix length. */
  readonly prefix: number;
}

/** Shortest IPv4 prefix a single ingress rule may open on a non-public port (/8 = 16.7 M addresses, an entire allocation). */
export const MIN_IPV4_PREFIX = 8;
/** Shortest IPv6 prefix a single ingress rule may open on a non-public port (/16: larger than any RIR allocation). */
export const MIN_IPV6_PREFIX = 16;

const bitsOf = (version: IpVersion): number => (version === 4 ? 32 : 128);

/** The whole address space of a family. */
export function wholeSpace(version: IpVersion): AddressSpan {
  return { version, start: 0n, end: (1n << BigInt(bitsOf(version))) - 1n, prefix: 0 };
}

/**
 * Parses a remote prefix the way Neutron accepts it: `address/len` with host bits masked off
 * (`10.1.2.3/0` is the whole IPv4 space) or a bare address (one host). Undefined when not an address.
 *
 * @example
 * parseRemotePrefix('1.2.3.4/0'); // { version: 4, start: 0n, end: 4294967295n, prefix: 0 }
 */
export function parseRemotePrefix(text: string): AddressSpan | undefined {
  const match = /^([^/\s]+)(?:\/(\d{1,3}))?$/.exec(text.trim());
  if (!match) return undefined;
  const address = match[1] ?? '';
  const version: IpVersion = address.includes(':') ? 6 : 4;
  const bits = bitsOf(version);
  const host = parseCidr(`${address}/${bits}`);
  const prefix = match[2] === undefined ? bits : Number(match[2]);
  if (!host || prefix > bits) return undefined;
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  const start = host.start & ~hostMask;
  return { version, start, end: start | hostMask, prefix };
}

/** True when the spans (all of `version`) together cover every address of the family. */
export function coversWholeSpace(spans: readonly AddressSpan[], version: IpVersion): boolean {
  const last = wholeSpace(version).end;
  let next = 0n;
  for (const span of [...spans].filter((s) => s.version === version).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))) {
    if (span.start > next) return false;
    if (span.end + 1n > next) next = span.end + 1n;
    if (next > last) return true;
  }
  return next > last;
}

/** True when one span alone is wider than the documented bound of its family. */
export function isTooWide(span: AddressSpan): boolean {
  return span.prefix < (span.version === 4 ? MIN_IPV4_PREFIX : MIN_IPV6_PREFIX);
}
