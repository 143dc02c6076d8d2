/**
 * Rule `sensitive-state-backend`: a sensitive client's Terraform state lives on a cloud fit for sensitive data.
 *
 * The state holds every attribute of every resource (addresses, names, sometimes generated secrets),
 * so it is as sensitive as the client's data. This rule keeps its own small predicate
 * ({@link fitForSensitiveData}) instead of calling the placement engine: a guardrail must hold even
 * when the engine is bypassed or changed.
 */
import type { CloudConfig } from '../../config/schema.js';
import type { GuardrailRule } from '../types.js';

/** EU member states (ISO 3166-1 alpha-2; Greece is `GR`). */
export const EU_COUNTRIES: ReadonlySet<string> = new Set([
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE',
  'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
]);

/**
 * Why a cloud may not hold sensitive data, or an empty list when it may: it must be SecNumCloud
 * qualified, its operator's head office must be in the EU and its data must stay in the EU.
 *
 * @example
 * unfitForSensitiveData(vendorCloud); // ['not SecNumCloud-qualified', 'operator head office in US (outside the EU)']
 */
export function unfitForSensitiveData(cloud: CloudConfig): string[] {
  const reasons: string[] = [];
  if (!cloud.qualifications.includes('secnumcloud')) reasons.push('not SecNumCloud-qualified');
  if (!EU_COUNTRIES.has(cloud.operator.headOfficeCountry)) {
    reasons.push(`operator head office in ${cloud.operator.headOfficeCountry} (outside the EU)`);
  }
  if (!EU_COUNTRIES.has(cloud.dataLocation.country)) {
    reasons.push(`data located in ${cloud.dataLocation.country} (outside the EU)`);
  }
  return reasons;
}

/** True when the cloud may hold sensitive data (see {@link unfitForSensitiveData}). */
export function fitForSensitiveData(cloud: CloudConfig): boolean {
  return unfitForSensitiveData(cloud).length === 0;
}

/** A sensitive client's state backend is hosted in a SecNumCloud cloud with EU head office and EU data location. */
export const sensitiveStateBackend: GuardrailRule = {
  id: 'sensitive-state-backend',
  description: "a sensitive client's state backend is hosted in a cloud fit for sensitive data",
  check(ctx) {
    if (ctx.placement.sensitivity !== 'sensitive') return [];
    const backend = ctx.elements.find((e) => e.kind === 'backend');
    const path = backend?.path ?? ctx.stackPath;
    const hostId = ctx.placement.stateHostedIn;
    const host = hostId === ctx.placedCloud.id ? ctx.placedCloud : ctx.clouds.get(hostId);
    if (!host) {
      return [
        {
          path,
          message:
            `the state of sensitive client ${ctx.placement.clientId} is hosted in unknown cloud ${hostId}, so its fitness ` +
            `for sensitive data cannot be checked; fix: set state.hostedIn of ${ctx.placedCloud.id} to a known cloud`,
        },
      ];
    }
    const reasons = unfitForSensitiveData(host);
    if (reasons.length === 0) return [];
    return [
      {
        path,
        message:
          `the state of sensitive client ${ctx.placement.clientId} is hosted in ${host.id}, which may not hold sensitive ` +
          `data (${reasons.join('; ')}); fix: host ${ctx.placedCloud.id}'s state backend in a SecNumCloud cloud ` +
          `with EU head office and EU data location (state.hostedIn)`,
      },
    ];
  },
};
