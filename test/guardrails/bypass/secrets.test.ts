/**
 * Bypass corpus, secrets: every string of the stack JSON is scanned — descriptions, tags, metadata,
 * user_data, outputs and their values, variables and their defaults, locals, providers, backends,
 * keys, and cdktf's own `//` comments — by the one detector of core/secrets.
 */
import { TerraformLocal, TerraformOutput, TerraformVariable } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { sovereignCloud } from '../../support/fixtures.js';
import { guardedStack, jsonPathOf, synthError } from '../helpers.js';
import { expectRefused, type BypassCase } from './cases.js';

const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----';
const FERNET = `gAAAAABl${'Qz9_x-7Kp'.repeat(5)}`;
const URL_WITH_PASSWORD = 'postgres://app:hunter2@db.internal.example/app';
const RULE = 'no-secrets-in-attributes';

const instance = (stack: ReturnType<typeof guardedStack>) => stack.service.serverGroups['web'].servers[0].instance;

function onInstance(name: string, attr: string, value: unknown, suffix = ''): BypassCase {
  return {
    name,
    rule: RULE,
    build: () => {
      const stack = guardedStack();
      instance(stack).addOverride(attr, value);
      return { stack, jsonPath: `${jsonPathOf(instance(stack))}.${attr}${suffix}` };
    },
  };
}

const CASES: BypassCase[] = [
  onInstance('a PEM private key in user_data', 'user_data', `#cloud-config\nwrite_files:\n- content: |\n${PEM}\n`),
  onInstance('a Fernet token in user_data', 'user_data', `#!/bin/sh\nexport OS_TOKEN_CACHE=${FERNET}\n`),
  onInstance('a URL with a password in instance metadata', 'metadata', { db: URL_WITH_PASSWORD }, '.db'),
  onInstance('password= in a tag', 'tags', ['role=web', 'dsn=host=db password=hunter2'], '[1]'),
  onInstance('a secret inside a string literal of an expression', 'user_data', '${base64encode("password=hunter2")}'),
  onInstance('a literal under a credential-named metadata key', 'metadata', { api_token: 'plain-value' }, '.api_token'),
  onInstance('a number under a credential-named key', 'metadata', { password: 123456 }, '.password'),
  {
    name: 'a PEM key in a security-group rule description',
    rule: RULE,
    build: () => {
      const stack = guardedStack();
      const group = stack.service.securityGroups.groups['web'];
      group.addOverride('description', `ssh ${PEM}`);
      return { stack, jsonPath: `${jsonPathOf(group)}.description` };
    },
  },
  {
    name: 'a secret-looking map key in instance metadata',
    rule: RULE,
    build: () => {
      const stack = guardedStack();
      instance(stack).addOverride('metadata', { [FERNET]: 'x' });
      return { stack, jsonPath: `${jsonPathOf(instance(stack))}.metadata.${FERNET}` };
    },
  },
  {
    name: 'an output whose value is a literal secret',
    rule: RULE,
    build: () => {
      const stack = guardedStack();
      new TerraformOutput(stack, 'leak', { value: URL_WITH_PASSWORD });
      return { stack, jsonPath: 'output.leak.value' };
    },
  },
  {
    name: 'an output description holding a token',
    rule: RULE,
    build: () => {
      const stack = guardedStack();
      new TerraformOutput(stack, 'ok', { value: 'x', description: `token ${FERNET}` });
      return { stack, jsonPath: 'output.ok.description' };
    },
  },
  {
    name: 'a variable default holding a private key',
    rule: RULE,
    build: () => {
      const stack = guardedStack();
      new TerraformVariable(stack, 'ssh_key', { type: 'string', default: PEM });
      return { stack, jsonPath: 'variable.ssh_key.default' };
    },
  },
  {
    name: 'a credential-named variable with a literal default',
    rule: RULE,
    build: () => {
      const stack = guardedStack();
      new TerraformVariable(stack, 'db_password', { type: 'string', default: 'correct horse battery' });
      return { stack, jsonPath: 'variable.db_password.default' };
    },
  },
  {
    name: 'a local value holding a URL with a password',
    rule: RULE,
    build: () => {
      const stack = guardedStack();
      new TerraformLocal(stack, 'dsn', URL_WITH_PASSWORD);
      return { stack, jsonPath: 'locals.dsn' };
    },
  },
  {
    name: 'a literal provider password',
    rule: RULE,
    build: () => {
      const stack = guardedStack();
      stack.provider.addOverride('password', 's3cret');
      return { stack, jsonPath: 'provider.openstack[0].password' };
    },
  },
  {
    name: 'a literal provider token through a stack override',
    rule: RULE,
    build: () => {
      const stack = guardedStack();
      stack.addOverride('provider.openstack.0.token', 'abc');
      return { stack, jsonPath: 'provider.openstack[0].token' };
    },
  },
  {
    name: 'an application credential secret on the provider',
    rule: RULE,
    build: () => {
      const stack = guardedStack();
      stack.provider.addOverride('application_credential_secret', 'tiger');
      return { stack, jsonPath: 'provider.openstack[0].application_credential_secret' };
    },
  },
  {
    name: 'a pg backend connection string with a password (from cloud config)',
    rule: RULE,
    build: () => {
      const stack = guardedStack({
        cloud: sovereignCloud({ state: { backend: 'pg', connStr: 'postgres://tofu:hunter2@db.fr1.example/state' } }),
      });
      return { stack, jsonPath: 'terraform.backend.pg.conn_str' };
    },
  },
  {
    name: 'an s3 backend secret_key by override',
    rule: RULE,
    build: () => {
      const stack = guardedStack({
        cloud: sovereignCloud({ state: { backend: 's3', bucket: 'tf', region: 'fr1', endpoint: 'https://s3.fr1.sovereign.example' } }),
      });
      stack.backend.addOverride('secret_key', 'wJalrXUtnFEMI');
      return { stack, jsonPath: 'terraform.backend.s3.secret_key' };
    },
  },
  {
    name: "a secret in cdktf's own // comment block",
    rule: RULE,
    build: () => {
      const stack = guardedStack();
      stack.addOverride('//.note', `deploy with ${URL_WITH_PASSWORD}`);
      return { stack, jsonPath: '//.note' };
    },
  },
];

describe('bypass corpus: secrets anywhere in the stack JSON', () => {
  it.each(CASES)('refuses: $name', (c) => expectRefused(c));

  it('never echoes the secret in the message', () => {
    const stack = guardedStack();
    instance(stack).addOverride('metadata', { db: URL_WITH_PASSWORD });
    expect(synthError(stack)).not.toContain('hunter2');
  });
});
