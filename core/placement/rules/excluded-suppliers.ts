/**
 * Rule `excluded-suppliers`.
 */
import { countsAs, describeCountry } from '../territories.js';
import type { PlacementRule } from '../types.js';
import { listText } from '../text.js';

/**
 * The supplier of the cloud's OpenStack stack is neither from an excluded country nor an excluded name (case-insensitive).
 * A supplier in an EU outermost region counts as from its member state (see `countsAs`). Applies only to
 * clients that exclude something.
 * Source: the client's `excludedSuppliers` (supply-chain dependence on non-EU vendors, SecNumCloud 3.2 §19.6 spirit).
 */
export const excludedSuppliers: PlacementRule = {
  id: 'excluded-suppliers',
  title: 'Excluded stack suppliers',
  source: 'client policy `excludedSuppliers`: supply-chain independence from the listed vendors and countries',
  appliesTo: ({ policy }) => policy.excludedSuppliers.countries.length > 0 || policy.excludedSuppliers.names.length > 0,
  evaluate({ client, cloud }) {
    const { countries, names } = client.policy.excludedSuppliers;
    const supplier = cloud.stackSupplier;
    const fact = `${cloud.id}'s OpenStack stack comes from ${supplier.name} (${describeCountry(supplier.country)})`;
    const parts: string[] = [];
    if (countries.length > 0) parts.push(`from ${listText(countries, '')}`);
    if (names.length > 0) parts.push(`named ${listText(names, '')}`);
    const requirement = `${client.id} excludes stack suppliers ${parts.join(' and ')}`;
    const hits: string[] = [];
    if (countries.includes(supplier.country) || countries.includes(countsAs(supplier.country))) hits.push(`country ${supplier.country}`);
    const wantedName = supplier.name.toLowerCase();
    if (names.some((n) => n.toLowerCase() === wantedName)) hits.push(`name ${supplier.name}`);
    if (hits.length > 0) {
      return { status: 'fail', reason: `${requirement}; ${fact}, whose ${listText(hits)} ${hits.length > 1 ? 'are' : 'is'} excluded` };
    }
    return { status: 'pass', reason: `${requirement}; ${fact}, which is not excluded` };
  },
};
