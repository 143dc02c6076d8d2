/**
 * Rule `state-encryption`: a stack whose state and plans must be encrypted (a sensitive client's, always;
 * a standard client's that opted in, or on a cloud encrypting every stack — decided from the estate by
 * `encryptionFor`, not from the stack) carries OpenTofu's encryption block with both the state and the
 * plan enforced, an AES-GCM method whose keys come from a declared key provider, and no fallback to
 * clear text unless the client's config declares the adoption of a clear state (then a warning).
 */
import { encryptionFor, type EncryptionDecision } from '../../config/encryption.js';
import { encryptionBlockOf, labelledBlocks, parseReference, singleBlock, type LabelledBlock } from '../encryption-block.js';
import type { GuardrailContext, GuardrailRule, RuleFinding } from '../types.js';

type Rec = Record<string, unknown>;

const WHY: Record<EncryptionDecision['reason'], string> = {
  sensitive: 'sensitive client',
  'client-opt-in': 'client opting in (stateEncryption.enabled)',
  'cloud-encrypts-all': 'client on a cloud with encryptAllStacks',
};

interface Blocks {
  readonly methods: LabelledBlock[];
  readonly providers: LabelledBlock[];
}

/** Problems of the method `ref` points at: it must exist, be AES-GCM, and take keys from a declared provider. */
function methodProblem(blocks: Blocks, ref: unknown): string | undefined {
  const parsed = parseReference(ref, 'method');
  if (parsed === undefined) return `names no method as a bare reference (method.<type>.<name>): ${JSON.stringify(ref)}`;
  const method = blocks.methods.find((m) => m.type === parsed.type && m.name === parsed.name);
  if (method === undefined) return `names method.${parsed.type}.${parsed.name}, which is not declared`;
  if (method.type !== 'aes_gcm') return `uses method ${method.type}, not aes_gcm`;
  const keys = parseReference(method.body.keys, 'key_provider');
  if (keys === undefined) return `uses method.aes_gcm.${method.name}, whose keys are not a bare key_provider reference`;
  if (!blocks.providers.some((p) => p.type === keys.type && p.name === keys.name))
    return `uses method.aes_gcm.${method.name}, whose key provider key_provider.${keys.type}.${keys.name} is not declared`;
  return undefined;
}

function fallbackFindings(ctx: GuardrailContext, blocks: Blocks, target: Rec, path: string, decision: EncryptionDecision): RuleFinding[] {
  if (target.fallback === undefined) return [];
  const fallback = singleBlock(target.fallback);
  const ref = fallback?.method;
  const parsed = parseReference(ref, 'method');
  const declared = parsed && blocks.methods.find((m) => m.type === parsed.type && m.name === parsed.name);
  if (declared?.type === 'unencrypted') {
    const adopting = isAdopting(decision);
    const message = adopting
      ? `${path} still reads a clear state (adoption of ${ctx.client.id}); fix: after the next apply has encrypted it, remove stateEncryption.fallback`
      : `${path} falls back to clear text, which ${ctx.client.id}'s config does not declare; fix: remove the unencrypted fallback (or declare the adoption with stateEncryption.fallback.unencrypted)`;
    return [{ jsonPath: `${path}.fallback`, level: adopting ? 'warning' : 'error', message }];
  }
  const problem = methodProblem(blocks, ref);
  if (problem === undefined) return [];
  return [{ jsonPath: `${path}.fallback`, message: `the fallback of ${path} ${problem}; fix: fall back to the previous aes_gcm key only` }];
}

function isAdopting(decision: EncryptionDecision): boolean {
  return decision.fallback !== undefined && 'unencrypted' in decision.fallback;
}

/** `enforced` not true: an error, or a warning while the client's config declares the adoption of a clear state. */
function enforcedFinding(ctx: GuardrailContext, path: string, value: unknown, kind: string, decision: EncryptionDecision): RuleFinding {
  const jsonPath = `${path}.enforced`;
  if (isAdopting(decision) && value === false)
    return {
      jsonPath,
      level: 'warning',
      message: `${path} is not enforced while ${ctx.client.id} adopts a clear state; fix: after the next apply has encrypted it, remove stateEncryption.fallback`,
    };
  return {
    jsonPath,
    message: `${path}.enforced is ${JSON.stringify(value ?? null)}, so OpenTofu would accept a clear ${kind}; fix: set enforced: true`,
  };
}

function targetFindings(ctx: GuardrailContext, encryption: Rec, blocks: Blocks, kind: 'state' | 'plan', decision: EncryptionDecision) {
  const path = `terraform.encryption.${kind}`;
  const target = singleBlock(encryption[kind]);
  const fix = `fix: synthesize the stack with sovstack (stacks/encryption.ts) and do not override terraform.encryption`;
  if (target === undefined) return [{ jsonPath: path, message: `the ${kind} of ${ctx.stack} is not encrypted (no ${kind} block); ${fix}` }];
  const findings: RuleFinding[] = [];
  if (target.enforced !== true) findings.push(enforcedFinding(ctx, path, target.enforced, kind, decision));
  const problem = methodProblem(blocks, target.method);
  if (problem !== undefined) findings.push({ jsonPath: `${path}.method`, message: `${path} ${problem}; ${fix}` });
  return [...findings, ...fallbackFindings(ctx, blocks, target, path, decision)];
}

/**
 * The stack's state and plan are encrypted as its estate requires: both enforced, AES-GCM with a declared
 * key provider, no undeclared fallback to clear text.
 *
 * @example
 * stateEncryption.check(ctx); // [{ jsonPath: 'terraform', message: 'the state and plans of sensitive client e2e-sov are not encrypted …' }]
 */
export const stateEncryption: GuardrailRule = {
  id: 'state-encryption',
  description: "a sensitive (or opted-in) client's state and plans are encrypted: AES-GCM, enforced, keys from a key provider",
  inspects: ['terraform.encryption'],
  runWhenAbsent: true,
  check(ctx) {
    const decision = encryptionFor(ctx.client, ctx.placedCloud);
    if (decision === undefined) return { notApplicable: 'a standard client whose state encryption is not turned on' };
    const encryption = encryptionBlockOf(ctx.artifact.json);
    if (encryption === undefined) {
      const fix =
        decision.keyManager === undefined
          ? `give cloud ${ctx.placedCloud.id} a keyManager in clouds/${ctx.placedCloud.id}.yaml (\`keyManager: { type: barbican, endpoint: https://… }\`, ` +
            `or the fallback \`keyManager: { type: pbkdf2, passphraseEnv: TF_VAR_sovstack_state_passphrase }\`; docs/state-encryption.md)`
          : 'synthesize with sovstack and do not override or remove terraform.encryption';
      const message = `the state and plans of ${WHY[decision.reason]} ${ctx.client.id} are not encrypted (no terraform.encryption block); fix: ${fix}`;
      return [{ jsonPath: 'terraform', message }];
    }
    const blocks = { methods: labelledBlocks(encryption, 'method'), providers: labelledBlocks(encryption, 'key_provider') };
    return [...targetFindings(ctx, encryption, blocks, 'state', decision), ...targetFindings(ctx, encryption, blocks, 'plan', decision)];
  },
};
