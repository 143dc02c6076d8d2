/**
 * CIDR parsing for IPv4 and IPv6 with BigInt arithmetic: validity, containment and overlap.
 */

/** A parsed network: first address, prefix length and address family. */
export interface Network {
  version: 4 | 6;
  /** First address of the network as an integer. */
  start: bigint;
  /** Last address of the network as an integer. */
  end: bigint;
  prefix: number;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return value;
}

/**
 * Parses `address/prefix`. Returns undefined when the text is not a network in CIDR notation
 * or when host bits are set (`10.0.0.1/24` is an address, not a network).
 */
export function parseCidr(text: string): Network | undefined {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!match) return undefined;
  const [, address = '', prefixText = ''] = match;
  const version = address.includes(':') ? 6 : 4;
  const bits = version === 4 ? 32 : 128;
  const prefix = Number(prefixText);
  if (prefix > bits) return undefined;
  const start = version === 4 ? parseIpv4(address) : parseIpv6(address);
  if (start === undefined) return undefined;
  const hostBits = BigInt(bits - prefix);
  const hostMask = (1n << hostBits) - 1n;
  if ((start & hostMask) !== 0n) return undefined;
  return { version, start, end: start | hostMask, prefix };
}

/** True when `text` is a network in CIDR notation with host bits zero. */
export function isValidCidr(text: string): boolean {
  return parseCidr(text) !== undefined;
}

/** True when the two networks share at least one address. */
export function overlaps(a: Network, b: Network): boolean {
  return a.version === b.version && a.start <= b.end && b.start <= a.end;
}

/** True when `inner` lies entirely inside `outer`. */
export function contains(outer: Network, inner: Network): boolean {
  return outer.version === inner.version && outer.start <= inner.start && inner.end <= outer.end;
}

/** True for 0.0.0.0/0 and ::/0, the whole internet. */
export function isWholeInternet(text: string): boolean {
  const network = parseCidr(text);
  return network?.prefix === 0;
}
