/**
 * Config of state and plan encryption: a cloud's key manager (where the data keys live) and a client's
 * encryption settings (opt-in for a standard client, key version, rotation and adoption fallbacks).
 * Kept apart from schema.ts so the encryption fields are one block; schema.ts only references them.
 * Whether a stack is encrypted is decided by `encryptionFor` (core/config/encryption.ts), never by a
 * flag a sensitive client could drop.
 */
import { z } from 'zod';

/** Name of the `TF_VAR_<variable>` environment variable OpenTofu reads the passphrase from. */
const PassphraseEnvSchema = z
  .string()
  .regex(/^TF_VAR_[A-Za-z_][A-Za-z0-9_]*$/, {
    message:
      'expected the name of a TF_VAR_ environment variable, e.g. TF_VAR_sovstack_state_passphrase (OpenTofu reads variables from TF_VAR_<name>)',
  })
  .meta({
    description: 'Name of a `TF_VAR_<variable>` environment variable (OpenTofu reads it as the variable `<variable>`). Never its value.',
  });

/** Version of a stack's data key: the Barbican secret `sovstack-state-<stack>-v<version>`. */
export const KeyVersionSchema = z
  .number()
  .int()
  .min(1)
  .max(999)
  .meta({ description: "Version of the stack's data key, 1 to 999: the key manager's secret `sovstack-state-<stack>-v<version>`." });

/**
 * Where the data keys of a cloud's encrypted stacks come from: its Barbican (`endpoint`, whose host must be
 * listed under the owning cloud's `hosts`, judged by the `key-manager-placement` guardrail), or, for a cloud
 * without a key manager, a passphrase read from an environment variable by OpenTofu's `pbkdf2` key provider.
 *
 * @example
 * { type: 'barbican', endpoint: 'https://kms.fr1.sovereign.example' }
 */
export const KeyManagerSchema = z
  .discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('barbican').meta({ description: "OpenStack's key manager; the deployer's own OpenStack credentials fetch the key." }),
      endpoint: z.url().meta({
        description:
          "Barbican API URL (without /v1). Its host must be listed under `hosts` of the cloud that runs it; the key-manager-placement guardrail judges that cloud by the client's sovereignty rules.",
        examples: ['https://kms.fr1.sovereign.example'],
      }),
    }),
    z.strictObject({
      type: z.literal('pbkdf2').meta({ description: 'Fallback for a cloud without a key manager: a key derived from a passphrase.' }),
      passphraseEnv: PassphraseEnvSchema.meta({
        description:
          'Environment variable holding the passphrase (at least 16 characters) at plan and apply time; the stack declares the sensitive variable it names. Never the value.',
        examples: ['TF_VAR_sovstack_state_passphrase'],
      }),
    }),
  ])
  .meta({ description: "Where the data keys encrypting the state and plans of this cloud's stacks come from. Default: none." });
/** A cloud's key manager, see {@link KeyManagerSchema}. */
export type KeyManagerConfig = z.infer<typeof KeyManagerSchema>;

/** Whether every stack of a cloud is encrypted, standard clients included. */
export const EncryptAllStacksSchema = z.boolean().default(false).meta({
  description:
    "Encrypt the state and plans of every stack on this cloud, standard clients included (sensitive clients' stacks always are). Needs `keyManager`. Default false.",
});

/**
 * A client's state and plan encryption: opt-in for a standard client (a sensitive client is always
 * encrypted and may not set `enabled: false`), the data key version, and a temporary fallback while
 * rotating (`fallback.keyVersion`: the previous key) or adopting an existing clear state (`fallback.unencrypted`).
 *
 * @example
 * { keyVersion: 2, fallback: { keyVersion: 1 } }
 */
export const StateEncryptionSchema = z
  .strictObject({
    enabled: z.boolean().optional().meta({
      description:
        "Encrypt this client's state and plans. A standard client opts in with true; a sensitive client is always encrypted (false is refused). Default: true for sensitive clients and on clouds with `encryptAllStacks`, else false.",
    }),
    keyVersion: KeyVersionSchema.default(1).meta({ description: 'Version of the data key that encrypts from now on. Default 1.' }),
    fallback: z
      .union([
        z.strictObject({
          keyVersion: KeyVersionSchema.meta({ description: 'The previous key version, still able to decrypt while rotating.' }),
        }),
        z.strictObject({
          unencrypted: z.literal(true).meta({ description: 'Read an existing clear state once, while turning encryption on (adoption).' }),
        }),
      ])
      .optional()
      .meta({
        description:
          'Temporary: the previous key while rotating, or `unencrypted: true` while adopting a clear state. Remove it after the next apply. Default: none.',
      }),
  })
  .meta({
    description: "State and plan encryption of this client's stacks (docs/state-encryption.md). Default: decided by sensitivity and cloud.",
  });
/** A client's encryption settings after parsing, see {@link StateEncryptionSchema}. */
export type StateEncryptionConfig = z.infer<typeof StateEncryptionSchema>;
