/**
 * Rule `data-location`.
 */
import { isEuMember } from '../eu.js';
import type { PlacementRule } from '../types.js';

const ID = 'data-location';

/**
 * The cloud keeps data where the client's policy says: France (`FR`), an EU member state (`EU`) or anywhere (`any`).
 * Source: the client's sovereignty policy; Cloud au centre circular 6404/SG (31 May 2023) for sensitive data hosted in the EU.
 */
export const dataLocation: PlacementRule = {
  id: ID,
  title: 'Data location',
  source: 'client policy `dataLocation`; Cloud au centre circular 6282/SG updated by 6404/SG (data hosted in the EU)',
  evaluate({ client, cloud }) {
    const wanted = client.policy.dataLocation;
    const { country, region } = cloud.dataLocation;
    const fact = `${cloud.id} keeps data in ${country} (${region})`;
    switch (wanted) {
      case 'FR':
        return {
          rule: ID,
          passed: country === 'FR',
          reason: `${client.id} requires data in France; ${fact}`,
        };
      case 'EU':
        return {
          rule: ID,
          passed: isEuMember(country),
          reason: `${client.id} requires data in an EU member state; ${fact}, ${isEuMember(country) ? 'a' : 'not a'}n EU member state`,
        };
      case 'any':
        return { rule: ID, passed: true, reason: `${client.id} accepts any data location; ${fact}` };
    }
  },
};
