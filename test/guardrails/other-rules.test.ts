import { Fn, TerraformVariable } from 'cdktf';
import { describe, expect, it } from 'vitest';
import {
  isSecretKey,
  providerMatchesPlacement,
  secretInValue,
  sensitiveStateBackend,
  type GuardrailContext,
} from '../../core/guardrails/index.js';
import { PolicySchema } from '../../core/config/schema.js';
import { PORTABLE_SERVICE, makeClient, sovereignCloud } from '../support/fixtures.js';
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
      client: makeClient({ service: PORTABLE_SERVICE }),
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
  it('fails synth on a pg connection string carrying a password', () => {
    const cloud = sovereignCloud({ state: { backend: 'pg', connStr: 'postgres://tofu:hunter2@db.fr1.example/state' } });
    expect(synthError(guardedStack({ cloud }))).toContain(
      `[guardrail no-secrets-in-attributes] ${STACK}/backend: backend pg attribute conn_str holds a URL with a password in it (user:password@)`,
    );
  });

  it('fails synth on a literal provider password and on a PEM private key in user_data', () => {
    const stack = guardedStack();
    stack.provider.addOverride('password', 's3cret');
    const web1 = stack.service.serverGroups['web'].servers[0].instance;
    web1.addOverride('user_data', '#cloud-config\nwrite_files:\n- content: |\n    -----BEGIN OPENSSH PRIVATE KEY-----\n');
    const error = synthError(stack);
    expect(error).toContain(
      `[guardrail no-secrets-in-attributes] ${STACK}/openstack: provider openstack attribute password holds a literal credential`,
    );
    expect(error).toContain(
      `[guardrail no-secrets-in-attributes] ${STACK}/service/servers/web/web-1: resource openstack_compute_instance_v2 attribute user_data holds a private key (PEM block)`,
    );
  });

  it('accepts a secret attribute whose value is a reference (supplied at deploy time)', () => {
    const stack = guardedStack();
    const password = new TerraformVariable(stack, 'os_password', { type: 'string', sensitive: true });
    stack.provider.addOverride('password', password.stringValue);
    stack.service.serverGroups['web'].servers[0].instance.addOverride('admin_pass', Fn.uuid());
    expect(synthError(stack)).toBeUndefined();
  });

  it('recognises secret-looking keys and values', () => {
    for (const key of ['password', 'application_credential_secret', 'token', 'secret_key', 'admin_pass', 'container_sync_key']) {
      expect(isSecretKey(key), key).toBe(true);
    }
    for (const key of ['key', 'application_credential_id', 'web_identity_token_file', 'skip_credentials_validation', 'key_pair']) {
      expect(isSecretKey(key), key).toBe(false);
    }
    expect(secretInValue('https://user:pa55@state.example/x')).toBe('holds a URL with a password in it (user:password@)');
    expect(secretInValue('postgres://tofu@db/state')).toBeUndefined();
    expect(secretInValue('-----BEGIN RSA PRIVATE KEY-----')).toBe('holds a private key (PEM block)');
    expect(secretInValue('-----BEGIN CERTIFICATE-----')).toBeUndefined();
    expect(secretInValue(`gAAAAABl${'Qz9_x-7Kp'.repeat(5)}`)).toBe('holds a Fernet-like token (gAAAA…)');
    expect(secretInValue('Debian 12 Bookworm')).toBeUndefined();
  });
});
