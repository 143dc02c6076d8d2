import { Fn, TerraformVariable } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { evaluateArtifact, GUARDRAIL_RULES, readArtifact, sensitiveStateBackend, stackPlacement } from '../../core/guardrails/index.js';
import { PolicySchema } from '../../core/config/schema.js';
import { makeClient, sovereignCloud } from '../support/fixtures.js';
import { guardedStack, jsonPathOf, reportOf, STACK, synthError } from './helpers.js';

const PROVIDER = 'provider.openstack[0]';

describe('provider-matches-placement', () => {
  it('fails synth when the provider region is overridden away from the placed cloud', () => {
    const stack = guardedStack();
    stack.provider.addOverride('region', 'eu-west-0');
    expect(synthError(stack)).toContain(
      `[guardrail provider-matches-placement] ${STACK} ${PROVIDER}.region: provider region is "eu-west-0" but the stack is placed on ` +
        'sovereign-fr1 whose region is "fr1"',
    );
  });

  it('fails synth when the provider auth_url points at another cloud', () => {
    const stack = guardedStack();
    stack.provider.addOverride('auth_url', 'https://iam.eu-west-0.vendor.example/v3');
    expect(synthError(stack)).toContain(
      `[guardrail provider-matches-placement] ${STACK} ${PROVIDER}.auth_url: provider auth_url reaches iam.eu-west-0.vendor.example, a host of vendor-eu-west-0`,
    );
  });

  it('passes on an untouched stack and flags a stack without provider', () => {
    expect(synthError(guardedStack())).toBeUndefined();
    const where = stackPlacement(makeClient(), sovereignCloud(), []);
    const report = evaluateArtifact(readArtifact('s', { resource: {} }), where, { rules: GUARDRAIL_RULES });
    expect(report.findings).toEqual([
      expect.objectContaining({
        rule: 'provider-matches-placement',
        jsonPath: 'provider.openstack',
        message: expect.stringContaining('the stack has no OpenStack provider'),
      }),
    ]);
    expect(report.outcomes).toEqual([
      { rule: 'provider-matches-placement', status: 'failed' },
      { rule: 'sensitive-state-backend', status: 'passed' },
      { rule: 'state-encryption', status: 'not-applicable', reason: 'a standard client whose state encryption is not turned on' },
      { rule: 'key-manager-placement', status: 'not-applicable', reason: 'the stack has no key provider' },
      { rule: 'no-secrets-in-attributes', status: 'passed' },
      { rule: 'no-world-open-ingress', status: 'not-applicable', reason: 'nothing it inspects (openstack_networking_secgroup_rule_v2)' },
      {
        rule: 'no-disabled-port-security',
        status: 'not-applicable',
        reason: 'nothing it inspects (openstack_networking_port_v2, openstack_networking_network_v2)',
      },
    ]);
  });
});

describe('sensitive-state-backend', () => {
  const hostedOnVendor = sovereignCloud({ state: { backend: 'local', dir: 'state', hostedIn: 'vendor-eu-west-0' } });

  it('fails synth when a sensitive client keeps its state on a cloud unfit for sensitive data', () => {
    const error = synthError(guardedStack({ cloud: hostedOnVendor, client: makeClient({ sensitivity: 'sensitive' }) }));
    expect(error).toContain(
      `[guardrail sensitive-state-backend] ${STACK} terraform.backend.local: the state of sensitive client min-interieur is hosted in ` +
        'vendor-eu-west-0, which fails sensitive-requires-secnumcloud (',
    );
  });

  it('accepts the same backend for a standard client and a sensitive client whose state stays home', () => {
    expect(synthError(guardedStack({ cloud: hostedOnVendor }))).toBeUndefined();
    expect(synthError(guardedStack({ client: makeClient({ sensitivity: 'sensitive' }) }))).toBeUndefined();
  });

  it('fails when the hosting cloud is unknown', () => {
    const unknown = sovereignCloud({ state: { backend: 'local', dir: 'state', hostedIn: 'mystery-cloud' } });
    expect(synthError(guardedStack({ cloud: unknown, client: makeClient({ sensitivity: 'sensitive' }) }))).toContain(
      'is hosted in unknown cloud mystery-cloud',
    );
  });

  it("judges the state's host by the client's own sovereignty rules: location and excluded suppliers too", () => {
    const frankfurt = sovereignCloud({
      id: 'sovereign-de1',
      openstack: { authUrl: 'https://identity.de1.sovereign.example/v3', cloudsYamlName: 'sovereign-de1' },
      state: { backend: 's3', bucket: 'state', region: 'de1', endpoint: 'https://object-store.de1.sovereign.example' },
      dataLocation: { country: 'DE', region: 'Hessen' },
      stackSupplier: { name: 'Cloud Stack GmbH', country: 'DE' },
    });
    const hostedInFrankfurt = sovereignCloud({ state: { backend: 'local', dir: 'state', hostedIn: 'sovereign-de1' } });
    const client = (policy: Record<string, unknown>) => ({
      ...makeClient({ sensitivity: 'sensitive' }),
      policy: PolicySchema.parse({ sensitivity: 'sensitive', ...policy }),
    });
    const stack = (policy: Record<string, unknown>) =>
      guardedStack({ cloud: hostedInFrankfurt, client: client(policy), clouds: [hostedInFrankfurt, frankfurt] });

    expect(synthError(stack({ dataLocation: 'EU' }))).toBeUndefined();
    const fr = synthError(stack({ dataLocation: 'FR' }));
    expect(fr).toContain('is hosted in sovereign-de1, which fails data-location (');
    expect(fr).not.toContain('sensitive-requires-secnumcloud');
    expect(synthError(stack({ excludedSuppliers: { countries: ['DE'] } }))).toContain('which fails excluded-suppliers (');
    expect(sensitiveStateBackend.id).toBe('sensitive-state-backend');
  });
});

describe('no-secrets-in-attributes', () => {
  it('fails synth on a pg connection string carrying a password, without echoing it', () => {
    const cloud = sovereignCloud({ state: { backend: 'pg', connStr: 'postgres://tofu:hunter2@db.fr1.example/state' } });
    const error = synthError(guardedStack({ cloud }));
    expect(error).toContain(
      `[guardrail no-secrets-in-attributes] ${STACK} terraform.backend.pg.conn_str: terraform.backend.pg.conn_str holds a URL with a password in it (user:password@)`,
    );
    expect(error).not.toContain('hunter2');
  });

  it('accepts a secret attribute whose value is a reference (supplied at deploy time) and a credential variable without default', () => {
    const stack = guardedStack();
    const password = new TerraformVariable(stack, 'os_password', {
      type: 'string',
      sensitive: true,
      description: 'the OpenStack password',
    });
    stack.provider.addOverride('password', password.stringValue);
    stack.service.serverGroups['web'].servers[0].instance.addOverride('admin_pass', Fn.uuid());
    expect(synthError(stack)).toBeUndefined();
  });

  it("does not mistake the stack's own logical ids and references for random-looking tokens", () => {
    const stack = guardedStack();
    expect(reportOf(stack).findings).toEqual([]);
    expect(jsonPathOf(stack.service.network.network)).toMatch(/_[0-9A-F]{8}$/);
  });
});

describe('no-disabled-port-security', () => {
  it('passes ports and networks that leave port security on, explicitly or by default', () => {
    const stack = guardedStack();
    stack.service.serverGroups['web'].servers[0].port.addOverride('port_security_enabled', true);
    expect(reportOf(stack).outcomes).toContainEqual({ rule: 'no-disabled-port-security', status: 'passed' });
  });
});
