/**
 * The registry of placement rules: a new rule is one module in this folder plus one line in `defaultRules`.
 */
import type { PlacementRule } from '../types.js';
import { catalogCoverage } from './catalog-coverage.js';
import { dataLocation } from './data-location.js';
import { excludedSuppliers } from './excluded-suppliers.js';
import { lifecycle } from './lifecycle.js';
import { sensitiveRequiresSecNumCloud } from './sensitive-requires-secnumcloud.js';
import { servicesOffered } from './services-offered.js';

export { catalogCoverage, dataLocation, excludedSuppliers, lifecycle, sensitiveRequiresSecNumCloud, servicesOffered };
export { endOfLifeStatus, endOfLifeWarning } from './lifecycle.js';

/**
 * The rules `place` applies when none are given, in evaluation order (sovereignty first, then feasibility, then lifecycle).
 *
 * @example place(estate, { rules: [...defaultRules, myRule] })
 */
export const defaultRules: readonly PlacementRule[] = Object.freeze([
  sensitiveRequiresSecNumCloud,
  dataLocation,
  excludedSuppliers,
  servicesOffered,
  catalogCoverage,
  lifecycle,
]);
