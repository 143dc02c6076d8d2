/**
 * OpenSSH public keys as written in `authorized_keys` (`ssh-ed25519 AAAA… comment`): parsed from
 * their wire format, checked for a key type sovstack accepts, and fingerprinted the way
 * `ssh-keygen -l` does.
 *
 * Accepted: Ed25519, and RSA of at least {@link MIN_RSA_BITS} bits. Refused with the reason: DSA
 * (broken, removed from OpenSSH), ECDSA and security-key types (not accepted by every Nova), short
 * RSA, and anything that is not a well-formed key.
 */
import { createHash, createPublicKey } from 'node:crypto';

/** Smallest RSA modulus accepted, in bits (ANSSI's cryptographic guide asks 3072 bits for keys used beyond 2030). */
export const MIN_RSA_BITS = 3072;

/** A public key that passed {@link parsePublicKey}. */
export interface SshPublicKey {
  /** Key type as written: `ssh-ed25519` or `ssh-rsa`. */
  readonly type: 'ssh-ed25519' | 'ssh-rsa';
  /** Key size in bits: 256 for Ed25519, the modulus size for RSA. */
  readonly bits: number;
  /** `SHA256:` and the unpadded base64 SHA-256 of the key blob, as `ssh-keygen -l` prints it. */
  readonly fingerprint: string;
  /** The comment after the key, when there is one (usually `user@host`). */
  readonly comment?: string;
  /** `<type> <base64>`: the key without its comment. */
  readonly normalized: string;
}

/** Either the parsed key or why it is refused (a sentence that never quotes the key). */
export type PublicKeyResult = { ok: true; key: SshPublicKey } | { ok: false; problem: string };

const REFUSED_TYPES: Readonly<Record<string, string>> = {
  'ssh-dss': 'a DSA key (OpenSSH has dropped DSA)',
  'ecdsa-sha2-nistp256': 'an ECDSA key',
  'ecdsa-sha2-nistp384': 'an ECDSA key',
  'ecdsa-sha2-nistp521': 'an ECDSA key',
  'sk-ssh-ed25519@openssh.com': 'a security-key (FIDO) key',
  'sk-ecdsa-sha2-nistp256@openssh.com': 'a security-key (FIDO) key',
};

const ACCEPTED = 'use an Ed25519 key (`ssh-keygen -t ed25519`) or an RSA key of at least 3072 bits (`ssh-keygen -t rsa -b 4096`)';

/** Reads the length-prefixed strings of an SSH wire-format blob, refusing lengths past its end. */
class WireReader {
  private offset = 0;
  constructor(private readonly blob: Buffer) {}

  /** The next string, or undefined when its length field runs past the blob. */
  next(): Buffer | undefined {
    if (this.offset + 4 > this.blob.length) return undefined;
    const length = this.blob.readUInt32BE(this.offset);
    const start = this.offset + 4;
    if (length > this.blob.length - start) return undefined;
    this.offset = start + length;
    return this.blob.subarray(start, this.offset);
  }

  /** True when every byte was read. */
  get done(): boolean {
    return this.offset === this.blob.length;
  }
}

/** An unsigned big-endian integer without the sign byte an SSH mpint may carry. */
const unsigned = (mpint: Buffer): Buffer => {
  let start = 0;
  while (start < mpint.length - 1 && mpint[start] === 0) start++;
  return mpint.subarray(start);
};

/** Number of significant bits of a big-endian unsigned integer. */
function bitLength(value: Buffer): number {
  const first = value[0] ?? 0;
  return first === 0 ? 0 : (value.length - 1) * 8 + (32 - Math.clz32(first));
}

/** The key material of an `ssh-rsa` blob (after its type string), checked by node:crypto. */
function rsaKey(reader: WireReader): { bits: number } | { problem: string } {
  const e = reader.next();
  const n = reader.next();
  if (e === undefined || n === undefined || !reader.done) return { problem: 'its RSA key data is truncated or has extra bytes' };
  const modulus = unsigned(n);
  const bits = bitLength(modulus);
  if (bits < MIN_RSA_BITS) return { problem: `an RSA key of ${bits} bits is too short (at least ${MIN_RSA_BITS})` };
  try {
    createPublicKey({ key: { kty: 'RSA', n: modulus.toString('base64url'), e: unsigned(e).toString('base64url') }, format: 'jwk' });
  } catch {
    return { problem: 'its RSA key data is not a valid RSA public key' };
  }
  return { bits };
}

/** The key material of an `ssh-ed25519` blob (after its type string), checked by node:crypto. */
function ed25519Key(reader: WireReader): { bits: number } | { problem: string } {
  const point = reader.next();
  if (point === undefined || point.length !== 32 || !reader.done) return { problem: 'its Ed25519 key data is not 32 bytes' };
  try {
    createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: point.toString('base64url') }, format: 'jwk' });
  } catch {
    return { problem: 'its Ed25519 key data is not a valid public key' };
  }
  return { bits: 256 };
}

/** The blob of a base64 field, or undefined when it is not canonical base64. */
function decodeBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  const blob = Buffer.from(text, 'base64');
  return blob.toString('base64') === text ? blob : undefined;
}

/**
 * Parses one OpenSSH public key line (`<type> <base64> [comment]`) and checks it: type accepted,
 * base64 canonical, wire-format lengths consistent, the type inside the blob equal to the one
 * written, the key itself valid (RSA at least {@link MIN_RSA_BITS} bits).
 *
 * @example
 * const result = parsePublicKey('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI… ops@bastion');
 * if (result.ok) result.key.fingerprint; // 'SHA256:…' as `ssh-keygen -l -f key.pub` prints it
 */
export function parsePublicKey(line: string): PublicKeyResult {
  const fields = line.trim().split(/\s+/);
  const [type = '', body = ''] = fields;
  const comment = fields.slice(2).join(' ');
  if (type.startsWith('-----BEGIN')) return { ok: false, problem: `this is a PEM block, not an OpenSSH public key line; ${ACCEPTED}` };
  const refused = REFUSED_TYPES[type];
  if (refused !== undefined) return { ok: false, problem: `${refused} is not accepted; ${ACCEPTED}` };
  if (type !== 'ssh-ed25519' && type !== 'ssh-rsa') {
    return { ok: false, problem: `expected an OpenSSH public key line \`<type> <base64> [comment]\`; ${ACCEPTED}` };
  }
  const blob = decodeBase64(body);
  if (blob === undefined) return { ok: false, problem: `the key data after \`${type}\` is not valid base64` };
  const reader = new WireReader(blob);
  const inner = reader.next()?.toString('latin1');
  if (inner !== type)
    return { ok: false, problem: `the key data does not hold a \`${type}\` key (it says ${inner ?? 'nothing readable'})` };
  const material = type === 'ssh-rsa' ? rsaKey(reader) : ed25519Key(reader);
  if ('problem' in material) return { ok: false, problem: material.problem };
  const fingerprint = `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
  const key: SshPublicKey = { type, bits: material.bits, fingerprint, normalized: `${type} ${body}`, ...(comment ? { comment } : {}) };
  return { ok: true, key };
}
