/**
 * Estate-wide checks of the clouds' hosts and endpoints: transport (https only, plain http and
 * unencrypted PostgreSQL only to loopback hosts, with a warning; no `file:`, no credentials), one
 * owner per host, and every used host (endpoint overrides, a state hosted in another cloud) owned by
 * the cloud that must serve it.
 */
import type { ConfigErrorKind, ConfigPath } from './errors.js';
import { endpointProblem, isLoopbackHost, parseEndpoint } from './endpoints.js';
import { cloudEndpoints, cloudHostClaims, type HostClaim } from './hosts.js';

/** A problem found by {@link checkEstateHosts}, in the cloud file at `index` of its input. */
export interface HostIssue {
  /** Index of the cloud file in the input list. */
  readonly index: number;
  readonly path: ConfigPath;
  readonly level: 'error' | 'warning';
  readonly kind: ConfigErrorKind;
  readonly message: string;
  readonly fix: string;
}

/** A cloud file as the check sees it: its id and its raw data. */
export interface CloudFileData {
  readonly id: string;
  readonly data: unknown;
}

function transportIssues(clouds: readonly CloudFileData[]): HostIssue[] {
  const issues: HostIssue[] = [];
  clouds.forEach(({ data }, index) => {
    for (const endpoint of cloudEndpoints(data)) {
      const problem = endpointProblem(endpoint.value, endpoint.form);
      if (problem)
        issues.push({ index, path: endpoint.path, level: problem.level, kind: 'endpoint', message: problem.message, fix: problem.fix });
    }
    const listed = data !== null && typeof data === 'object' ? (data as { hosts?: unknown }).hosts : undefined;
    (Array.isArray(listed) ? listed : []).forEach((host, i) => {
      if (typeof host === 'string' && isLoopbackHost(host)) {
        issues.push({
          index,
          path: ['hosts', i],
          level: 'warning',
          kind: 'endpoint',
          message: `${host} is a loopback host, which only the lab should claim`,
          fix: 'list the names the cloud serves on the network outside the lab',
        });
      }
    });
  });
  return issues;
}

/** A host claimed by two clouds (loopback hosts excepted: the lab's clouds share one machine). */
function conflictIssues(claims: readonly (HostClaim & { index: number })[]): HostIssue[] {
  const byHost = new Map<string, (HostClaim & { index: number })[]>();
  for (const claim of claims) byHost.set(claim.host, [...(byHost.get(claim.host) ?? []), claim]);
  const issues: HostIssue[] = [];
  for (const [host, group] of byHost) {
    const owners = [...new Set(group.map((c) => c.cloudId))].sort();
    if (owners.length < 2 || isLoopbackHost(host)) continue;
    for (const claim of group) {
      const others = owners.filter((o) => o !== claim.cloudId);
      issues.push({
        index: claim.index,
        path: claim.path,
        level: 'error',
        kind: 'duplicate',
        message: `host ${host} is claimed by ${claim.cloudId} here and also by ${others.join(', ')}; a host belongs to one cloud`,
        fix:
          `keep the host in the cloud that runs it; if this cloud keeps its state there, set state.hostedIn to that cloud ` +
          `(a cloud's endpoints may only reach its own hosts)`,
      });
    }
  }
  return issues;
}

/** Endpoint overrides and a state hosted elsewhere must reach hosts their owner claims. */
function useIssues(claims: readonly HostClaim[], clouds: readonly CloudFileData[]): HostIssue[] {
  const ids = new Set(clouds.map((c) => c.id));
  const issues: HostIssue[] = [];
  clouds.forEach(({ id, data }, index) => {
    for (const endpoint of cloudEndpoints(data)) {
      if (endpoint.role !== 'use' || !ids.has(endpoint.owner)) continue;
      const parsed = parseEndpoint(endpoint.value, endpoint.form);
      if (!parsed.ok) continue;
      for (const host of parsed.endpoint.hosts) {
        const owners = [...new Set(claims.filter((c) => c.host === host).map((c) => c.cloudId))].sort();
        if (owners.includes(endpoint.owner)) continue;
        const ownedBy = owners.length === 0 ? 'no cloud declares it' : `it belongs to ${owners.join(', ')}`;
        const what = endpoint.owner === id ? `cloud ${id}` : `cloud ${endpoint.owner} (state.hostedIn)`;
        issues.push({
          index,
          path: endpoint.path,
          level: 'error',
          kind: 'reference',
          message: `reaches host ${host}, which is not a host of ${what}: ${ownedBy}`,
          fix: `point it at a host of ${endpoint.owner}, or add ${host} to the \`hosts\` of ${endpoint.owner} if that cloud runs it`,
        });
      }
    }
  });
  return issues;
}

/**
 * Every host and endpoint problem of an estate's clouds, errors and warnings, in input order.
 *
 * @example
 * checkEstateHosts([{ id: 'a', data: cloudA }, { id: 'b', data: cloudB }]);
 * // [{ index: 1, path: ['openstack', 'authUrl'], level: 'error', kind: 'endpoint', message: 'uses http: …', fix: 'use https' }]
 */
export function checkEstateHosts(clouds: readonly CloudFileData[]): HostIssue[] {
  const claims = clouds.flatMap(({ data }, index) => cloudHostClaims(data).map((claim) => ({ ...claim, index })));
  return [...transportIssues(clouds), ...conflictIssues(claims), ...useIssues(claims, clouds)];
}
