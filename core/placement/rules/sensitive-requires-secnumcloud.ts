/**
 * Rule `sensitive-requires-secnumcloud`.
 */
import { describeCountry, isInEu } from '../territories.js';
import type { PlacementRule } from '../types.js';
import { listText } from '../text.js';

const REQUIREMENT = "sensitive data requires a SecNumCloud-qualified cloud whose operator's head office and data location are in the EU";

/**
 * Sensitive data goes only to a SecNumCloud-qualified cloud run from and located in the EU.
 * Source: Cloud au centre circular 6282/SG (5 July 2021) updated by 6404/SG (31 May 2023); SecNumCloud 3.2 §19.6.
 */
export const sensitiveRequiresSecNumCloud: PlacementRule = {
  id: 'sensitive-requires-secnumcloud',
  title: 'Sensitive data requires SecNumCloud',
  source:
    'Cloud au centre circular 6282/SG of 5 July 2021 updated by 6404/SG of 31 May 2023; SecNumCloud 3.2 §19.6 (protection from non-EU law)',
  appliesTo: (client) => client.policy.sensitivity === 'sensitive',
  evaluate({ cloud }) {
    const headOffice = cloud.operator.headOfficeCountry;
    const dataCountry = cloud.dataLocation.country;
    const unmet: string[] = [];
    if (!cloud.qualifications.includes('secnumcloud')) unmet.push(`${cloud.id} does not hold secnumcloud`);
    if (!isInEu(headOffice)) unmet.push(`${cloud.id}'s operator has its head office in ${describeCountry(headOffice)}, outside the EU`);
    if (!isInEu(dataCountry)) unmet.push(`${cloud.id} keeps data in ${describeCountry(dataCountry)}, outside the EU`);
    if (unmet.length > 0) {
      return { status: 'fail', reason: `${REQUIREMENT}; ${listText(unmet)}` };
    }
    return {
      status: 'pass',
      reason: `${REQUIREMENT}; ${cloud.id} holds secnumcloud, its operator's head office is in ${describeCountry(headOffice)} and its data is located in ${describeCountry(dataCountry)}`,
    };
  },
};
