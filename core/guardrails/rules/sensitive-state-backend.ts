/**
 * Rule `sensitive-state-backend`: a client's Terraform state lives on a cloud that passes the same
 * sovereignty rules as the cloud the client was placed on, and that cloud is derived from the backend's
 * hosts, not taken from a declaration.
 *
 * The state holds every attribute of every resource (addresses, names, sometimes generated secrets),
 * so it is as sensitive as the client's data. The cloud hosting it is the owner of the backend's hosts
 * (s3 endpoints, http addresses, pg connection string; see `buildHostMap`); `state.hostedIn`, when the
 * placed cloud declares it, must agree with that owner, and without it the owner must be the placed cloud.
 * A `local` backend (or none) has no host: the state is on the machine running tofu, credited to
 * `state.hostedIn` or the placed cloud. The host's cloud is judged by the placement engine's own
 * sovereignty rules for this client (SecNumCloud with EU head office and data, the client's data
 * location, its excluded suppliers), not by the rules about services and catalog.
 */
import { dataLocation, excludedSuppliers, sensitiveRequiresSecNumCloud } from '../../placement/rules/index.js';
import { evaluateRule } from '../../placement/engine.js';
import type { PlacementRule, RuleVerdict } from '../../placement/types.js';
import type { CloudConfig } from '../../config/schema.js';
import { serviceUsage } from '../../placement/usage.js';
import { hostMapOf, judgeEndpoint } from '../host-checks.js';
import { backendEndpoints, stateBackends, type JsonBlock } from '../stack-endpoints.js';
import type { GuardrailContext, GuardrailRule, RuleFinding } from '../types.js';
import { undecidableLevel } from '../values.js';

/** The placement rules a client's state host must pass. */
export const STATE_HOST_RULES: readonly PlacementRule[] = [sensitiveRequiresSecNumCloud, dataLocation, excludedSuppliers];

/**
 * The {@link STATE_HOST_RULES} that `host` fails for the context's client: a cloud holding the client's
 * state (or, for `key-manager-placement`, its data keys) must pass them.
 *
 * @example failedHostRules(ctx, vendor).map((v) => v.rule); // ['sensitive-requires-secnumcloud']
 */
export function failedHostRules(ctx: Pick<GuardrailContext, 'client'>, host: CloudConfig): RuleVerdict[] {
  const usage = serviceUsage(ctx.client.service);
  // None of these rules reads the date, so none is given.
  return STATE_HOST_RULES.map((rule) =>
    evaluateRule(rule, { client: ctx.client, cloud: host, usage, today: undefined, horizonDays: 0 }),
  ).filter((v) => v.status === 'fail');
}

/** Where one backend keeps the state: the cloud owning its hosts, or the findings that prevent knowing it. */
function backendCloud(
  ctx: GuardrailContext,
  backend: JsonBlock & { readonly type: string },
  expected: string,
): { cloudId?: string; findings: RuleFinding[] } {
  if (backend.type === 'local') return { cloudId: expected, findings: [] };
  const endpoints = backendEndpoints(backend);
  if (endpoints === undefined) {
    const message =
      `backend ${backend.type} keeps the state where this rule cannot tell which cloud hosts it; ` +
      `fix: use the ${ctx.placedCloud.state.backend} backend of ${ctx.placedCloud.id} (state in its YAML)`;
    return { findings: [{ jsonPath: backend.jsonPath, level: undecidableLevel(ctx), message }] };
  }
  const map = hostMapOf(ctx);
  const findings: RuleFinding[] = [];
  const owners = new Set<string>();
  const declared =
    ctx.placedCloud.state.hostedIn === undefined ? 'the placed cloud (no state.hostedIn)' : `state.hostedIn of ${ctx.placedCloud.id}`;
  for (const endpoint of endpoints) {
    const what = `backend ${backend.type} ${endpoint.jsonPath.slice(backend.jsonPath.length + 1)}`;
    const at = { jsonPath: endpoint.jsonPath, form: endpoint.form, what, preferred: expected, unknownHost: undecidableLevel(ctx) };
    const verdict = judgeEndpoint(ctx, map, endpoint.value, at);
    if (verdict.kind === 'finding') {
      findings.push(verdict.finding);
      continue;
    }
    owners.add(verdict.cloudId);
    if (verdict.cloudId === expected) continue;
    findings.push({
      jsonPath: endpoint.jsonPath,
      message:
        `${what} reaches ${verdict.hosts.join(', ')}, a host of ${verdict.cloudId}, but the state is declared in ${expected} by ${declared}; ` +
        `fix: point the backend at ${expected}'s state store, or set state.hostedIn: ${verdict.cloudId} if the state must live there`,
    });
  }
  return { cloudId: owners.size === 1 ? [...owners][0] : undefined, findings };
}

function sovereigntyFindings(ctx: GuardrailContext, cloudId: string, jsonPath: string): RuleFinding[] {
  const { client } = ctx;
  const host = cloudId === ctx.placedCloud.id ? ctx.placedCloud : ctx.clouds.get(cloudId);
  const who = `${client.policy.sensitivity} client ${client.id}`;
  if (!host) {
    const message =
      `the state of ${who} is hosted in unknown cloud ${cloudId}, so its fitness for the client's data cannot be checked; ` +
      `fix: set state.hostedIn of ${ctx.placedCloud.id} to a known cloud`;
    return [{ jsonPath, level: undecidableLevel(ctx), message }];
  }
  const failed = failedHostRules(ctx, host);
  if (failed.length === 0) return [];
  const message =
    `the state of ${who} is hosted in ${host.id}, which fails ${failed.map((v) => `${v.rule} (${v.reason})`).join('; ')}; ` +
    `fix: keep ${ctx.placedCloud.id}'s state (its state backend and state.hostedIn) in a cloud that passes these rules for this client`;
  return [{ jsonPath, message }];
}

/**
 * The state backend's hosts belong to the cloud the state is declared in (`state.hostedIn`, default the
 * placed cloud), and that cloud passes the client's sovereignty rules. A host of no declared cloud, an
 * expression or an unreadable backend fails closed for a sensitive client and warns for a standard one.
 *
 * @example
 * sensitiveStateBackend.check(ctx);
 * // [{ jsonPath: 'terraform.backend.s3.endpoints.s3', message: 'backend s3 endpoints.s3 reaches oss.eu-west-0.vendor.example, a host of vendor-eu-west-0, …' }]
 */
export const sensitiveStateBackend: GuardrailRule = {
  id: 'sensitive-state-backend',
  description:
    "a client's state backend is on hosts of the cloud its state is declared in, a cloud that passes the client's sovereignty rules",
  inspects: ['terraform.backend'],
  runWhenAbsent: true,
  check(ctx) {
    const expected = ctx.placedCloud.state.hostedIn ?? ctx.placedCloud.id;
    const backends = stateBackends(ctx.artifact.json);
    if (backends.length === 0) return sovereigntyFindings(ctx, expected, 'terraform');
    return backends.flatMap((backend) => {
      const where = backendCloud(ctx, backend, expected);
      return [...where.findings, ...(where.cloudId === undefined ? [] : sovereigntyFindings(ctx, where.cloudId, backend.jsonPath))];
    });
  },
};
