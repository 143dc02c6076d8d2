/**
 * A small OpenStack API client over fetch, for the E2E suite: keystone password authentication
 * with a clouds.yaml entry (the lab's `$SOVSTACK_LAB_DIR/clouds.yaml`), then requests to nova,
 * neutron, cinder, octavia, glance and swift through the token's service catalog, in the entry's
 * region. Only loopback URLs are accepted: the suite never talks to anything but the lab.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** One entry of clouds.yaml (password auth, as the lab writes them). */
export interface CloudsYamlEntry {
  auth: {
    auth_url: string;
    username: string;
    password: string;
    project_name: string;
    user_domain_name?: string;
    project_domain_name?: string;
  };
  region_name: string;
  interface?: string;
}

/** Service types of the catalog this client talks to. */
export type ServiceType = 'compute' | 'network' | 'volumev3' | 'load-balancer' | 'object-store' | 'image' | 'dns';

interface CatalogEntry {
  type: string;
  endpoints: { region_id: string; interface: string; url: string }[];
}

/** Nova microversion used for every compute call: flavor embedded with its name, server tags, `policy` on groups. */
const NOVA_MICROVERSION = '2.79';

function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') {
    throw new Error(`refusing to call ${url}: the E2E suite only talks to the lab on 127.0.0.1`);
  }
}

/** An HTTP error answer of an OpenStack API, with its body. */
export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${url} → ${status}: ${body.slice(0, 500)}`);
  }
}

/** Reads the entry `name` of a clouds.yaml file. */
export function cloudsYamlEntry(file: string, name: string): CloudsYamlEntry {
  const doc = parse(readFileSync(file, 'utf8')) as { clouds?: Record<string, CloudsYamlEntry> };
  const entry = doc.clouds?.[name];
  if (!entry) throw new Error(`no entry "${name}" in ${file} (entries: ${Object.keys(doc.clouds ?? {}).join(', ')})`);
  return entry;
}

/** A project-scoped session on one cloud. */
export class OpenStack {
  private constructor(
    readonly cloud: string,
    readonly region: string,
    readonly projectId: string,
    readonly projectName: string,
    private readonly token: string,
    private readonly catalog: CatalogEntry[],
    private readonly iface: string,
  ) {}

  /** Password authentication with the clouds.yaml entry `cloud` of `file`, scoped to its project. */
  static async login(file: string, cloud: string): Promise<OpenStack> {
    const entry = cloudsYamlEntry(file, cloud);
    const authUrl = entry.auth.auth_url.replace(/\/+$/, '');
    assertLoopback(authUrl);
    const res = await fetch(`${authUrl}/auth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ['password'],
            password: {
              user: {
                name: entry.auth.username,
                domain: { name: entry.auth.user_domain_name ?? 'Default' },
                password: entry.auth.password,
              },
            },
          },
          scope: { project: { name: entry.auth.project_name, domain: { name: entry.auth.project_domain_name ?? 'Default' } } },
        },
      }),
      signal: AbortSignal.timeout(30_000),
    });
    if (res.status !== 201) throw new ApiError('POST', `${authUrl}/auth/tokens`, res.status, await res.text());
    const token = res.headers.get('x-subject-token');
    if (!token) throw new Error('keystone answered without X-Subject-Token');
    const body = (await res.json()) as { token: { catalog: CatalogEntry[]; project: { id: string; name: string } } };
    return new OpenStack(
      cloud,
      entry.region_name,
      body.token.project.id,
      body.token.project.name,
      token,
      body.token.catalog,
      entry.interface ?? 'public',
    );
  }

  /** The service's endpoint URL in this cloud's region (no trailing slash). */
  endpoint(type: ServiceType): string {
    const url = this.catalog
      .find((s) => s.type === type)
      ?.endpoints.find((e) => e.region_id === this.region && e.interface === this.iface)?.url;
    if (!url) throw new Error(`no ${this.iface} ${type} endpoint in region ${this.region} of ${this.cloud}`);
    assertLoopback(url);
    return url.replace(/\/+$/, '');
  }

  /** Raw request to `path` of a service (path starting with `/`). */
  async request(method: string, type: ServiceType, path: string, body?: unknown): Promise<Response> {
    const url = `${this.endpoint(type)}${path}`;
    const headers: Record<string, string> = { 'X-Auth-Token': this.token, Accept: 'application/json' };
    if (type === 'compute') headers['X-OpenStack-Nova-API-Version'] = NOVA_MICROVERSION;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(url, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(60_000),
    });
  }

  /** GET returning JSON; throws {@link ApiError} on a non-2xx answer. */
  async get<T>(type: ServiceType, path: string): Promise<T> {
    const res = await this.request('GET', type, path);
    if (!res.ok) throw new ApiError('GET', `${this.endpoint(type)}${path}`, res.status, await res.text());
    return (await res.json()) as T;
  }

  /** DELETE; 404 counts as done. Throws {@link ApiError} on other errors. */
  async delete(type: ServiceType, path: string): Promise<void> {
    const res = await this.request('DELETE', type, path);
    if (!res.ok && res.status !== 404) throw new ApiError('DELETE', `${this.endpoint(type)}${path}`, res.status, await res.text());
    await res.body?.cancel();
  }

  /** PUT with a JSON body, answer ignored; throws {@link ApiError} on errors. */
  async put(type: ServiceType, path: string, body: unknown): Promise<void> {
    const res = await this.request('PUT', type, path, body);
    if (!res.ok) throw new ApiError('PUT', `${this.endpoint(type)}${path}`, res.status, await res.text());
    await res.body?.cancel();
  }

  /** POST with a JSON body, answer ignored (server actions, metadata merges); throws {@link ApiError} on errors. */
  async post(type: ServiceType, path: string, body: unknown): Promise<void> {
    const res = await this.request('POST', type, path, body);
    if (!res.ok) throw new ApiError('POST', `${this.endpoint(type)}${path}`, res.status, await res.text());
    await res.body?.cancel();
  }

  // ------------------------------------------------------------------ typed listings

  /** Servers (detail) whose name starts with `prefix`. */
  async servers(prefix: string): Promise<Server[]> {
    const body = await this.get<{ servers: Server[] }>('compute', `/servers/detail?name=${encodeURIComponent(`^${prefix}`)}`);
    return body.servers.filter((s) => s.name.startsWith(prefix));
  }

  /** Server groups whose name starts with `prefix`. */
  async serverGroups(prefix: string): Promise<ServerGroup[]> {
    const body = await this.get<{ server_groups: ServerGroup[] }>('compute', '/os-server-groups');
    return body.server_groups.filter((g) => g.name.startsWith(prefix));
  }

  /** Volumes (detail) whose name starts with `prefix`. */
  async volumes(prefix: string): Promise<Volume[]> {
    const body = await this.get<{ volumes: Volume[] }>('volumev3', '/volumes/detail');
    return body.volumes.filter((v) => (v.name ?? '').startsWith(prefix));
  }

  /** Neutron collection (`networks`, `subnets`, `routers`, `ports`, `floatingips`, `security-groups`, …) with a query. */
  async neutron<T>(collection: string, query = ''): Promise<T[]> {
    const key = collection.replace(/-/g, '_');
    const body = await this.get<Record<string, T[]>>('network', `/v2.0/${collection}${query ? `?${query}` : ''}`);
    return body[key] ?? [];
  }

  /** Octavia collection (`loadbalancers`, `listeners`, `pools`, `healthmonitors`) with a query. */
  async octavia<T>(collection: string, query = ''): Promise<T[]> {
    const body = await this.get<Record<string, T[]>>('load-balancer', `/v2/lbaas/${collection}${query ? `?${query}` : ''}`);
    return body[collection] ?? [];
  }

  /** Members of an Octavia pool. */
  async poolMembers(poolId: string): Promise<LbMember[]> {
    const body = await this.get<{ members: LbMember[] }>('load-balancer', `/v2/lbaas/pools/${poolId}/members`);
    return body.members;
  }

  /** Swift containers of the project whose name starts with `prefix`. */
  async containers(prefix: string): Promise<{ name: string; count: number }[]> {
    const res = await this.request('GET', 'object-store', '?format=json');
    if (res.status === 204) return [];
    if (!res.ok) throw new ApiError('GET', this.endpoint('object-store'), res.status, await res.text());
    const list = (await res.json()) as { name: string; count: number }[];
    return list.filter((c) => c.name.startsWith(prefix));
  }

  /** HEAD of a Swift container: its headers, or undefined when it does not exist. */
  async containerHeaders(name: string): Promise<Headers | undefined> {
    const res = await this.request('HEAD', 'object-store', `/${encodeURIComponent(name)}`);
    if (res.status === 404) return undefined;
    if (!res.ok) throw new ApiError('HEAD', `${this.endpoint('object-store')}/${name}`, res.status, '');
    return res.headers;
  }

  /**
   * The image a server runs: its own image, or, booted from a volume (no image), the image its bootable
   * volume was made from (the volume's image metadata).
   */
  async serverImageName(server: Server): Promise<string | undefined> {
    if (server.image) return this.imageName(server.image.id);
    for (const { id } of server['os-extended-volumes:volumes_attached']) {
      const { volume } = await this.get<{ volume: Volume }>('volumev3', `/volumes/${id}`);
      if (volume.bootable === 'true' && volume.volume_image_metadata) return volume.volume_image_metadata.image_name;
    }
    return undefined;
  }

  /** Name of a Glance image by id. */
  async imageName(id: string): Promise<string> {
    const body = await this.get<{ name: string }>('image', `/v2/images/${id}`);
    return body.name;
  }
}

/** The fields of a nova server the suite reads (microversion 2.79). */
export interface Server {
  id: string;
  name: string;
  status: string;
  tenant_id: string;
  hostId: string;
  flavor: { original_name: string };
  image: { id: string } | '';
  metadata: Record<string, string>;
  'os-extended-volumes:volumes_attached': { id: string }[];
  addresses: Record<string, { addr: string }[]>;
}
export interface ServerGroup {
  id: string;
  name: string;
  policy?: string;
  policies?: string[];
  members: string[];
  project_id: string;
}
export interface Volume {
  id: string;
  name: string | null;
  status: string;
  size: number;
  volume_type: string;
  metadata: Record<string, string>;
  attachments: { server_id: string; attachment_id?: string; device?: string }[];
  bootable?: string;
  volume_image_metadata?: Record<string, string>;
  'os-vol-tenant-attr:tenant_id'?: string;
}
export interface Network {
  id: string;
  name: string;
  project_id: string;
  tags: string[];
  'router:external'?: boolean;
}
export interface Subnet {
  id: string;
  name: string;
  network_id: string;
  cidr: string;
  tags: string[];
}
export interface Router {
  id: string;
  name: string;
  project_id: string;
  tags: string[];
  external_gateway_info: { network_id: string } | null;
}
export interface Port {
  id: string;
  name: string;
  network_id: string;
  device_id: string;
  device_owner: string;
  project_id: string;
  tags: string[];
  security_groups: string[];
  fixed_ips: { subnet_id: string; ip_address: string }[];
}
export interface FloatingIp {
  id: string;
  floating_ip_address: string;
  floating_network_id: string;
  port_id: string | null;
  description: string;
  tags: string[];
  project_id: string;
}
export interface SecurityGroup {
  id: string;
  name: string;
  project_id: string;
  tags: string[];
  security_group_rules: SecurityGroupRule[];
}
export interface SecurityGroupRule {
  id: string;
  direction: string;
  ethertype: string;
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
}
export interface LoadBalancer {
  id: string;
  name: string;
  project_id: string;
  provisioning_status: string;
  vip_port_id: string;
  vip_address: string;
  vip_subnet_id: string;
  tags: string[];
  listeners: { id: string }[];
  pools: { id: string }[];
}
export interface LbListener {
  id: string;
  name: string;
  protocol: string;
  protocol_port: number;
  provisioning_status: string;
  default_pool_id: string | null;
  loadbalancers: { id: string }[];
  tags: string[];
}
export interface LbPool {
  id: string;
  name: string;
  protocol: string;
  provisioning_status: string;
  healthmonitor_id: string | null;
  listeners: { id: string }[];
  loadbalancers: { id: string }[];
  tags: string[];
}
export interface LbMember {
  id: string;
  name: string;
  address: string;
  protocol_port: number;
  subnet_id: string;
  provisioning_status: string;
  tags: string[];
}
export interface LbMonitor {
  id: string;
  name: string;
  type: string;
  url_path: string;
  provisioning_status: string;
  pools: { id: string }[];
}
