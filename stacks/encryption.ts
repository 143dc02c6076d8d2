/**
 * OpenTofu's client-side state and plan encryption (`terraform.encryption`) in a stack's JSON, for the
 * stacks `encryptionFor` says must be encrypted: AES-GCM, state and plan both `enforced`, the data key
 * from the cloud's key manager through the `external` key provider (the `sovstack-state-key` program,
 * which fetches it from Barbican with the deployer's own OpenStack credentials), or from a passphrase
 * variable (`pbkdf2`) on a cloud without a key manager. No key and no passphrase is ever written here.
 * References are bare strings (`key_provider.external.v1`): OpenTofu refuses `${…}` templates there.
 */
import type { TerraformStack } from 'cdktf';
import { encryptionFor, type EncryptionDecision } from '../core/config/encryption.js';
import type { KeyManagerConfig } from '../core/config/encryption-schema.js';
import type { ClientConfig, CloudConfig } from '../core/config/schema.js';
import { STATE_KEY_PROGRAM } from '../core/guardrails/encryption-block.js';

/** Name of the key provider and AES-GCM method of key version `version`: `v<version>`. */
export function keyVersionName(version: number): string {
  return `v${version}`;
}

/** Name of the `unencrypted` method a stack keeps as fallback while adopting a clear state. */
export const ADOPTION_METHOD = 'adopt';

/** Name of the pbkdf2 key provider and its method. */
export const PASSPHRASE_NAME = 'passphrase';

type Json = Record<string, unknown>;

/** The argv OpenTofu runs to get the data key of `version` for `stack` from Barbican. */
export function stateKeyCommand(stack: string, cloud: CloudConfig, endpoint: string, version: number): string[] {
  return [
    STATE_KEY_PROGRAM,
    'provide',
    '--stack',
    stack,
    '--key-manager',
    endpoint,
    '--key-version',
    String(version),
    '--auth-url',
    cloud.openstack.authUrl,
    ...(cloud.openstack.cloudsYamlName !== undefined ? ['--os-cloud', cloud.openstack.cloudsYamlName] : []),
  ];
}

/** The variable a pbkdf2 key manager reads its passphrase from (`TF_VAR_<name>` → `<name>`). */
export function passphraseVariable(keyManager: Extract<KeyManagerConfig, { type: 'pbkdf2' }>): string {
  return keyManager.passphraseEnv.slice('TF_VAR_'.length);
}

function providersAndMethods(stack: string, cloud: CloudConfig, decision: EncryptionDecision, keyManager: KeyManagerConfig) {
  if (keyManager.type === 'pbkdf2') {
    const provider = { [PASSPHRASE_NAME]: { passphrase: `\${var.${passphraseVariable(keyManager)}}` } };
    return { keyProvider: { pbkdf2: provider }, aesGcm: { [PASSPHRASE_NAME]: { keys: `key_provider.pbkdf2.${PASSPHRASE_NAME}` } } };
  }
  const versions = [decision.keyVersion];
  if (decision.fallback !== undefined && 'keyVersion' in decision.fallback) versions.push(decision.fallback.keyVersion);
  const external: Json = {};
  const aesGcm: Json = {};
  for (const version of versions) {
    const name = keyVersionName(version);
    external[name] = { command: stateKeyCommand(stack, cloud, keyManager.endpoint, version) };
    aesGcm[name] = { keys: `key_provider.external.${name}` };
  }
  return { keyProvider: { external }, aesGcm };
}

/**
 * The `terraform.encryption` block of `stack` (undefined when the cloud has no key manager: the
 * `state-encryption` guardrail then refuses the stack). State and plan use the same method, enforced,
 * with the fallback (previous key version, or `unencrypted` for adoption) when the client declares one;
 * while adopting a clear state, `enforced` is false (OpenTofu forbids the `unencrypted` method otherwise),
 * which the guardrail reports as a warning until the fallback is removed.
 *
 * @example
 * encryptionBlock('e2e-sov-lab-sovereign', labSovereign, { reason: 'sensitive', keyManager, keyVersion: 1 });
 * // { key_provider: { external: { v1: { command: ['sovstack-state-key', 'provide', …] } } },
 * //   method: { aes_gcm: { v1: { keys: 'key_provider.external.v1' } } },
 * //   state: { method: 'method.aes_gcm.v1', enforced: true }, plan: { method: 'method.aes_gcm.v1', enforced: true } }
 */
export function encryptionBlock(stack: string, cloud: CloudConfig, decision: EncryptionDecision): Json | undefined {
  const keyManager = decision.keyManager;
  if (keyManager === undefined) return undefined;
  const { keyProvider, aesGcm } = providersAndMethods(stack, cloud, decision, keyManager);
  const primary = keyManager.type === 'pbkdf2' ? PASSPHRASE_NAME : keyVersionName(decision.keyVersion);
  const method: Json = { aes_gcm: aesGcm };
  let fallback: string | undefined;
  if (decision.fallback !== undefined && 'unencrypted' in decision.fallback) {
    method.unencrypted = { [ADOPTION_METHOD]: {} };
    fallback = `method.unencrypted.${ADOPTION_METHOD}`;
  } else if (decision.fallback !== undefined && keyManager.type === 'barbican') {
    fallback = `method.aes_gcm.${keyVersionName(decision.fallback.keyVersion)}`;
  }
  // OpenTofu refuses an `unencrypted` method anywhere while `enforced` is true: adoption lifts it for one apply.
  const adopting = fallback === `method.unencrypted.${ADOPTION_METHOD}`;
  const target = (): Json => ({
    method: `method.aes_gcm.${primary}`,
    enforced: !adopting,
    ...(fallback !== undefined ? { fallback: { method: fallback } } : {}),
  });
  return { key_provider: keyProvider, method, state: target(), plan: target() };
}

/**
 * Adds the encryption block (and, for pbkdf2, the sensitive passphrase variable) to a placed stack when
 * `encryptionFor(client, cloud)` requires it. Returns the decision, undefined when the stack stays clear.
 *
 * @example
 * configureEncryption(stack, 'e2e-sov-lab-sovereign', client, cloud)?.reason; // 'sensitive'
 */
export function configureEncryption(
  stack: TerraformStack,
  stackName: string,
  client: ClientConfig,
  cloud: CloudConfig,
): EncryptionDecision | undefined {
  const decision = encryptionFor(client, cloud);
  if (decision === undefined) return undefined;
  const block = encryptionBlock(stackName, cloud, decision);
  if (block === undefined) return decision;
  stack.addOverride('terraform.encryption', block);
  if (decision.keyManager?.type === 'pbkdf2') {
    stack.addOverride(`variable.${passphraseVariable(decision.keyManager)}`, {
      type: 'string',
      sensitive: true,
      description: `passphrase of the state encryption, from ${decision.keyManager.passphraseEnv}`,
    });
  }
  return decision;
}
