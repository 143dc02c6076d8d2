/**
 * Types shared by the synth-time guardrails and their rules.
 */
import type { IConstruct } from 'constructs';
import type { ClientConfig, CloudConfig, Sensitivity } from '../config/schema.js';

/**
 * Where a client's stack was placed, recorded on the stack so guardrails (and humans) can read it.
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
 * A stack the guardrails can check: it records its placement, the placed cloud and the client.
 * `ClientStack` implements it.
 */
export interface GuardrailTarget extends IConstruct {
  /** The placement this stack realises. */
  readonly placement: PlacementRecord;
  /** The cloud the stack is placed on. */
  readonly cloud: CloudConfig;
  /** The client the stack is for. */
  readonly client: ClientConfig;
}

/**
 * A guardrail failure: which rule, which construct, what is wrong and how to fix it.
 *
 * @example
 * { rule: 'no-world-open-ingress', path: 'c-sovereign-fr1/service/security-groups/web/rule-2',
 *   message: 'ingress tcp 22 is open to 0.0.0.0/0 but 22 is not in service.publicPorts; fix: ...' }
 */
export interface GuardrailViolation {
  /** Id of the rule, e.g. `no-world-open-ingress`. */
  readonly rule: string;
  /** Construct path of the offending element. */
  readonly path: string;
  /** What is wrong, then `; fix: ` and how to fix it. */
  readonly message: string;
}

/** A violation that a suppression with a reason turned off. */
export interface SuppressedViolation extends GuardrailViolation {
  /** The suppression's reason. */
  readonly reason: string;
  /** Path of the construct the suppression was attached to. */
  readonly suppressedAt: string;
}

/** Kind of a synthesized Terraform element a rule may look at. */
export type ElementKind = 'resource' | 'data' | 'provider' | 'backend';

/**
 * One Terraform element of a stack, as rules see it: its attributes in Terraform (snake_case) form.
 * String values that are references or expressions are unresolved token strings (`${TfToken[...]}`).
 */
export interface GuardrailElement {
  /** Construct path. */
  readonly path: string;
  /** Element kind. */
  readonly kind: ElementKind;
  /** Terraform type: `openstack_networking_secgroup_rule_v2`, provider `openstack`, backend `s3`, … */
  readonly type: string;
  /** Attributes, snake_case, overrides applied, cdktf metadata (`//`) removed. */
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** Everything a rule sees about one stack. Plain data, so rules are pure functions. */
export interface GuardrailContext {
  /** Construct path of the stack. */
  readonly stackPath: string;
  /** The stack's recorded placement. */
  readonly placement: PlacementRecord;
  /** The cloud the stack is placed on. */
  readonly placedCloud: CloudConfig;
  /** Every known cloud by id (for `state.hostedIn`). Default: the placed cloud only. */
  readonly clouds: ReadonlyMap<string, CloudConfig>;
  /** The client the stack is for (its policy and service). */
  readonly client: ClientConfig;
  /** Ports the client allows open to the whole internet (`service.publicPorts`). */
  readonly publicPorts: readonly number[];
  /** The stack's Terraform elements, in construct-tree order. */
  readonly elements: readonly GuardrailElement[];
}

/** What a rule reports: the offending path and the message (the rule id is added by the runner). */
export interface RuleFinding {
  /** Construct path of the offending element. */
  readonly path: string;
  /** What is wrong, `; fix: `, how to fix it. */
  readonly message: string;
}

/**
 * One guardrail rule: a pure function from a stack's context to findings.
 *
 * @example
 * const rule: GuardrailRule = { id: 'no-empty-stack', description: 'a stack has at least one resource',
 *   check: (ctx) => ctx.elements.some((e) => e.kind === 'resource') ? []
 *     : [{ path: ctx.stackPath, message: 'the stack has no resource; fix: give the client a service' }] };
 */
export interface GuardrailRule {
  /** Stable kebab-case id used in messages and suppressions. */
  readonly id: string;
  /** One line: what the rule enforces. */
  readonly description: string;
  /** The findings for one stack; empty when the stack complies. */
  check(ctx: GuardrailContext): RuleFinding[];
}
