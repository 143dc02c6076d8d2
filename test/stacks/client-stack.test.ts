import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { ClientStack, stackNameFor } from '../../stacks/index.js';
import type { CloudConfig } from '../../core/config/schema.js';
import { PORTABLE_SERVICE, makeClient, sovereignCloud, stackJson, testApp, vendorCloud, type TfJson } from '../support/fixtures.js';

const newStack = (cloud: CloudConfig = sovereignCloud(), client = makeClient({ service: PORTABLE_SERVICE })) =>
  new ClientStack(testApp(), { client, cloud, placementReason: 'test placement', toolkitVersion: '0.1.0' });

describe('ClientStack', () => {
  it('is named <client>-<cloud>', () => {
    expect(stackNameFor('min-interieur', 'sovereign-fr1')).toBe('min-interieur-sovereign-fr1');
    const stack = newStack(vendorCloud());
    expect(stack.node.id).toBe('min-interieur-vendor-eu-west-0');
    expect(stack.stackName).toBe('min-interieur-vendor-eu-west-0');
  });

  it('records the placement', () => {
    expect(newStack().placement).toEqual({
      clientId: 'min-interieur',
      cloudId: 'sovereign-fr1',
      sensitivity: 'standard',
      stateHostedIn: 'sovereign-fr1',
      reason: 'test placement',
    });
    const hosted = sovereignCloud({ state: { backend: 'local', dir: 'state', hostedIn: 'vendor-eu-west-0' } });
    expect(newStack(hosted).placement.stateHostedIn).toBe('vendor-eu-west-0');
  });

  it('configures the provider for the placed cloud without any credential', () => {
    const json = stackJson(newStack());
    expect(json.provider?.['openstack']).toEqual([
      { auth_url: 'https://identity.fr1.sovereign.example/v3', region: 'fr1', cloud: 'sovereign-fr1', max_retries: 5 },
    ]);
    const overridden = stackJson(
      newStack(
        sovereignCloud({
          openstack: { cloudsYamlName: undefined, endpointOverrides: { 'load-balancer': 'https://lb.fr1.sovereign.example/' } },
        }),
      ),
    );
    expect(overridden.provider?.['openstack']).toEqual([
      {
        auth_url: 'https://identity.fr1.sovereign.example/v3',
        region: 'fr1',
        max_retries: 5,
        endpoint_overrides: { 'load-balancer': 'https://lb.fr1.sovereign.example/' },
      },
    ]);
  });

  it("takes the provider's max_retries from the cloud's operations block", () => {
    expect(stackJson(newStack(sovereignCloud({ operations: { maxRetries: 0 } }))).provider?.['openstack']?.[0]).toMatchObject({
      max_retries: 0,
    });
    expect(stackJson(newStack(sovereignCloud({ operations: { maxRetries: 12 } }))).provider?.['openstack']?.[0]).toMatchObject({
      max_retries: 12,
    });
  });

  it('configures an s3 backend for S3-compatible stores, locked with a lock file beside the state', () => {
    expect(stackJson(newStack()).terraform?.['backend']).toEqual({
      s3: {
        bucket: 'sovstack-state',
        key: 'sovstack/min-interieur-sovereign-fr1/terraform.tfstate',
        region: 'fr1',
        endpoints: { s3: 'https://object-store.fr1.sovereign.example' },
        use_path_style: true,
        skip_credentials_validation: true,
        skip_region_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        skip_s3_checksum: true,
        use_lockfile: true,
      },
    });
  });

  it('configures local, pg and http backends', () => {
    const backend = (state: unknown) => stackJson(newStack(sovereignCloud({ state }))).terraform?.['backend'];
    expect(backend({ backend: 'local', dir: 'state/' })).toEqual({ local: { path: 'state/min-interieur-sovereign-fr1.tfstate' } });
    expect(backend({ backend: 'pg', connStr: 'postgres://tofu@db.fr1.example/state' })).toEqual({
      pg: { conn_str: 'postgres://tofu@db.fr1.example/state', schema_name: 'sovstack_min_interieur_sovereign_fr1' },
    });
    expect(backend({ backend: 'pg', connStr: 'postgres://tofu@db/state', schemaPrefix: 'ministry' })).toMatchObject({
      pg: { schema_name: 'ministry_min_interieur_sovereign_fr1' },
    });
    expect(backend({ backend: 'http', address: 'https://state.example/tf/' })).toEqual({
      http: {
        address: 'https://state.example/tf/min-interieur-sovereign-fr1',
        lock_address: 'https://state.example/tf/min-interieur-sovereign-fr1',
        unlock_address: 'https://state.example/tf/min-interieur-sovereign-fr1',
      },
    });
  });

  it('outputs the network id, server names and IPs and the LB VIP', () => {
    const json = stackJson(newStack());
    expect(Object.keys(json.output ?? {}).sort()).toEqual(['lb_vip', 'network_id', 'server_ips', 'server_names']);
    expect(json.output!['server_names']['value']).toHaveLength(5);
    expect(json.output!['lb_vip']['value']).toMatch(
      /^\$\{openstack_lb_loadbalancer_v2\.service_load-balancer_loadbalancer_[0-9A-F]{8}\.vip_address\}$/,
    );
    for (const o of Object.values(json.output ?? {})) expect(o['sensitive']).toBeUndefined();
    const noLb = makeClient();
    expect(Object.keys(stackJson(newStack(sovereignCloud(), noLb)).output ?? {}).sort()).toEqual([
      'network_id',
      'server_ips',
      'server_names',
    ]);
  });

  it('synthesizes byte-identical JSON twice, with the placement recorded under //.sovstack', () => {
    const read = () => {
      const outdir = Testing.fullSynth(newStack());
      return readFileSync(join(outdir, 'stacks', 'min-interieur-sovereign-fr1', 'cdk.tf.json'), 'utf8');
    };
    const first = read();
    expect(read()).toBe(first);
    const json = JSON.parse(first) as TfJson & { '//': { sovstack: unknown } };
    expect(json['//'].sovstack).toEqual({ placement: newStack().placement });
  });
});
