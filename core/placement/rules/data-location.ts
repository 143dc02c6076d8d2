/**
 * Rule `data-location`.
 */
import { countsAs, describeCountry, isInEu } from '../territories.js';
import type { PlacementRule } from '../types.js';

/**
 * The cloud keeps data where the client's policy says: France (`FR`), an EU member state (`EU`) or anywhere (`any`).
 * Source: the client's sovereignty policy; Cloud au centre circular 6404/SG (31 May 2023) for sensitive data hosted in the EU.
 */
export const dataLocation: PlacementRule = {
  id: 'data-location',
  title: 'Data location',
  source: 'client policy `dataLocation`; Cloud au centre circular 6282/SG updated by 6404/SG (data hosted in the EU)',
  evaluate({ client, cloud }) {
    const wanted = client.policy.dataLocation;
    const { country, region } = cloud.dataLocation;
    const fact = `${cloud.id} keeps data in ${describeCountry(country)} (${region})`;
    switch (wanted) {
      case 'FR':
        return {
          status: countsAs(country) === 'FR' ? 'pass' : 'fail',
          reason: `${client.id} requires data in France; ${fact}`,
        };
      case 'EU':
        return {
          status: isInEu(country) ? 'pass' : 'fail',
          reason: `${client.id} requires data in the EU; ${fact}, ${isInEu(country) ? 'in' : 'outside'} the EU`,
        };
      case 'any':
        return { status: 'pass', reason: `${client.id} accepts any data location; ${fact}` };
    }
  },
};
