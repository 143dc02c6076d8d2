/**
 * Where a stack's data keys live in the key manager: by name, derived from the stack name and the key
 * version, so nothing needs recording anywhere (`sovstack-state-<stack>-v<version>`).
 */

/**
 * The key manager's secret name of `stack`'s data key of `version`.
 *
 * @example stateKeyName('e2e-sov-lab-sovereign', 2); // 'sovstack-state-e2e-sov-lab-sovereign-v2'
 */
export function stateKeyName(stack: string, version: number): string {
  return `sovstack-state-${stack}-v${version}`;
}

/** Length in bytes of a data key: AES-256-GCM. */
export const STATE_KEY_BYTES = 32;
