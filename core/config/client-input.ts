/**
 * A client written in code rather than YAML: its policy and service in the schemas' *input* form
 * (every defaulted field optional), turned into a {@link ClientConfig} by the same zod schemas the YAML
 * loader uses, so each default is defined once, in the schema.
 */
import type { z } from 'zod';
import { StateEncryptionSchema } from './encryption-schema.js';
import { PolicySchema, ServiceSchema, type ClientConfig } from './schema.js';

/** A client's sovereignty policy as written: defaulted fields (`dataLocation`, `excludedSuppliers`, …) optional. */
export type PolicyInput = z.input<typeof PolicySchema>;

/** A client's service as written: defaulted fields (`securityGroups`, `antiAffinity`, `volumes`, …) optional. */
export type ServiceInput = z.input<typeof ServiceSchema>;

/**
 * A client as written in code. A {@link ClientConfig} is one too (a parsed client parses to itself).
 *
 * @example
 * const input: ClientInput = { id: 'culture-agenda', name: 'Agenda', policy: { sensitivity: 'standard' },
 *   service: { network: { cidr: '10.20.0.0/16', subnets: [{ name: 'web', cidr: '10.20.1.0/24' }] } } };
 */
export interface ClientInput {
  /** Client id. No default. */
  readonly id: string;
  /** Display name. No default. */
  readonly name: string;
  /** Sovereignty policy; see {@link PolicySchema} for the defaults. No default for `sensitivity`. */
  readonly policy: PolicyInput;
  /** Id of the template the service started from. Default: none. */
  readonly template?: string;
  /** The service; see {@link ServiceSchema} for the defaults. */
  readonly service: ServiceInput;
  /** State and plan encryption (see `StateEncryptionSchema`). Default: decided by sensitivity and cloud. */
  readonly stateEncryption?: z.input<typeof StateEncryptionSchema>;
  /** Being decommissioned: data volumes and containers lose `prevent_destroy`. Default false. */
  readonly decommission?: boolean;
  /** Text of the user-data files the server groups name, by name (`{ 'user-data/web.sh': '#!/bin/sh…' }`). Default: none. */
  readonly userData?: Readonly<Record<string, string>>;
}

/**
 * The {@link ClientConfig} of a client written in code: policy and service parsed with
 * {@link PolicySchema} and {@link ServiceSchema}, every default filled in.
 *
 * @throws ZodError naming the offending field when the policy or the service is invalid.
 * @example
 * clientConfig({ id: 'culture-agenda', name: 'Agenda', policy: { sensitivity: 'standard' }, service }).policy.dataLocation; // 'any'
 */
export function clientConfig(input: ClientInput): ClientConfig {
  return {
    id: input.id,
    name: input.name,
    policy: PolicySchema.parse(input.policy),
    ...(input.template !== undefined ? { template: input.template } : {}),
    service: ServiceSchema.parse(input.service),
    ...(input.stateEncryption !== undefined ? { stateEncryption: StateEncryptionSchema.parse(input.stateEncryption) } : {}),
    ...(input.decommission ? { decommission: true } : {}),
    ...(input.userData !== undefined ? { userData: { ...input.userData } } : {}),
  };
}
