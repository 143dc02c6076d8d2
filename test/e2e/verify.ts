/**
 * What a deployed client stack must look like through the OpenStack APIs, derived from the client's
 * config and its cloud's catalog (never from the synthesized JSON: the point is to compare what was
 * asked for with what the cloud really holds).
 */
import { expect } from 'vitest';
import { loadEstate } from '../../core/config/loader.js';
import type { ClientConfig, CloudConfig } from '../../core/config/schema.js';
import { cloudsYaml, type LabCloud } from './harness.js';
import {
  OpenStack,
  type FloatingIp,
  type LbListener,
  type LbMonitor,
  type LbPool,
  type LoadBalancer,
  type Network,
  type Port,
  type Router,
  type SecurityGroup,
  type Subnet,
} from './openstack.js';

/** The client and cloud configs of an estate, as the toolkit loads them (templates merged, defaults applied). */
export async function clientAndCloud(
  estateDir: string,
  clientId: string,
  cloudId: string,
): Promise<{ client: ClientConfig; cloud: CloudConfig }> {
  const loaded = await loadEstate(estateDir);
  if (!loaded.ok) throw new Error(`estate ${estateDir} is invalid: ${JSON.stringify(loaded.errors)}`);
  const client = loaded.estate.clients.find((c) => c.id === clientId);
  const cloud = loaded.estate.clouds.find((c) => c.id === cloudId);
  if (!client || !cloud) throw new Error(`estate ${estateDir} lacks client ${clientId} or cloud ${cloudId}`);
  return { client, cloud };
}

function expectLabels(
  what: string,
  labels: Record<string, string> | string[],
  client: ClientConfig,
  cloud: CloudConfig,
  style: 'metadata' | 'tags' | 'swift',
): void {
  const expected: Record<string, string> = {
    'sovstack:client': client.id,
    'sovstack:cloud': cloud.id,
    'sovstack:sensitivity': client.policy.sensitivity,
  };
  for (const [key, value] of Object.entries(expected)) {
    if (style === 'tags') expect(labels as string[], `${what} tag ${key}`).toContain(`${key}=${value}`);
    else if (style === 'metadata') expect((labels as Record<string, string>)[key], `${what} metadata ${key}`).toBe(value);
    else expect((labels as Record<string, string>)[key.replace(':', '-')], `${what} metadata ${key}`).toBe(value);
  }
  if (style === 'tags')
    expect(
      (labels as string[]).some((t) => t.startsWith('sovstack:version=')),
      `${what} tag sovstack:version`,
    ).toBe(true);
}

/** The id of a cloud's external network, looked up by its catalog name. */
export async function externalNetworkId(os: OpenStack, name: string): Promise<string> {
  const nets = await os.neutron<Network>('networks', `name=${encodeURIComponent(name)}&router:external=true`);
  expect(nets, `external network ${name}`).toHaveLength(1);
  return nets[0].id;
}

/**
 * Checks, through the APIs of the client's cloud, everything the client's service asks for: the
 * network and its subnets, the router's gateway on the cloud's external network, the security groups
 * and their rules, the servers (project, flavor and image from the cloud's catalog, ACTIVE,
 * anti-affinity), their volumes (volume type from the catalog, attached), the floating IPs, the
 * load balancer tree (provisioning ACTIVE) and the containers; and the sovstack labels on all of them.
 * Returns the number of servers checked.
 */
export async function verifyDeployedService(cloudName: LabCloud, client: ClientConfig, cloud: CloudConfig): Promise<number> {
  const os = await OpenStack.login(cloudsYaml, cloudName);
  const service = client.service;
  const prefix = `${client.id}-`;
  const tagFilter = `tags=${encodeURIComponent(`sovstack:client=${client.id}`)}`;

  // network, subnets, router
  const networks = await os.neutron<Network>('networks', `name=${encodeURIComponent(`${prefix}net`)}`);
  expect(networks, 'the tenant network').toHaveLength(1);
  const network = networks[0];
  expect(network.project_id, 'network project').toBe(os.projectId);
  expectLabels('network', network.tags, client, cloud, 'tags');
  const subnets = await os.neutron<Subnet>('subnets', `network_id=${network.id}`);
  expect(subnets.map((s) => [s.name, s.cidr]).sort()).toEqual(service.network.subnets.map((s) => [`${prefix}${s.name}`, s.cidr]).sort());
  for (const s of subnets) expectLabels(`subnet ${s.name}`, s.tags, client, cloud, 'tags');
  const subnetByName = new Map(subnets.map((s) => [s.name.slice(prefix.length), s] as const));

  const extId = await externalNetworkId(os, cloud.openstack.externalNetwork);
  const routers = await os.neutron<Router>('routers', `name=${encodeURIComponent(`${prefix}router`)}`);
  expect(routers, 'the router').toHaveLength(1);
  const router = routers[0];
  expect(router.external_gateway_info?.network_id, `router gateway on ${cloud.openstack.externalNetwork}`).toBe(extId);
  expectLabels('router', router.tags, client, cloud, 'tags');
  const interfaces = await os.neutron<Port>('ports', `device_id=${router.id}&device_owner=network:router_interface`);
  expect(interfaces.flatMap((p) => p.fixed_ips.map((f) => f.subnet_id)).sort(), 'a router interface per subnet').toEqual(
    subnets.map((s) => s.id).sort(),
  );

  // security groups and rules
  const groups = await os.neutron<SecurityGroup>('security-groups', tagFilter);
  expect(groups.map((g) => g.name).sort()).toEqual(service.securityGroups.map((g) => `${prefix}${g.name}`).sort());
  const groupByName = new Map(groups.map((g) => [g.name.slice(prefix.length), g] as const));
  for (const spec of service.securityGroups) {
    const group = groupByName.get(spec.name)!;
    expectLabels(`security group ${spec.name}`, group.tags, client, cloud, 'tags');
    const ingress = group.security_group_rules.filter((r) => r.direction === 'ingress');
    const expected = spec.rules
      .filter((r) => r.direction === 'ingress')
      .map((r) => {
        const [min, max] = typeof r.ports === 'number' ? [r.ports, r.ports] : r.ports ? r.ports.split('-').map(Number) : [null, null];
        return {
          protocol: r.protocol === 'any' ? null : r.protocol,
          port_range_min: min,
          port_range_max: max,
          remote_ip_prefix: r.cidr ?? null,
          remote_group_id: r.group ? groupByName.get(r.group)!.id : null,
        };
      });
    const actual = ingress.map((r) => ({
      protocol: r.protocol,
      port_range_min: r.port_range_min,
      port_range_max: r.port_range_max,
      remote_ip_prefix: r.remote_ip_prefix,
      remote_group_id: r.remote_group_id,
    }));
    // exactly the declared ingress rules: the groups are created without OpenStack's default rules
    expect(actual, `ingress rules of ${spec.name}`).toEqual(expect.arrayContaining(expected));
    expect(actual, `ingress rules of ${spec.name}`).toHaveLength(expected.length);
  }

  // servers, server groups, volumes
  const servers = await os.servers(prefix);
  const serverGroups = await os.serverGroups(prefix);
  const volumes = await os.volumes(prefix);
  let serverCount = 0;
  for (const spec of service.serverGroups) {
    const mine = servers.filter((s) => new RegExp(`^${prefix}${spec.name}-\\d+$`).test(s.name));
    expect(mine.map((s) => s.name).sort(), `servers of group ${spec.name}`).toEqual(
      Array.from({ length: spec.count }, (_, i) => `${prefix}${spec.name}-${i + 1}`).sort(),
    );
    serverCount += mine.length;
    const flavor = cloud.catalog.sizes[spec.size];
    const image = cloud.catalog.images[spec.image];
    const subnet = subnetByName.get(spec.subnet)!;
    const ports = await os.neutron<Port>('ports', `network_id=${network.id}`);
    for (const server of mine) {
      expect(server.status, `${server.name} status`).toBe('ACTIVE');
      expect(server.tenant_id, `${server.name} project`).toBe(os.projectId);
      expect(server.flavor.original_name, `${server.name} flavor`).toBe(flavor);
      expect(await os.serverImageName(server), `${server.name} image`).toBe(image);
      expectLabels(server.name, server.metadata, client, cloud, 'metadata');
      const port = ports.find((p) => p.device_id === server.id);
      expect(port, `${server.name} port`).toBeDefined();
      expect(port!.fixed_ips[0].subnet_id, `${server.name} subnet`).toBe(subnet.id);
      expect(port!.security_groups.sort(), `${server.name} security groups`).toEqual(
        spec.securityGroups.map((g) => groupByName.get(g)!.id).sort(),
      );
      expectLabels(`${server.name} port`, port!.tags, client, cloud, 'tags');
      for (const v of spec.volumes) {
        const volume = volumes.find((x) => x.name === `${server.name}-${v.name}`);
        expect(volume, `volume ${v.name} of ${server.name}`).toBeDefined();
        expect(volume!.volume_type, `${volume!.name} type`).toBe(cloud.catalog.volumeTiers[v.tier]);
        expect(volume!.size).toBe(v.sizeGb);
        expect(volume!.status, `${volume!.name} status`).toBe('in-use');
        expect(
          volume!.attachments.map((a) => a.server_id),
          `${volume!.name} attached to ${server.name}`,
        ).toEqual([server.id]);
        expect(server['os-extended-volumes:volumes_attached'].map((a) => a.id)).toContain(volume!.id);
        expectLabels(volume!.name!, volume!.metadata, client, cloud, 'metadata');
      }
    }
    if (spec.antiAffinity) {
      const group = serverGroups.find((g) => g.name === `${prefix}${spec.name}`);
      expect(group, `server group ${spec.name}`).toBeDefined();
      expect(group!.policy ?? group!.policies?.[0]).toBe('anti-affinity');
      expect([...group!.members].sort()).toEqual(mine.map((s) => s.id).sort());
      // hostId is the tenant-visible hash of the hypervisor: all different = one server per host
      expect(new Set(mine.map((s) => s.hostId)).size, `${spec.name} servers on distinct hypervisors`).toBe(mine.length);
    }
  }

  // floating IPs and the load balancer
  const fips = (await os.neutron<FloatingIp>('floatingips', `project_id=${os.projectId}`)).filter((f) =>
    f.tags.includes(`sovstack:client=${client.id}`),
  );
  const expectedFips =
    service.serverGroups.reduce((n, g) => n + (g.floatingIp ? g.count : 0), 0) + (service.loadBalancer?.floatingIp ? 1 : 0);
  expect(fips, 'floating IPs of the client').toHaveLength(expectedFips);
  for (const f of fips) {
    expect(f.floating_network_id, `floating IP ${f.floating_ip_address} from ${cloud.openstack.externalNetwork}`).toBe(extId);
    expect(f.port_id, `floating IP ${f.floating_ip_address} associated`).toBeTruthy();
    expectLabels(`floating IP ${f.floating_ip_address}`, f.tags, client, cloud, 'tags');
  }

  if (service.loadBalancer) {
    const spec = service.loadBalancer;
    const lbs = await os.octavia<LoadBalancer>('loadbalancers', `name=${encodeURIComponent(`${prefix}lb`)}`);
    expect(lbs, 'the load balancer').toHaveLength(1);
    const lb = lbs[0];
    expect(lb.provisioning_status, 'load balancer provisioning_status').toBe('ACTIVE');
    expect(lb.project_id).toBe(os.projectId);
    expect(lb.vip_subnet_id).toBe(subnetByName.get(spec.subnet)!.id);
    expectLabels('load balancer', lb.tags, client, cloud, 'tags');
    if (spec.floatingIp) {
      expect(
        fips.map((f) => f.port_id),
        'a floating IP on the VIP port',
      ).toContain(lb.vip_port_id);
    }
    const listeners = await os.octavia<LbListener>('listeners', `loadbalancer_id=${lb.id}`);
    expect(listeners.map((l) => l.name).sort()).toEqual(spec.listeners.map((l) => `${prefix}${l.name}`).sort());
    for (const ls of spec.listeners) {
      const listener = listeners.find((l) => l.name === `${prefix}${ls.name}`)!;
      expect([listener.protocol, listener.protocol_port, listener.provisioning_status]).toEqual([ls.protocol, ls.port, 'ACTIVE']);
      expectLabels(`listener ${ls.name}`, listener.tags, client, cloud, 'tags');
      const pools = await os.octavia<LbPool>('pools', `loadbalancer_id=${lb.id}&name=${encodeURIComponent(`${prefix}${ls.name}`)}`);
      expect(pools).toHaveLength(1);
      const pool = pools[0];
      expect(pool.listeners.map((l) => l.id)).toEqual([listener.id]);
      expect([pool.protocol, pool.provisioning_status]).toEqual([ls.protocol, 'ACTIVE']);
      const members = await os.poolMembers(pool.id);
      const backends = servers.filter((s) => new RegExp(`^${prefix}${ls.backend.serverGroup}-\\d+$`).test(s.name));
      const backendIps = backends.flatMap((s) =>
        Object.values(s.addresses)
          .flat()
          .map((a) => a.addr),
      );
      expect(members.map((m) => m.address).sort(), 'pool members are the backend servers').toEqual(backendIps.sort());
      for (const m of members) {
        expect([m.protocol_port, m.provisioning_status]).toEqual([ls.backend.port, 'ACTIVE']);
        expectLabels(`member ${m.name}`, m.tags, client, cloud, 'tags');
      }
      if (ls.healthMonitor) {
        expect(pool.healthmonitor_id, 'health monitor on the pool').toBeTruthy();
        const monitors = await os.octavia<LbMonitor>('healthmonitors', `pool_id=${pool.id}`);
        expect(monitors).toHaveLength(1);
        const monitor = monitors[0];
        expect([monitor.type, monitor.provisioning_status]).toEqual([ls.healthMonitor.type, 'ACTIVE']);
        if (ls.healthMonitor.type === 'HTTP' || ls.healthMonitor.type === 'HTTPS')
          expect(monitor.url_path).toBe(ls.healthMonitor.urlPath ?? '/');
      }
    }
  }

  // object storage
  for (const c of service.objectStorage?.containers ?? []) {
    const headers = await os.containerHeaders(`${prefix}${c.name}`);
    expect(headers, `container ${prefix}${c.name}`).toBeDefined();
    const meta = Object.fromEntries(
      [...headers!.entries()].filter(([k]) => k.startsWith('x-container-meta-')).map(([k, v]) => [k.slice('x-container-meta-'.length), v]),
    );
    expectLabels(`container ${c.name}`, meta, client, cloud, 'swift');
  }
  return serverCount;
}
