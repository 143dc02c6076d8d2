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
  passed: boolean;
  /** A human sentence naming the client's requirement and the cloud's fact. */
  reason: string;
  /** Notes that do not block the cloud (e.g. a deprecated cloud's end of life). Default: none. */
  warnings?: string[];
}

/** What a rule sees: one client, one cloud and what the client's service uses. */
export interface RuleContext {
  client: ClientConfig;
  cloud: CloudConfig;
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
  evaluate(ctx: RuleContext): RuleVerdict;
}

/** Every verdict of every rule for one client on one cloud. */
export interface CloudEvaluation {
  cloud: string;
  /**
   * True when every verdict passed and the cloud may be chosen: a deprecated cloud that passes every rule
   * is eligible only when no active cloud passes every rule, or when the client is pinned to it.
   */
  eligible: boolean;
  verdicts: RuleVerdict[];
  warnings: string[];
}

/** One line of a cost estimate. */
export interface CostLine {
  item: string;
  quantity: number;
  unitPrice: number;
  /** quantity × unitPrice, rounded to cents. */
  total: number;
}

/** Monthly cost of a client's service on one cloud, from the cloud's unit prices. */
export interface CostEstimate {
  currency: string;
  /** Sum of the line totals, in cents precision. */
  monthly: number;
  lines: CostLine[];
  /** Items the service uses that the cloud's price list does not price (left out of `monthly`). */
  unpriced: string[];
}

/** A client placed on a cloud, with the evidence. */
export interface Placement {
  client: string;
  clientName: string;
  cloud: string;
  /** One sentence: why this cloud rather than another eligible one. */
  reason: string;
  sensitivity: Sensitivity;
  /** Evaluation of every cloud, sorted by cloud id. */
  evaluations: CloudEvaluation[];
  warnings: string[];
  /** Monthly estimate on the chosen cloud; absent when the cloud has no prices. */
  cost?: CostEstimate;
}

/** Why a client could not be placed. */
export type PlacementFailureKind = 'no-eligible-cloud' | 'pin-violation' | 'unknown-pin';

/** A client the engine could not place. */
export interface PlacementFailure {
  client: string;
  kind: PlacementFailureKind;
  message: string;
  /** Evaluation of every cloud, sorted by cloud id. */
  evaluations: CloudEvaluation[];
}

/** Placements and failures, each sorted by client id. */
export interface PlacementResult {
  placements: Placement[];
  failures: PlacementFailure[];
}

/** The inputs of placement: every cloud and every (merged, validated) client. */
export interface Estate {
  clouds: CloudConfig[];
  clients: ClientConfig[];
}

/** Options of {@link place}. */
export interface PlaceOptions {
  /** Rules to apply, in order. Default `defaultRules`. */
  rules?: readonly PlacementRule[];
}
