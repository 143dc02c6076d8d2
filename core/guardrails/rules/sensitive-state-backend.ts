/**
 * Rule `sensitive-state-backend`: a sensitive client's Terraform state lives on a cloud that passes the
 * same sovereignty rules as the cloud the client was placed on.
 *
 * The state holds every attribute of every resource (addresses, names, sometimes generated secrets),
 * so it is as sensitive as the client's data. The cloud hosting it (`state.hostedIn`, default the placed
 * cloud) is judged by the placement engine's own sovereignty rules for this client — SecNumCloud with
 * EU head office and data, the client's data location, its excluded suppliers — and not by the rules
 * about services and catalog, which concern running the service, not keeping its state.
 */
import { dataLocation, excludedSuppliers, sensitiveRequiresSecNumCloud } from '../../placement/rules/index.js';
import { evaluateRule } from '../../placement/engine.js';
import type { PlacementRule } from '../../placement/types.js';
import { serviceUsage } from '../../placement/usage.js';
import type { GuardrailRule } from '../types.js';

/** The placement rules a sensitive client's state host must pass. */
export const STATE_HOST_RULES: readonly PlacementRule[] = [sensitiveRequiresSecNumCloud, dataLocation, excludedSuppliers];

/** A sensitive client's state backend is hosted in a cloud that passes the client's sovereignty rules. */
export const sensitiveStateBackend: GuardrailRule = {
  id: 'sensitive-state-backend',
  description: "a sensitive client's state backend is hosted in a cloud that passes the client's sovereignty rules",
  inspects: ['terraform.backend'],
  runWhenAbsent: true,
  check(ctx) {
    if (ctx.placement.sensitivity !== 'sensitive') return { notApplicable: 'the client is not sensitive' };
    const jsonPath = ctx.elements[0]?.jsonPath ?? 'terraform';
    const hostId = ctx.placement.stateHostedIn;
    const host = hostId === ctx.placedCloud.id ? ctx.placedCloud : ctx.clouds.get(hostId);
    if (!host) {
      return [
        {
          jsonPath,
          message:
            `the state of sensitive client ${ctx.placement.clientId} is hosted in unknown cloud ${hostId}, so its fitness ` +
            `for sensitive data cannot be checked; fix: set state.hostedIn of ${ctx.placedCloud.id} to a known cloud`,
        },
      ];
    }
    const usage = serviceUsage(ctx.client.service);
    // Lifecycle rules are not among these, so the date of the decision does not matter here.
    const failed = STATE_HOST_RULES.map((rule) =>
      evaluateRule(rule, { client: ctx.client, cloud: host, usage, today: undefined, horizonDays: 0 }),
    ).filter((v) => v.status === 'fail');
    if (failed.length === 0) return [];
    return [
      {
        jsonPath,
        message:
          `the state of sensitive client ${ctx.placement.clientId} is hosted in ${host.id}, which fails ` +
          `${failed.map((v) => `${v.rule} (${v.reason})`).join('; ')}; fix: host ${ctx.placedCloud.id}'s state backend ` +
          `(state.hostedIn) in a cloud that passes these rules for this client`,
      },
    ];
  },
};
