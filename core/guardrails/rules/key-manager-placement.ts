/**
 * Rule `key-manager-placement`: the key manager holding the data key of a stack's state and plans is on
 * a cloud that passes the client's sovereignty rules (the same rules, and the same host → cloud mapping,
 * as `sensitive-state-backend`): whoever holds the key can read the state. The host is read from the
 * final JSON — the `--key-manager` URL of the `sovstack-state-key` external key provider, an openbao
 * `address` — never from a declaration. A passphrase (`pbkdf2`) lives in the deployer's environment and
 * is on no cloud. Any other key provider (another program, a hyperscaler KMS) cannot be placed: an error
 * for a sensitive client, a warning for a standard one.
 */
import { hostMapOf, judgeEndpoint } from '../host-checks.js';
import { encryptionBlockOf, labelledBlocks, runsStateKeyProgram, type LabelledBlock } from '../encryption-block.js';
import type { GuardrailContext, GuardrailRule, RuleFinding } from '../types.js';
import { undecidableLevel } from '../values.js';
import { failedHostRules } from './sensitive-state-backend.js';

/** Where a key provider's keys live: a URL with its JSON path, nowhere (`none`), or unknown (a finding). */
type KeyHost = { kind: 'url'; value: unknown; jsonPath: string } | { kind: 'none' } | { kind: 'unknown'; message: string };

function externalKeyHost(provider: LabelledBlock): KeyHost {
  const command = provider.body.command;
  if (!runsStateKeyProgram(command))
    return {
      kind: 'unknown',
      message: `runs ${JSON.stringify(command ?? null).slice(0, 80)}, not sovstack-state-key, so where its key lives is unknown`,
    };
  const at = command.indexOf('--key-manager');
  if (at < 0 || at + 1 >= command.length) return { kind: 'unknown', message: 'runs sovstack-state-key without --key-manager' };
  if (command.includes('--key-manager', at + 1)) return { kind: 'unknown', message: 'gives --key-manager twice' };
  return { kind: 'url', value: command[at + 1], jsonPath: `${provider.jsonPath}.command[${at + 1}]` };
}

function keyHost(provider: LabelledBlock): KeyHost {
  switch (provider.type) {
    case 'external':
      return externalKeyHost(provider);
    case 'pbkdf2':
      return { kind: 'none' };
    case 'openbao':
      return { kind: 'url', value: provider.body.address, jsonPath: `${provider.jsonPath}.address` };
    default:
      return { kind: 'unknown', message: `is a ${provider.type} key provider, whose keys are on no declared cloud` };
  }
}

function providerFindings(ctx: GuardrailContext, provider: LabelledBlock): RuleFinding[] {
  const where = keyHost(provider);
  const preferred = ctx.placedCloud.id;
  if (where.kind === 'none') return [];
  if (where.kind === 'unknown') {
    const message = `key provider ${provider.type}.${provider.name} ${where.message}; fix: use the key manager of ${preferred} (keyManager in its YAML)`;
    return [{ jsonPath: provider.jsonPath, level: undecidableLevel(ctx), message }];
  }
  const what = `the key manager of key provider ${provider.type}.${provider.name}`;
  const at = { jsonPath: where.jsonPath, form: 'url' as const, what, preferred, unknownHost: undecidableLevel(ctx) };
  const verdict = judgeEndpoint(ctx, hostMapOf(ctx), where.value, at);
  if (verdict.kind === 'finding') return [verdict.finding];
  const host = verdict.cloudId === preferred ? ctx.placedCloud : ctx.clouds.get(verdict.cloudId);
  if (host === undefined)
    return [
      {
        jsonPath: where.jsonPath,
        level: undecidableLevel(ctx),
        message: `${what} is on unknown cloud ${verdict.cloudId}; fix: use a key manager of ${preferred}`,
      },
    ];
  const failed = failedHostRules(ctx, host);
  if (failed.length === 0) return [];
  const message =
    `${what} reaches ${verdict.hosts.join(', ')}, a host of ${host.id}, which fails ${failed.map((v) => `${v.rule} (${v.reason})`).join('; ')} ` +
    `for ${ctx.client.policy.sensitivity} client ${ctx.client.id}: whoever holds the key reads the state; fix: keep the key in a key manager of a cloud that passes these rules (keyManager of ${preferred})`;
  return [{ jsonPath: where.jsonPath, message }];
}

/**
 * Every key provider of the stack's encryption block keeps its key on a cloud passing the client's
 * sovereignty rules (or in the deployer's environment, for a passphrase).
 *
 * @example
 * keyManagerPlacement.check(ctx);
 * // [{ jsonPath: 'terraform.encryption.key_provider.external.v1.command[5]', message: 'the key manager of … a host of vendor-eu-west-0, which fails …' }]
 */
export const keyManagerPlacement: GuardrailRule = {
  id: 'key-manager-placement',
  description: "the key manager holding a stack's state key is on a cloud that passes the client's sovereignty rules",
  inspects: ['terraform.encryption'],
  runWhenAbsent: true,
  check(ctx) {
    const encryption = encryptionBlockOf(ctx.artifact.json);
    const providers = encryption === undefined ? [] : labelledBlocks(encryption, 'key_provider');
    if (providers.length === 0) return { notApplicable: 'the stack has no key provider' };
    return providers.flatMap((provider) => providerFindings(ctx, provider));
  },
};
