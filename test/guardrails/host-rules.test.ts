/**
 * The host → cloud mapping and the two host rules on hand-written stack JSON: each case is the JSON a
 * stack could end up with, judged against the estate's clouds.
 */
import { describe, expect, it } from 'vitest';
import type { ClientConfig, CloudConfig } from '../../core/config/schema.js';
import { buildHostMap, ownerFor, resolveEndpoint } from '../../core/guardrails/hosts.js';
import { providerMatchesPlacement, sensitiveStateBackend } from '../../core/guardrails/rules/index.js';
import type { GuardrailRule } from '../../core/guardrails/types.js';
import { makeClient, sovereignCloud, vendorCloud } from '../support/fixtures.js';
import { runHostRule } from './host-context.js';

type Json = Record<string, unknown>;

const LAB_SOVEREIGN = sovereignCloud({
  id: 'lab-sovereign',
  openstack: { authUrl: 'http://127.0.0.1:5000/v3', cloudsYamlName: 'lab-sovereign' },
  state: { backend: 'pg', connStr: 'postgres://sovstack@127.0.0.1:15432/sov?sslmode=disable' },
});
const LAB_VENDOR = vendorCloud({
  id: 'lab-vendor',
  openstack: { authUrl: 'http://127.0.0.1:5000/v3', cloudsYamlName: 'lab-vendor' },
  state: { backend: 'pg', connStr: 'postgres://sovstack@127.0.0.1:15432/vnd?sslmode=disable' },
});

/** The JSON ClientStack writes for `cloud`: its provider and its s3 (or pg) backend. */
function stackJson(cloud: CloudConfig): Json {
  const state = cloud.state;
  const backend =
    state.backend === 's3'
      ? { s3: { bucket: state.bucket, key: 'sovstack/x/terraform.tfstate', region: state.region, endpoints: { s3: state.endpoint } } }
      : state.backend === 'pg'
        ? { pg: { conn_str: state.connStr, schema_name: 'sovstack_x' } }
        : { local: { path: 'state/x.tfstate' } };
  return {
    provider: { openstack: [{ auth_url: cloud.openstack.authUrl, region: cloud.openstack.region, cloud: cloud.openstack.cloudsYamlName }] },
    terraform: { backend },
  };
}

/** Runs one rule on `json` for a client placed on `cloud`, knowing `clouds`. */
function run(
  rule: GuardrailRule,
  json: Json,
  cloud: CloudConfig,
  client: ClientConfig = makeClient(),
  clouds = [sovereignCloud(), vendorCloud()],
) {
  return runHostRule(rule, json, { cloud, client, clouds }).map(({ level, jsonPath, message }) => ({ level, jsonPath, message }));
}

const sensitive = makeClient({ sensitivity: 'sensitive' });

describe('host map', () => {
  const map = buildHostMap([
    sovereignCloud({ hosts: ['kms.fr1.sovereign.example', '192.0.2.10'] }),
    vendorCloud(),
    LAB_SOVEREIGN,
    LAB_VENDOR,
  ]);

  it('maps hosts derived from authUrl and state, and declared ones, whatever the spelling', () => {
    expect(map.ownersOf('identity.fr1.sovereign.example')).toEqual(['sovereign-fr1']);
    expect(map.ownersOf('oss.eu-west-0.vendor.example')).toEqual(['vendor-eu-west-0']);
    expect(map.ownersOf('kms.fr1.sovereign.example')).toEqual(['sovereign-fr1']);
    expect(map.ownersOf('nowhere.example')).toEqual([]);
    for (const url of [
      'https://IAM.EU-WEST-0.vendor.example./v3',
      'https://iam.eu-west-0.vendor.example:8443/v3',
      'https://iam.eu-west-0.vendor.example',
    ]) {
      expect(resolveEndpoint(map, url), url).toMatchObject({
        kind: 'hosts',
        hosts: [{ host: 'iam.eu-west-0.vendor.example', owners: ['vendor-eu-west-0'] }],
      });
    }
    expect(resolveEndpoint(map, 'https://[::1]:5000/v3')).toMatchObject({ hosts: [{ host: '::1', owners: [] }] });
    expect(resolveEndpoint(map, 'https://3221225994/')).toMatchObject({ hosts: [{ host: '192.0.2.10', owners: ['sovereign-fr1'] }] });
  });

  it('maps pg connection strings in both forms, clouds.yaml names, and sees expressions', () => {
    expect(resolveEndpoint(map, 'host=127.0.0.1 port=15432 dbname=sov', 'pg')).toMatchObject({
      hosts: [{ host: '127.0.0.1', owners: ['lab-sovereign', 'lab-vendor'] }],
    });
    expect(map.cloudsNamed('vendor-eu-west-0')).toEqual(['vendor-eu-west-0']);
    expect(map.cloudsNamed('VENDOR-EU-WEST-0')).toEqual([]);
    expect(resolveEndpoint(map, '${var.auth_url}')).toEqual({ kind: 'expression' });
    expect(resolveEndpoint(map, 'not a url')).toMatchObject({ kind: 'invalid' });
  });

  it('credits a loopback host shared by the lab to the preferred cloud, and refuses a shared real host', () => {
    expect(ownerFor('127.0.0.1', ['lab-sovereign', 'lab-vendor'], 'lab-vendor')).toBe('lab-vendor');
    expect(ownerFor('127.0.0.1', ['lab-sovereign', 'lab-vendor'], 'sovereign-fr1')).toBeUndefined();
    expect(ownerFor('oss.example', ['sovereign-fr1', 'vendor-eu-west-0'], 'sovereign-fr1')).toBeUndefined();
    expect(ownerFor('oss.example', ['vendor-eu-west-0'], 'sovereign-fr1')).toBe('vendor-eu-west-0');
  });
});

describe('provider-matches-placement on stack JSON', () => {
  const sovereign = sovereignCloud();

  it('passes the stack ClientStack writes, on the example clouds and in the lab', () => {
    expect(run(providerMatchesPlacement, stackJson(sovereign), sovereign, sensitive)).toEqual([]);
    expect(run(providerMatchesPlacement, stackJson(LAB_VENDOR), LAB_VENDOR, makeClient(), [LAB_SOVEREIGN, LAB_VENDOR])).toEqual([]);
  });

  it('refuses an aliased second provider on the other cloud, naming its JSON path', () => {
    const json = stackJson(sovereign);
    const vendor = vendorCloud().openstack;
    (json.provider as { openstack: Json[] }).openstack.push({
      alias: 'spill',
      auth_url: vendor.authUrl,
      region: sovereign.openstack.region,
    });
    expect(run(providerMatchesPlacement, json, sovereign)).toEqual([
      expect.objectContaining({
        level: 'error',
        jsonPath: 'provider.openstack[1].auth_url',
        message: expect.stringContaining('a host of vendor-eu-west-0'),
      }),
    ]);
  });

  it('refuses, even for a standard client, a single provider object (Terraform JSON allows it) without auth_url, and a stack with no provider', () => {
    expect(run(providerMatchesPlacement, { provider: { openstack: { region: 'fr1' } } }, sovereign)[0]).toMatchObject({
      level: 'error',
      jsonPath: 'provider.openstack.auth_url',
    });
    expect(run(providerMatchesPlacement, {}, sovereign)[0]).toMatchObject({
      jsonPath: 'provider.openstack',
      message: expect.stringContaining('no OpenStack provider'),
    });
  });

  it('fails closed on an expression for a sensitive client and warns for a standard one', () => {
    const json = stackJson(sovereign);
    (json.provider as { openstack: Json[] }).openstack[0].auth_url = '${var.auth_url}';
    expect(run(providerMatchesPlacement, json, sovereign, sensitive)[0]).toMatchObject({
      level: 'error',
      jsonPath: 'provider.openstack[0].auth_url',
    });
    expect(run(providerMatchesPlacement, json, sovereign)[0]).toMatchObject({
      level: 'warning',
      jsonPath: 'provider.openstack[0].auth_url',
    });
  });

  it('refuses insecure TLS and an unknown clouds.yaml entry (fail closed for sensitive)', () => {
    const json = stackJson(sovereign);
    Object.assign((json.provider as { openstack: Json[] }).openstack[0], { insecure: true, cloud: 'mystery' });
    const findings = run(providerMatchesPlacement, json, sovereign, sensitive);
    expect(findings.map((f) => `${f.level} ${f.jsonPath}`).sort()).toEqual([
      'error provider.openstack[0].cloud',
      'error provider.openstack[0].insecure',
    ]);
  });
});

describe('sensitive-state-backend on stack JSON', () => {
  const sovereign = sovereignCloud();

  it('passes the stack ClientStack writes, on the example clouds and in the lab', () => {
    expect(run(sensitiveStateBackend, stackJson(sovereign), sovereign, sensitive)).toEqual([]);
    expect(run(sensitiveStateBackend, stackJson(LAB_SOVEREIGN), LAB_SOVEREIGN, sensitive, [LAB_SOVEREIGN, LAB_VENDOR])).toEqual([]);
  });

  it('judges the state by its host, not by a missing or lying hostedIn', () => {
    const onVendor = sovereignCloud({
      state: { backend: 's3', bucket: 'b', region: 'fr1', endpoint: 'https://oss.eu-west-0.vendor.example' },
    });
    const json = stackJson(onVendor);
    const findings = run(sensitiveStateBackend, json, onVendor, sensitive, [onVendor, vendorCloud()]);
    expect(findings).toEqual([
      {
        level: 'error',
        jsonPath: 'terraform.backend.s3.endpoints.s3',
        message: expect.stringContaining(
          'reaches host oss.eu-west-0.vendor.example, but several clouds claim it (sovereign-fr1, vendor-eu-west-0)',
        ),
      },
    ]);
    const lying = sovereignCloud({
      hosts: ['object-store.fr1.sovereign.example'],
      state: { ...sovereign.state, hostedIn: 'vendor-eu-west-0' },
    });
    expect(run(sensitiveStateBackend, stackJson(lying), lying, sensitive, [lying, vendorCloud()])).toEqual([
      {
        level: 'error',
        jsonPath: 'terraform.backend.s3.endpoints.s3',
        message: expect.stringContaining(
          'a host of sovereign-fr1, but the state is declared in vendor-eu-west-0 by state.hostedIn of sovereign-fr1',
        ),
      },
    ]);
  });

  it('fails closed on a host of no declared cloud for a sensitive client and warns for a standard one', () => {
    const json = stackJson(sovereign);
    ((json.terraform as Json).backend as { s3: Json }).s3.endpoints = { s3: 'https://s3.amazonaws.com' };
    expect(run(sensitiveStateBackend, json, sovereign, sensitive)[0]).toMatchObject({
      level: 'error',
      message: expect.stringContaining('no declared cloud owns it'),
    });
    expect(run(sensitiveStateBackend, json, sovereign)[0]).toMatchObject({ level: 'warning' });
  });

  it('reads pg connection strings in key=value form and refuses unencrypted pg off loopback', () => {
    const json = { ...stackJson(sovereign), terraform: { backend: { pg: { conn_str: 'host=pg.eu-west-0.vendor.example dbname=state' } } } };
    expect(run(sensitiveStateBackend, json, sovereign)[0]).toMatchObject({
      level: 'error',
      jsonPath: 'terraform.backend.pg.conn_str',
      message: expect.stringContaining('no sslmode'),
    });
  });

  it('cannot read a backend it does not know (terraform.cloud): fails closed for sensitive', () => {
    const json = { ...stackJson(sovereign), terraform: { cloud: { organization: 'acme' } } };
    expect(run(sensitiveStateBackend, json, sovereign, sensitive)[0]).toMatchObject({ level: 'error', jsonPath: 'terraform.cloud' });
    expect(run(sensitiveStateBackend, json, sovereign)[0]).toMatchObject({ level: 'warning', jsonPath: 'terraform.cloud' });
  });
});
