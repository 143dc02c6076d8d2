/**
 * Rule `catalog-coverage`.
 */
import type { ClientConfig } from '../../config/schema.js';
import type { PlacementRule } from '../types.js';
import { listText } from '../text.js';

/** The volume tiers the client's server groups ask for their boot volumes, sorted, once each. */
function rootDiskTiers(client: ClientConfig): string[] {
  const tiers = client.service.serverGroups.flatMap((group) => (group.rootDisk.tier !== undefined ? [group.rootDisk.tier] : []));
  return [...new Set(tiers)].sort();
}

/**
 * The cloud's catalog maps every abstract size, image and volume tier the client uses (root-disk tiers
 * too, on a cloud whose servers boot from a volume).
 * Source: technical feasibility (an unmapped name has no flavor, image or volume type to deploy).
 */
export const catalogCoverage: PlacementRule = {
  id: 'catalog-coverage',
  title: 'Catalog coverage',
  source: 'technical: every abstract size, image and volume tier must map to a flavor, image or volume type',
  evaluate({ client, cloud, usage }) {
    const { sizes, images, volumeTiers } = cloud.catalog;
    const entries = [
      ...usage.sizes.map((n) => ({ label: `size ${n}`, mapped: Object.hasOwn(sizes, n) })),
      ...usage.images.map((n) => ({ label: `image ${n}`, mapped: Object.hasOwn(images, n) })),
      ...usage.volumeTiers.map((n) => ({ label: `volume tier ${n}`, mapped: Object.hasOwn(volumeTiers, n) })),
      // Root-disk tiers matter only where servers boot from a volume.
      ...(cloud.catalog.bootFromVolume ? rootDiskTiers(client) : []).map((n) => ({
        label: `root-disk tier ${n}`,
        mapped: Object.hasOwn(volumeTiers, n),
      })),
    ];
    const used = entries.map((e) => e.label);
    const missing = entries.filter((e) => !e.mapped).map((e) => e.label);
    if (missing.length > 0) {
      return { status: 'fail', reason: `${client.id} uses ${listText(used)}; ${cloud.id}'s catalog lacks ${listText(missing)}` };
    }
    if (used.length === 0) {
      return { status: 'pass', reason: `${client.id} uses no size, image or volume tier; nothing to map on ${cloud.id}` };
    }
    return { status: 'pass', reason: `${client.id} uses ${listText(used)}; ${cloud.id}'s catalog maps all of them` };
  },
};
