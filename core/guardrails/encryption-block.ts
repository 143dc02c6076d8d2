/**
 * Reading a stack's `terraform.encryption` block (OpenTofu state and plan encryption) from its final
 * JSON: its key providers, methods and the state/plan targets, with JSON paths. Pure; shared by the
 * rules `state-encryption` and `key-manager-placement`. Terraform JSON may write a block as an object
 * or as a list of one object; anything else reads as absent (the rules fail closed on it).
 */
import { isRecord } from '../json.js';

type Rec = Record<string, unknown>;

/** The program OpenTofu runs as sovstack's `external` key provider (the package's bin; docs/state-encryption.md). */
export const STATE_KEY_PROGRAM = 'sovstack-state-key';

/**
 * Whether an `external` key provider's `command` runs sovstack's key program: by name, or by a path ending in
 * `/sovstack-state-key`.
 *
 * @example runsStateKeyProgram(['sovstack-state-key', 'provide', '--stack', 's']); // true
 */
export function runsStateKeyProgram(command: unknown): command is [string, ...unknown[]] {
  if (!Array.isArray(command) || typeof command[0] !== 'string') return false;
  const program = command[0];
  return program === STATE_KEY_PROGRAM || program.endsWith(`/${STATE_KEY_PROGRAM}`);
}

/** A block written as an object or a list of exactly one object; undefined otherwise. */
export function singleBlock(value: unknown): Rec | undefined {
  if (isRecord(value)) return value;
  if (Array.isArray(value) && value.length === 1 && isRecord(value[0])) return value[0];
  return undefined;
}

/** The stack's `terraform.encryption` block, or undefined when it has none (or an unreadable one). */
export function encryptionBlockOf(stack: unknown): Rec | undefined {
  const terraform = isRecord(stack) ? singleBlock(stack.terraform) : undefined;
  return terraform === undefined ? undefined : singleBlock(terraform.encryption);
}

/** One labelled block `<kind>.<type>.<name>` of the encryption block (a key provider or a method). */
export interface LabelledBlock {
  /** Its type, e.g. `external`, `aes_gcm`. */
  readonly type: string;
  /** Its name, e.g. `v1`. */
  readonly name: string;
  /** JSON path, e.g. `terraform.encryption.key_provider.external.v1`. */
  readonly jsonPath: string;
  /** Its attributes (empty when unreadable). */
  readonly body: Rec;
}

/** Every `key_provider` (kind `key_provider`) or `method` (kind `method`) block of an encryption block. */
export function labelledBlocks(encryption: Rec, kind: 'key_provider' | 'method'): LabelledBlock[] {
  const byType = singleBlock(encryption[kind]) ?? {};
  return Object.entries(byType).flatMap(([type, byName]) =>
    Object.entries(singleBlock(byName) ?? {}).map(([name, body]) => ({
      type,
      name,
      jsonPath: `terraform.encryption.${kind}.${type}.${name}`,
      body: singleBlock(body) ?? {},
    })),
  );
}

/** A bare reference `<kind>.<type>.<name>` (OpenTofu's form in JSON), split; undefined when it is not one. */
export function parseReference(value: unknown, kind: 'key_provider' | 'method'): { type: string; name: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const match = new RegExp(`^${kind}\\.([A-Za-z0-9_-]+)\\.([A-Za-z0-9_-]+)$`).exec(value);
  return match ? { type: match[1] ?? '', name: match[2] ?? '' } : undefined;
}
