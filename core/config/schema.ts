/**
 * The config layer's data model: zod schemas for cloud, client and service-template files.
 *
 * Every object is strict (unknown keys are errors) so a typo never silently drops a setting.
 * Cross-file checks (ids, references, catalog coverage, overlaps) live in `validate.ts`;
 * this module only describes the shape of one file.
 */
import { z } from 'zod';
import { isValidCidr } from './cidr.js';
import { countryCodeProblem, ISO_COUNTRIES } from './countries.js';
import { normalizeHost } from './endpoints.js';
import { EncryptAllStacksSchema, KeyManagerSchema, StateEncryptionSchema, type StateEncryptionConfig } from './encryption-schema.js';
import { parsePublicKey } from './ssh-keys.js';
import { USER_DATA_FOLDER } from './estate-files.js';

/** Lower-case id used in file names, stack names and resource names: `[a-z][a-z0-9-]*`. */
export const IdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, {
    message: 'expected an id of lower-case letters, digits and dashes, starting with a letter (at most 40 characters)',
  })
  .meta({
    description: 'Id: lower-case letters, digits and dashes, starting with a letter, at most 40 characters (upper case is refused).',
  });

/**
 * Officially assigned ISO 3166-1 alpha-2 country code, upper case (e.g. `FR`, `DE`, `GB`, `GR`). The usual
 * wrong codes are explained: `UK` → `GB`, `EL` → `GR` (see `countryCodeProblem`).
 */
export const CountrySchema = z
  .enum(Object.keys(ISO_COUNTRIES) as [string, ...string[]], {
    error: (issue) =>
      typeof issue.input === 'string'
        ? (countryCodeProblem(issue.input) ?? 'expected an ISO 3166-1 alpha-2 country code')
        : 'expected an ISO 3166-1 alpha-2 country code in upper case, e.g. FR',
  })
  .meta({
    description:
      'ISO 3166-1 alpha-2 country code, upper case (249 codes). `UK` is refused (write `GB`), `EL` too (write `GR`). EU outermost regions (RE, GP, MQ, GF, YT, MF) count as France and the EU; overseas territories (NC, PF, …) as neither (docs/policy.md).',
    examples: ['FR'],
  });

/** Short name for resources inside a client (subnets, groups, containers): `[a-z][a-z0-9-]*`. */
export const NameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,30}$/, {
    message: 'expected a name of lower-case letters, digits and dashes, starting with a letter (at most 31 characters)',
  })
  .meta({ description: 'Name: lower-case letters, digits and dashes, starting with a letter, at most 31 characters.' });

/** IPv4 or IPv6 network in CIDR notation whose address is the network address (`10.0.0.0/16`). */
export const CidrSchema = z
  .string()
  .refine(isValidCidr, {
    message: 'expected a network in CIDR notation with host bits zero, e.g. 10.20.0.0/16',
  })
  .meta({
    description: 'IPv4 or IPv6 network in CIDR notation, host bits zero (checked by `sovstack validate`).',
    examples: ['10.20.0.0/16'],
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
export const DateSchema = z.iso.date({ message: 'expected a date as YYYY-MM-DD' }).meta({ description: 'Calendar date, YYYY-MM-DD.' });

/** OpenStack services a cloud may offer and a client's service may need. */
export const ServiceKindSchema = z
  .enum(['compute', 'network', 'blockStorage', 'loadBalancer', 'objectStorage', 'dns'])
  .meta({ description: 'An OpenStack service: Nova, Neutron, Cinder, Octavia, Swift, Designate.' });
/** An OpenStack service kind: `compute`, `network`, `blockStorage`, `loadBalancer`, `objectStorage` or `dns`. */
export type ServiceKind = z.infer<typeof ServiceKindSchema>;

/** Qualifications a cloud may hold. `secnumcloud` is ANSSI's SecNumCloud qualification. */
export const QualificationSchema = z.enum(['secnumcloud', 'hds', 'iso27001', 'c5']).meta({
  description: "A qualification: `secnumcloud` (ANSSI), `hds` (French health data hosting), `iso27001`, `c5` (Germany's BSI).",
});
/** A cloud qualification: `secnumcloud`, `hds`, `iso27001` or `c5`. */
export type Qualification = z.infer<typeof QualificationSchema>;

const PriceSchema = z.number().nonnegative().meta({ description: 'Price per month in the cloud currency, 0 or more.' });

const HostedInSchema = IdSchema.optional().meta({
  description: 'Cloud whose premises hold the state (judged by the sensitive-state-backend guardrail). Default: the cloud itself.',
});

/** Where a cloud keeps the Terraform state of the stacks placed on it. Credentials never go here. */
export const StateBackendSchema = z
  .discriminatedUnion('backend', [
    z.strictObject({
      backend: z.literal('local').meta({ description: 'State files on the machine running tofu (tests, the lab).' }),
      dir: z
        .string()
        .min(1)
        .meta({
          description: 'Folder for state files; each stack gets `<dir>/<stack>.tfstate`. Relative to the working directory of tofu.',
          examples: ['/var/lib/sovstack/state'],
        }),
      hostedIn: HostedInSchema,
    }),
    z.strictObject({
      backend: z.literal('pg').meta({ description: 'State in PostgreSQL, one schema per stack.' }),
      connStr: z
        .string()
        .min(1)
        .meta({
          description: 'PostgreSQL connection string WITHOUT a password (PGPASSWORD or .pgpass supply it at deploy time).',
          examples: ['postgres://sovstack@state.fr1.example/tfstate?sslmode=verify-full'],
        }),
      schemaPrefix: z
        .string()
        .regex(/^[a-z_][a-z0-9_]*$/)
        .optional()
        .meta({
          description:
            "Prefix of the schema holding one stack's state; `_<stack>` (dashes as underscores) is appended. Default `sovstack`.",
        }),
      hostedIn: HostedInSchema,
    }),
    z.strictObject({
      backend: z.literal('s3').meta({ description: 'State in an S3-compatible object store (credentials from AWS_* variables).' }),
      bucket: z.string().min(1).meta({ description: 'Bucket (an object-storage container reachable through an S3-compatible API).' }),
      keyPrefix: z.string().optional().meta({ description: 'Key prefix; `<stack>/terraform.tfstate` is appended. Default `sovstack`.' }),
      region: z.string().min(1).meta({ description: 'Region name the S3 API expects.' }),
      endpoint: z
        .url()
        .meta({ description: 'S3 endpoint URL of the object store.', examples: ['https://object-store.fr1.sovereign.example'] }),
      hostedIn: HostedInSchema,
    }),
    z.strictObject({
      backend: z.literal('http').meta({ description: 'State behind an HTTP state service (e.g. GitLab-managed state).' }),
      address: z.url().meta({ description: 'Base URL; `/<stack>` is appended. Lock and unlock use the same URL.' }),
      hostedIn: HostedInSchema,
    }),
  ])
  .meta({
    description: 'Where the Terraform state of the stacks placed on this cloud lives: `local`, `pg`, `s3` or `http`. Never credentials.',
  });
/** A cloud's state backend, as parsed by {@link StateBackendSchema}: `local`, `pg`, `s3` or `http`. */
export type StateBackend = z.infer<typeof StateBackendSchema>;

/**
 * A Go duration as OpenTofu's `timeouts` blocks take it: hours, minutes and seconds, largest first
 * (`20m`, `1h30m`, `90s`).
 */
export const DurationSchema = z
  .string()
  .regex(/^(?=\d)(\d+h)?(\d+m)?(\d+s)?$/, { message: 'expected a duration such as 20m, 1h30m or 90s (hours, minutes, seconds)' })
  .refine((duration) => /[1-9]/.test(duration), { message: 'expected a duration above zero, e.g. 20m' })
  .meta({ description: 'Duration above zero: hours, minutes and seconds, largest first, e.g. `20m`, `1h30m`, `90s`.', examples: ['20m'] });

/** Default of each `operations.loadBalancerTimeouts` entry: Octavia resources may wait that long in PENDING_*. */
export const DEFAULT_LOAD_BALANCER_TIMEOUT = '20m';

/**
 * How sovstack operates a cloud: how many stacks run against its API at once, how often the OpenStack provider
 * retries, how long it waits for Octavia. Every field has a default, so the block may be left out.
 *
 * @example
 * OperationsSchema.parse({}); // { concurrency: 4, maxRetries: 5, loadBalancerTimeouts: { create: '20m', update: '20m', delete: '20m' } }
 */
export const OperationsSchema = z
  .strictObject({
    concurrency: z
      .number()
      .int({ message: 'expected a whole number of stacks, 1 to 64' })
      .min(1, { message: 'expected at least 1 stack at a time (1 to 64)' })
      .max(64, { message: 'expected at most 64 stacks at a time (1 to 64); -j caps the total' })
      .default(4)
      .meta({
        description:
          'Stacks `sovstack plan|deploy|destroy|drift` run at once against this cloud (its API limits); `-j` caps the total. 1 to 64. Default 4.',
      }),
    maxRetries: z
      .number()
      .int({ message: 'expected a whole number of retries, 0 to 20' })
      .min(0, { message: 'expected 0 to 20 retries' })
      .max(20, { message: 'expected 0 to 20 retries' })
      .default(5)
      .meta({
        description:
          "The OpenStack provider's `max_retries`: retries of an API call refused with a rate limit or a transient error. 0 to 20. Default 5.",
      }),
    loadBalancerTimeouts: z
      .strictObject({
        create: DurationSchema.default(DEFAULT_LOAD_BALANCER_TIMEOUT).meta({ description: 'Longest wait for a create. Default `20m`.' }),
        update: DurationSchema.default(DEFAULT_LOAD_BALANCER_TIMEOUT).meta({ description: 'Longest wait for an update. Default `20m`.' }),
        delete: DurationSchema.default(DEFAULT_LOAD_BALANCER_TIMEOUT).meta({ description: 'Longest wait for a delete. Default `20m`.' }),
      })
      .prefault({})
      .meta({
        description:
          'The `timeouts` of every Octavia resource (load balancer, listener, pool, member, monitor): how long the provider waits for one stuck in PENDING_* before failing. Default `20m` each.',
      }),
  })
  .prefault({})
  .meta({
    description: 'How sovstack operates this cloud: concurrency, API retries, load-balancer timeouts. Default: every field at its default.',
  });
/** A cloud's `operations` block after parsing: every default filled in. */
export type CloudOperations = z.infer<typeof OperationsSchema>;

/** One OpenStack cloud the broker can place clients on. */
export const CloudSchema = z
  .strictObject({
    id: IdSchema.meta({ description: 'Cloud id; must equal the file name without `.yaml`.', examples: ['sovereign-fr1'] }),
    name: z
      .string()
      .min(1)
      .meta({ description: 'Display name.', examples: ['Cloud Souverain FR1'] }),
    operator: z
      .strictObject({
        name: z.string().min(1).meta({ description: 'Legal name of the operator.' }),
        headOfficeCountry: CountrySchema.meta({
          description: "Country of the operator's head office (SecNumCloud 3.2 §19.6 requires the EU for sensitive data).",
        }),
      })
      .meta({ description: 'Who runs the cloud.' }),
    stackSupplier: z
      .strictObject({
        name: z.string().min(1).meta({ description: 'Supplier name, matched case-insensitively by `excludedSuppliers.names`.' }),
        country: CountrySchema.meta({ description: "Supplier's country, matched by `excludedSuppliers.countries`." }),
      })
      .meta({ description: 'Who supplies the OpenStack software and hardware the cloud runs on.' }),
    qualifications: z.array(QualificationSchema).default([]).meta({ description: 'Qualifications the cloud holds. Default: none.' }),
    dataLocation: z
      .strictObject({
        country: CountrySchema.meta({ description: 'Country where data is stored (an EU outermost region counts as its member state).' }),
        region: z
          .string()
          .min(1)
          .meta({ description: 'Region or site, for humans.', examples: ['Île-de-France'] }),
      })
      .meta({ description: 'Where the cloud keeps data.' }),
    lifecycle: z
      .discriminatedUnion('status', [
        z.strictObject({ status: z.literal('active').meta({ description: 'Takes new clients.' }) }),
        z.strictObject({
          status: z
            .literal('deprecated')
            .meta({ description: 'A last resort until its end of life: used only when no active cloud is eligible, or when pinned.' }),
          endOfLife: DateSchema.meta({
            description:
              'Last day of the cloud; from that date on nothing is placed on it, and placements warn within the horizon (default 180 days) before it.',
            examples: ['2027-06-30'],
          }),
        }),
        z.strictObject({
          status: z.literal('retired').meta({ description: 'Takes nothing; clients on it must move.' }),
          since: DateSchema.optional().meta({ description: 'When it was retired, for the record. Default: not stated.' }),
        }),
      ])
      .default({ status: 'active' })
      .meta({ description: 'Whether clients may land on the cloud. Default `{ status: active }`.' }),
    openstack: z
      .strictObject({
        authUrl: z.url().meta({ description: 'Keystone v3 endpoint.', examples: ['https://identity.fr1.sovereign.example/v3'] }),
        region: z
          .string()
          .min(1)
          .meta({ description: 'OpenStack region name.', examples: ['fr1'] }),
        availabilityZones: z
          .array(z.string().min(1))
          .min(1)
          .meta({ description: 'Availability zones servers are spread over; at least one.' }),
        externalNetwork: z
          .string()
          .min(1)
          .meta({ description: 'Name of the provider (external) network routers attach to and floating IPs come from.' }),
        externalNetworkId: z.guid({ message: 'expected the UUID of the external network' }).optional().meta({
          description:
            'UUID of that external network. When set, plans need no API call (offline review in CI); when absent, stacks look the network up by name. Default: look up by name.',
        }),
        services: z.array(ServiceKindSchema).min(1).meta({ description: 'OpenStack services the cloud offers; at least one.' }),
        cloudsYamlName: z.string().min(1).optional().meta({
          description:
            'Name of the `clouds.yaml` entry holding credentials at deploy time (OS_CLOUD). Default: none, OS_* variables are used.',
        }),
        endpointOverrides: z
          .record(z.string(), z.url())
          .optional()
          .meta({ description: 'Endpoint overrides (service type → URL) for clouds whose catalog is incomplete. Default: none.' }),
      })
      .meta({ description: 'How to reach the cloud. Never credentials.' }),
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
    catalog: z
      .strictObject({
        sizes: z
          .record(NameSchema, z.string().min(1))
          .meta({ description: 'Abstract size → flavor name.', examples: [{ small: 's1.cw.small-1' }] }),
        images: z.record(NameSchema, z.string().min(1)).meta({
          description:
            'Abstract image → image name, or the image UUID (used as is: no lookup, so plans of servers booted from a volume need no API call).',
          examples: [{ 'debian-12': 'Debian 12 Bookworm' }],
        }),
        volumeTiers: z
          .record(NameSchema, z.string().min(1))
          .meta({ description: 'Abstract volume tier → volume type.', examples: [{ standard: 'standard' }] }),
        // Boot from volume (h14-cfg).
        bootFromVolume: z.boolean().default(false).meta({
          description:
            "Servers boot from a new Cinder volume made from the image (`block_device`), sized and typed by the server group's `rootDisk`, instead of the flavor's local disk (clouds whose images must boot from a volume, e.g. Flexible Engine). Default false.",
        }),
      })
      .meta({
        description:
          "Maps the broker's abstract names to this cloud's own; every name a client uses must be mapped by a cloud it may land on.",
      }),
    state: StateBackendSchema,
    // State and plan encryption (h15): where the data keys live, and whether standard clients are encrypted too.
    keyManager: KeyManagerSchema.optional(),
    encryptAllStacks: EncryptAllStacksSchema,
    priority: z.number().int().min(0).max(1000).default(100).meta({
      description: 'Tie-break between eligible clouds when the client states no preference: lower comes first. Default 100.',
    }),
    prices: z
      .strictObject({
        currency: z
          .string()
          .regex(/^[A-Z]{3}$/)
          .default('EUR')
          .meta({ description: 'ISO 4217 currency code. Default `EUR`.' }),
        sizesPerMonth: z
          .record(NameSchema, PriceSchema)
          .default({})
          .meta({ description: 'Abstract size → price per server per month. Default: none.' }),
        volumeGbPerMonth: z
          .record(NameSchema, PriceSchema)
          .default({})
          .meta({ description: 'Volume tier → price per GB per month. Default: none.' }),
        floatingIpPerMonth: PriceSchema.default(0).meta({ description: 'Price of one floating IP per month. Default 0.' }),
        loadBalancerPerMonth: PriceSchema.default(0).meta({ description: 'Price of one load balancer per month. Default 0.' }),
        objectStorageContainerPerMonth: PriceSchema.default(0).meta({
          description: 'Price of one object-storage container per month. Default 0.',
        }),
      })
      .optional()
      .meta({ description: 'Unit prices for cost estimates. Default: no estimate.' }),
    operations: OperationsSchema,
  })
  .meta({ title: 'sovstack cloud', description: 'One OpenStack cloud (`clouds/<id>.yaml`).' });
/** A cloud after parsing with {@link CloudSchema}: defaults filled in (`qualifications`, `lifecycle`, `priority`, price defaults). */
export type CloudConfig = z.infer<typeof CloudSchema>;

const PortRangeSchema = z
  .union([
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
  ])
  .meta({ description: 'A port (1-65535) or an inclusive range "low-high" as a string.', examples: [443, '8000-8080'] });
/** A port (`443`) or an inclusive range as a string (`"8000-8080"`). */
export type PortRange = z.infer<typeof PortRangeSchema>;

/** One security-group rule: direction, protocol, ports and exactly one remote (`cidr` or `group`). */
export const SecurityRuleSchema = z
  .strictObject({
    direction: z.enum(['ingress', 'egress']).default('ingress').meta({ description: 'Traffic direction. Default `ingress`.' }),
    protocol: z.enum(['tcp', 'udp', 'icmp', 'any']).default('tcp').meta({ description: 'IP protocol. Default `tcp`.' }),
    ports: PortRangeSchema.optional().meta({ description: 'Port or range; required for tcp and udp, refused for icmp and any.' }),
    cidr: CidrSchema.optional().meta({ description: 'Remote network. Exactly one of `cidr` and `group`.', examples: ['198.51.100.0/24'] }),
    group: NameSchema.optional().meta({
      description: 'Remote security group of this service, by name. Exactly one of `cidr` and `group`.',
    }),
    description: z.string().optional().meta({ description: 'Free text, copied to the OpenStack rule.' }),
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
  })
  .meta({ description: 'One rule: direction, protocol, ports and exactly one remote (`cidr` or `group`).' });
/** A security-group rule after parsing with {@link SecurityRuleSchema}. */
export type SecurityRule = z.infer<typeof SecurityRuleSchema>;

/** A named security group of a client's service and its rules. */
export const SecurityGroupSchema = z
  .strictObject({
    name: NameSchema.meta({ description: 'Group name, referenced by server groups and other rules.' }),
    description: z.string().optional().meta({ description: 'Free text, copied to the OpenStack group.' }),
    rules: z.array(SecurityRuleSchema).default([]).meta({ description: 'Rules of the group. Default: none.' }),
  })
  .meta({ description: 'A security group and its rules.' });
/** A security group after parsing with {@link SecurityGroupSchema}. */
export type SecurityGroup = z.infer<typeof SecurityGroupSchema>;

/** A volume created for every server of a server group, sized in GB, on an abstract tier. */
export const VolumeSchema = z
  .strictObject({
    name: NameSchema.meta({ description: 'Volume name, unique in its server group.' }),
    sizeGb: z.number().int().min(1).max(16384).meta({ description: 'Size in GB, 1 to 16384.' }),
    tier: NameSchema.meta({ description: "Abstract volume tier, resolved through the placed cloud's `catalog.volumeTiers`." }),
  })
  .meta({ description: 'A volume created for, and attached to, every server of the group.' });

// Server access, bootstrap and boot disk (h14-cfg).

/** The root disk of servers booted from a volume (clouds whose catalog says `bootFromVolume`). */
export const RootDiskSchema = z
  .strictObject({
    sizeGb: z.number().int().min(1).max(16384).default(20).meta({ description: 'Size of the boot volume in GB, 1 to 16384. Default 20.' }),
    tier: NameSchema.optional().meta({
      description:
        "Abstract volume tier of the boot volume, resolved through the placed cloud's `catalog.volumeTiers`. Default: the cloud's default volume type.",
    }),
  })
  .meta({
    description:
      'The boot volume of each server on a cloud whose `catalog.bootFromVolume` is true (deleted with the server); ignored on other clouds, so one client file fits both. Default `{ sizeGb: 20 }`.',
  });

/** A path to a user-data file, relative to the estate folder, inside its `user-data/` folder. */
export const UserDataPathSchema = z
  .string()
  .regex(new RegExp(`^${USER_DATA_FOLDER}/[A-Za-z0-9][A-Za-z0-9._-]*$`), {
    message: `expected the path of a file in the estate's ${USER_DATA_FOLDER}/ folder, e.g. ${USER_DATA_FOLDER}/web.yaml`,
  })
  .meta({
    description: `User data of every server of the group: a file of the estate's \`${USER_DATA_FOLDER}/\` folder, relative to the estate (a \`#cloud-config\` YAML or a \`#!\` script), with the variables \`{{ sovstack.client }}\`, \`{{ sovstack.group }}\`, \`{{ sovstack.index }}\`, \`{{ sovstack.server }}\` and \`{{ sovstack.zone }}\`; at most 65535 bytes once base64-encoded; scanned for credentials. Changing it replaces the servers.`,
    examples: [`${USER_DATA_FOLDER}/web.yaml`],
  });

/** One OpenSSH public key line, Ed25519 or RSA of at least 3072 bits (see `parsePublicKey`). */
export const PublicKeySchema = z
  .string()
  .superRefine((line, ctx) => {
    const parsed = parsePublicKey(line);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem });
  })
  .meta({
    description: 'An OpenSSH public key line (`ssh-ed25519 AAAA… comment`): Ed25519, or RSA of at least 3072 bits. Never a private key.',
    examples: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPiTEnOYDhkcsw2hU5GFVhL8+Q1sS6G16alHk6PEyZ4Z ops@interieur'],
  });

/** How people log into the servers: a public key (a keypair is created in the stack) or an existing keypair's name. */
export const SshSchema = z
  .union([
    z.strictObject({
      publicKey: PublicKeySchema.meta({
        description:
          'Public key of the keypair created in the stack (`<client>-ssh`) and given to every server; its fingerprint is listed in placement.md.',
      }),
    }),
    z.strictObject({
      keypair: z
        .string()
        .min(1)
        .max(255)
        .meta({ description: 'Name of a keypair that already exists on the placed cloud, given to every server.', examples: ['ops-2026'] }),
    }),
  ])
  .meta({
    description:
      'SSH access to every server: `publicKey` (one key; Nova keypairs hold one, give more through user data) or `keypair` (an existing one). Default: no key.',
  });

/** N identical servers: abstract size and image, subnet, security groups, floating IPs, anti-affinity, volumes. */
export const ServerGroupSchema = z
  .strictObject({
    name: NameSchema.meta({ description: 'Server group name.' }),
    count: z.number().int().min(1).max(100).meta({ description: 'Number of identical servers, 1 to 100.' }),
    size: NameSchema.meta({ description: "Abstract size, resolved to a flavor through the placed cloud's `catalog.sizes`." }),
    image: NameSchema.meta({ description: "Abstract image, resolved through the placed cloud's `catalog.images`." }),
    subnet: NameSchema.meta({ description: "Subnet (by name) the servers' ports are in." }),
    securityGroups: z.array(NameSchema).default([]).meta({ description: 'Security groups (by name) of the servers. Default: none.' }),
    floatingIp: z
      .boolean()
      .default(false)
      .meta({ description: "One floating IP per server from the cloud's external network. Default false." }),
    antiAffinity: z
      .boolean()
      .default(true)
      .meta({ description: 'Spread servers over hypervisors (anti-affinity server group). Default true.' }),
    volumes: z.array(VolumeSchema).default([]).meta({ description: 'Volumes created per server. Default: none.' }),
    // Access, bootstrap, boot disk and protection (h14-cfg).
    userData: UserDataPathSchema.optional(),
    rootDisk: RootDiskSchema.default({ sizeGb: 20 }),
    protectVolumes: z.boolean().default(true).meta({
      description:
        "OpenTofu refuses to destroy or replace this group's data volumes while they are in the configuration (`prevent_destroy`), `sovstack destroy` included; set false (after saving the data) for a change that must replace them. A scale-down takes the highest-numbered servers' volumes out of the configuration, where `prevent_destroy` cannot see them: the PR report marks that as a data-loss blocker. The client's `decommission` lifts the protection too. Default true.",
    }),
  })
  .meta({ description: 'N identical servers.' });
/** A server group after parsing with {@link ServerGroupSchema}. */
export type ServerGroup = z.infer<typeof ServerGroupSchema>;

/** A load-balancer listener: protocol and port, the server group behind it and an optional health monitor. */
export const ListenerSchema = z
  .strictObject({
    name: NameSchema.meta({ description: 'Listener name.' }),
    protocol: z.enum(['HTTP', 'HTTPS', 'TCP', 'UDP']).meta({ description: 'Protocol of the listener.' }),
    port: z.number().int().min(1).max(65535).meta({ description: 'Port the VIP listens on, unique per load balancer.' }),
    backend: z
      .strictObject({
        serverGroup: NameSchema.meta({ description: 'Server group (by name) receiving the traffic.' }),
        port: z.number().int().min(1).max(65535).meta({ description: 'Port the servers listen on.' }),
        method: z
          .enum(['ROUND_ROBIN', 'LEAST_CONNECTIONS', 'SOURCE_IP'])
          .default('ROUND_ROBIN')
          .meta({ description: 'Load-balancing algorithm. Default `ROUND_ROBIN`.' }),
      })
      .meta({ description: 'The pool behind the listener.' }),
    healthMonitor: z
      .strictObject({
        type: z.enum(['HTTP', 'HTTPS', 'TCP', 'PING']).meta({ description: 'Kind of check.' }),
        urlPath: z
          .string()
          .regex(/^\//, { message: 'expected a URL path starting with /' })
          .optional()
          .meta({ description: 'URL path for HTTP(S) checks, starting with `/`. Default `/`.' }),
        delaySeconds: z.number().int().min(1).default(10).meta({ description: 'Seconds between checks. Default 10.' }),
        timeoutSeconds: z.number().int().min(1).default(5).meta({ description: 'Seconds before a check fails. Default 5.' }),
        maxRetries: z
          .number()
          .int()
          .min(1)
          .max(10)
          .default(3)
          .meta({ description: 'Failures before a member is down, 1 to 10. Default 3.' }),
      })
      .optional()
      .meta({ description: 'Health check of the members. Default: none.' }),
  })
  .meta({ description: 'A listener: protocol and port, the server group behind it, an optional health monitor.' });

/** A client's load balancer: VIP subnet, optional floating IP and at least one listener. */
export const LoadBalancerSchema = z
  .strictObject({
    subnet: NameSchema.meta({ description: 'Subnet (by name) holding the VIP.' }),
    floatingIp: z.boolean().default(false).meta({ description: 'Give the VIP a floating IP from the external network. Default false.' }),
    listeners: z.array(ListenerSchema).min(1).meta({ description: 'At least one listener.' }),
  })
  .meta({ description: 'An Octavia load balancer.' });

/** A client's object-storage containers (at least one). */
export const ObjectStorageSchema = z
  .strictObject({
    containers: z
      .array(
        z.strictObject({
          name: NameSchema.meta({ description: 'Container name (the stack name is prefixed).' }),
          versioning: z.boolean().default(false).meta({ description: 'Keep object versions. Default false.' }),
        }),
      )
      .min(1)
      .meta({ description: 'At least one container.' }),
  })
  .meta({ description: 'Swift object-storage containers.' });

/** A client's DNS zone: fully qualified name with the trailing dot, and the zone's contact email. */
export const DnsSchema = z
  .strictObject({
    zone: z
      .string()
      .regex(/^([a-z0-9-]+\.)+$/, { message: 'expected a fully qualified zone name ending with a dot' })
      .meta({ description: 'Zone name, fully qualified, with the trailing dot.', examples: ['app.interieur.gouv.fr.'] }),
    email: z.email().meta({ description: "The zone's contact email (SOA).", examples: ['dns@interieur.gouv.fr'] }),
    // DNS records (h14-cfg).
    loadBalancerRecord: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, { message: 'expected one DNS label (letters, digits, dashes)' })
      .default('lb')
      .meta({
        description:
          "Label of the A record pointing at the load balancer's floating IP (`<label>.<zone>`); servers with a floating IP get `<server>.<zone>` (`web-1`). Default `lb`.",
      }),
  })
  .meta({ description: 'A Designate DNS zone.' });

/** A client's tenant network: its CIDR and at least one subnet inside it. */
export const NetworkSchema = z
  .strictObject({
    cidr: CidrSchema.meta({ description: "The client's network; subnets must lie inside it and not overlap." }),
    subnets: z
      .array(
        z.strictObject({
          name: NameSchema.meta({ description: 'Subnet name, referenced by server groups and the load balancer.' }),
          cidr: CidrSchema.meta({ description: "Subnet network, inside the client's network." }),
          dnsNameservers: z.array(z.string()).optional().meta({ description: 'DNS resolvers handed out by DHCP. Default: none.' }),
        }),
      )
      .min(1)
      .meta({ description: 'At least one subnet.' }),
  })
  .meta({ description: 'The tenant network and its subnets.' });

const SERVICE_SHAPE = {
  network: NetworkSchema,
  securityGroups: z.array(SecurityGroupSchema).default([]).meta({ description: 'Security groups. Default: none.' }),
  publicPorts: z.array(z.number().int().min(1).max(65535)).default([]).meta({
    description:
      'Ports that may be open to the whole internet (0.0.0.0/0, ::/0); anything else open to the world fails synth. Default: none.',
  }),
  serverGroups: z.array(ServerGroupSchema).default([]).meta({ description: 'Server groups. Default: none.' }),
  ssh: SshSchema.optional(),
  loadBalancer: LoadBalancerSchema.optional(),
  objectStorage: ObjectStorageSchema.optional(),
  dns: DnsSchema.optional(),
};

/** What one client runs: a tenant network and everything on it. */
export const ServiceSchema = z
  .strictObject(SERVICE_SHAPE)
  .meta({ description: 'What the client runs: a tenant network and everything on it.' });
/** A client's service after parsing with {@link ServiceSchema}: every default filled in. */
export type ServiceConfig = z.infer<typeof ServiceSchema>;

/** A template file: a named, partial service a client can start from. */
export const TemplateSchema = z
  .strictObject({
    id: IdSchema.meta({ description: 'Template id; must equal the file name without `.yaml`.', examples: ['web-3tier'] }),
    description: z.string().optional().meta({ description: 'What the template is for.' }),
    service: ServiceSchema.partial().meta({
      description: "Service keys a client starts from; the client's own top-level keys replace them.",
    }),
  })
  .meta({ title: 'sovstack template', description: 'A partial service clients start from (`templates/<id>.yaml`).' });
/** A service template after parsing with {@link TemplateSchema}. */
export type TemplateConfig = z.infer<typeof TemplateSchema>;

/** Data sensitivity of a client: `standard` or `sensitive` (the Cloud au centre circular's sensitive category). */
export const SensitivitySchema = z.enum(['standard', 'sensitive']).meta({
  description:
    "`sensitive`: data in the Cloud au centre circular's sensitive category, which only a SecNumCloud cloud in the EU may hold; `standard` otherwise.",
});
/** `standard` or `sensitive`, see {@link SensitivitySchema}. */
export type Sensitivity = z.infer<typeof SensitivitySchema>;

/** A client's sovereignty policy: decides which clouds it may land on. */
export const PolicySchema = z
  .strictObject({
    sensitivity: SensitivitySchema,
    dataLocation: z
      .enum(['FR', 'EU', 'any'])
      .default('any')
      .meta({ description: 'Where data must stay: France (outermost regions included), the EU, or anywhere. Default `any`.' }),
    excludedSuppliers: z
      .strictObject({
        countries: z
          .array(CountrySchema)
          .default([])
          .meta({
            description: "Stack suppliers' countries to avoid. A country no cloud's supplier comes from raises a warning. Default: none.",
            examples: [['CN', 'US']],
          }),
        names: z
          .array(z.string().min(1))
          .default([])
          .meta({ description: 'Stack supplier names to avoid, compared case-insensitively. Default: none.' }),
      })
      .default({ countries: [], names: [] })
      .meta({ description: 'Clouds whose OpenStack stack comes from these suppliers are not eligible. Default: none.' }),
    preferredClouds: z.array(IdSchema).default([]).meta({
      description:
        'Clouds in order of preference among the eligible ones; each must be a defined cloud (validate fails otherwise). Default: none.',
    }),
    pin: z
      .strictObject({
        cloud: IdSchema.meta({ description: 'The cloud to use; must be a defined cloud (validate fails otherwise).' }),
        justification: z
          .string()
          .trim()
          .min(10, { message: 'a pin needs a justification of at least 10 characters' })
          .meta({
            description: 'Why, for reviewers: at least 10 characters after trimming.',
            examples: ['existing GPU reservation until 2027'],
          }),
      })
      .optional()
      .meta({ description: 'Force one cloud. It must still pass every rule: a pin never overrides sovereignty. Default: none.' }),
  })
  .meta({ description: 'The sovereignty policy: decides which clouds the client may land on.' });
/** A client's sovereignty policy after parsing with {@link PolicySchema}: every default filled in. */
export type PolicyConfig = z.infer<typeof PolicySchema>;

const CLIENT_HEAD = {
  id: IdSchema.meta({ description: 'Client id; must equal the file name without `.yaml`.', examples: ['interieur-titres'] }),
  name: z
    .string()
    .min(1)
    .meta({ description: 'Display name.', examples: ["Ministère de l'Intérieur — Titres sécurisés"] }),
  policy: PolicySchema,
  template: IdSchema.optional().meta({
    description: "Template (by id) whose service keys this client starts from; the client's own top-level keys win. Default: none.",
  }),
  stateEncryption: StateEncryptionSchema.optional(),
  // Data protection (h14-cfg).
  decommission: z.boolean().default(false).meta({
    description:
      'The client is being decommissioned: lifts the protection (`prevent_destroy`) of its data volumes and containers so that `sovstack destroy` can remove them. Removing a client file destroys nothing by itself. Default false.',
  }),
};

/** Raw client file: the service may come partly from a template. */
export const ClientFileSchema = z.strictObject({
  ...CLIENT_HEAD,
  service: z.looseObject({}),
});
/** A client file after parsing with {@link ClientFileSchema}, before the template merge. */
export type ClientFile = z.infer<typeof ClientFileSchema>;

/**
 * The shape of a client file as editors see it (the JSON Schema `schema/client.schema.json`): the service's keys
 * are all optional here because a template may give them; `sovstack validate` checks the merged service.
 */
export const ClientDocumentSchema = z
  .strictObject({
    ...CLIENT_HEAD,
    service: ServiceSchema.partial().meta({ description: 'What the client runs; `network` is required unless the template gives it.' }),
  })
  .meta({ title: 'sovstack client', description: 'One client (`clients/<id>.yaml`): its sovereignty policy and its service.' });

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
  /** State and plan encryption settings as written (see `encryptionFor` for what applies). Default: none. */
  stateEncryption?: StateEncryptionConfig;
  /** Being decommissioned: data volumes and containers lose `prevent_destroy`. Default false. */
  decommission?: boolean;
  /** Text of every user-data file the service names, by the path it is named by (`user-data/web.yaml`). Default: none. */
  userData?: Readonly<Record<string, string>>;
}
