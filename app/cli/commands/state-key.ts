import { Argument, type Command } from 'commander';
import { failed, ok, type CommandResult } from '../../command.js';
import { StateKeyError } from '../../keys/errors.js';
import { manageStateKey, type StateKeyAction } from '../../keys/manage.js';
import { emit, outOption } from '../options.js';

/** Options of {@link stateKeyCommand}. */
export interface StateKeyOptions {
  /** Synth output folder holding `stacks/<stack>/cdk.tf.json`. */
  readonly out: string;
  /** Key version. Default: the one the stack's state is encrypted with (`delete` requires it). */
  readonly keyVersion?: number;
}

/**
 * `sovstack state-key <create|check|delete> <stack>`: creates (idempotent), checks or deletes a stack's
 * data key in its key manager, as named by the synthesized stack, with the deployer's OpenStack credentials.
 *
 * @example await stateKeyCommand('create', 'e2e-sov-lab-sovereign', { out: 'cdktf.out' }); // { exitCode: 0, stdout: 'created key …' }
 */
export async function stateKeyCommand(action: StateKeyAction, stack: string, options: StateKeyOptions): Promise<CommandResult> {
  try {
    const version = options.keyVersion;
    return ok(await manageStateKey(fetch, action, { out: options.out, stack, ...(version !== undefined ? { version } : {}) }, process.env));
  } catch (error) {
    if (error instanceof StateKeyError) return failed(`sovstack state-key ${action}: ${error.message}\n`);
    throw error;
  }
}

/** Adds `sovstack state-key` to `program`. */
export function registerStateKey(program: Command): void {
  program
    .command('state-key')
    .description("create, check or delete a stack's state encryption key in its key manager (docs/state-encryption.md)")
    .addArgument(
      new Argument('<action>', 'create (idempotent), check (readable with your credentials) or delete (retire a version)').choices([
        'create',
        'check',
        'delete',
      ]),
    )
    .argument('<stack>', 'stack name, <client>-<cloud>')
    .addOption(outOption())
    .option('--key-version <n>', 'key version (default: the one encrypting the state; required by delete)', (v) => Number.parseInt(v, 10))
    .action(async (action: StateKeyAction, stack: string, opts: { out: string; keyVersion?: number }) =>
      emit(await stateKeyCommand(action, stack, opts)),
    );
}
