/**
 * Synthetic estates for the benchmark: the example estate's two clouds and template, plus N clients
 * drawn from a fixed set of service kinds modelled on the example clients (2-3 subnets, 2-3 security
 * groups, 2-3 server groups of 1-3 servers with volumes, some with a load balancer, object storage
 * or DNS). Client `i` gets kind `i mod K`, its own id, name and /24 network, so every client of a
 * kind produces the same Terraform JSON up to its id and network, which the raw baseline relies on.
 */
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** Highest client index the address plan supports (second octet 100..255). */
export const MAX_CLIENT_INDEX = 39_935;

type Rec = Record<string, unknown>;

/** One service kind: its policy and service, given the client's id and network prefix (`10.H.L.`). */
interface Kind {
  readonly slug: string;
  readonly title: string;
  readonly build: (id: string, prefix: string) => { policy: Rec; template?: string; service: Rec };
}

const SSH = { protocol: 'tcp', ports: 22, cidr: '198.51.100.0/24', description: 'SSH from the admin bastion network' };

const subnets = (prefix: string, names: readonly string[]) => ({
  cidr: `${prefix}0/24`,
  subnets: names.map((name, i) => ({ name, cidr: `${prefix}${i * 64}/26` })),
});

/** The service kinds, in the order clients cycle through them. */
export const KINDS: readonly Kind[] = [
  {
    slug: 'titres',
    title: 'Titres sécurisés',
    build: (_id, prefix) => ({
      policy: { sensitivity: 'sensitive', dataLocation: 'FR' },
      template: 'web-3tier',
      service: { network: subnets(prefix, ['web', 'app', 'data']) },
    }),
  },
  {
    slug: 'portail',
    title: 'Portail public',
    build: (_id, prefix) => ({
      policy: { sensitivity: 'standard' },
      template: 'web-3tier',
      service: {
        network: subnets(prefix, ['web', 'app', 'data']),
        publicPorts: [80, 443],
        serverGroups: [
          { name: 'web', count: 1, size: 'small', image: 'debian-12', subnet: 'web', securityGroups: ['web'] },
          { name: 'app', count: 1, size: 'small', image: 'debian-12', subnet: 'app', securityGroups: ['app'] },
          {
            name: 'db',
            count: 1,
            size: 'medium',
            image: 'debian-12',
            subnet: 'data',
            securityGroups: ['data'],
            volumes: [{ name: 'pgdata', sizeGb: 50, tier: 'standard' }],
          },
        ],
        loadBalancer: {
          subnet: 'web',
          floatingIp: true,
          listeners: [
            {
              name: 'http',
              protocol: 'HTTP',
              port: 80,
              backend: { serverGroup: 'web', port: 8080 },
              healthMonitor: { type: 'HTTP', urlPath: '/' },
            },
            {
              name: 'https',
              protocol: 'HTTPS',
              port: 443,
              backend: { serverGroup: 'web', port: 8080 },
              healthMonitor: { type: 'HTTP', urlPath: '/' },
            },
          ],
        },
      },
    }),
  },
  {
    slug: 'archives',
    title: 'Archives',
    build: (_id, prefix) => ({
      policy: { sensitivity: 'standard', preferredClouds: ['vendor-eu-west-0'] },
      service: {
        network: subnets(prefix, ['ingest', 'admin']),
        securityGroups: [
          {
            name: 'ingest',
            rules: [SSH, { protocol: 'tcp', ports: 9100, cidr: `${prefix}64/26`, description: 'metrics from the admin subnet' }],
          },
          { name: 'admin', rules: [SSH] },
        ],
        serverGroups: [
          {
            name: 'ingest',
            count: 2,
            size: 'medium',
            image: 'ubuntu-24',
            subnet: 'ingest',
            securityGroups: ['ingest'],
            volumes: [{ name: 'spool', sizeGb: 200, tier: 'standard' }],
          },
          { name: 'admin', count: 1, size: 'small', image: 'ubuntu-24', subnet: 'admin', securityGroups: ['admin'], antiAffinity: false },
        ],
        objectStorage: { containers: [{ name: 'raw' }, { name: 'products', versioning: true }] },
      },
    }),
  },
  {
    slug: 'dossiers',
    title: 'Dossiers partagés',
    build: (id, prefix) => ({
      policy: { sensitivity: 'sensitive', dataLocation: 'FR' },
      service: {
        network: subnets(prefix, ['front', 'back', 'data']),
        securityGroups: [
          {
            name: 'api',
            rules: [{ protocol: 'tcp', ports: 8080, cidr: `${prefix}0/26`, description: 'API from the load balancer subnet' }, SSH],
          },
          { name: 'db', rules: [{ protocol: 'tcp', ports: 5432, group: 'api', description: 'PostgreSQL from the API servers' }, SSH] },
        ],
        serverGroups: [
          {
            name: 'api',
            count: 3,
            size: 'medium',
            image: 'ubuntu-24',
            subnet: 'back',
            securityGroups: ['api'],
            volumes: [{ name: 'logs', sizeGb: 20, tier: 'standard' }],
          },
          {
            name: 'db',
            count: 2,
            size: 'large',
            image: 'ubuntu-24',
            subnet: 'data',
            securityGroups: ['db'],
            antiAffinity: true,
            volumes: [
              { name: 'pgdata', sizeGb: 200, tier: 'performance' },
              { name: 'wal', sizeGb: 50, tier: 'performance' },
            ],
          },
        ],
        publicPorts: [443],
        loadBalancer: {
          subnet: 'front',
          floatingIp: true,
          listeners: [
            {
              name: 'https',
              protocol: 'HTTPS',
              port: 443,
              backend: { serverGroup: 'api', port: 8080, method: 'LEAST_CONNECTIONS' },
              healthMonitor: { type: 'HTTP', urlPath: '/health' },
            },
          ],
        },
        objectStorage: { containers: [{ name: 'documents', versioning: true }] },
        dns: { zone: `${id}.gouv.example.`, email: 'hostmaster@gouv.example' },
      },
    }),
  },
  {
    slug: 'calcul',
    title: 'Cluster de calcul',
    build: (_id, prefix) => ({
      policy: { sensitivity: 'standard', dataLocation: 'EU', preferredClouds: ['vendor-eu-west-0', 'sovereign-fr1'] },
      service: {
        network: subnets(prefix, ['compute', 'mgmt', 'storage']),
        securityGroups: [
          {
            name: 'scheduler',
            rules: [{ protocol: 'tcp', ports: '6817-6819', group: 'workers', description: 'Slurm from the workers' }, SSH],
          },
          {
            name: 'workers',
            rules: [
              { protocol: 'tcp', ports: '6817-6819', group: 'scheduler', description: 'Slurm from the scheduler' },
              { protocol: 'tcp', ports: '1024-65535', group: 'workers', description: 'MPI between workers' },
              SSH,
            ],
          },
          { name: 'storage', rules: [{ protocol: 'tcp', ports: 2049, group: 'workers', description: 'NFS from the workers' }, SSH] },
        ],
        serverGroups: [
          { name: 'scheduler', count: 1, size: 'medium', image: 'debian-12', subnet: 'mgmt', securityGroups: ['scheduler'] },
          {
            name: 'workers',
            count: 3,
            size: 'xlarge',
            image: 'debian-12',
            subnet: 'compute',
            securityGroups: ['workers'],
            volumes: [{ name: 'scratch', sizeGb: 200, tier: 'performance' }],
          },
          {
            name: 'nfs',
            count: 1,
            size: 'large',
            image: 'debian-12',
            subnet: 'storage',
            securityGroups: ['storage'],
            volumes: [{ name: 'export', sizeGb: 500, tier: 'standard' }],
          },
        ],
      },
    }),
  },
  {
    slug: 'annuaire',
    title: 'Annuaire',
    build: (id, prefix) => ({
      policy: { sensitivity: 'standard', preferredClouds: ['sovereign-fr1'] },
      service: {
        network: subnets(prefix, ['web', 'data']),
        securityGroups: [
          {
            name: 'web',
            rules: [{ protocol: 'tcp', ports: 8080, cidr: `${prefix}0/26`, description: 'backend port from the load balancer' }, SSH],
          },
          { name: 'data', rules: [{ protocol: 'tcp', ports: 5432, group: 'web', description: 'PostgreSQL from the web tier' }, SSH] },
        ],
        serverGroups: [
          { name: 'web', count: 2, size: 'small', image: 'ubuntu-24', subnet: 'web', securityGroups: ['web'] },
          {
            name: 'db',
            count: 1,
            size: 'medium',
            image: 'ubuntu-24',
            subnet: 'data',
            securityGroups: ['data'],
            volumes: [{ name: 'pgdata', sizeGb: 50, tier: 'standard' }],
          },
        ],
        loadBalancer: {
          subnet: 'web',
          floatingIp: false,
          listeners: [
            {
              name: 'http',
              protocol: 'HTTP',
              port: 80,
              backend: { serverGroup: 'web', port: 8080 },
              healthMonitor: { type: 'HTTP', urlPath: '/healthz' },
            },
          ],
        },
        dns: { zone: `${id}.service-public.example.`, email: 'dns@service-public.example' },
      },
    }),
  },
  {
    slug: 'tuiles',
    title: 'Tuiles cartographiques',
    build: (_id, prefix) => ({
      policy: {
        sensitivity: 'standard',
        pin: { cloud: 'vendor-eu-west-0', justification: 'Tile cache co-located with the vendor CDN origin' },
      },
      service: {
        network: subnets(prefix, ['tiles', 'lb']),
        securityGroups: [
          {
            name: 'tiles',
            rules: [{ protocol: 'tcp', ports: 8080, cidr: `${prefix}64/26`, description: 'tiles from the load balancer subnet' }, SSH],
          },
          {
            name: 'render',
            rules: [{ protocol: 'tcp', ports: 9000, group: 'tiles', description: 'render queue from the tile servers' }, SSH],
          },
        ],
        serverGroups: [
          {
            name: 'tiles',
            count: 3,
            size: 'medium',
            image: 'debian-12',
            subnet: 'tiles',
            securityGroups: ['tiles'],
            volumes: [{ name: 'cache', sizeGb: 50, tier: 'standard' }],
          },
          {
            name: 'render',
            count: 2,
            size: 'large',
            image: 'debian-12',
            subnet: 'tiles',
            securityGroups: ['render'],
            volumes: [{ name: 'work', sizeGb: 100, tier: 'balanced' }],
          },
        ],
        loadBalancer: {
          subnet: 'lb',
          floatingIp: true,
          listeners: [
            {
              name: 'http',
              protocol: 'HTTP',
              port: 80,
              backend: { serverGroup: 'tiles', port: 8080 },
              healthMonitor: { type: 'HTTP', urlPath: '/status' },
            },
          ],
        },
        objectStorage: { containers: [{ name: 'tiles' }] },
      },
    }),
  },
  {
    slug: 'statistiques',
    title: 'Statistiques',
    build: (_id, prefix) => ({
      policy: { sensitivity: 'standard', excludedSuppliers: { countries: ['CN'] } },
      template: 'web-3tier',
      service: {
        network: subnets(prefix, ['web', 'app', 'data']),
        objectStorage: { containers: [{ name: 'exports' }] },
      },
    }),
  },
];

/** Id of client `index`: `c<5 digits>-<kind>`. */
export function clientId(index: number): string {
  const kind = KINDS[index % KINDS.length];
  return `c${String(index).padStart(5, '0')}-${kind.slug}`;
}

/** Network prefix `10.H.L.` of client `index` (H in 100..255, so it never reads like another address of the estate). */
export function networkPrefix(index: number): string {
  return `10.${100 + (index >> 8)}.${index & 255}.`;
}

/** The client file of client `index`, as YAML text. `revision` changes a harmless detail (for incremental runs). */
export function clientYaml(index: number, revision = 0): string {
  if (!Number.isInteger(index) || index < 0 || index > MAX_CLIENT_INDEX) throw new Error(`client index ${index} out of range`);
  const kind = KINDS[index % KINDS.length];
  const id = clientId(index);
  const built = kind.build(id, networkPrefix(index));
  const service = built.service;
  if (revision > 0) {
    // One more security rule: changes this client's stack and nothing else.
    const groups = (service.securityGroups as Rec[] | undefined) ?? [];
    service.securityGroups = [
      ...groups,
      {
        name: 'monitoring',
        rules: [{ protocol: 'tcp', ports: 9100 + revision, cidr: '198.51.100.0/24', description: `exporter, revision ${revision}` }],
      },
    ];
  }
  const file = {
    id,
    name: `${kind.title} (${id})`,
    policy: built.policy,
    ...(built.template ? { template: built.template } : {}),
    service,
  };
  return `# Synthetic client ${index} (kind ${kind.slug}), generated by bench/estate.ts.\n${stringify(file, { aliasDuplicateObjects: false })}`;
}

/** Options of {@link writeEstate}. */
export interface EstateOptions {
  /** Client indexes to write. */
  readonly clients: readonly number[];
  /** The example estate whose clouds and templates are copied. Default `config`. */
  readonly exampleDir?: string;
}

/** Writes an estate (clouds/, templates/, user-data/ from the example estate, clients/ generated) into `dir`. */
export function writeEstate(dir: string, options: EstateOptions): void {
  const example = options.exampleDir ?? 'config';
  for (const folder of ['clouds', 'templates', 'user-data']) {
    mkdirSync(join(dir, folder), { recursive: true });
    for (const name of readdirSync(join(example, folder))) copyFileSync(join(example, folder, name), join(dir, folder, name));
  }
  mkdirSync(join(dir, 'clients'), { recursive: true });
  for (const index of options.clients) writeFileSync(join(dir, 'clients', `${clientId(index)}.yaml`), clientYaml(index));
}

/** `[0, 1, …, n-1]`. */
export function range(n: number, start = 0): number[] {
  return Array.from({ length: n }, (_, i) => start + i);
}
