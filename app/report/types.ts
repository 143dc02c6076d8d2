/**
 * The data model of a plan report: what `buildReport` returns and the renderers print.
 * The JSON form of a report is this object as it is.
 */
import type { Sensitivity } from '../../core/config/schema.js';

/**
 * What happens to one resource. From a plan: `create`, `update`, `replace`, `destroy`, `no-op`,
 * `read` (data source), `forget` (removed from state, left running). From a synth comparison
 * (no plan): `create`, `destroy` and `change` (configuration differs; a plan tells whether in place
 * or by replacement).
 */
export type ResourceAction = 'create' | 'update' | 'replace' | 'destroy' | 'no-op' | 'read' | 'forget' | 'change';

/** Number of resources per action. */
export interface ActionCounts {
  create: number;
  update: number;
  replace: number;
  destroy: number;
  noop: number;
  read: number;
  forget: number;
  /** Synth comparison only: configuration changed, update or replace unknown without a plan. */
  change: number;
}

/** One changed attribute of a resource; values are short JSON renderings with secrets redacted. */
export interface AttributeChange {
  path: string;
  /** Absent when the attribute did not exist before. */
  before?: string;
  /** Absent when the attribute no longer exists; `(known after apply)` when unknown at plan time. */
  after?: string;
  /** The plan says a change of this attribute forces the resource's replacement. */
  forcesReplacement?: boolean;
}

/** One resource that changes (no-ops are only counted). */
export interface ResourceChange {
  /** Terraform address, e.g. `openstack_networking_subnet_v2.network_subnet-back_4D5E6F`. */
  address: string;
  type: string;
  action: ResourceAction;
  /** Why, in words (plan's `action_reason`), when the plan says. */
  reason?: string;
  /** Address the resource had before a `moved` block. */
  previousAddress?: string;
  attributes: AttributeChange[];
  /** Why the change loses data (a data volume, a container, a server with volumes destroyed or replaced): a blocker. */
  blocker?: string;
}

/** Where a stack's counts come from: a `tofu show -json` plan, a base/head synth comparison, or nothing. */
export type CountSource = 'plan' | 'synth' | 'none';

/** How a stack compares with the base synth. */
export type StackStatus = 'new' | 'changed' | 'unchanged' | 'removed';

/** Summary of one stack. */
export interface StackReport {
  stack: string;
  client: string;
  cloud: string;
  /** From the placement (head, or base for a removed stack); absent when unknown. */
  sensitivity?: Sensitivity;
  /** Absent without a base. */
  status?: StackStatus;
  source: CountSource;
  counts: ActionCounts;
  /** Resources in the stack's synthesized JSON (head; base for a removed stack). */
  resourceCount: number;
  /** Every resource that changes, sorted by address. */
  resources: ResourceChange[];
  /** Synth comparison: top-level blocks other than resources that changed (`provider`, `terraform`, `output`…). */
  otherChanges: string[];
  /** Plan file the counts come from. */
  planFile?: string;
  /** `terraform_version` of the plan (OpenTofu's version). */
  engineVersion?: string;
  /** Guardrail violations suppressed in this stack (head; base for a removed stack), sorted by rule then path. */
  suppressions: GuardrailSuppression[];
}

/** A guardrail violation someone suppressed, as recorded in the stack's JSON (`//.sovstack.guardrails.suppressed`). */
export interface GuardrailSuppression {
  /** Rule id, e.g. `no-world-open-ingress`. */
  rule: string;
  /** Construct path of the element the rule flagged. */
  path: string;
  /** Why it was suppressed, as written by whoever suppressed it. */
  reason: string;
  /** Construct path the suppression is attached to, when recorded. */
  suppressedAt?: string;
  /** The violation's message, when recorded. */
  message?: string;
}

/** How a client's placement compares with the base. */
export type PlacementChange = 'new' | 'unchanged' | 'moved' | 'removed';

/** A money amount. */
export interface Money {
  currency: string;
  amount: number;
}

/** One client: where it is placed and what it costs. */
export interface PlacementRow {
  client: string;
  clientName: string;
  /** Cloud in the head; for a removed client, the cloud it was on. */
  cloud: string;
  /** Stack of the client in the head; for a removed client, its base stack. */
  stack: string;
  sensitivity: Sensitivity;
  /** Absent without a base. */
  change?: PlacementChange;
  /** Cloud in the base, when the client moved. */
  previousCloud?: string;
  reason: string;
  /** Head estimate (absent when the cloud has no prices or the client was removed). */
  monthly?: Money;
  /** Base estimate. */
  baseMonthly?: Money;
  /** monthly − baseMonthly (a missing side counts as 0) when both are in the same currency. */
  delta?: Money;
}

/** Kinds of loud warnings. */
export type WarningKind =
  | 'data-loss'
  | 'destroy'
  | 'replace'
  | 'moved'
  | 'removed-client'
  | 'sensitive-change'
  | 'deprecated-cloud'
  | 'placement-failure'
  | 'placement-warning'
  | 'plan-errored';

/** A warning printed at the top of every rendering. */
export interface ReportWarning {
  kind: WarningKind;
  message: string;
  client?: string;
  stack?: string;
}

/** Total monthly estimate in one currency. */
export interface CostTotal {
  currency: string;
  monthly: number;
  /** Absent without a base. */
  baseMonthly?: number;
  delta?: number;
}

/** A plan report over one synth output, optionally compared with a base and enriched by plans. */
export interface Report {
  /** sovstack version that synthesized the head. */
  toolkitVersion: string;
  /** Head synth output folder. */
  head: string;
  /** Base synth output folder. */
  base?: string;
  warnings: ReportWarning[];
  placements: PlacementRow[];
  stacks: StackReport[];
  costs: CostTotal[];
}
