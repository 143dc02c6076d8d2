/**
 * Catalog coverage as `validate` checks it: every abstract size, image and volume tier a client uses must be
 * mapped by a cloud the client may land on, so that a gap is reported at the line that uses the name instead
 * of surfacing as a placement failure at synth.
 */
import type { ConfigPath } from '../config/errors.js';
import type { ClientConfig, CloudConfig } from '../config/schema.js';
import { evaluateRule } from './engine.js';
import { dataLocation, excludedSuppliers, sensitiveRequiresSecNumCloud, servicesOffered } from './rules/index.js';
import { listText } from './text.js';
import { serviceUsage } from './usage.js';

/** One abstract name a client uses that no cloud it may land on maps. */
export interface CatalogGap {
  /** Path of the use inside the client's `service`, e.g. `['serverGroups', 0, 'size']`. */
  path: ConfigPath;
  /** What is missing and where the client may land. */
  message: string;
  /** A fix that works: map the name on a reachable cloud, or use a name one of them maps. */
  fix: string;
}

/** The rules that decide where a client may land, apart from the catalog and the date. */
const REACH_RULES = [sensitiveRequiresSecNumCloud, dataLocation, excludedSuppliers, servicesOffered];

/** Clouds the client may land on as far as sovereignty and services go: its pin, or every non-retired cloud passing those rules. */
function reachableClouds(client: ClientConfig, clouds: readonly CloudConfig[]): CloudConfig[] {
  const pin = client.policy.pin?.cloud;
  if (pin !== undefined) return clouds.filter((c) => c.id === pin);
  const usage = serviceUsage(client.service);
  return clouds.filter(
    (cloud) =>
      cloud.lifecycle.status !== 'retired' &&
      REACH_RULES.every((rule) => evaluateRule(rule, { client, cloud, usage, today: undefined, horizonDays: 0 }).status !== 'fail'),
  );
}

type CatalogKey = 'sizes' | 'images' | 'volumeTiers';
const WHAT: Record<CatalogKey, string> = { sizes: 'size', images: 'image', volumeTiers: 'volume tier' };

/** Every use of an abstract name in the service: its catalog, the name and the path of the use. */
function uses(client: ClientConfig): { key: CatalogKey; name: string; path: ConfigPath }[] {
  return client.service.serverGroups.flatMap((group, s) => [
    { key: 'sizes' as const, name: group.size, path: ['serverGroups', s, 'size'] },
    { key: 'images' as const, name: group.image, path: ['serverGroups', s, 'image'] },
    ...group.volumes.map((volume, v) => ({
      key: 'volumeTiers' as const,
      name: volume.tier,
      path: ['serverGroups', s, 'volumes', v, 'tier'],
    })),
  ]);
}

/**
 * The names a client uses that no cloud it may land on maps, each at the path of its use. Empty when no
 * cloud is reachable at all (placement reports that, naming the rules).
 *
 * @example catalogGaps(client, clouds) // [{ path: ['serverGroups', 0, 'size'], message: 'size `xlarge` is not mapped by …', fix: '…' }]
 */
export function catalogGaps(client: ClientConfig, clouds: readonly CloudConfig[]): CatalogGap[] {
  const reachable = reachableClouds(client, clouds);
  if (reachable.length === 0) return [];
  const where = client.policy.pin
    ? `its pinned cloud ${reachable[0].id}`
    : `the clouds it may land on (${listText(reachable.map((c) => c.id))})`;
  return uses(client)
    .filter((use) => !reachable.some((cloud) => Object.hasOwn(cloud.catalog[use.key], use.name)))
    .map((use) => {
      const elsewhere = clouds.filter((c) => Object.hasOwn(c.catalog[use.key], use.name)).map((c) => c.id);
      const offered = [...new Set(reachable.flatMap((c) => Object.keys(c.catalog[use.key])))].sort();
      const also = elsewhere.length > 0 ? `; only ${listText(elsewhere)} maps it` : '';
      const instead = offered.length > 0 ? `, or use one of: ${offered.join(', ')}` : '';
      return {
        path: use.path,
        message: `${WHAT[use.key]} \`${use.name}\` is not mapped by ${where}${also}`,
        fix: `add \`${use.name}\` to catalog.${use.key} of ${reachable[0].id}${instead}`,
      };
    });
}
