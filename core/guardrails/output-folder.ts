/**
 * Guardrails on a whole synth output folder (`sovstack check --out`): each stack folder is mapped to the
 * placement that explains it (from the estate, never from the folder) and its file is judged.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizedStackNames } from '../check/check-dir.js';
import type { Finding } from '../findings.js';
import type { StackPlacement } from './evaluate.js';
import { GUARDRAIL_RULES } from './rules/index.js';
import { evaluateStackFile } from './stack-file.js';
import type { GuardrailReport, GuardrailRule } from './types.js';

/** Rule id of the finding about a stack folder no placement of the estate explains. */
export const UNPLACED_STACK_RULE = 'guardrail-unplaced-stack';

/** What {@link guardOutputFolder} found. */
export interface OutputFolderReport {
  /** One report per stack folder that a placement explains, in stack-name order. */
  readonly reports: readonly GuardrailReport[];
  /** Every unsuppressed finding, stack by stack, including stacks no placement explains. */
  readonly findings: readonly Finding[];
}

/**
 * Judges every stack of the output folder `outdir`: `placementOf(name)` gives the estate's placement
 * behind a stack name (undefined when none explains it, which is an error finding).
 *
 * @throws Error when `<outdir>/stacks` does not exist.
 * @example
 * const { findings } = guardOutputFolder('cdktf.out', (name) => byName.get(name));
 */
export function guardOutputFolder(
  outdir: string,
  placementOf: (stack: string) => StackPlacement | undefined,
  rules: readonly GuardrailRule[] = GUARDRAIL_RULES,
): OutputFolderReport {
  const reports: GuardrailReport[] = [];
  const findings: Finding[] = [];
  for (const stack of synthesizedStackNames(outdir)) {
    const where = placementOf(stack);
    if (!where) {
      findings.push({
        rule: UNPLACED_STACK_RULE,
        level: 'error',
        stack,
        jsonPath: '',
        message: `no placement of the estate explains stack ${stack}; fix: synthesize from the estate again, or check --config names the estate this output came from`,
      });
      continue;
    }
    const report = evaluateStackFile(stack, readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json')), where, rules);
    reports.push(report);
    findings.push(...report.findings);
  }
  return { reports, findings };
}
