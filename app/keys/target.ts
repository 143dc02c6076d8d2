/**
 * The key a stack's encryption block asks for: parsing the `sovstack-state-key provide …` argv, from the
 * command line or from a synthesized stack's `terraform.encryption` (so `sovstack state-key` acts on
 * exactly the keys OpenTofu will fetch).
 */
import { parseArgs } from 'node:util';
import {
  encryptionBlockOf,
  labelledBlocks,
  parseReference,
  runsStateKeyProgram,
  singleBlock,
} from '../../core/guardrails/encryption-block.js';
import { StateKeyError } from './errors.js';
import type { StateKeyTarget } from './provide.js';

/** How `sovstack-state-key` is called. */
export const PROVIDE_USAGE =
  'usage: sovstack-state-key provide --stack <stack> --key-manager <url> --key-version <n> [--auth-url <url>] [--os-cloud <entry>]';

/**
 * The target of a `provide` argv (without the program name).
 *
 * @throws StateKeyError with the usage when the argv is not a valid `provide` call.
 * @example parseProvideArgs(['provide', '--stack', 's', '--key-manager', 'http://127.0.0.1:9311', '--key-version', '1']).keyVersion; // 1
 */
export function parseProvideArgs(argv: readonly string[]): StateKeyTarget {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        stack: { type: 'string' },
        'key-manager': { type: 'string' },
        'key-version': { type: 'string' },
        'auth-url': { type: 'string' },
        'os-cloud': { type: 'string' },
      },
    });
  } catch (error) {
    throw new StateKeyError(`${error instanceof Error ? error.message : String(error)}; ${PROVIDE_USAGE}`);
  }
  const { values, positionals } = parsed;
  const version = Number(values['key-version']);
  if (positionals.join(' ') !== 'provide' || !values.stack || !values['key-manager'] || !Number.isInteger(version) || version < 1)
    throw new StateKeyError(PROVIDE_USAGE);
  return {
    stack: values.stack,
    keyManager: values['key-manager'],
    keyVersion: version,
    ...(values['auth-url'] !== undefined ? { authUrl: values['auth-url'] } : {}),
    ...(values['os-cloud'] !== undefined ? { osCloud: values['os-cloud'] } : {}),
  };
}

/** The keys a synthesized stack fetches: every `sovstack-state-key` provider, and the one encrypting its state. */
export interface StackKeys {
  /** Every key version the stack's providers fetch (the primary and any fallback). */
  readonly all: readonly StateKeyTarget[];
  /** The key the state is encrypted with from now on (undefined when the state method uses no sovstack key). */
  readonly primary?: StateKeyTarget;
}

/**
 * The sovstack data keys of a synthesized stack's JSON.
 *
 * @example stackKeys(JSON.parse(readFileSync('cdktf.out/stacks/s/cdk.tf.json', 'utf8'))).primary?.keyVersion; // 1
 */
export function stackKeys(stackJson: unknown): StackKeys {
  const encryption = encryptionBlockOf(stackJson);
  if (encryption === undefined) return { all: [] };
  const byProvider = new Map<string, StateKeyTarget>();
  for (const provider of labelledBlocks(encryption, 'key_provider')) {
    const command = provider.body.command;
    if (provider.type !== 'external' || !runsStateKeyProgram(command)) continue;
    byProvider.set(provider.name, parseProvideArgs(command.slice(1).map(String)));
  }
  const methodRef = parseReference(singleBlock(encryption.state)?.method, 'method');
  const method = labelledBlocks(encryption, 'method').find((m) => m.type === methodRef?.type && m.name === methodRef.name);
  const keys = parseReference(method?.body.keys, 'key_provider');
  const primary = keys?.type === 'external' ? byProvider.get(keys.name) : undefined;
  return { all: [...byProvider.values()], ...(primary !== undefined ? { primary } : {}) };
}
