/**
 * Fixtures for construct, stack and guardrail tests: clouds and clients built in code through the
 * zod schemas (so defaults apply as they do for files), modelled on the example estate.
 */
import { App, Testing, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import {
  CloudSchema,
  PolicySchema,
  ServiceSchema,
  type ClientConfig,
  type CloudConfig,
  type Sensitivity,
} from '../../core/config/schema.js';
import { cloudProfileFrom, type CloudProfile } from '../../constructs/cloud-profile.js';
import { ResourceLabels } from '../../constructs/labels.js';

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

/** A client; `service` defaults to {@link PORTABLE_SERVICE}, parsed through `ServiceSchema`. */
export function makeClient(
  options: {
    id?: string;
    sensitivity?: Sensitivity;
    service?: unknown;
  } = {},
): ClientConfig {
  return {
    id: options.id ?? 'min-interieur',
    name: 'Ministère de l’Intérieur',
    policy: PolicySchema.parse({ sensitivity: options.sensitivity ?? 'standard' }),
    service: ServiceSchema.parse(options.service ?? PORTABLE_SERVICE),
  };
}

/** {@link PORTABLE_SERVICE} plus a DNS zone. */
export const FULL_SERVICE = {
  ...PORTABLE_SERVICE,
  dns: { zone: 'titres.interieur.gouv.fr.', email: 'dns@interieur.gouv.fr' },
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
