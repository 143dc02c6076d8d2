/**
 * Stack names, in a module of their own so that code needing only a name (the synth cache, reports)
 * does not load cdktf and the provider bindings.
 */

/**
 * Name of a client's stack on a cloud: `<client>-<cloud>`. Moving a client to another cloud creates
 * a new stack (new state) instead of destroying and recreating inside the old one.
 *
 * @example
 * stackNameFor('min-interieur', 'sovereign-fr1'); // 'min-interieur-sovereign-fr1'
 */
export function stackNameFor(clientId: string, cloudId: string): string {
  return `${clientId}-${cloudId}`;
}
