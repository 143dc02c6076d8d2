/**
 * The config layer's data model: zod schemas for cloud, client and service-template files.
 *
 * Every object is strict (unknown keys are errors) so a typo never silently drops a setting.
 * Cross-file checks (ids, references, catalog coverage, overlaps) live in `validate.ts`;
 * this module only describes the shape of one file.
 */
import { z } from 'zod';
import { isValidCidr } from './cidr.js';
import { normalizeHost } from './endpoints.js';

/** Lower-case id used in file names, stack names and resource names: `[a-z][a-z0-9-]*`. */
export const IdSchema = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, {
  message: 'expected an id of lower-case letters, digits and dashes, starting with a letter (at most 40 characters)',
});

/** ISO 3166-1 alpha-2 country code, upper case (e.g. `FR`, `DE`, `CN`). */
export const CountrySchema = z
  .string()
  .regex(/^[A-Z]{2}$/, { message: 'expected an ISO 3166-1 alpha-2 country code in upper case, e.g. FR' });

/** Short name for resources inside a client (subnets, groups, containers): `[a-z][a-z0-9-]*`. */
export const NameSchema = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, {
  message: 'expected a name of lower-case letters, digits and dashes, starting with a letter (at most 31 characters)',
});

/** IPv4 or IPv6 network in CIDR notation whose address is the network address (`10.0.0.0/16`). */
export const CidrSchema = z.string().refine(isValidCidr, {
  message: 'expected a network in CIDR notation with host bits zero, e.g. 10.20.0.0/16',
});

/** A host name or IP address, without scheme, port or path: `kms.fr1.sovereign.example`, `192.0.2.10`, `2001:db8::10`. */
export const HostSchema = z
  .string()
  .refine((host) => normalizeHost(host) !== undefined, {
    message: 'expected a host name or IP address without scheme, port or path, e.g. compute.fr1.example',
  })
  .meta({
    description: 'Host name or IP address, without scheme, port or path; compared case-insensitively.',
    examples: ['kms.fr1.sovereign.example'],
  });

/** Calendar date `YYYY-MM-DD`. */
export const DateSchema = z.iso.date({ message: 'expected a date as YYYY-MM-DD' });

/** OpenStack services a cloud may offer and a client's service may need. */
export const ServiceKindSchema = z.enum(['compute', 'network', 'blockStorage', 'loadBalancer', 'objectStorage', 'dns']);
/** An OpenStack service kind: `compute`, `network`, `blockStorage`, `loadBalancer`, `objectStorage` or `dns`. */
export type ServiceKind = z.infer<typeof ServiceKindSchema>;

/** Qualifications a cloud may hold. `secnumcloud` is ANSSI's SecNumCloud qualification. */
export const QualificationSchema = z.enum(['secnumcloud', 'hds', 'iso27001', 'c5']);
/** A cloud qualification: `secnumcloud`, `hds`, `iso27001` or `c5`. */
export type Qualification = z.infer<typeof QualificationSchema>;

const PriceSchema = z.number().nonnegative();

/** Where a cloud keeps the Terraform state of the stacks placed on it. Credentials never go here. */
export const StateBackendSchema = z.discriminatedUnion('backend', [
  z.strictObject({
    backend: z.literal('local'),
    /** Folder for state files; each stack gets `<dir>/<stack>.tfstate`. Relative to the working directory of tofu. */
    dir: z.string().min(1),
    /** Cloud whose premises hold the state; defaults to the cloud itself. */
    hostedIn: IdSchema.optional(),
  }),
  z.strictObject({
    backend: z.literal('pg'),
    /** PostgreSQL connection string WITHOUT a password (PGPASSWORD / .pgpass supply it at deploy time). */
    connStr: z.string().min(1),
    /** Prefix of the schema that holds one stack's state; the stack name is appended. Default `sovstack`. */
    schemaPrefix: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/)
      .optional(),
    hostedIn: IdSchema.optional(),
  }),
  z.strictObject({
    backend: z.literal('s3'),
    /** Bucket (an object-storage container reachable through an S3-compatible API). */
    bucket: z.string().min(1),
    /** Key prefix; the stack name and `terraform.tfstate` are appended. Default `sovstack`. */
    keyPrefix: z.string().optional(),
    region: z.string().min(1),
    /** S3 endpoint URL of the object store. */
    endpoint: z.url(),
    hostedIn: IdSchema.optional(),
  }),
  z.strictObject({
    backend: z.literal('http'),
    /** Base URL; the stack name is appended. Lock and unlock use the same URL. */
    address: z.url(),
    hostedIn: IdSchema.optional(),
  }),
]);
/** A cloud's state backend, as parsed by {@link StateBackendSchema}: `local`, `pg`, `s3` or `http`. */
export type StateBackend = z.infer<typeof StateBackendSchema>;

/** One OpenStack cloud the broker can place clients on. */
export const CloudSchema = z.strictObject({
  id: IdSchema,
  name: z.string().min(1),
  operator: z.strictObject({
    name: z.string().min(1),
    /** Country of the operator's head office (SecNumCloud 3.2 §19.6 requires the EU for sensitive data). */
    headOfficeCountry: CountrySchema,
  }),
  /** Who supplies the OpenStack software and hardware the cloud runs on. */
  stackSupplier: z.strictObject({
    name: z.string().min(1),
    country: CountrySchema,
  }),
  qualifications: z.array(QualificationSchema).default([]),
  dataLocation: z.strictObject({
    country: CountrySchema,
    region: z.string().min(1),
  }),
  lifecycle: z
    .discriminatedUnion('status', [
      z.strictObject({ status: z.literal('active') }),
      z.strictObject({ status: z.literal('deprecated'), endOfLife: DateSchema }),
      z.strictObject({ status: z.literal('retired'), since: DateSchema.optional() }),
    ])
    .default({ status: 'active' }),
  openstack: z.strictObject({
    /** Keystone v3 endpoint. */
    authUrl: z.url(),
    region: z.string().min(1),
    availabilityZones: z.array(z.string().min(1)).min(1),
    /** Name of the provider (external) network routers attach to and floating IPs come from. */
    externalNetwork: z.string().min(1),
    /**
     * UUID of that external network. When set, routers and floating IPs use it directly and a plan
     * needs no API call (offline review in CI); when absent, stacks look the network up by name
     * with a data source at plan time. Default: look up by name.
     */
    externalNetworkId: z.guid({ message: 'expected the UUID of the external network' }).optional(),
    services: z.array(ServiceKindSchema).min(1),
    /** Name of the `clouds.yaml` entry holding credentials at deploy time (OS_CLOUD). Default: none, use OS_* variables. */
    cloudsYamlName: z.string().min(1).optional(),
    /** Endpoint overrides (service type → URL) for clouds whose catalog is incomplete. Default: none. */
    endpointOverrides: z.record(z.string(), z.url()).optional(),
  }),
  hosts: z
    .array(HostSchema)
    .default([])
    .meta({
      description:
        'Hosts this cloud owns besides the ones derived from `openstack.authUrl` and `state` (its state endpoint, unless ' +
        '`state.hostedIn` names another cloud): the service endpoints of its catalog, the targets of `endpointOverrides`, its ' +
        'key manager. A host belongs to one cloud only; every host a stack reaches must belong to its placed cloud ' +
        '(docs/guardrails.md, Hosts). Default: none.',
    }),
  /** Maps the broker's abstract names to this cloud's own. */
  catalog: z.strictObject({
    /** Abstract size → flavor name. */
    sizes: z.record(NameSchema, z.string().min(1)),
    /** Abstract image → image name. */
    images: z.record(NameSchema, z.string().min(1)),
    /** Abstract volume tier → volume type. */
    volumeTiers: z.record(NameSchema, z.string().min(1)),
  }),
  state: StateBackendSchema,
  /** Tie-break between eligible clouds when the client states no preference: lower comes first. Default 100. */
  priority: z.number().int().min(0).max(1000).default(100),
  /** Unit prices for cost estimates. Default: no estimate. */
  prices: z
    .strictObject({
      currency: z
        .string()
        .regex(/^[A-Z]{3}$/)
        .default('EUR'),
      /** Abstract size → price per instance per month. */
      sizesPerMonth: z.record(NameSchema, PriceSchema).default({}),
      /** Volume tier → price per GB per month. */
      volumeGbPerMonth: z.record(NameSchema, PriceSchema).default({}),
      floatingIpPerMonth: PriceSchema.default(0),
      loadBalancerPerMonth: PriceSchema.default(0),
      objectStorageContainerPerMonth: PriceSchema.default(0),
    })
    .optional(),
});
/** A cloud after parsing with {@link CloudSchema}: defaults filled in (`qualifications`, `lifecycle`, `priority`, price defaults). */
export type CloudConfig = z.infer<typeof CloudSchema>;

const PortRangeSchema = z.union([
  z.number().int().min(1).max(65535),
  z
    .string()
    .regex(/^\d{1,5}-\d{1,5}$/, { message: 'expected a port (443) or a range "8000-8080"' })
    .refine(
      (r) => {
        const [lo, hi] = r.split('-').map(Number) as [number, number];
        return lo >= 1 && hi <= 65535 && lo <= hi;
      },
      { message: 'expected a port range low-high with 1 <= low <= high <= 65535' },
    ),
]);
/** A port (`443`) or an inclusive range as a string (`"8000-8080"`). */
export type PortRange = z.infer<typeof PortRangeSchema>;

/** One security-group rule: direction, protocol, ports and exactly one remote (`cidr` or `group`). */
export const SecurityRuleSchema = z
  .strictObject({
    direction: z.enum(['ingress', 'egress']).default('ingress'),
    protocol: z.enum(['tcp', 'udp', 'icmp', 'any']).default('tcp'),
    /** Port or range; required for tcp/udp, forbidden for icmp/any. */
    ports: PortRangeSchema.optional(),
    /** Remote network (CIDR). Exactly one of `cidr` and `group`. */
    cidr: CidrSchema.optional(),
    /** Remote security group of this service, by name. */
    group: NameSchema.optional(),
    description: z.string().optional(),
  })
  .superRefine((rule, ctx) => {
    if ((rule.cidr === undefined) === (rule.group === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'expected exactly one of `cidr` or `group`', path: [] });
    }
    const needsPorts = rule.protocol === 'tcp' || rule.protocol === 'udp';
    if (needsPorts && rule.ports === undefined) {
      ctx.addIssue({ code: 'custom', message: `protocol ${rule.protocol} needs \`ports\``, path: ['ports'] });
    }
    if (!needsPorts && rule.ports !== undefined) {
      ctx.addIssue({ code: 'custom', message: `protocol ${rule.protocol} takes no \`ports\``, path: ['ports'] });
    }
  });
/** A security-group rule after parsing with {@link SecurityRuleSchema}. */
export type SecurityRule = z.infer<typeof SecurityRuleSchema>;

/** A named security group of a client's service and its rules. */
export const SecurityGroupSchema = z.strictObject({
  name: NameSchema,
  description: z.string().optional(),
  rules: z.array(SecurityRuleSchema).default([]),
});
/** A security group after parsing with {@link SecurityGroupSchema}. */
export type SecurityGroup = z.infer<typeof SecurityGroupSchema>;

/** A volume created for every server of a server group, sized in GB, on an abstract tier. */
export const VolumeSchema = z.strictObject({
  name: NameSchema,
  sizeGb: z.number().int().min(1).max(16384),
  /** Abstract volume tier, resolved through the cloud's catalog. */
  tier: NameSchema,
});

/** N identical servers: abstract size and image, subnet, security groups, floating IPs, anti-affinity, volumes. */
export const ServerGroupSchema = z.strictObject({
  name: NameSchema,
  count: z.number().int().min(1).max(100),
  /** Abstract size, resolved to a flavor through the cloud's catalog. */
  size: NameSchema,
  /** Abstract image, resolved to an image name through the cloud's catalog. */
  image: NameSchema,
  /** Subnet (by name) the servers' ports are in. */
  subnet: NameSchema,
  securityGroups: z.array(NameSchema).default([]),
  /** One floating IP per server from the cloud's external network. Default false. */
  floatingIp: z.boolean().default(false),
  /** Spread servers over hypervisors (anti-affinity server group). Default true. */
  antiAffinity: z.boolean().default(true),
  /** Volumes created per server and attached to it. */
  volumes: z.array(VolumeSchema).default([]),
});
/** A server group after parsing with {@link ServerGroupSchema}. */
export type ServerGroup = z.infer<typeof ServerGroupSchema>;

/** A load-balancer listener: protocol and port, the server group behind it and an optional health monitor. */
export const ListenerSchema = z.strictObject({
  name: NameSchema,
  protocol: z.enum(['HTTP', 'HTTPS', 'TCP', 'UDP']),
  port: z.number().int().min(1).max(65535),
  /** Server group receiving the traffic and the port it listens on. */
  backend: z.strictObject({
    serverGroup: NameSchema,
    port: z.number().int().min(1).max(65535),
    method: z.enum(['ROUND_ROBIN', 'LEAST_CONNECTIONS', 'SOURCE_IP']).default('ROUND_ROBIN'),
  }),
  healthMonitor: z
    .strictObject({
      type: z.enum(['HTTP', 'HTTPS', 'TCP', 'PING']),
      /** URL path for HTTP(S) checks. Default `/`. */
      urlPath: z.string().startsWith('/').optional(),
      delaySeconds: z.number().int().min(1).default(10),
      timeoutSeconds: z.number().int().min(1).default(5),
      maxRetries: z.number().int().min(1).max(10).default(3),
    })
    .optional(),
});

/** A client's load balancer: VIP subnet, optional floating IP and at least one listener. */
export const LoadBalancerSchema = z.strictObject({
  /** Subnet (by name) holding the VIP. */
  subnet: NameSchema,
  /** Give the VIP a floating IP from the external network. Default false. */
  floatingIp: z.boolean().default(false),
  listeners: z.array(ListenerSchema).min(1),
});

/** A client's object-storage containers (at least one). */
export const ObjectStorageSchema = z.strictObject({
  containers: z
    .array(
      z.strictObject({
        name: NameSchema,
        /** Keep object versions. Default false. */
        versioning: z.boolean().default(false),
      }),
    )
    .min(1),
});

/** A client's DNS zone: fully qualified name with the trailing dot, and the zone's contact email. */
export const DnsSchema = z.strictObject({
  /** Zone name, fully qualified with the trailing dot, e.g. `app.interieur.gouv.fr.` */
  zone: z.string().regex(/^([a-z0-9-]+\.)+$/, { message: 'expected a fully qualified zone name ending with a dot' }),
  email: z.email(),
});

/** A client's tenant network: its CIDR and at least one subnet inside it. */
export const NetworkSchema = z.strictObject({
  cidr: CidrSchema,
  subnets: z
    .array(
      z.strictObject({
        name: NameSchema,
        cidr: CidrSchema,
        /** DNS resolvers handed out by DHCP. Default: none. */
        dnsNameservers: z.array(z.string()).optional(),
      }),
    )
    .min(1),
});

/** What one client runs: a tenant network and everything on it. */
export const ServiceSchema = z.strictObject({
  network: NetworkSchema,
  securityGroups: z.array(SecurityGroupSchema).default([]),
  /** Ports that may be opened to the whole internet (0.0.0.0/0, ::/0). Anything else open to the world fails synth. */
  publicPorts: z.array(z.number().int().min(1).max(65535)).default([]),
  serverGroups: z.array(ServerGroupSchema).default([]),
  loadBalancer: LoadBalancerSchema.optional(),
  objectStorage: ObjectStorageSchema.optional(),
  dns: DnsSchema.optional(),
});
/** A client's service after parsing with {@link ServiceSchema}: every default filled in. */
export type ServiceConfig = z.infer<typeof ServiceSchema>;

/** A template file: a named, partial service a client can start from. */
export const TemplateSchema = z.strictObject({
  id: IdSchema,
  description: z.string().optional(),
  service: ServiceSchema.partial(),
});
/** A service template after parsing with {@link TemplateSchema}. */
export type TemplateConfig = z.infer<typeof TemplateSchema>;

/** Data sensitivity of a client: `standard` or `sensitive` (the Cloud au centre circular's sensitive category). */
export const SensitivitySchema = z.enum(['standard', 'sensitive']);
/** `standard` or `sensitive`, see {@link SensitivitySchema}. */
export type Sensitivity = z.infer<typeof SensitivitySchema>;

/** A client's sovereignty policy: decides which clouds it may land on. */
export const PolicySchema = z.strictObject({
  /** `sensitive`: data covered by the Cloud au centre circular's sensitive category. */
  sensitivity: SensitivitySchema,
  /** Where data must stay: France, an EU member state, or anywhere. Default `any`. */
  dataLocation: z.enum(['FR', 'EU', 'any']).default('any'),
  excludedSuppliers: z
    .strictObject({
      countries: z.array(CountrySchema).default([]),
      names: z.array(z.string().min(1)).default([]),
    })
    .default({ countries: [], names: [] }),
  /** Clouds in order of preference among the eligible ones. Default: none. */
  preferredClouds: z.array(IdSchema).default([]),
  /** Force one cloud. It must still pass every rule: a pin never overrides sovereignty. */
  pin: z
    .strictObject({
      cloud: IdSchema,
      justification: z.string().trim().min(10, { message: 'a pin needs a justification of at least 10 characters' }),
    })
    .optional(),
});
/** A client's sovereignty policy after parsing with {@link PolicySchema}: every default filled in. */
export type PolicyConfig = z.infer<typeof PolicySchema>;

/** Raw client file: the service may come partly from a template. */
export const ClientFileSchema = z.strictObject({
  id: IdSchema,
  name: z.string().min(1),
  policy: PolicySchema,
  /** Template (by id) whose service keys this client starts from; its own keys win. */
  template: IdSchema.optional(),
  service: z.looseObject({}),
});
/** A client file after parsing with {@link ClientFileSchema}, before the template merge. */
export type ClientFile = z.infer<typeof ClientFileSchema>;

/** A client after template merge and validation. */
export interface ClientConfig {
  /** Client id (matches the file name of a client loaded from YAML). */
  id: string;
  /** Display name. */
  name: string;
  /** Sovereignty policy, defaults filled in. */
  policy: PolicyConfig;
  /** Id of the template the service started from, if any. */
  template?: string;
  /** The service: template keys overridden by the client's own, validated. */
  service: ServiceConfig;
}
