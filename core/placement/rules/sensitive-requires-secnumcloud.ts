/**
 * Rule `sensitive-requires-secnumcloud`.
 */
import { isEuMember } from '../eu.js';
import type { PlacementRule } from '../types.js';
import { listText } from '../text.js';

const ID = 'sensitive-requires-secnumcloud';
const REQUIREMENT = "sensitive data requires a SecNumCloud-qualified cloud whose operator's head office and data location are in the EU";

/**
 * Sensitive data goes only to a SecNumCloud-qualified cloud run from and located in the EU.
 * Source: Cloud au centre circular 6282/SG (5 July 2021) updated by 6404/SG (31 May 2023); SecNumCloud 3.2 §19.6.
 */
export const sensitiveRequiresSecNumCloud: PlacementRule = {
  id: ID,
  title: 'Sensitive data requires SecNumCloud',
  source:
    'Cloud au centre circular 6282/SG of 5 July 2021 updated by 6404/SG of 31 May 2023; SecNumCloud 3.2 §19.6 (protection from non-EU law)',
  evaluate({ client, cloud }) {
    if (client.policy.sensitivity !== 'sensitive') {
      return {
        rule: ID,
        passed: true,
        reason: `does not apply: ${client.id} handles standard data, so no SecNumCloud qualification is required of ${cloud.id}`,
      };
    }
    const headOffice = cloud.operator.headOfficeCountry;
    const dataCountry = cloud.dataLocation.country;
    const unmet: string[] = [];
    if (!cloud.qualifications.includes('secnumcloud')) unmet.push(`${cloud.id} does not hold secnumcloud`);
    if (!isEuMember(headOffice)) unmet.push(`${cloud.id}'s operator has its head office in ${headOffice}, outside the EU`);
    if (!isEuMember(dataCountry)) unmet.push(`${cloud.id} keeps data in ${dataCountry}, outside the EU`);
    if (unmet.length > 0) {
      return { rule: ID, passed: false, reason: `${REQUIREMENT}; ${listText(unmet)}` };
    }
    return {
      rule: ID,
      passed: true,
      reason: `${REQUIREMENT}; ${cloud.id} holds secnumcloud, its operator's head office is in ${headOffice} and its data is located in ${dataCountry}`,
    };
  },
};
