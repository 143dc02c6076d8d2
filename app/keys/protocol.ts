/**
 * OpenTofu's external key provider protocol, version 1 (the `external` key provider of OpenTofu ≥ 1.10):
 * the program first writes the header line `{"magic":"OpenTofu-External-Key-Provider","version":1}`,
 * then reads on stdin either `null` (encrypting only) or `{"external_data": {…}}` (the metadata stored
 * beside the encrypted state or plan, to decrypt it), and writes one JSON object
 * `{"keys": {"encryption_key": <base64>, "decryption_key"?: <base64>}, "meta": {"external_data": {…}}}`.
 * Pure: parsing the input and formatting the output; app/keys/provide.ts does the I/O.
 *
 * The metadata sovstack stores is `{"key_version": N}`: which version of the stack's data key encrypted
 * the data. Never a key, never a secret name (the state stores it in clear, base64).
 */

import { StateKeyError } from './errors.js';

/** The header OpenTofu expects first on stdout, followed by a newline. */
export const PROTOCOL_HEADER = JSON.stringify({ magic: 'OpenTofu-External-Key-Provider', version: 1 });

/** What OpenTofu asked: the key version the stored data was encrypted with, when it wants to decrypt. */
export interface KeyRequest {
  /** The version recorded in the stored metadata; undefined when OpenTofu only encrypts (input `null`) or recorded none. */
  readonly storedVersion?: number;
}

/**
 * Parses what OpenTofu writes on stdin.
 *
 * @throws StateKeyError when it is neither `null` nor an object with an optional `external_data` object.
 * @example
 * parseKeyRequest('null'); // {}
 * parseKeyRequest('{"external_data":{"key_version":2}}'); // { storedVersion: 2 }
 */
export function parseKeyRequest(text: string): KeyRequest {
  let input: unknown;
  try {
    input = JSON.parse(text.trim() === '' ? 'null' : text);
  } catch {
    throw new StateKeyError('the input from OpenTofu is not JSON (expected null or {"external_data": {…}})');
  }
  if (input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) throw new StateKeyError('the input from OpenTofu is neither null nor an object');
  const data = (input as { external_data?: unknown }).external_data;
  if (data === undefined || data === null) return {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new StateKeyError('external_data in the input from OpenTofu is not an object');
  const version = (data as { key_version?: unknown }).key_version;
  if (version === undefined) return {};
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    throw new StateKeyError(`the stored metadata names key version ${JSON.stringify(version)}, not a positive integer`);
  return { storedVersion: version };
}

/**
 * Which key versions to fetch for a request served by the provider of key version `own`: always `own`
 * (to encrypt), and `own` again to decrypt only when the stored data was encrypted with it. Data encrypted
 * with another version is left to the fallback key provider (OpenTofu tries it next).
 *
 * @example
 * decryptionVersion({ storedVersion: 1 }, 1); // 1
 * decryptionVersion({ storedVersion: 1 }, 2); // undefined
 */
export function decryptionVersion(request: KeyRequest, own: number): number | undefined {
  return request.storedVersion === own ? own : undefined;
}

/**
 * The JSON line answering OpenTofu: the encryption key of version `version`, the decryption key when
 * given, and the metadata recording the version.
 *
 * @example
 * formatKeyResponse(key, undefined, 1); // '{"keys":{"encryption_key":"…"},"meta":{"external_data":{"key_version":1}}}'
 */
export function formatKeyResponse(encryptionKey: Uint8Array, decryptionKey: Uint8Array | undefined, version: number): string {
  const keys: Record<string, string> = { encryption_key: Buffer.from(encryptionKey).toString('base64') };
  if (decryptionKey !== undefined) keys.decryption_key = Buffer.from(decryptionKey).toString('base64');
  return JSON.stringify({ keys, meta: { external_data: { key_version: version } } });
}
