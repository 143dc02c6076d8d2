/**
 * Saved plans that outlive their run, so that `deploy --plans <dir>` applies exactly what was reviewed.
 *
 * Every plan the orchestrator saves (`<stack>.tfplan`) gets a record beside it (`<stack>.tfplan.meta`)
 * naming the stack, the digest of the configuration it was planned from (the stack's `cdk.tf.json` bytes)
 * and the digest of the plan file. `deploy --plans` refuses a plan whose record is missing, names another
 * stack or another plan file, or was planned from a configuration other than the one synthesized now (the
 * base branch moved, or the estate changed, since the review): applying it would deploy a configuration
 * nobody synthesized, and record the wrong one as deployed. OpenTofu itself refuses a plan the state has
 * moved past.
 *
 * `plan --save-plans <dir>` copies what may leave the machine, e.g. as CI artifacts: every stack's sanitized
 * `<stack>.plan.json` (what the report reads), and the binary plan with its record only when the stack's
 * synthesized JSON enforces plan encryption (`terraform.encryption.plan.enforced`), because a saved plan
 * holds every value of the configuration and state, secrets included, and only an encrypted one is
 * ciphertext.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isRecord } from '../../core/json.js';
import { encryptionBlockOf, singleBlock } from '../../core/guardrails/encryption-block.js';
import { PLAN_FILE_SUFFIX } from '../report/index.js';
import { digest, fileDigest } from './digest.js';

/** Suffix of a saved plan. */
export const SAVED_PLAN_SUFFIX = '.tfplan';

/** Suffix of a saved plan's record (JSON), beside it; not `.json`, which readers of a plans folder take for a plan. */
export const PLAN_RECORD_SUFFIX = '.tfplan.meta';

const FORMAT = 'sovstack-saved-plan/1';

/** What a saved plan was made from: written beside `<stack>.tfplan` by every plan of the orchestrator. */
export interface PlanRecord {
  format: typeof FORMAT;
  stack: string;
  /** `sha256:<hex>` of the stack's `cdk.tf.json` as planned. */
  config: string;
  /** `sha256:<hex>` of the plan file. */
  plan: string;
}

/** A reviewed plan that passed every check: the file to apply and its hash. */
export interface ReviewedPlan {
  file: string;
  hash: string;
}

/** Why a reviewed plan is refused; the message names the stack, what differs and the fix. */
export class ReviewedPlanError extends Error {}

/** The saved plan and its record of `stack` in `dir`. */
export function savedPlanPaths(dir: string, stack: string): { plan: string; record: string } {
  return { plan: join(dir, `${stack}${SAVED_PLAN_SUFFIX}`), record: join(dir, `${stack}${PLAN_RECORD_SUFFIX}`) };
}

/**
 * Writes the record of the plan just saved at `<dir>/<stack>.tfplan`, planned from `stackJsonText`.
 *
 * @returns the plan's hash.
 */
export function recordSavedPlan(dir: string, stack: string, stackJsonText: string): string {
  const paths = savedPlanPaths(dir, stack);
  const record: PlanRecord = { format: FORMAT, stack, config: digest(stackJsonText), plan: fileDigest(paths.plan) };
  writeFileSync(paths.record, `${JSON.stringify(record, null, 2)}\n`);
  return record.plan;
}

/**
 * Whether the stack's Terraform JSON makes OpenTofu encrypt its saved plans and refuse clear ones: a
 * `terraform.encryption` block whose `plan` target is `enforced: true` (what the `state-encryption`
 * guardrail requires of a sensitive client's stack).
 *
 * @example plansEncrypted(readFileSync('cdktf.out/stacks/s/cdk.tf.json', 'utf8')); // true
 */
export function plansEncrypted(stackJsonText: string): boolean {
  const block = encryptionBlockOf(JSON.parse(stackJsonText) as unknown);
  const plan = block === undefined ? undefined : singleBlock(block.plan);
  return plan !== undefined && plan.enforced === true;
}

function readRecord(file: string): PlanRecord | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (!isRecord(value) || value.format !== FORMAT) return undefined;
    const { stack, config, plan } = value;
    return typeof stack === 'string' && typeof config === 'string' && typeof plan === 'string'
      ? { format: FORMAT, stack, config, plan }
      : undefined;
  } catch {
    return undefined;
  }
}

const REPLAN = 're-plan it (sovstack plan) and review it again';

/**
 * The reviewed plan of `stack` in `dir`, copied into `into` (the run's private plans folder, so that the file
 * applied is the file checked), after checking its record against the plan and the configuration
 * synthesized now.
 *
 * @returns undefined when `dir` holds no plan for the stack.
 * @throws {@link ReviewedPlanError} when the plan is there but must not be applied.
 */
export function takeReviewedPlan(dir: string, stack: string, stackJsonText: string, into: string): ReviewedPlan | undefined {
  const source = savedPlanPaths(dir, stack);
  if (!existsSync(source.plan)) return undefined;
  mkdirSync(into, { recursive: true, mode: 0o700 });
  // Absolute: OpenTofu reads it from the stack's working directory.
  const copy = savedPlanPaths(resolve(into), `${stack}.reviewed`);
  copyFileSync(source.plan, copy.plan);
  const hash = fileDigest(copy.plan);
  const record = existsSync(source.record) ? readRecord(source.record) : undefined;
  if (record === undefined) {
    throw new ReviewedPlanError(
      `the reviewed plan ${source.plan} has no readable record (${stack}${PLAN_RECORD_SUFFIX}) of what it was planned from; ${REPLAN}`,
    );
  }
  if (record.stack !== stack) {
    throw new ReviewedPlanError(`the reviewed plan ${source.plan} is recorded as a plan of ${record.stack}, not of ${stack}; ${REPLAN}`);
  }
  if (record.plan !== hash) {
    throw new ReviewedPlanError(`the reviewed plan ${source.plan} is not the file its record describes (its hash differs); ${REPLAN}`);
  }
  if (record.config !== digest(stackJsonText)) {
    throw new ReviewedPlanError(
      `the reviewed plan of ${stack} was made from another configuration than the one synthesized now ` +
        `(the base branch or the estate changed since the review); ${REPLAN}`,
    );
  }
  return { file: copy.plan, hash };
}

/**
 * `plan --save-plans <dir>`: copies the stack's sanitized plan JSON from the run's plans folder `from` into
 * `dir`, and its binary plan with the record when {@link plansEncrypted}.
 *
 * @returns whether the binary plan was kept.
 */
export function savePlan(from: string, dir: string, stack: string, stackJsonText: string): boolean {
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(from, `${stack}${PLAN_FILE_SUFFIX}`), join(dir, `${stack}${PLAN_FILE_SUFFIX}`));
  const source = savedPlanPaths(from, stack);
  const target = savedPlanPaths(dir, stack);
  if (!plansEncrypted(stackJsonText)) {
    // A binary plan an earlier save left there is not the plan of this configuration.
    rmSync(target.plan, { force: true });
    rmSync(target.record, { force: true });
    return false;
  }
  copyFileSync(source.plan, target.plan);
  copyFileSync(source.record, target.record);
  return true;
}
