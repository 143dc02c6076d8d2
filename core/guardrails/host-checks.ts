/**
 * What the host rules (`provider-matches-placement`, `sensitive-state-backend`) read and report:
 * a stack's final Terraform JSON judged against the estate's clouds, findings with a JSON path.
 */
import { endpointProblem, isLoopbackHost } from '../config/endpoints.js';
import type { ClientConfig, CloudConfig } from '../config/schema.js';
import { buildHostMap, ownerFor, resolveEndpoint, type HostMap } from './hosts.js';

/** What a host rule judges: the stack JSON, where the estate placed it and every known cloud. */
export interface HostCheckInput {
  /** The stack's final Terraform JSON (parsed `cdk.tf.json`). */
  readonly stack: unknown;
  /** The cloud the placement engine placed the client on (from the estate, never from the stack). */
  readonly placedCloud: CloudConfig;
  /** Every cloud of the estate (the placed cloud is added when missing). */
  readonly clouds: readonly CloudConfig[];
  /** The client. */
  readonly client: ClientConfig;
}

/** A host rule's finding: level, JSON path and message (`…; fix: …`). */
export interface HostFinding {
  readonly level: 'error' | 'warning';
  /** JSON path inside the stack JSON, e.g. `provider.openstack[1].auth_url`. */
  readonly jsonPath: string;
  readonly message: string;
}

/** The host map of the input's clouds, the placed cloud included. */
export function hostMapOf(input: HostCheckInput): HostMap {
  const clouds = input.clouds.some((c) => c.id === input.placedCloud.id) ? input.clouds : [...input.clouds, input.placedCloud];
  return buildHostMap(clouds);
}

/**
 * Level of a finding about what cannot be decided statically (an expression, an unknown host):
 * it fails closed for a sensitive client and warns for a standard one.
 */
export function undecidedLevel(client: ClientConfig): HostFinding['level'] {
  return client.policy.sensitivity === 'sensitive' ? 'error' : 'warning';
}

/** Where one endpoint value of a stack leads: the single owning cloud of all its hosts, or findings. */
export type EndpointVerdict =
  | { readonly kind: 'owned'; readonly cloudId: string; readonly hosts: readonly string[] }
  | { readonly kind: 'finding'; readonly finding: HostFinding };

/**
 * Judges one stack value that must name a host: an expression or an unset value is undecided,
 * a transport problem (plain http to a non-loopback host, `file:`, credentials, no TLS for pg) is an
 * error, and every host must have one owner (the `preferred` cloud wins for loopback hosts shared by
 * the lab's clouds); two hosts of different owners are an error.
 */
export function judgeEndpoint(
  input: HostCheckInput,
  map: HostMap,
  value: unknown,
  at: { readonly jsonPath: string; readonly form: 'url' | 'pg'; readonly what: string; readonly preferred: string },
): EndpointVerdict {
  const finding = (level: HostFinding['level'], message: string): EndpointVerdict => ({ kind: 'finding', finding: { level, jsonPath: at.jsonPath, message } });
  if (value === undefined || value === null) {
    return finding(undecidedLevel(input.client), `${at.what} is unset, so a default or an environment variable decides where it goes; fix: set it to a host of ${at.preferred}`);
  }
  if (typeof value !== 'string') return finding('error', `${at.what} is not a string; fix: set it to a URL of ${at.preferred}`);
  const resolved = resolveEndpoint(map, value, at.form);
  if (resolved.kind === 'expression') {
    return finding(
      undecidedLevel(input.client),
      `${at.what} is an expression decided only at plan time, so its host cannot be checked; fix: write the literal URL of a host of ${at.preferred}`,
    );
  }
  const problem = endpointProblem(value, at.form);
  if (resolved.kind === 'invalid' || problem?.level === 'error') {
    return finding('error', `${at.what} ${resolved.kind === 'invalid' ? resolved.problem : problem!.message}; fix: ${problem?.fix ?? 'use an https URL'}`);
  }
  const owners = new Set<string>();
  for (const { host, owners: all } of resolved.hosts) {
    const owner = ownerFor(host, all, at.preferred);
    if (owner === undefined) {
      const why = all.length === 0 ? 'no declared cloud owns it' : `several clouds claim it (${all.join(', ')})`;
      return finding(
        all.length === 0 ? undecidedLevel(input.client) : 'error',
        `${at.what} reaches host ${host}, but ${why}; fix: use a host of ${at.preferred}, or declare the host under \`hosts\` of the cloud that runs it`,
      );
    }
    owners.add(owner);
  }
  if (owners.size > 1) return finding('error', `${at.what} reaches hosts of several clouds (${[...owners].sort().join(', ')}); fix: use hosts of ${at.preferred} only`);
  return { kind: 'owned', cloudId: [...owners][0]!, hosts: resolved.hosts.map((h) => h.host) };
}

/** True when every host of the verdict is loopback (the lab). */
export function allLoopback(hosts: readonly string[]): boolean {
  return hosts.every(isLoopbackHost);
}
