/**
 * Test fixtures: synth output folders written directly (manifest.json, stacks/<name>/cdk.tf.json,
 * placement.json) in the shape cdktf and the synth pipeline produce, without running cdktf.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlacementFile } from '../../app/affected/outdir.js';

export type Resources = Record<string, Record<string, Record<string, unknown>>>;

export interface FixtureClient {
  id: string;
  name?: string;
  cloud: string;
  sensitivity?: 'standard' | 'sensitive';
  reason?: string;
  /** Monthly estimate in EUR; none when absent. */
  monthly?: number;
  /** The placement's warnings. Default: none. */
  warnings?: string[];
  resources: Resources;
  data?: Resources;
}

export interface FixtureEstate {
  clouds: PlacementFile['clouds'];
  clients: FixtureClient[];
  failures?: PlacementFile['failures'];
  /** cdktf version stamped in the metadata (`//`) of every stack. Default 0.21.0. */
  cdktfVersion?: string;
  toolkitVersion?: string;
}

export const SOVEREIGN = { id: 'sovereign-fr1', name: 'Cloud souverain FR1', lifecycle: { status: 'active' as const } };
export const VENDOR = { id: 'vendor-eu-west-0', name: 'Flexible Cloud eu-west-0', lifecycle: { status: 'active' as const } };

const withMeta = (stack: string, path: string, body: Record<string, unknown>): Record<string, unknown> => ({
  ...body,
  '//': { metadata: { path: `${stack}/${path}`, uniqueId: path.split('/').pop() } },
});

/** The Terraform JSON of one client's stack, with cdktf-like metadata. */
export function stackJson(client: FixtureClient, cdktfVersion = '0.21.0'): Record<string, unknown> {
  const stack = `${client.id}-${client.cloud}`;
  const block = (resources: Resources | undefined): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(resources ?? {}).map(([type, byName]) => [
        type,
        Object.fromEntries(Object.entries(byName).map(([name, body]) => [name, withMeta(stack, `${type}/${name}`, body)])),
      ]),
    );
  return {
    '//': { metadata: { backend: 'local', stackName: stack, version: cdktfVersion }, outputs: {} },
    provider: { openstack: [{ auth_url: `https://iam.${client.cloud}.example/v3`, region: client.cloud }] },
    terraform: {
      backend: { local: { path: `state/${stack}.tfstate` } },
      required_providers: { openstack: { source: 'terraform-provider-openstack/openstack', version: '3.4.0' } },
    },
    ...(client.data ? { data: block(client.data) } : {}),
    resource: block(client.resources),
  };
}

/** Writes a synth output folder for the estate into `dir`. */
export function writeSynthOutput(dir: string, estate: FixtureEstate): void {
  const cdktfVersion = estate.cdktfVersion ?? '0.21.0';
  mkdirSync(join(dir, 'stacks'), { recursive: true });
  const manifest: { version: string; stacks: Record<string, unknown> } = { version: cdktfVersion, stacks: {} };
  for (const client of estate.clients) {
    const stack = `${client.id}-${client.cloud}`;
    mkdirSync(join(dir, 'stacks', stack), { recursive: true });
    writeFileSync(join(dir, 'stacks', stack, 'cdk.tf.json'), JSON.stringify(stackJson(client, cdktfVersion), null, 2));
    manifest.stacks[stack] = {
      name: stack,
      constructPath: stack,
      synthesizedStackPath: `stacks/${stack}/cdk.tf.json`,
      workingDirectory: `stacks/${stack}`,
      annotations: [],
      dependencies: [],
    };
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  const placement: PlacementFile = {
    toolkitVersion: estate.toolkitVersion ?? '0.1.0',
    configDir: 'config',
    placements: estate.clients.map((c) => ({
      client: c.id,
      clientName: c.name ?? c.id,
      cloud: c.cloud,
      reason: c.reason ?? `${c.cloud} is the eligible cloud with the highest priority`,
      sensitivity: c.sensitivity ?? 'standard',
      evaluations: [],
      warnings: c.warnings ?? [],
      ...(c.monthly !== undefined ? { cost: { currency: 'EUR', monthly: c.monthly, lines: [], unpriced: [] } } : {}),
    })),
    failures: estate.failures ?? [],
    clouds: estate.clouds,
  };
  writeFileSync(join(dir, 'placement.json'), JSON.stringify(placement, null, 2));
  writeFileSync(join(dir, 'placement.md'), '## Placement\n');
}

/** A small client service: network, subnet, security group and `servers` instances of `flavor`. */
export function service(client: string, options: { servers?: number; flavor?: string; cidr?: string } = {}): Resources {
  const instances: Record<string, Record<string, unknown>> = {};
  for (let i = 0; i < (options.servers ?? 1); i++) {
    instances[`servers_app-${i}_${(0xa0 + i).toString(16).toUpperCase()}`] = {
      name: `${client}-app-${i}`,
      flavor_name: options.flavor ?? 'm1.small',
      image_name: 'Debian 12',
      network: [{ uuid: '${openstack_networking_network_v2.network_network_1.id}' }],
    };
  }
  return {
    openstack_networking_network_v2: { network_network_1: { name: `${client}-net`, admin_state_up: true } },
    openstack_networking_subnet_v2: {
      network_subnet_2: {
        name: `${client}-app`,
        network_id: '${openstack_networking_network_v2.network_network_1.id}',
        cidr: options.cidr ?? '10.0.1.0/24',
        ip_version: 4,
      },
    },
    openstack_networking_secgroup_v2: { 'security-groups_app_3': { name: `${client}-app`, description: 'app' } },
    openstack_compute_instance_v2: instances,
  };
}
