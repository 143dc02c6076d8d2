import { Fn, TerraformVariable } from 'cdktf';
import { describe, expect, it } from 'vitest';
import {
  fitForSensitiveData,
  isSecretKey,
  providerMatchesPlacement,
  secretInValue,
  sensitiveStateBackend,
  unfitForSensitiveData,
  type GuardrailContext,
} from '../../src/guardrails/index.js';
import { makeClient, sovereignCloud, vendorCloud } from '../constructs/fixtures.js';
import { guardedStack, synthError } from './helpers.js';

const STACK = 'min-interieur-sovereign-fr1';

describe('provider-matches-placement', () => {
  it('fails synth when the provider region is overridden away from the placed cloud', () => {
    const stack = guardedStack();
    stack.provider.addOverride('region', 'eu-west-0');
    expect(synthError(stack)).toContain(
      `[guardrail provider-matches-placement] ${STACK}/openstack: provider region is "eu-west-0" but the stack is placed on ` +
        'sovereign-fr1 whose region is "fr1"',
    );
  });

  it('fails synth when the provider auth_url points at another cloud', () => {
    const stack = guardedStack();
    stack.provider.addOverride('auth_url', 'https://iam.eu-west-0.vendor.example/v3');
    expect(synthError(stack)).toContain(`[guardrail provider-matches-placement] ${STACK}/openstack: provider auth_url is`);
  });

  it('passes on an untouched stack and flags a stack without provider', () => {
    expect(synthError(guardedStack())).toBeUndefined();
    const ctx: GuardrailContext = {
      stackPath: 's',
      placement: { clientId: 'c', cloudId: 'sovereign-fr1', sensitivity: 'standard', stateHostedIn: 'sovereign-fr1' },
      placedCloud: sovereignCloud(),
      clouds: new Map(),
      publicPorts: [],
      elements: [],
    };
    expect(providerMatchesPlacement.check(ctx)).toEqual([
      { path: 's', message: expect.stringContaining('the stack has no OpenStack provider') },
    ]);
  });
});

describe('sensitive-state-backend', () => {
  const hostedOnVendor = sovereignCloud({ state: { backend: 'local', dir: 'state', hostedIn: 'vendor-eu-west-0' } });

  it('fails synth when a sensitive client keeps its state on a cloud unfit for sensitive data', () => {
    const error = synthError(guardedStack({ cloud: hostedOnVendor, client: makeClient({ sensitivity: 'sensitive' }) }));
    expect(error).toContain(
      `[guardrail sensitive-state-backend] ${STACK}/backend: the state of sensitive client min-interieur is hosted in ` +
        'vendor-eu-west-0, which may not hold sensitive data (not SecNumCloud-qualified)',
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

  it('judges clouds with its own predicate', () => {
    expect(fitForSensitiveData(sovereignCloud())).toBe(true);
    expect(unfitForSensitiveData(vendorCloud())).toEqual(['not SecNumCloud-qualified']);
    const offshore = sovereignCloud({ operator: { headOfficeCountry: 'US' }, dataLocation: { country: 'CH' } });
    expect(unfitForSensitiveData(offshore)).toEqual([
      'operator head office in US (outside the EU)',
      'data located in CH (outside the EU)',
    ]);
    expect(sensitiveStateBackend.id).toBe('sensitive-state-backend');
  });
});

describe('no-secrets-in-attributes', () => {
  it('fails synth on a pg connection string carrying a password', () => {
    const cloud = sovereignCloud({ state: { backend: 'pg', connStr: 'postgres://tofu:hunter2@db.fr1.example/state' } });
    expect(synthError(guardedStack({ cloud }))).toContain(
      `[guardrail no-secrets-in-attributes] ${STACK}/backend: backend pg attribute conn_str holds a URL with a password (user:pass@)`,
    );
  });

  it('fails synth on a literal provider password and on a PEM private key in user_data', () => {
    const stack = guardedStack();
    stack.provider.addOverride('password', 's3cret');
    const web1 = stack.service.serverGroups['web']!.servers[0]!.instance;
    web1.addOverride('user_data', '#cloud-config\nwrite_files:\n- content: |\n    -----BEGIN OPENSSH PRIVATE KEY-----\n');
    const error = synthError(stack);
    expect(error).toContain(`[guardrail no-secrets-in-attributes] ${STACK}/openstack: provider openstack attribute password holds a literal credential`);
    expect(error).toContain(
      `[guardrail no-secrets-in-attributes] ${STACK}/service/servers/web/web-1: resource openstack_compute_instance_v2 attribute user_data holds a PEM private key`,
    );
  });

  it('accepts a secret attribute whose value is a reference (supplied at deploy time)', () => {
    const stack = guardedStack();
    const password = new TerraformVariable(stack, 'os_password', { type: 'string', sensitive: true });
    stack.provider.addOverride('password', password.stringValue);
    stack.service.serverGroups['web']!.servers[0]!.instance.addOverride('admin_pass', Fn.uuid());
    expect(synthError(stack)).toBeUndefined();
  });

  it('recognises secret-looking keys and values', () => {
    for (const key of ['password', 'application_credential_secret', 'token', 'secret_key', 'admin_pass', 'container_sync_key']) {
      expect(isSecretKey(key), key).toBe(true);
    }
    for (const key of ['key', 'application_credential_id', 'web_identity_token_file', 'skip_credentials_validation', 'key_pair']) {
      expect(isSecretKey(key), key).toBe(false);
    }
    expect(secretInValue('https://user:pa55@state.example/x')).toBe('holds a URL with a password (user:pass@)');
    expect(secretInValue('postgres://tofu@db/state')).toBeUndefined();
    expect(secretInValue('-----BEGIN RSA PRIVATE KEY-----')).toBe('holds a PEM private key');
    expect(secretInValue('-----BEGIN CERTIFICATE-----')).toBeUndefined();
  });
});
