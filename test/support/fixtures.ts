/**
 * The one test-fixture module: clouds and clients built in code through the zod schemas (so defaults apply
 * exactly as they do for files), services modelled on the example estate, and helpers to synthesize and
 * read Terraform JSON. Every test folder imports its fixtures from here.
 */
import { App, Testing, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { z } from 'zod';
import { clientConfig, type PolicyInput } from '../../core/config/client-input.js';
import {
  CloudSchema,
  type ClientConfig,
  type CloudConfig,
  type Qualification,
  type Sensitivity,
  type ServiceKind,
} from '../../core/config/schema.js';
import { cloudProfileFrom, type CloudProfile } from '../../constructs/cloud-profile.js';
import { ResourceLabels } from '../../constructs/labels.js';
import { place } from '../../core/placement/engine.js';
import type { Estate as PlacementEstate, PlaceOptions, PlacementResult } from '../../core/placement/types.js';
import { whatIfRetire, type WhatIfResult } from '../../core/placement/what-if.js';

type CloudInput = Parameters<typeof CloudSchema.parse>[0];

/** Deep-merges plain objects (arrays and scalars of `patch` win, `undefined` deletes, `state` is replaced). */
function merge<T>(base: T, patch: unknown): T {
  if (patch === undefined) return base;
  if (
    base === null ||
    typeof base !== 'object' ||
    Array.isArray(base) ||
    patch === null ||
    typeof patch !== 'object' ||
    Array.isArray(patch)
  ) {
    return patch as T;
  }
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === undefined) delete out[k];
    else if (k === 'state')
      out[k] = v; // a backend is replaced whole: its keys depend on its kind
    else out[k] = merge(out[k], v);
  }
  return out as T;
}

const SOVEREIGN = {
  id: 'sovereign-fr1',
  name: 'Cloud Souverain FR1',
  operator: { name: 'Numérique Souverain SAS', headOfficeCountry: 'FR' },
  stackSupplier: { name: 'OpenInfra France SAS', country: 'FR' },
  qualifications: ['secnumcloud'],
  dataLocation: { country: 'FR', region: 'Île-de-France' },
  openstack: {
    authUrl: 'https://identity.fr1.sovereign.example/v3',
    region: 'fr1',
    availabilityZones: ['fr1-a', 'fr1-b', 'fr1-c'],
    externalNetwork: 'public',
    services: ['compute', 'network', 'blockStorage', 'loadBalancer', 'objectStorage', 'dns'],
    cloudsYamlName: 'sovereign-fr1',
  },
  catalog: {
    sizes: { small: 's1.cw.small-1', medium: 'n2.cw.standard-2' },
    images: { 'debian-12': 'Debian 12 Bookworm' },
    volumeTiers: { standard: 'standard', performance: 'performant' },
  },
  state: {
    backend: 's3',
    bucket: 'sovstack-state',
    keyPrefix: 'sovstack',
    region: 'fr1',
    endpoint: 'https://object-store.fr1.sovereign.example',
  },
  // Its Barbican, on the Keystone host it owns: sensitive clients' stacks are encrypted (docs/state-encryption.md).
  keyManager: { type: 'barbican', endpoint: 'https://identity.fr1.sovereign.example:9311' },
  priority: 10,
};

const VENDOR = {
  id: 'vendor-eu-west-0',
  name: 'Flexible Cloud eu-west-0',
  operator: { name: 'Opérateur Télécom France SA', headOfficeCountry: 'FR' },
  stackSupplier: { name: 'Shenzhen Cloud Stack Co., Ltd.', country: 'CN' },
  qualifications: ['iso27001'],
  dataLocation: { country: 'FR', region: 'Paris' },
  openstack: {
    authUrl: 'https://iam.eu-west-0.vendor.example/v3',
    region: 'eu-west-0',
    availabilityZones: ['eu-west-0a', 'eu-west-0b'],
    externalNetwork: 'admin_external_net',
    services: ['compute', 'network', 'blockStorage', 'loadBalancer', 'objectStorage'],
    cloudsYamlName: 'vendor-eu-west-0',
  },
  catalog: {
    sizes: { small: 's3.medium.2', medium: 's3.large.2' },
    images: { 'debian-12': 'OBS Debian 12' },
    volumeTiers: { standard: 'SATA', performance: 'SSD' },
  },
  state: {
    backend: 's3',
    bucket: 'sovstack-state-eu-west-0',
    keyPrefix: 'sovstack',
    region: 'eu-west-0',
    endpoint: 'https://oss.eu-west-0.vendor.example',
  },
  priority: 20,
};

/** The sovereign example-style cloud (3 zones, DNS offered), with optional overrides. */
export function sovereignCloud(patch?: Partial<Record<keyof CloudInput, unknown>>): CloudConfig {
  return CloudSchema.parse(merge(structuredClone(SOVEREIGN), patch));
}

/** The vendor example-style cloud (2 zones, no DNS), with optional overrides. */
export function vendorCloud(patch?: Partial<Record<keyof CloudInput, unknown>>): CloudConfig {
  return CloudSchema.parse(merge(structuredClone(VENDOR), patch));
}

/** A service using every construct except DNS (which the vendor cloud lacks). */
/** An Ed25519 public key made with ssh-keygen (its private half was thrown away); test/fixtures/ssh has more. */
export const TEST_PUBLIC_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPiTEnOYDhkcsw2hU5GFVhL8+Q1sS6G16alHk6PEyZ4Z ops@test';

export const PORTABLE_SERVICE = {
  network: {
    cidr: '10.10.0.0/16',
    subnets: [
      { name: 'front', cidr: '10.10.1.0/24' },
      { name: 'app', cidr: '10.10.2.0/24', dnsNameservers: ['10.10.0.2'] },
    ],
  },
  publicPorts: [443],
  securityGroups: [
    {
      name: 'web',
      rules: [
        { protocol: 'tcp', ports: 443, cidr: '0.0.0.0/0', description: 'public HTTPS' },
        { protocol: 'tcp', ports: 22, cidr: '10.0.0.0/8', description: 'SSH from the admin network' },
        { protocol: 'icmp', cidr: '10.0.0.0/8' },
      ],
    },
    {
      name: 'db',
      rules: [
        { protocol: 'tcp', ports: 5432, group: 'web' },
        { direction: 'egress', protocol: 'tcp', ports: '8000-8080', cidr: '10.10.0.0/16' },
      ],
    },
  ],
  serverGroups: [
    {
      name: 'web',
      count: 3,
      size: 'medium',
      image: 'debian-12',
      subnet: 'app',
      securityGroups: ['web'],
      volumes: [{ name: 'data', sizeGb: 50, tier: 'performance' }],
    },
    {
      name: 'db',
      count: 2,
      size: 'small',
      image: 'debian-12',
      subnet: 'app',
      securityGroups: ['db', 'web'],
      floatingIp: true,
      antiAffinity: false,
      volumes: [
        { name: 'pgdata', sizeGb: 100, tier: 'performance' },
        { name: 'wal', sizeGb: 20, tier: 'standard' },
      ],
    },
  ],
  loadBalancer: {
    subnet: 'front',
    floatingIp: true,
    listeners: [
      {
        name: 'https',
        protocol: 'HTTPS',
        port: 443,
        backend: { serverGroup: 'web', port: 8443 },
        healthMonitor: { type: 'HTTPS', urlPath: '/health' },
      },
      { name: 'pg', protocol: 'TCP', port: 5432, backend: { serverGroup: 'db', port: 5432, method: 'LEAST_CONNECTIONS' } },
    ],
  },
  objectStorage: { containers: [{ name: 'archives', versioning: true }, { name: 'logs' }] },
};

/** {@link PORTABLE_SERVICE} plus a DNS zone. */
export const FULL_SERVICE = {
  ...PORTABLE_SERVICE,
  serverGroups: PORTABLE_SERVICE.serverGroups.map((group) => (group.name === 'web' ? { ...group, userData: 'user-data/web.yaml' } : group)),
  dns: { zone: 'titres.interieur.gouv.fr.', email: 'dns@interieur.gouv.fr' },
  ssh: { publicKey: TEST_PUBLIC_KEY },
};

/** The user-data files {@link FULL_SERVICE} names. */
export const FULL_USER_DATA = {
  'user-data/web.yaml':
    '#cloud-config\nhostname: {{ sovstack.server }}\nwrite_files:\n  - path: /etc/sovstack-zone\n    content: "{{ sovstack.zone }}"\n',
};

/** Labels of a test client. */
export function testLabels(cloudId = 'sovereign-fr1', sensitivity: Sensitivity = 'standard'): ResourceLabels {
  return new ResourceLabels({ clientId: 'min-interieur', cloudId, sensitivity, version: '9.9.9-test' });
}

/** The profile of the sovereign fixture cloud. */
export function sovereignProfile(): CloudProfile {
  return cloudProfileFrom(sovereignCloud());
}

/** Synthesized Terraform JSON shape, loosely typed for assertions. */
export interface TfJson {
  resource?: Record<string, Record<string, Record<string, any>>>;
  data?: Record<string, Record<string, Record<string, any>>>;
  provider?: Record<string, Record<string, any>[]>;
  terraform?: Record<string, any>;
  output?: Record<string, Record<string, any>>;
  [key: string]: unknown;
}

/** Builds constructs in a fresh stack and returns the parsed synthesized JSON. */
export function synthJson(build: (scope: Construct) => void): TfJson {
  return JSON.parse(Testing.synthScope(build)) as TfJson;
}

/** Parses `Testing.synth(stack)`. */
export function stackJson(stack: TerraformStack, runValidations = false): TfJson {
  return JSON.parse(Testing.synth(stack, runValidations)) as TfJson;
}

/** A fresh test app. */
export function testApp(): App {
  return Testing.app();
}

/** Resources of one type as [construct-unique-id, attributes] pairs, sorted by id. */
export function resourcesOf(json: TfJson, type: string): [string, Record<string, any>][] {
  return Object.entries(json.resource?.[type] ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The resource of `type` synthesized for construct path `path` (relative to the stack, e.g.
 * `service/servers/web/web-1`): cdktf names it `<path with / → _>_<8-hex hash>`. Throws when absent.
 */
export function at(json: TfJson, type: string, path: string, block: 'resource' | 'data' = 'resource'): Record<string, any> {
  const re = new RegExp(`^${path.replace(/\//g, '_').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}_[0-9A-F]{8}$`);
  const found = Object.entries(json[block]?.[type] ?? {}).filter(([key]) => re.test(key));
  if (found.length !== 1) throw new Error(`expected one ${type} at ${path}, found ${found.length}`);
  return found[0][1];
}

/** The Terraform reference `${type.<logical id of path>.<attr>}` for the resource at `path`. */
export function refTo(json: TfJson, type: string, path: string, attr: string, block: 'resource' | 'data' = 'resource'): string {
  const re = new RegExp(`^${path.replace(/\//g, '_')}_[0-9A-F]{8}$`);
  const key = Object.keys(json[block]?.[type] ?? {}).find((k) => re.test(k));
  if (!key) throw new Error(`no ${type} at ${path}`);
  return block === 'data' ? `\${data.${type}.${key}.${attr}}` : `\${${type}.${key}.${attr}}`;
}

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

/** What {@link makeClient} builds a client from; every field optional. */
export interface ClientSpec {
  /** Default `min-interieur`. */
  id?: string;
  /** Default `Client <id>`. */
  name?: string;
  /** Shortcut for `policy.sensitivity`. Default `standard`. */
  sensitivity?: Sensitivity;
  /** Policy keys, over `{ sensitivity }`. */
  policy?: Partial<PolicyInput>;
  /** Service keys, each replacing the same key of {@link SMALL_SERVICE} (pass {@link PORTABLE_SERVICE} for every construct). */
  service?: Record<string, unknown>;
  /** User-data files by name (see {@link FULL_USER_DATA}). Default: none. */
  userData?: Record<string, string>;
  /** The client is being decommissioned. Default false. */
  decommission?: boolean;
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

/** The default service of {@link makeClient}: a network with subnet `app` and the {@link webGroup} servers. */
export const SMALL_SERVICE = {
  network: { cidr: '10.0.0.0/16', subnets: [{ name: 'app', cidr: '10.0.1.0/24' }] },
  serverGroups: [webGroup],
};

/**
 * A client, parsed with `clientConfig` (the schemas' defaults): by default `min-interieur`, standard
 * sensitivity, data anywhere, and {@link SMALL_SERVICE}.
 */
export function makeClient(spec: ClientSpec = {}): ClientConfig {
  const id = spec.id ?? 'min-interieur';
  return clientConfig({
    id,
    name: spec.name ?? `Client ${id}`,
    policy: { sensitivity: spec.sensitivity ?? 'standard', ...spec.policy },
    service: { ...SMALL_SERVICE, ...spec.service },
    ...(spec.userData !== undefined ? { userData: spec.userData } : {}),
    ...(spec.decommission !== undefined ? { decommission: spec.decommission } : {}),
  });
}

/** The date of every placement decision in the placement tests: the fixtures' end-of-life dates lie after it. */
export const FIXTURE_TODAY = '2025-06-01';

/** `place` as of {@link FIXTURE_TODAY} (options may override it). */
export const placeToday = (estate: PlacementEstate, options: PlaceOptions = {}): PlacementResult =>
  place(estate, { today: FIXTURE_TODAY, ...options });

/** `whatIfRetire` as of {@link FIXTURE_TODAY} (options may override it). */
export const whatIfToday = (estate: PlacementEstate, cloudId: string, options: PlaceOptions = {}): WhatIfResult =>
  whatIfRetire(estate, cloudId, { today: FIXTURE_TODAY, ...options });
