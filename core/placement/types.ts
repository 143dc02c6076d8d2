/**
 * Types shared by the placement engine, its rules and its renderers.
 */
import type { ClientConfig, CloudConfig, Sensitivity, ServiceKind } from '../config/schema.js';

/** What a client's service definition uses: OpenStack services and abstract catalog names. */
export interface ServiceUsage {
  /** OpenStack services used, in the order of `ServiceKindSchema` (compute, network, blockStorage, …). */
  services: ServiceKind[];
  /** Abstract sizes used by server groups, sorted and unique. */
  sizes: string[];
  /** Abstract images used by server groups, sorted and unique. */
  images: string[];
  /** Abstract volume tiers used by server-group volumes, sorted and unique. */
  volumeTiers: string[];
}

/**
 * The outcome of one rule for one client on one cloud.
 *
 * @example
 * { rule: 'sensitive-requires-secnumcloud', passed: true,
 *   reason: 'sensitive data requires a SecNumCloud-qualified cloud …; sovereign-fr1 holds secnumcloud, …' }
 */
export interface RuleVerdict {
  /** Id of the rule that produced the verdict. */
  rule: string;
  /** False makes the cloud ineligible for the client. */
  passed: boolean;
  /** A human sentence naming the client's requirement and the cloud's fact. */
  reason: string;
  /** Notes that do not block the cloud (e.g. a deprecated cloud's end of life). Default: none. */
  warnings?: string[];
}

/** What a rule sees: one client, one cloud and what the client's service uses. */
export interface RuleContext {
  /** The client being placed (validated, template merged). */
  client: ClientConfig;
  /** The candidate cloud. */
  cloud: CloudConfig;
  /** What the client's service uses, computed once per client (see `serviceUsage`). */
  usage: ServiceUsage;
}

/**
 * One placement rule. Pure: the verdict depends only on the context.
 *
 * @example
 * const noFriday: PlacementRule = {
 *   id: 'region-paris', title: 'Paris region only', source: 'ministry internal policy',
 *   evaluate: ({ cloud }) => ({ rule: 'region-paris', passed: cloud.dataLocation.region === 'paris',
 *     reason: `ministry policy requires the paris region; ${cloud.id} is in ${cloud.dataLocation.region}` }),
 * };
 */
export interface PlacementRule {
  /** Stable kebab-case id, used in verdicts and failure messages. */
  id: string;
  /** Short human title. */
  title: string;
  /** Doctrine or reason behind the rule, short (e.g. a circular's reference). */
  source: string;
  /**
   * Whether the rule concerns this client at all. Default: always. When it returns false the engine
   * records a passing verdict saying the rule does not apply, without calling `evaluate`.
   */
  appliesTo?(client: ClientConfig): boolean;
  /** The verdict of this rule for one client on one cloud; `passed: false` makes the cloud ineligible. */
  evaluate(ctx: RuleContext): RuleVerdict;
}

/** Every verdict of every rule for one client on one cloud. */
export interface CloudEvaluation {
  /** Cloud id. */
  cloud: string;
  /**
   * True when every verdict passed and the cloud may be chosen: a deprecated cloud that passes every rule
   * is eligible only when no active cloud passes every rule, or when the client is pinned to it.
   */
  eligible: boolean;
  /** One verdict per rule, in rule order. */
  verdicts: RuleVerdict[];
  /** Notes about this cloud: the verdicts' warnings (e.g. a deprecated cloud's end of life) and why a passing deprecated cloud is held back. */
  warnings: string[];
}

/** One line of a cost estimate. */
export interface CostLine {
  /** What is priced, e.g. `server group web (size small)`. */
  item: string;
  /** Number of units (servers, GB, IPs, containers). */
  quantity: number;
  /** Price of one unit per month, from the cloud's `prices`. */
  unitPrice: number;
  /** quantity × unitPrice, rounded to cents. */
  total: number;
}

/** Monthly cost of a client's service on one cloud, from the cloud's unit prices. */
export interface CostEstimate {
  /** ISO 4217 code of the cloud's prices, e.g. `EUR`. */
  currency: string;
  /** Sum of the line totals, in cents precision. */
  monthly: number;
  /** The priced items. */
  lines: CostLine[];
  /** Items the service uses that the cloud's price list does not price (left out of `monthly`). */
  unpriced: string[];
}

/** A client placed on a cloud, with the evidence. */
export interface Placement {
  /** Client id. */
  client: string;
  /** Client display name. */
  clientName: string;
  /** Id of the chosen cloud. */
  cloud: string;
  /** One sentence: why this cloud rather than another eligible one. */
  reason: string;
  /** The client's data sensitivity. */
  sensitivity: Sensitivity;
  /** Evaluation of every cloud, sorted by cloud id. */
  evaluations: CloudEvaluation[];
  /** Warnings about the chosen cloud (e.g. a deprecated cloud's end of life). */
  warnings: string[];
  /** Monthly estimate on the chosen cloud; absent when the cloud has no prices. */
  cost?: CostEstimate;
}

/** Why a client could not be placed. */
export type PlacementFailureKind = 'no-eligible-cloud' | 'pin-violation' | 'unknown-pin';

/** A client the engine could not place. */
export interface PlacementFailure {
  /** Client id. */
  client: string;
  /** Why: no eligible cloud, a pin to an ineligible cloud, or a pin to an unknown cloud. */
  kind: PlacementFailureKind;
  /** One sentence naming the failing rules or the pin. */
  message: string;
  /** Evaluation of every cloud, sorted by cloud id. */
  evaluations: CloudEvaluation[];
}

/** Placements and failures, each sorted by client id. */
export interface PlacementResult {
  /** Clients placed, sorted by client id. */
  placements: Placement[];
  /** Clients that could not be placed, sorted by client id. */
  failures: PlacementFailure[];
}

/** The inputs of placement: every cloud and every (merged, validated) client. */
export interface Estate {
  /** Every cloud. */
  clouds: CloudConfig[];
  /** Every client, templates merged. */
  clients: ClientConfig[];
}

/** Options of {@link place}. */
export interface PlaceOptions {
  /** Rules to apply, in order. Default `defaultRules`. */
  rules?: readonly PlacementRule[];
}
