/**
 * The European Union's member states, as ISO 3166-1 alpha-2 codes.
 *
 * Greece is `GR` here (ISO 3166), not `EL` (the EU's own abbreviation), because every country in the
 * config is an ISO code.
 */

/** The 27 EU member states (ISO 3166-1 alpha-2), sorted. */
export const EU_MEMBER_STATES: readonly string[] = Object.freeze([
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
]);

const members = new Set(EU_MEMBER_STATES);

/**
 * Whether an ISO 3166-1 alpha-2 code (upper case) is an EU member state.
 *
 * @example isEuMember('GR') // true; isEuMember('EL') // false; isEuMember('CH') // false
 */
export function isEuMember(country: string): boolean {
  return members.has(country);
}
