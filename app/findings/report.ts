/**
 * What every machine-readable format renders: which command ran, what it looked at and what it found.
 */
import type { Finding } from '../../core/findings.js';

/** The output formats of `validate`, `check` and `synth` (`--format`). */
export const FINDINGS_FORMATS = ['text', 'json', 'sarif', 'junit'] as const;

/** One of {@link FINDINGS_FORMATS}; `text` is the commands' own human-readable output. */
export type FindingsFormat = (typeof FINDINGS_FORMATS)[number];

/**
 * One command's findings, with what it checked so that formats listing passes (JUnit) can show them.
 *
 * @example
 * { command: 'validate', subjects: ['config/clouds/sovereign-fr1.yaml'], findings: [], outdir: 'cdktf.out' }
 */
export interface FindingsReport {
  /** Command that produced the findings, e.g. `validate`. */
  readonly command: string;
  /** Files or stacks the command checked, in order; a finding belongs to its `file`, else its `stack`. */
  readonly subjects: readonly string[];
  /** What the command found, in the order it found them. */
  readonly findings: readonly Finding[];
  /** Output folder that holds the stacks of stack findings (`<outdir>/stacks/<stack>/cdk.tf.json`). Default `cdktf.out`. */
  readonly outdir?: string;
}

/** Number of findings at each level. */
export function countLevels(findings: readonly Finding[]): { errors: number; warnings: number; notes: number } {
  return {
    errors: findings.filter((f) => f.level === 'error').length,
    warnings: findings.filter((f) => f.level === 'warning').length,
    notes: findings.filter((f) => f.level === 'note').length,
  };
}

/** The subject a finding belongs to: its file, else its stack, else the whole run (`(run)`). */
export const subjectOf = (finding: Finding): string => finding.file ?? finding.stack ?? '(run)';

/** Where a stack's Terraform JSON lies in the output folder. */
export const stackFile = (outdir: string, stack: string): string => `${outdir}/stacks/${stack}/cdk.tf.json`;

/** Rule ids of `findings`, each once, sorted. */
export const ruleIds = (findings: readonly Finding[]): string[] => [...new Set(findings.map((f) => f.rule))].sort();
