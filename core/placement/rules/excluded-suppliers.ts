/**
 * Rule `excluded-suppliers`.
 */
import type { PlacementRule } from '../types.js';
import { listText } from '../text.js';

const ID = 'excluded-suppliers';

/**
 * The supplier of the cloud's OpenStack stack is neither from an excluded country nor an excluded name (case-insensitive).
 * Source: the client's `excludedSuppliers` (supply-chain dependence on non-EU vendors, SecNumCloud 3.2 §19.6 spirit).
 */
export const excludedSuppliers: PlacementRule = {
  id: ID,
  title: 'Excluded stack suppliers',
  source: 'client policy `excludedSuppliers`: supply-chain independence from the listed vendors and countries',
  evaluate({ client, cloud }) {
    const { countries, names } = client.policy.excludedSuppliers;
    const supplier = cloud.stackSupplier;
    const fact = `${cloud.id}'s OpenStack stack comes from ${supplier.name} (${supplier.country})`;
    if (countries.length === 0 && names.length === 0) {
      return { rule: ID, passed: true, reason: `${client.id} excludes no stack supplier; ${fact}` };
    }
    const parts: string[] = [];
    if (countries.length > 0) parts.push(`from ${listText(countries, '')}`);
    if (names.length > 0) parts.push(`named ${listText(names, '')}`);
    const requirement = `${client.id} excludes stack suppliers ${parts.join(' and ')}`;
    const hits: string[] = [];
    if (countries.includes(supplier.country)) hits.push(`country ${supplier.country}`);
    const wantedName = supplier.name.toLowerCase();
    if (names.some((n) => n.toLowerCase() === wantedName)) hits.push(`name ${supplier.name}`);
    if (hits.length > 0) {
      return {
        rule: ID,
        passed: false,
        reason: `${requirement}; ${fact}, whose ${listText(hits)} ${hits.length > 1 ? 'are' : 'is'} excluded`,
      };
    }
    return { rule: ID, passed: true, reason: `${requirement}; ${fact}, which is not excluded` };
  },
};
