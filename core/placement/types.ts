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
 * What a rule says about one client on one cloud: the cloud passes, fails, or the rule does not concern
 * the client at all. The engine adds the rule's id when it records the result (see {@link RuleVerdict}).
 *
 * @example
 * { status: 'fail', reason: 'min-eco requires data in France; vendor-1 keeps data in DE (frankfurt)' }
 * { status: 'not-applicable', reason: 'min-eco handles standard data; no SecNumCloud qualification is required' }
 */
export type RuleResult =
  | {
      /** `pass` leaves the cloud eligible; `fail` makes it ineligible. */
      status: 'pass' | 'fail';
      /** A human sentence naming the client's requirement and the cloud's fact. */
      reason: string;
      /** Notes that do not block the cloud (e.g. a deprecated cloud's end of life). Default: none. */
      warnings?: string[];
    }
  | {
      /** The rule does not concern this client; the cloud stays eligible as far as this rule goes. */
      status: 'not-applicable';
      /** Why the rule does not concern the client. */
      reason: string;
    };

/** The status of a {@link RuleResult}: `pass`, `fail` or `not-applicable`. */
export type VerdictStatus = RuleResult['status'];

/**
 * A rule's result as the engine records it: the result plus the id of the rule that produced it.
 *
 * @example
 * { rule: 'data-location', status: 'pass', reason: 'min-eco requires data in France; sovereign-fr1 keeps data in FR (paris)' }
 */
export type RuleVerdict = RuleResult & {
  /** Id of the rule that produced the verdict (set by the engine, never by the rule). */
  rule: string;
};

/** What a rule sees: one client, one cloud, what the client's service uses and the date of the decision. */
export interface RuleContext {
  /** The client being placed (validated, template merged). */
  client: ClientConfig;
  /** The candidate cloud. */
  cloud: CloudConfig;
  /** What the client's service uses, computed once per client (see `serviceUsage`). */
  usage: ServiceUsage;
  /** The date of the decision, `YYYY-MM-DD`; undefined when the caller gave none (see {@link PlaceOptions.today}). */
  today: string | undefined;
  /** Days before a deprecated cloud's end of life from which placing on it raises a warning (see {@link PlaceOptions.horizonDays}). */
  horizonDays: number;
}

/**
 * One placement rule. Pure: the result depends only on the context. The rule declares its id once; the
 * engine stamps it on every verdict.
 *
 * @example
 * const parisOnly: PlacementRule = {
 *   id: 'region-paris', title: 'Paris region only', source: 'ministry internal policy',
 *   appliesTo: (client) => client.policy.sensitivity === 'sensitive',
 *   evaluate: ({ cloud }) => ({ status: cloud.dataLocation.region === 'paris' ? 'pass' : 'fail',
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
   * records a `not-applicable` verdict without calling `evaluate`.
   */
  appliesTo?(client: ClientConfig): boolean;
  /** The result of this rule for one client on one cloud; `fail` makes the cloud ineligible. */
  evaluate(ctx: RuleContext): RuleResult;
}

/** Every verdict of every rule for one client on one cloud. */
export interface CloudEvaluation {
  /** Cloud id. */
  cloud: string;
  /**
   * True when no verdict failed and the cloud may be chosen: a deprecated cloud that passes every rule
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
  /** The client's file (`<dir>/clients/<id>.yaml`) when the estate names its folder. Default: absent. */
  file?: string;
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
  /** Folder the estate was loaded from; when set, failures name the client's file. Default: absent. */
  dir?: string;
  /** Every cloud. */
  clouds: CloudConfig[];
  /** Every client, templates merged. */
  clients: ClientConfig[];
}

/** Options of {@link place}. */
export interface PlaceOptions {
  /** Rules to apply, in order. Default `defaultRules`. */
  rules?: readonly PlacementRule[];
  /**
   * The date of the decision, `YYYY-MM-DD`: a deprecated cloud whose end of life is before it is refused.
   * The engine never reads the clock; the CLI passes `--today`, `SOVSTACK_TODAY` or the real date.
   * Default: none, and then a deprecated cloud is refused (its end of life cannot be checked: fail closed).
   *
   * @example place(estate, { today: '2026-12-01' })
   */
  today?: string;
  /** Days before a deprecated cloud's end of life from which placing on it raises a warning. Default {@link DEFAULT_HORIZON_DAYS} (180). */
  horizonDays?: number;
}

/** Default of {@link PlaceOptions.horizonDays}: a warning from 180 days before a deprecated cloud's end of life. */
export const DEFAULT_HORIZON_DAYS = 180;
