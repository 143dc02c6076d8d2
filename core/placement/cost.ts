/**
 * Monthly cost estimate of a client's service on a cloud, from the cloud's unit prices.
 */
import type { CloudConfig, ServiceConfig } from '../config/schema.js';
import type { CostEstimate, CostLine } from './types.js';

const toCents = (amount: number): number => Math.round(amount * 100);

/**
 * Estimate what a service costs per month on a cloud.
 *
 * Lines: each server group (count × size price), each server-group volume (size GB × count × tier price per GB),
 * floating IPs (one per server of a group with `floatingIp`, plus one for a load balancer with `floatingIp`),
 * the load balancer, and object-storage containers. Line totals are rounded to cents and `monthly` is their sum.
 * An item whose size or tier has no price is listed in `unpriced` and left out of the sum; items with a zero
 * quantity are omitted.
 *
 * @returns the estimate, or `undefined` when the cloud has no `prices`.
 * @example estimateCost(client.service, cloud)?.monthly // 412.8
 */
export function estimateCost(service: ServiceConfig, cloud: CloudConfig): CostEstimate | undefined {
  const prices = cloud.prices;
  if (!prices) return undefined;
  const lines: CostLine[] = [];
  const unpriced: string[] = [];
  const add = (item: string, quantity: number, unitPrice: number | undefined): void => {
    if (quantity === 0) return;
    if (unitPrice === undefined) {
      unpriced.push(item);
      return;
    }
    lines.push({ item, quantity, unitPrice, total: toCents(quantity * unitPrice) / 100 });
  };
  const priceOf = (table: Record<string, number>, key: string): number | undefined => (Object.hasOwn(table, key) ? table[key] : undefined);

  let floatingIps = 0;
  for (const group of service.serverGroups ?? []) {
    add(`server group ${group.name} (size ${group.size})`, group.count, priceOf(prices.sizesPerMonth, group.size));
    for (const volume of group.volumes ?? []) {
      add(
        `volume ${group.name}/${volume.name} (tier ${volume.tier}, GB)`,
        volume.sizeGb * group.count,
        priceOf(prices.volumeGbPerMonth, volume.tier),
      );
    }
    if (group.floatingIp) floatingIps += group.count;
  }
  if (service.loadBalancer) {
    add('load balancer', 1, prices.loadBalancerPerMonth);
    if (service.loadBalancer.floatingIp) floatingIps += 1;
  }
  add('floating IPs', floatingIps, prices.floatingIpPerMonth);
  add('object-storage containers', service.objectStorage?.containers.length ?? 0, prices.objectStorageContainerPerMonth);

  const monthly = lines.reduce((sum, line) => sum + toCents(line.total), 0) / 100;
  return { currency: prices.currency, monthly, lines, unpriced };
}
