/**
 * Territories with their own ISO 3166-1 code whose place in or out of the EU differs from what the code suggests.
 *
 * Doctrine (docs/policy.md, "Territories"):
 * - An EU outermost region (TFEU art. 349 and 355(1)) is part of its member state and of the EU: data kept in
 *   `RE` satisfies `dataLocation: FR` and `EU`. France's are GP, MQ, GF, RE, YT and MF. Portugal's (Azores,
 *   Madeira) and Spain's (Canary Islands) have no ISO 3166-1 code of their own: they are written PT and ES.
 * - Åland (`AX`) is part of Finland and of the EU (TFEU art. 355(4)).
 * - An overseas country or territory (OCT, TFEU art. 355(2) and Annex II) is outside the EU, and it does not
 *   count as its state either: data kept in `NC` satisfies neither `FR` nor `EU`. The policy's purpose is the
 *   legal protection of EU law (Cloud au centre circular 6404/SG, SecNumCloud 3.2 §19.6), which does not
 *   apply there in full. Failing closed, an OCT is treated as the foreign country its code names.
 *
 * Sources: Treaty on the Functioning of the European Union, art. 349, 355 and Annex II (consolidated 2016,
 * OJ C 202); European Commission, "Outermost regions" (regional policy); ISO 3166-1.
 */
import { isEuMember } from './eu.js';

/** How a territory counts for placement. */
export interface Territory {
  /** English name. */
  name: string;
  /** The EU member state it belongs to, or the state it is associated with (for an OCT). */
  state: string;
  /** `outermost-region` or `eu-part`: counts as `state` and the EU. `oct`: outside the EU, counts as itself. */
  status: 'outermost-region' | 'eu-part' | 'oct';
}

/** Territories with their own ISO code that are part of an EU member state, or associated with one outside the EU. */
export const TERRITORIES: Readonly<Record<string, Territory>> = Object.freeze({
  GP: { name: 'Guadeloupe', state: 'FR', status: 'outermost-region' },
  MQ: { name: 'Martinique', state: 'FR', status: 'outermost-region' },
  GF: { name: 'French Guiana', state: 'FR', status: 'outermost-region' },
  RE: { name: 'La Réunion', state: 'FR', status: 'outermost-region' },
  YT: { name: 'Mayotte', state: 'FR', status: 'outermost-region' },
  MF: { name: 'Saint-Martin', state: 'FR', status: 'outermost-region' },
  AX: { name: 'Åland', state: 'FI', status: 'eu-part' },
  NC: { name: 'New Caledonia', state: 'FR', status: 'oct' },
  PF: { name: 'French Polynesia', state: 'FR', status: 'oct' },
  WF: { name: 'Wallis and Futuna', state: 'FR', status: 'oct' },
  PM: { name: 'Saint-Pierre-et-Miquelon', state: 'FR', status: 'oct' },
  BL: { name: 'Saint-Barthélemy', state: 'FR', status: 'oct' },
  TF: { name: 'French Southern and Antarctic Lands', state: 'FR', status: 'oct' },
  GL: { name: 'Greenland', state: 'DK', status: 'oct' },
  AW: { name: 'Aruba', state: 'NL', status: 'oct' },
  CW: { name: 'Curaçao', state: 'NL', status: 'oct' },
  SX: { name: 'Sint Maarten', state: 'NL', status: 'oct' },
  BQ: { name: 'Bonaire, Sint Eustatius and Saba', state: 'NL', status: 'oct' },
});

/**
 * The country a code counts as for placement: the member state for an EU outermost region or EU part,
 * the code itself otherwise (an OCT counts as itself).
 *
 * @example countsAs('RE') // 'FR'; countsAs('NC') // 'NC'; countsAs('DE') // 'DE'
 */
export function countsAs(country: string): string {
  const territory = TERRITORIES[country];
  return territory && territory.status !== 'oct' ? territory.state : country;
}

/**
 * Whether data or a head office in `country` is in the EU: a member state, one of its outermost regions or EU parts.
 *
 * @example isInEu('RE') // true; isInEu('NC') // false; isInEu('GR') // true; isInEu('EL') // false
 */
export function isInEu(country: string): boolean {
  return isEuMember(countsAs(country));
}

/**
 * A country code with what it is, for reasons: `FR`, `RE (La Réunion, an EU outermost region of FR)`,
 * `NC (New Caledonia, an overseas territory of FR outside the EU)`.
 *
 * @example describeCountry('RE') // 'RE (La Réunion, an EU outermost region of FR)'
 */
export function describeCountry(country: string): string {
  const t = TERRITORIES[country];
  if (!t) return country;
  if (t.status === 'outermost-region') return `${country} (${t.name}, an EU outermost region of ${t.state})`;
  if (t.status === 'eu-part') return `${country} (${t.name}, part of ${t.state} and of the EU)`;
  return `${country} (${t.name}, an overseas territory of ${t.state} outside the EU)`;
}
