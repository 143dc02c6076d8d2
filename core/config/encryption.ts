/**
 * Whether a stack's state and plans are encrypted, and with what: decided from the estate (the client's
 * sensitivity, its opt-in, its cloud's `encryptAllStacks`), never from a flag a sensitive client can drop.
 * Pure; `stacks/encryption.ts` writes the block and the `state-encryption` guardrail checks it.
 */
import type { KeyManagerConfig, StateEncryptionConfig } from './encryption-schema.js';
import type { ClientConfig, CloudConfig } from './schema.js';

/** Why a stack is encrypted. */
export type EncryptionReason = 'sensitive' | 'client-opt-in' | 'cloud-encrypts-all';

/** The fallback a stack's encryption keeps while rotating (`keyVersion`) or adopting a clear state (`unencrypted`). */
export type EncryptionFallback = NonNullable<StateEncryptionConfig['fallback']>;

/**
 * What a stack's encryption is: why it is required, its key manager (undefined when the cloud has none,
 * which the guardrail refuses), the key version and the temporary fallback.
 *
 * @example
 * { reason: 'sensitive', keyManager: { type: 'barbican', endpoint: 'https://kms.fr1.sovereign.example' }, keyVersion: 1 }
 */
export interface EncryptionDecision {
  /** Why the stack is encrypted. */
  readonly reason: EncryptionReason;
  /** The placed cloud's key manager; undefined when it has none. */
  readonly keyManager?: KeyManagerConfig;
  /** Version of the data key encrypting from now on. Default 1. */
  readonly keyVersion: number;
  /** The previous key or the clear state, readable while rotating or adopting. Default: none. */
  readonly fallback?: EncryptionFallback;
}

function reasonFor(client: ClientConfig, cloud: CloudConfig): EncryptionReason | undefined {
  if (client.policy.sensitivity === 'sensitive') return 'sensitive';
  if (client.stateEncryption?.enabled === true) return 'client-opt-in';
  if (client.stateEncryption?.enabled !== false && cloud.encryptAllStacks === true) return 'cloud-encrypts-all';
  return undefined;
}

/**
 * The encryption of `client`'s stack on `cloud`, or undefined when its state and plans stay clear
 * (a standard client that did not opt in, on a cloud that does not encrypt every stack).
 *
 * @example
 * encryptionFor(sensitiveClient, sovereignFr1)?.reason; // 'sensitive'
 * encryptionFor(standardClient, sovereignFr1); // undefined
 */
export function encryptionFor(client: ClientConfig, cloud: CloudConfig): EncryptionDecision | undefined {
  const reason = reasonFor(client, cloud);
  if (reason === undefined) return undefined;
  const settings = client.stateEncryption;
  return {
    reason,
    ...(cloud.keyManager !== undefined ? { keyManager: cloud.keyManager } : {}),
    keyVersion: settings?.keyVersion ?? 1,
    ...(settings?.fallback !== undefined ? { fallback: settings.fallback } : {}),
  };
}
