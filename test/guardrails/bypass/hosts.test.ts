/**
 * Bypass corpus, hosts: attempts to make a stack reach another cloud (or no declared cloud) than the
 * one it is placed on, through code (overrides, extra providers, variables) or cloud YAML. Each is
 * synthesized by cdktf, then judged on the final stack JSON: refused with the rule id and JSON path.
 */
import { Testing, TerraformVariable } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { provider } from '../../../.gen/providers/openstack/index.js';
import { validateEstate } from '../../../core/config/index.js';
import type { ClientConfig, CloudConfig } from '../../../core/config/schema.js';
import { registerGuardrails } from '../../../core/guardrails/guardrails.js';
import { providerMatchesPlacement, sensitiveStateBackend } from '../../../core/guardrails/rules/index.js';
import type { GuardrailRule } from '../../../core/guardrails/types.js';
import { ClientStack } from '../../../stacks/client-stack.js';
import { edit, exampleFiles, withFile } from '../../config/helpers.js';
import { makeClient, sovereignCloud, vendorCloud } from '../../support/fixtures.js';
import { runHostRule } from '../host-context.js';

const VENDOR_AUTH = 'https://iam.eu-west-0.vendor.example/v3';
const VENDOR_STORE = 'https://oss.eu-west-0.vendor.example';
const sensitive = (): ClientConfig => makeClient({ sensitivity: 'sensitive' });

interface Attempt {
  cloud?: CloudConfig;
  client?: ClientConfig;
  clouds?: CloudConfig[];
  tamper?: (stack: ClientStack) => void;
}

/** Synthesizes the stack after `tamper`, returns the final JSON and the findings of `rule` on it. */
function attempt(rule: GuardrailRule, options: Attempt = {}) {
  const cloud = options.cloud ?? sovereignCloud();
  const client = options.client ?? sensitive();
  const stack = new ClientStack(Testing.app(), { client, cloud, toolkitVersion: '0.1.0' });
  options.tamper?.(stack);
  const json = JSON.parse(Testing.synth(stack)) as Record<string, unknown>;
  return runHostRule(rule, json, { cloud, client, clouds: options.clouds ?? [cloud, vendorCloud()] });
}

/** Asserts the attempt is refused: an error of the rule at `jsonPath`, its message containing `because`. */
function expectRefused(rule: GuardrailRule, options: Attempt, jsonPath: string, because: string): void {
  const findings = attempt(rule, options);
  expect(findings, JSON.stringify(findings, null, 1)).toContainEqual({
    rule: rule.id,
    level: 'error',
    jsonPath,
    message: expect.stringContaining(because),
  });
}

describe('look-alikes that must pass', () => {
  it('the untouched stack on either cloud, sensitive or standard', () => {
    expect(attempt(providerMatchesPlacement)).toEqual([]);
    expect(attempt(sensitiveStateBackend)).toEqual([]);
    expect(
      attempt(providerMatchesPlacement, { cloud: vendorCloud(), client: makeClient(), clouds: [sovereignCloud(), vendorCloud()] }),
    ).toEqual([]);
    expect(
      attempt(sensitiveStateBackend, { cloud: vendorCloud(), client: makeClient(), clouds: [sovereignCloud(), vendorCloud()] }),
    ).toEqual([]);
  });

  it("YAML endpointOverrides to the placed cloud's own declared host, in any spelling", () => {
    const cloud = sovereignCloud({
      hosts: ['compute.fr1.sovereign.example'],
      openstack: { endpointOverrides: { compute: 'https://Compute.FR1.sovereign.example.:443/v2.1' } },
    });
    expect(attempt(providerMatchesPlacement, { cloud })).toEqual([]);
  });
});

describe('provider-matches-placement refuses', () => {
  const rule = providerMatchesPlacement;

  it('1. addOverride of auth_url to the other cloud', () => {
    expectRefused(
      rule,
      { tamper: (s) => s.provider.addOverride('auth_url', VENDOR_AUTH) },
      'provider.openstack[0].auth_url',
      'a host of vendor-eu-west-0',
    );
  });

  it('2. addOverride of endpoint_overrides to a host of the other cloud', () => {
    const tamper = (s: ClientStack) =>
      s.provider.addOverride('endpoint_overrides', { compute: `${VENDOR_AUTH.replace('/v3', '')}/compute/v2.1` });
    expectRefused(rule, { tamper }, 'provider.openstack[0].endpoint_overrides.compute', 'a host of vendor-eu-west-0');
  });

  it('3. a stack-level override of the provider block', () => {
    const tamper = (s: ClientStack) => s.addOverride('provider.openstack.0.auth_url', VENDOR_AUTH);
    expectRefused(rule, { tamper }, 'provider.openstack[0].auth_url', 'a host of vendor-eu-west-0');
  });

  it("4. addOverride of cloud to the other cloud's clouds.yaml entry", () => {
    expectRefused(
      rule,
      { tamper: (s) => s.provider.addOverride('cloud', 'vendor-eu-west-0') },
      'provider.openstack[0].cloud',
      'of vendor-eu-west-0',
    );
  });

  it('5. YAML endpointOverrides pointing at the other cloud', () => {
    const cloud = sovereignCloud({ openstack: { endpointOverrides: { 'load-balancer': 'https://iam.eu-west-0.vendor.example/lb' } } });
    expectRefused(rule, { cloud }, 'provider.openstack[0].endpoint_overrides.load-balancer', 'a host of vendor-eu-west-0');
  });

  it('6. a plain http auth_url to a real host', () => {
    const tamper = (s: ClientStack) => s.provider.addOverride('auth_url', 'http://identity.fr1.sovereign.example/v3');
    expectRefused(rule, { tamper, client: makeClient() }, 'provider.openstack[0].auth_url', 'uses http: to a host that is not loopback');
  });

  it('7. a file: auth_url', () => {
    expectRefused(
      rule,
      { tamper: (s) => s.provider.addOverride('auth_url', 'file:///etc/passwd'), client: makeClient() },
      'provider.openstack[0].auth_url',
      'is a file: URL',
    );
  });

  it('8. mixed-case, trailing-dot, explicit-port spelling of the other cloud', () => {
    const tamper = (s: ClientStack) => s.provider.addOverride('auth_url', 'https://IAM.Eu-West-0.VENDOR.example.:443/v3');
    expectRefused(rule, { tamper }, 'provider.openstack[0].auth_url', 'iam.eu-west-0.vendor.example, a host of vendor-eu-west-0');
  });

  it('9. an IP literal of the other cloud, dotted and as one decimal number', () => {
    const clouds = [sovereignCloud(), vendorCloud({ hosts: ['198.51.100.20'] })];
    for (const url of ['https://198.51.100.20/v3', 'https://3325256724/v3']) {
      expectRefused(
        rule,
        { clouds, tamper: (s) => s.provider.addOverride('auth_url', url) },
        'provider.openstack[0].auth_url',
        '198.51.100.20, a host of vendor-eu-west-0',
      );
    }
  });

  it('10. a second, aliased provider on the other cloud', () => {
    const tamper = (s: ClientStack) => new provider.OpenstackProvider(s, 'spill', { alias: 'spill', authUrl: VENDOR_AUTH, region: 'fr1' });
    expectRefused(rule, { tamper }, 'provider.openstack[1].auth_url', 'a host of vendor-eu-west-0');
  });

  it('11. an auth_url from a variable, decided at plan time (fails closed for a sensitive client)', () => {
    const tamper = (s: ClientStack) =>
      s.provider.addOverride('auth_url', new TerraformVariable(s, 'auth_url', { type: 'string' }).stringValue);
    expectRefused(rule, { tamper }, 'provider.openstack[0].auth_url', 'is an expression decided only at plan time');
  });

  it('12. credentials in the auth_url', () => {
    const tamper = (s: ClientStack) => s.provider.addOverride('auth_url', 'https://admin@identity.fr1.sovereign.example/v3');
    expectRefused(rule, { tamper, client: makeClient() }, 'provider.openstack[0].auth_url', 'carries credentials in the URL');
  });

  it('13. a loopback auth_url outside the lab (no cloud owns it)', () => {
    expectRefused(
      rule,
      { tamper: (s) => s.provider.addOverride('auth_url', 'https://[::1]:5000/v3'), client: makeClient() },
      'provider.openstack[0].auth_url',
      'no declared cloud owns it',
    );
  });
});

describe('sensitive-state-backend refuses', () => {
  const rule = sensitiveStateBackend;

  it('14. addOverride of the s3 endpoint to the other cloud', () => {
    const tamper = (s: ClientStack) => s.backend.addOverride('endpoints.s3', VENDOR_STORE);
    expectRefused(rule, { tamper }, 'terraform.backend.s3.endpoints.s3', 'a host of vendor-eu-west-0');
  });

  it('15. the legacy s3 `endpoint` key added beside endpoints.s3', () => {
    const tamper = (s: ClientStack) => s.backend.addOverride('endpoint', VENDOR_STORE);
    expectRefused(rule, { tamper }, 'terraform.backend.s3.endpoint', 'a host of vendor-eu-west-0');
  });

  it("16. state.endpoint on the other cloud's store without hostedIn", () => {
    const cloud = sovereignCloud({ state: { backend: 's3', bucket: 'b', region: 'fr1', endpoint: VENDOR_STORE } });
    expectRefused(rule, { cloud }, 'terraform.backend.s3.endpoints.s3', 'several clouds claim it (sovereign-fr1, vendor-eu-west-0)');
    const files = exampleFiles();
    const path = 'config/clouds/sovereign-fr1.yaml';
    const text = edit(files.find((f) => f.path === path)!.text, 'https://object-store.fr1.sovereign.example', VENDOR_STORE);
    expect(validateEstate(withFile(files, path, text)).ok).toBe(false);
  });

  it('17. hostedIn lying: declared home, endpoint on a host of the other cloud', () => {
    const cloud = sovereignCloud({
      state: { backend: 's3', bucket: 'b', region: 'fr1', endpoint: 'https://evs.eu-west-0.vendor.example', hostedIn: 'sovereign-fr1' },
    });
    const clouds = [cloud, vendorCloud({ hosts: ['evs.eu-west-0.vendor.example'] })];
    expectRefused(rule, { cloud, clouds }, 'terraform.backend.s3.endpoints.s3', 'several clouds claim it');
  });

  it("18. a stack-level override adding an http backend on the other cloud's store", () => {
    const cloud = sovereignCloud({ state: { backend: 'local', dir: 'state' } });
    const tamper = (s: ClientStack) => s.addOverride('terraform.backend', { http: { address: `${VENDOR_STORE}/state` } });
    expectRefused(rule, { cloud, tamper }, 'terraform.backend.http.address', 'a host of vendor-eu-west-0');
  });

  it('19. a pg conn_str smuggling another host through ?host=', () => {
    const cloud = sovereignCloud({
      state: { backend: 'pg', connStr: 'postgres://tofu@db.fr1.sovereign.example/state?sslmode=verify-full' },
      hosts: ['db.fr1.sovereign.example'],
    });
    const tamper = (s: ClientStack) =>
      s.backend.addOverride('conn_str', 'postgres://tofu@db.fr1.sovereign.example/state?sslmode=verify-full&host=pg.vendor.example');
    expectRefused(
      rule,
      { cloud, tamper },
      'terraform.backend.pg.conn_str',
      'reaches host pg.vendor.example, but no declared cloud owns it',
    );
  });

  it('20. an s3 endpoint from a variable (fails closed for a sensitive client)', () => {
    const tamper = (s: ClientStack) => s.backend.addOverride('endpoints.s3', '${var.state_endpoint}');
    expectRefused(rule, { tamper }, 'terraform.backend.s3.endpoints.s3', 'is an expression decided only at plan time');
  });

  it('21. a plain http s3 endpoint to the placed cloud', () => {
    const tamper = (s: ClientStack) => s.backend.addOverride('endpoints.s3', 'http://object-store.fr1.sovereign.example');
    expectRefused(rule, { tamper, client: makeClient() }, 'terraform.backend.s3.endpoints.s3', 'uses http:');
  });

  it('22. the state moved to HCP Terraform (terraform.cloud)', () => {
    const tamper = (s: ClientStack) => s.addOverride('terraform.cloud', { organization: 'acme', workspaces: { name: 'x' } });
    expectRefused(rule, { tamper }, 'terraform.cloud', 'cannot tell which cloud hosts it');
  });
});

describe('at synth', () => {
  it('23. an override to the other cloud fails the synth itself, naming rule, stack and JSON path', () => {
    const cloud = sovereignCloud();
    const stack = new ClientStack(Testing.app(), { client: sensitive(), cloud, toolkitVersion: '0.1.0' });
    registerGuardrails(stack, { clouds: [cloud, vendorCloud()] });
    stack.backend.addOverride('endpoints.s3', VENDOR_STORE);
    expect(() => Testing.synth(stack)).toThrow(
      '[guardrail sensitive-state-backend] min-interieur-sovereign-fr1 terraform.backend.s3.endpoints.s3: backend s3 endpoints.s3 reaches oss.eu-west-0.vendor.example, a host of vendor-eu-west-0',
    );
  });
});
