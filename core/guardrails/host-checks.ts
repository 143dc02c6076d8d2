/**
 * Shared by the host rules (`provider-matches-placement`, `sensitive-state-backend`): the estate's
 * host map and the verdict on one value of a stack's final Terraform JSON that must name a host.
 */
import { endpointProblem } from '../config/endpoints.js';
import type { FindingLevel } from '../findings.js';
import { buildHostMap, ownerFor, resolveEndpoint, type HostMap } from './hosts.js';
import type { GuardrailContext, RuleFinding } from './types.js';
import { undecidableLevel } from './values.js';

/** The host map of every cloud of the context, the placed cloud included. */
export function hostMapOf(ctx: Pick<GuardrailContext, 'clouds' | 'placedCloud'>): HostMap {
  const clouds = new Map(ctx.clouds);
  if (!clouds.has(ctx.placedCloud.id)) clouds.set(ctx.placedCloud.id, ctx.placedCloud);
  return buildHostMap([...clouds.values()]);
}

/** Where one endpoint value of a stack leads: the single owning cloud of all its hosts, or findings. */
export type EndpointVerdict =
  | { readonly kind: 'owned'; readonly cloudId: string; readonly hosts: readonly string[] }
  | { readonly kind: 'finding'; readonly finding: RuleFinding };

/**
 * Judges one stack value that must name a host: an expression or an unset value is undecided,
 * a transport problem (plain http to a non-loopback host, `file:`, credentials, no TLS for pg) is an
 * error, and every host must have one owner (the `preferred` cloud wins for loopback hosts shared by
 * the lab's clouds); two hosts of different owners are an error.
 */
export function judgeEndpoint(
  ctx: Pick<GuardrailContext, 'placement'>,
  map: HostMap,
  value: unknown,
  at: {
    readonly jsonPath: string;
    readonly form: 'url' | 'pg';
    readonly what: string;
    readonly preferred: string;
    /** Level when a host belongs to no declared cloud, or the value is unset (a default decides the host). */
    readonly unknownHost: FindingLevel;
  },
): EndpointVerdict {
  const finding = (level: FindingLevel, message: string): EndpointVerdict => ({
    kind: 'finding',
    finding: { level, jsonPath: at.jsonPath, message },
  });
  if (value === undefined || value === null) {
    return finding(
      at.unknownHost,
      `${at.what} is unset, so a default or an environment variable decides where it goes; fix: set it to a host of ${at.preferred}`,
    );
  }
  if (typeof value !== 'string') return finding('error', `${at.what} is not a string; fix: set it to a URL of ${at.preferred}`);
  const resolved = resolveEndpoint(map, value, at.form);
  if (resolved.kind === 'expression') {
    return finding(
      undecidableLevel(ctx),
      `${at.what} is an expression decided only at plan time, so its host cannot be checked; fix: write the literal URL of a host of ${at.preferred}`,
    );
  }
  // Every unparsable or host-less value is also a transport error, whose message says more.
  const problem = endpointProblem(value, at.form);
  if (problem?.level === 'error') return finding('error', `${at.what} ${problem.message}; fix: ${problem.fix}`);
  if (resolved.kind === 'invalid') return finding('error', `${at.what} ${resolved.problem}; fix: use an https URL`);
  const owners = new Set<string>();
  for (const { host, owners: all } of resolved.hosts) {
    const owner = ownerFor(host, all, at.preferred);
    if (owner === undefined && all.length === 0) {
      const message = `${at.what} reaches host ${host}, but no declared cloud owns it; fix: use a host of ${at.preferred}, or list the host under \`hosts\` of the cloud that runs it`;
      return finding(at.unknownHost, message);
    }
    if (owner === undefined) {
      const message = `${at.what} reaches host ${host}, but several clouds claim it (${all.join(', ')}); fix: keep the host in the one cloud that runs it`;
      return finding('error', message);
    }
    owners.add(owner);
  }
  if (owners.size > 1)
    return finding(
      'error',
      `${at.what} reaches hosts of several clouds (${[...owners].sort().join(', ')}); fix: use hosts of ${at.preferred} only`,
    );
  return { kind: 'owned', cloudId: [...owners][0], hosts: resolved.hosts.map((h) => h.host) };
}
