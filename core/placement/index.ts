/**
 * Public API of the placement engine.
 *
 * @example
 * import { place, defaultRules, renderPlacementMarkdown } from 'sovstack/placement';
 * const result = place({ clouds, clients }, { rules: [...defaultRules, myRule] });
 *
 * @module sovstack/placement
 */
export type {
  CloudEvaluation,
  CostEstimate,
  CostLine,
  Estate,
  PlaceOptions,
  Placement,
  PlacementFailure,
  PlacementFailureKind,
  PlacementResult,
  PlacementRule,
  RuleContext,
  RuleResult,
  VerdictStatus,
  RuleVerdict,
  ServiceUsage,
} from './types.js';
export { DEFAULT_HORIZON_DAYS } from './types.js';
export { clientFilePath, evaluateRule, place } from './engine.js';
export { serviceUsage } from './usage.js';
export { estimateCost } from './cost.js';
export { whatIfRetire, type WhatIfEntry, type WhatIfResult, type WhatIfTotal } from './what-if.js';
export { failureText, formatCost, formatPlacementFailures, formatPlacementTable, renderPlacementMarkdown } from './format.js';
export { EU_MEMBER_STATES, isEuMember } from './eu.js';
export { TERRITORIES, countsAs, describeCountry, isInEu, type Territory } from './territories.js';
export {
  catalogCoverage,
  dataLocation,
  defaultRules,
  endOfLifeStatus,
  endOfLifeWarning,
  excludedSuppliers,
  lifecycle,
  sensitiveRequiresSecNumCloud,
  servicesOffered,
} from './rules/index.js';
