/**
 * Types of the artifact guardrails: rules judge each stack's FINAL Terraform JSON (the parsed
 * `cdk.tf.json`, after every override, tokens resolved), in the context of the estate (the client's
 * config and the cloud the placement engine put it on), never in the context the stack claims for itself.
 */
import type { IConstruct } from 'constructs';
import type { ClientConfig, CloudConfig, Sensitivity } from '../config/schema.js';
import type { Finding, FindingLevel } from '../findings.js';

/**
 * Where a client's stack was placed. Built from the estate (client config + placement engine); the copy
 * recorded under `//.sovstack.placement` in the stack JSON is informative only and never trusted.
 *
 * @example
 * { clientId: 'min-interieur', cloudId: 'sovereign-fr1', sensitivity: 'sensitive', stateHostedIn: 'sovereign-fr1',
 *   reason: 'only eligible cloud' }
 */
export interface PlacementRecord {
  /** Client id. */
  readonly clientId: string;
  /** Id of the cloud the client is placed on. */
  readonly cloudId: string;
  /** Client sensitivity. */
  readonly sensitivity: Sensitivity;
  /** Cloud whose premises hold the stack's Terraform state (`state.hostedIn`, default the placed cloud). */
  readonly stateHostedIn: string;
  /** The placement engine's sentence explaining the choice. Default: none. */
  readonly reason?: string;
}

/**
 * A stack the guardrails can check at synth: it knows its placement, the placed cloud and the client
 * (all from the estate). `ClientStack` implements it.
 */
export interface GuardrailTarget extends IConstruct {
  /** Stack name, `<client>-<cloud>`. */
  readonly stackName: string;
  /** The placement this stack realises. */
  readonly placement: PlacementRecord;
  /** The cloud the stack is placed on. */
  readonly cloud: CloudConfig;
  /** The client the stack is for. */
  readonly client: ClientConfig;
}

/**
 * Kind of a part of the stack JSON a rule may inspect. `document` is the whole stack JSON (selector `*`).
 */
export type ArtifactKind = 'resource' | 'data' | 'provider' | 'backend' | 'output' | 'variable' | 'local' | 'document';

/**
 * What a rule inspects, one selector per entry:
 * - a resource type, e.g. `openstack_networking_secgroup_rule_v2`;
 * - `data.<type>` for a data source type;
 * - `provider.<name>`, e.g. `provider.openstack` (every block, aliases included);
 * - `terraform.backend` (whatever its type) or `terraform.backend.<type>`, e.g. `terraform.backend.s3`;
 * - `output`, `variable`, `locals` (every output, variable, local value);
 * - `*`: the whole stack JSON as one `document` element (every string of it).
 *
 * @example
 * ['openstack_networking_secgroup_rule_v2', 'openstack_networking_secgroup_v2']
 */
export type InspectSelector = string;

/**
 * One element of a stack's final Terraform JSON, as a rule sees it.
 *
 * @example
 * { kind: 'resource', type: 'openstack_networking_secgroup_rule_v2', name: 'web_rule-1',
 *   jsonPath: 'resource.openstack_networking_secgroup_rule_v2.web_rule-1',
 *   constructPath: 'c-sovereign-fr1/service/security-groups/web/rule-1', body: { direction: 'ingress', … } }
 */
export interface ArtifactElement {
  /** What part of the JSON this is. */
  readonly kind: ArtifactKind;
  /** Resource or data type, provider name (`openstack`), backend type (`s3`); `''` for output, variable, local, document. */
  readonly type: string;
  /** Resource/data/output/variable/local name, provider block index (`0`), backend type, `''` for the document. */
  readonly name: string;
  /** Path of the element in the stack JSON, e.g. `provider.openstack[0]`, `terraform.backend.s3`, `output.lb_vip`; `''` for the document. */
  readonly jsonPath: string;
  /** Construct path recorded by cdktf (`//.metadata.path`), when the JSON has one. Informative: the JSON is not trusted. */
  readonly constructPath?: string;
  /** The element's value with cdktf metadata (`//`) removed (the document keeps everything). Expressions are `${…}` strings. */
  readonly body: Readonly<Record<string, unknown>>;
}

/** The parsed final Terraform JSON of one stack and its elements. */
export interface StackArtifact {
  /** Stack name, `<client>-<cloud>`. */
  readonly stack: string;
  /** The whole stack JSON as parsed. */
  readonly json: Readonly<Record<string, unknown>>;
  /** Every element (resources, data, providers, backends, outputs, variables, locals), in JSON order. */
  readonly elements: readonly ArtifactElement[];
}

/**
 * Everything a rule sees about one stack: the estate's view of the client and its placement, and the
 * elements the rule declared in `inspects`. Plain data, so rules are pure functions.
 */
export interface GuardrailContext {
  /** Stack name, `<client>-<cloud>`. */
  readonly stack: string;
  /** The placement from the estate. */
  readonly placement: PlacementRecord;
  /** The cloud the stack is placed on (from the estate). */
  readonly placedCloud: CloudConfig;
  /** Every known cloud by id (for `state.hostedIn`, host ownership). Default: the placed cloud only. */
  readonly clouds: ReadonlyMap<string, CloudConfig>;
  /** The client the stack is for (its policy and service). */
  readonly client: ClientConfig;
  /** Ports the client allows open to the whole internet (`service.publicPorts`). */
  readonly publicPorts: readonly number[];
  /** The elements matching the rule's `inspects`, in JSON order. */
  readonly elements: readonly ArtifactElement[];
  /** The whole artifact, for rules that must relate elements (e.g. a rule to its security group). */
  readonly artifact: StackArtifact;
}

/**
 * What a rule reports; the runner adds the rule id, the stack and the construct path.
 *
 * @example
 * { jsonPath: 'resource.openstack_networking_port_v2.web_port.port_security_enabled',
 *   message: 'port security is disabled; fix: remove port_security_enabled = false' }
 */
export interface RuleFinding {
  /** Path in the stack JSON of the offending value, e.g. `provider.openstack[0].auth_url`. */
  readonly jsonPath: string;
  /** What is wrong, then `; fix: ` and how to fix it. Never echoes a secret. */
  readonly message: string;
  /** Default `error`. Undecidable values use {@link undecidableLevel}: error for a sensitive client, warning otherwise. */
  readonly level?: FindingLevel;
}

/**
 * A rule's answer when it has nothing to judge on this stack (cdk-nag's "not applicable"), reported as such.
 *
 * @example
 * { notApplicable: 'the client is not sensitive' }
 */
export interface NotApplicable {
  /** Why the rule does not apply. */
  readonly notApplicable: string;
}

/**
 * One guardrail rule: declares its id once, what it enforces and what it inspects; a pure function from
 * a stack's context to findings (or "not applicable").
 *
 * @example
 * const rule: GuardrailRule = {
 *   id: 'no-floating-ip', description: 'no floating IP is allocated', inspects: ['openstack_networking_floatingip_v2'],
 *   check: (ctx) => ctx.elements.map((e) => ({ jsonPath: e.jsonPath, message: 'floating IP; fix: use the load balancer' })),
 * };
 */
export interface GuardrailRule {
  /** Stable kebab-case id used in messages and suppressions. */
  readonly id: string;
  /** One line: what the rule enforces. */
  readonly description: string;
  /** What the rule inspects (see {@link InspectSelector}). */
  readonly inspects: readonly InspectSelector[];
  /**
   * Whether the rule runs when nothing it inspects exists (e.g. "the stack has an OpenStack provider").
   * Default false: the runner reports the rule not applicable without calling it.
   */
  readonly runWhenAbsent?: boolean;
  /** The findings for one stack (empty when it complies), or why the rule does not apply. */
  check(ctx: GuardrailContext): readonly RuleFinding[] | NotApplicable;
}

/**
 * A suppression: a rule turned off, with a reason, for a construct and everything below it. Recorded in
 * the stack JSON under `//.sovstack.guardrails.suppressed` with the JSON paths it covered.
 *
 * @example
 * { rule: 'no-world-open-ingress', reason: 'bastion reachable through the ministry VPN only, ticket SEC-42',
 *   at: 'c-sovereign-fr1/service/security-groups/admin',
 *   jsonPaths: ['resource.openstack_networking_secgroup_rule_v2.admin_rule-1'] }
 */
export interface GuardrailSuppression {
  /** Id of the suppressed rule. */
  readonly rule: string;
  /** Why: real words, at least 20 characters and 3 words (see `checkSuppressionReason`). */
  readonly reason: string;
  /** Construct path the suppression is attached to (a stack or a construct below it). */
  readonly at: string;
  /** JSON paths of the findings it turned off (filled at synth, honoured by `check --out`). */
  readonly jsonPaths?: readonly string[];
}

/** Outcome of one rule on one stack. */
export type RuleStatus = 'passed' | 'failed' | 'not-applicable';

/** One rule's outcome on one stack. */
export interface RuleOutcome {
  /** Rule id. */
  readonly rule: string;
  /** Passed (no unsuppressed error), failed, or not applicable. */
  readonly status: RuleStatus;
  /** Why the rule did not apply, when `status` is `not-applicable`. */
  readonly reason?: string;
}

/** A finding a suppression turned off. */
export interface SuppressedFinding extends Finding {
  /** The suppression's reason. */
  readonly reason: string;
  /** Construct path the suppression is attached to. */
  readonly suppressedAt: string;
}

/** The outcome of the guardrails on one stack's artifact. */
export interface GuardrailReport {
  /** Stack name. */
  readonly stack: string;
  /** Unsuppressed findings (errors fail synth and `check`; warnings are reported). */
  readonly findings: readonly Finding[];
  /** Findings turned off by a valid suppression. */
  readonly suppressed: readonly SuppressedFinding[];
  /** Each rule's outcome, in rule order. */
  readonly outcomes: readonly RuleOutcome[];
}
