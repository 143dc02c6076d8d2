/**
 * Rule `catalog-coverage`.
 */
import type { PlacementRule } from '../types.js';
import { listText } from '../text.js';

const ID = 'catalog-coverage';

/**
 * The cloud's catalog maps every abstract size, image and volume tier the client uses.
 * Source: technical feasibility (an unmapped name has no flavor, image or volume type to deploy).
 */
export const catalogCoverage: PlacementRule = {
  id: ID,
  title: 'Catalog coverage',
  source: 'technical: every abstract size, image and volume tier must map to a flavor, image or volume type',
  evaluate({ client, cloud, usage }) {
    const { sizes, images, volumeTiers } = cloud.catalog;
    const missing = [
      ...usage.sizes.filter((n) => !Object.hasOwn(sizes, n)).map((n) => `size ${n}`),
      ...usage.images.filter((n) => !Object.hasOwn(images, n)).map((n) => `image ${n}`),
      ...usage.volumeTiers.filter((n) => !Object.hasOwn(volumeTiers, n)).map((n) => `volume tier ${n}`),
    ];
    const used = [
      ...usage.sizes.map((n) => `size ${n}`),
      ...usage.images.map((n) => `image ${n}`),
      ...usage.volumeTiers.map((n) => `volume tier ${n}`),
    ];
    if (missing.length > 0) {
      return { rule: ID, passed: false, reason: `${client.id} uses ${listText(used)}; ${cloud.id}'s catalog lacks ${listText(missing)}` };
    }
    if (used.length === 0) {
      return { rule: ID, passed: true, reason: `${client.id} uses no size, image or volume tier; nothing to map on ${cloud.id}` };
    }
    return { rule: ID, passed: true, reason: `${client.id} uses ${listText(used)}; ${cloud.id}'s catalog maps all of them` };
  },
};
