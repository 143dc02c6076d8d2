/**
 * Test fixtures: small builders making CloudConfig / ClientConfig objects, parsed through the zod schemas
 * so defaults apply exactly as they do for files.
 */
import type { z } from 'zod';
import {
  CloudSchema,
  PolicySchema,
  ServiceSchema,
  type ClientConfig,
  type CloudConfig,
  type Qualification,
  type ServiceKind,
} from '../../core/config/schema.js';
import { place } from '../../core/placement/engine.js';
import type { Estate, PlaceOptions, PlacementResult } from '../../core/placement/types.js';
import { whatIfRetire, type WhatIfResult } from '../../core/placement/what-if.js';

export const ALL_SERVICES: ServiceKind[] = ['compute', 'network', 'blockStorage', 'loadBalancer', 'objectStorage', 'dns'];

export interface CloudSpec {
  id: string;
  qualifications?: Qualification[];
  headOffice?: string;
  dataCountry?: string;
  region?: string;
  supplier?: { name: string; country: string };
  lifecycle?: z.input<typeof CloudSchema>['lifecycle'];
  services?: ServiceKind[];
  sizes?: string[];
  images?: string[];
  tiers?: string[];
  priority?: number;
  prices?: z.input<typeof CloudSchema>['prices'];
}

const mapOf = (names: string[], prefix: string): Record<string, string> => Object.fromEntries(names.map((n) => [n, `${prefix}.${n}`]));

/**
 * A cloud; by default a French SecNumCloud-qualified cloud offering every service, with sizes small/medium/large,
 * image debian-12 and volume tiers standard/ssd, priority 100, active, no prices.
 */
export function makeCloud(spec: CloudSpec): CloudConfig {
  return CloudSchema.parse({
    id: spec.id,
    name: `Cloud ${spec.id}`,
    operator: { name: `Operator of ${spec.id}`, headOfficeCountry: spec.headOffice ?? 'FR' },
    stackSupplier: spec.supplier ?? { name: 'Libre Stack SAS', country: 'FR' },
    qualifications: spec.qualifications ?? ['secnumcloud', 'iso27001'],
    dataLocation: { country: spec.dataCountry ?? 'FR', region: spec.region ?? 'paris' },
    lifecycle: spec.lifecycle,
    openstack: {
      authUrl: `https://keystone.${spec.id}.example.org/v3`,
      region: 'RegionOne',
      availabilityZones: ['az1'],
      externalNetwork: 'public',
      services: spec.services ?? ALL_SERVICES,
    },
    catalog: {
      sizes: mapOf(spec.sizes ?? ['small', 'medium', 'large'], 'flavor'),
      images: mapOf(spec.images ?? ['debian-12'], 'img'),
      volumeTiers: mapOf(spec.tiers ?? ['standard', 'ssd'], 'vol'),
    },
    state: { backend: 'local', dir: `state/${spec.id}` },
    priority: spec.priority,
    prices: spec.prices,
  });
}

/** The sovereign cloud of most tests: SecNumCloud, French operator, data in France, French stack. */
export const sovereign = (over: Partial<CloudSpec> = {}): CloudConfig => makeCloud({ id: 'sovereign-fr1', region: 'paris', ...over });

/** The vendor cloud of most tests: data in Germany, EU operator, OpenStack stack from a US supplier, no SecNumCloud. */
export const vendor = (over: Partial<CloudSpec> = {}): CloudConfig =>
  makeCloud({
    id: 'vendor-de1',
    qualifications: ['iso27001', 'c5'],
    headOffice: 'DE',
    dataCountry: 'DE',
    region: 'frankfurt',
    supplier: { name: 'Bigstack Inc', country: 'US' },
    priority: 50,
    ...over,
  });

export interface ClientSpec {
  id: string;
  name?: string;
  policy?: Partial<z.input<typeof PolicySchema>>;
  service?: Partial<z.input<typeof ServiceSchema>>;
}

/** One server group `web`: 2 × small debian-12 in subnet `app`, each with a 20 GB standard volume. */
export const webGroup = {
  name: 'web',
  count: 2,
  size: 'small',
  image: 'debian-12',
  subnet: 'app',
  volumes: [{ name: 'data', sizeGb: 20, tier: 'standard' }],
};

/** A client; by default standard sensitivity, data anywhere, and one `web` server group. */
export function makeClient(spec: ClientSpec): ClientConfig {
  return {
    id: spec.id,
    name: spec.name ?? `Client ${spec.id}`,
    policy: PolicySchema.parse({ sensitivity: 'standard', ...spec.policy }),
    service: ServiceSchema.parse({
      network: { cidr: '10.0.0.0/16', subnets: [{ name: 'app', cidr: '10.0.1.0/24' }] },
      serverGroups: [webGroup],
      ...spec.service,
    }),
  };
}

/** The date of every placement decision in the placement tests: the fixtures' end-of-life dates lie after it. */
export const FIXTURE_TODAY = '2025-06-01';

/** `place` as of {@link FIXTURE_TODAY} (options may override it). */
export const placeToday = (estate: Estate, options: PlaceOptions = {}): PlacementResult =>
  place(estate, { today: FIXTURE_TODAY, ...options });

/** `whatIfRetire` as of {@link FIXTURE_TODAY} (options may override it). */
export const whatIfToday = (estate: Estate, cloudId: string, options: PlaceOptions = {}): WhatIfResult =>
  whatIfRetire(estate, cloudId, { today: FIXTURE_TODAY, ...options });
