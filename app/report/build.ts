/**
 * Building a plan report from a synth output, an optional base synth output and optional plans.
 */
import type { Sensitivity } from '../../core/config/schema.js';
import { canonicalStack, readSynthOutput, stackOwner, type SynthOutput, type TerraformJson } from '../affected/outdir.js';
import { readPlan, summarizePlan, zeroCounts, type PlanJson } from './plan.js';
import { costTotals, placementRows } from './placements.js';
import { suppressionsOf } from './suppressions.js';
import { byName, managedCount, synthDiff } from './synth-diff.js';
import type { Report, ReportWarning, StackReport } from './types.js';
import { reportWarnings } from './warnings.js';
import { markDataLoss } from './data-loss.js';

/** Inputs of {@link buildReport}. */
export interface BuildReportOptions {
  /** Synth output folder of the head (the change under review). */
  head: string;
  /** Synth output folder of the base branch. Default: none (no comparison, no deltas). */
  base?: string;
  /** `tofu show -json` file per stack name. Default: none (counts come from the synth comparison). */
  plans?: Record<string, string>;
}

/** What the steps of {@link buildReport} share: the inputs, read once. */
interface Inputs {
  head: SynthOutput;
  base: SynthOutput | undefined;
  plans: Map<string, { file: string; plan: PlanJson }>;
  cloudIds: string[];
}

function readInputs(options: BuildReportOptions): Inputs {
  const head = readSynthOutput(options.head);
  const base = options.base !== undefined ? readSynthOutput(options.base) : undefined;
  const plans = new Map<string, { file: string; plan: PlanJson }>();
  for (const [stack, file] of Object.entries(options.plans ?? {}).sort(([a], [b]) => byName(a, b))) {
    if (!head.stacks.has(stack)) {
      throw new Error(`plan ${file} is for stack ${stack}, which the head synth output (${options.head}) does not have`);
    }
    plans.set(stack, { file, plan: readPlan(file) });
  }
  const cloudIds = [...(head.placement?.clouds ?? []), ...(base?.placement?.clouds ?? [])].map((c) => c.id);
  return { head, base, plans, cloudIds };
}

/** The fields every stack summary starts with: owner, sensitivity, size and guardrail suppressions. */
function stackBase(name: string, stack: TerraformJson, from: SynthOutput, cloudIds: string[]): StackReport {
  const owner = stackOwner(name, from.placement, cloudIds);
  const sensitivity: Sensitivity | undefined = from.placement?.placements.find(
    (p) => p.client === owner.client && p.cloud === owner.cloud,
  )?.sensitivity;
  return {
    stack: name,
    ...owner,
    ...(sensitivity ? { sensitivity } : {}),
    source: 'none',
    counts: zeroCounts(),
    resourceCount: managedCount(stack),
    resources: [],
    otherChanges: [],
    suppressions: suppressionsOf(stack),
  };
}

/** Summary of a stack the head synthesizes: from its plan when given, else from the base comparison. */
function headStack(name: string, stack: TerraformJson, inputs: Inputs, planWarnings: ReportWarning[]): StackReport {
  const { base } = inputs;
  const report = stackBase(name, stack, inputs.head, inputs.cloudIds);
  const before = base?.stacks.get(name);
  if (base) report.status = before === undefined ? 'new' : canonicalStack(before) === canonicalStack(stack) ? 'unchanged' : 'changed';
  const planned = inputs.plans.get(name);
  if (planned) {
    Object.assign(report, summarizePlan(planned.plan), { source: 'plan', planFile: planned.file });
    if (planned.plan.terraform_version) report.engineVersion = planned.plan.terraform_version;
    if (planned.plan.errored) {
      const message = `the plan of ${name} errored: its counts are incomplete`;
      planWarnings.push({ kind: 'plan-errored', stack: name, client: report.client, message });
    }
  } else if (base) {
    Object.assign(report, { source: 'synth' }, synthDiff(before, stack));
  }
  markDataLoss(report.resources, before !== undefined ? [stack, before] : [stack]);
  return report;
}

/** Summary of a stack the base has and the head no longer synthesizes: every resource is orphaned. */
function removedStack(name: string, stack: TerraformJson, base: SynthOutput, cloudIds: string[]): StackReport {
  // Orphaned resources keep running: nothing is lost until an explicit destroy, so no blocker here.
  return {
    ...stackBase(name, stack, base, cloudIds),
    status: 'removed',
    source: 'synth',
    ...synthDiff(stack, undefined, 'orphaned: destroyed only when the stack is decommissioned'),
  };
}

function stackReports(inputs: Inputs, planWarnings: ReportWarning[]): StackReport[] {
  const { head, base } = inputs;
  const stacks = [...head.stacks].map(([name, stack]) => headStack(name, stack, inputs, planWarnings));
  for (const [name, stack] of base?.stacks ?? []) {
    if (base && !head.stacks.has(name)) stacks.push(removedStack(name, stack, base, inputs.cloudIds));
  }
  return stacks.sort((a, b) => byName(a.stack, b.stack));
}

/**
 * Builds a report: placements with their change against the base, one summary per stack (counts
 * from its plan when given, else from comparing the base and head synthesized JSON per resource
 * address) with the guardrail suppressions it carries, warnings and monthly cost estimates. Reads
 * files only; values are redacted as they are read.
 *
 * @throws when a folder or plan cannot be read, or a plan is given for a stack the head does not have.
 * @example
 * const report = buildReport({ head: 'cdktf.out', base: '/tmp/base.out', plans: { 'sante-dossiers-sovereign-fr1': 'plans/sante.json' } });
 * console.log(renderReportText(report));
 */
export function buildReport(options: BuildReportOptions): Report {
  const inputs = readInputs(options);
  const planWarnings: ReportWarning[] = [];
  const stacks = stackReports(inputs, planWarnings);
  const placements = placementRows(inputs.head, inputs.base);
  return {
    toolkitVersion: inputs.head.placement?.toolkitVersion ?? 'unknown',
    head: options.head,
    ...(options.base !== undefined ? { base: options.base } : {}),
    warnings: reportWarnings(inputs.head, placements, stacks, planWarnings),
    placements,
    stacks,
    costs: costTotals(placements, inputs.base !== undefined),
  };
}
