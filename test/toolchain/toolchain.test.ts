/**
 * Proves the toolchain is real: bindings generated from the provider's schema synthesize into
 * configuration that the real OpenTofu and terraform-provider-openstack accept, reject when wrong,
 * and plan offline.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { App, LocalBackend, TerraformStack, Testing } from 'cdktf';
import { afterAll, describe, expect, it } from 'vitest';
import {
  blockstorageVolumeV3,
  computeInstanceV2,
  networkingNetworkV2,
  networkingSubnetV2,
  provider,
} from '../../.gen/providers/openstack/index.js';
import { initAndValidate, repoRoot, scratchWith, tofu } from '../support/tools.js';

function demoStack(): Record<string, unknown> {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'toolchain-demo');
  new LocalBackend(stack, { path: 'toolchain-demo.tfstate' });
  new provider.OpenstackProvider(stack, 'openstack', {
    authUrl: 'https://identity.fr1.sovereign.example/v3',
    region: 'fr1',
  });
  const network = new networkingNetworkV2.NetworkingNetworkV2(stack, 'net', { name: 'demo-net' });
  new networkingSubnetV2.NetworkingSubnetV2(stack, 'subnet', {
    name: 'demo-front',
    networkId: network.id,
    cidr: '10.20.1.0/24',
    ipVersion: 4,
  });
  new blockstorageVolumeV3.BlockstorageVolumeV3(stack, 'data', { name: 'demo-data', size: 10, volumeType: 'standard' });
  new computeInstanceV2.ComputeInstanceV2(stack, 'web', {
    name: 'demo-web-1',
    flavorName: 's1.cw.small-1',
    imageName: 'Debian 12 Bookworm',
    network: [{ uuid: network.id }],
  });
  return JSON.parse(Testing.synth(stack)) as Record<string, unknown>;
}

const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('toolchain: generated bindings + real OpenTofu + real OpenStack provider', () => {
  it('synthesizes a stack from the generated bindings with the pinned provider source', () => {
    const json = demoStack() as {
      terraform: { required_providers: Record<string, { source: string; version: string }> };
      resource: Record<string, unknown>;
    };
    const pinned = /OPENSTACK_PROVIDER_VERSION="([^"]+)"/.exec(readFileSync(join(repoRoot, 'scripts', 'tools.sh'), 'utf8'))?.[1];
    expect(json.terraform.required_providers.openstack).toEqual({
      source: 'registry.opentofu.org/terraform-provider-openstack/openstack',
      version: pinned,
    });
    expect(Object.keys(json.resource).sort()).toEqual([
      'openstack_blockstorage_volume_v3',
      'openstack_compute_instance_v2',
      'openstack_networking_network_v2',
      'openstack_networking_subnet_v2',
    ]);
  });

  it('tofu init (offline mirror) and tofu validate accept it', () => {
    const dir = scratchWith(demoStack());
    scratch.push(dir);
    const report = initAndValidate(dir);
    expect(report.init.stdout).toContain('terraform-provider-openstack/openstack v3.4.0');
    expect(report.diagnostics).toEqual([]);
    expect(report.valid).toBe(true);
  });

  it('tofu validate rejects a deliberately wrong attribute with the provider schema error', () => {
    const json = demoStack() as { resource: Record<string, Record<string, Record<string, unknown>>> };
    const instance = json.resource.openstack_compute_instance_v2.web;
    instance.flavour_name = instance.flavor_name;
    const dir = scratchWith(json);
    scratch.push(dir);
    const report = initAndValidate(dir);
    expect(report.valid).toBe(false);
    expect(report.diagnostics.map((d) => `${d.summary}: ${d.detail ?? ''}`).join('\n')).toMatch(
      /Extraneous JSON object property[\s\S]*No argument or block type is named "flavour_name"/,
    );
  });

  it('tofu validate rejects a missing required attribute', () => {
    const json = demoStack() as { resource: Record<string, Record<string, Record<string, unknown>>> };
    delete json.resource.openstack_networking_subnet_v2.subnet.network_id;
    const dir = scratchWith(json);
    scratch.push(dir);
    const report = initAndValidate(dir);
    expect(report.valid).toBe(false);
    expect(report.diagnostics.map((d) => `${d.summary}: ${d.detail ?? ''}`).join('\n')).toMatch(
      /Missing required argument[\s\S]*"network_id" is required/,
    );
  });

  it('tofu plan of new resources runs offline: delayed_auth defaults to true in provider v3', () => {
    const dir = scratchWith(demoStack());
    scratch.push(dir);
    expect(tofu(['init', '-input=false'], dir).code).toBe(0);
    // Credentials point at a loopback port nothing listens on: a plan that tried to authenticate would fail.
    const env = {
      OS_AUTH_URL: 'http://127.0.0.1:9/v3',
      OS_USERNAME: 'nobody',
      OS_PASSWORD: 'unused',
      OS_PROJECT_NAME: 'none',
      OS_USER_DOMAIN_NAME: 'Default',
      OS_PROJECT_DOMAIN_NAME: 'Default',
    };
    const plan = tofu(['plan', '-input=false', '-lock=false', '-out=plan.bin'], dir, env);
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('Plan: 4 to add, 0 to change, 0 to destroy.');
    const shown = JSON.parse(tofu(['show', '-json', 'plan.bin'], dir, env).stdout) as {
      resource_changes: { address: string; change: { actions: string[] } }[];
    };
    expect(shown.resource_changes.map((c) => [c.address, c.change.actions])).toEqual([
      ['openstack_blockstorage_volume_v3.data', ['create']],
      ['openstack_compute_instance_v2.web', ['create']],
      ['openstack_networking_network_v2.net', ['create']],
      ['openstack_networking_subnet_v2.subnet', ['create']],
    ]);
  });

  it('App synth output carries no absolute path from this machine', () => {
    const app = new App({ outdir: join(scratchWith({}), 'out') });
    const stack = new TerraformStack(app, 'paths');
    new LocalBackend(stack, { path: 'paths.tfstate' });
    new provider.OpenstackProvider(stack, 'openstack', { region: 'fr1' });
    expect(Testing.synth(stack)).not.toContain(repoRoot);
  });
});
