/**
 * The key program's pure parts: OpenTofu's external key provider protocol (header, input, output),
 * the `provide` argv, the credentials lookup and the Keystone request it builds.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveCredentials } from '../../app/keys/credentials.js';
import { StateKeyError } from '../../app/keys/errors.js';
import { tokenRequest, tokensUrl } from '../../app/keys/keystone.js';
import { stateKeyName } from '../../app/keys/names.js';
import { decryptionVersion, formatKeyResponse, parseKeyRequest, PROTOCOL_HEADER } from '../../app/keys/protocol.js';
import { parseProvideArgs, stackKeys } from '../../app/keys/target.js';
import { encryptionBlock } from '../../stacks/encryption.js';
import { sovereignCloud } from '../support/fixtures.js';

const key = new Uint8Array(32).map((_, i) => i);

describe('external key provider protocol', () => {
  it('starts with the header OpenTofu checks (magic and version 1)', () => {
    expect(JSON.parse(PROTOCOL_HEADER)).toEqual({ magic: 'OpenTofu-External-Key-Provider', version: 1 });
  });

  it('reads null (encrypt only), stored metadata (decrypt) and empty input', () => {
    expect(parseKeyRequest('null\n')).toEqual({});
    expect(parseKeyRequest('')).toEqual({});
    expect(parseKeyRequest('{"external_data":{"key_version":3}}')).toEqual({ storedVersion: 3 });
    expect(parseKeyRequest('{"external_data":{}}')).toEqual({});
    expect(parseKeyRequest('{}')).toEqual({});
  });

  it('refuses input that is not the protocol, without echoing it', () => {
    for (const bad of [
      '{',
      '[1]',
      '"x"',
      '{"external_data":[]}',
      '{"external_data":{"key_version":"1"}}',
      '{"external_data":{"key_version":0}}',
    ]) {
      expect(() => parseKeyRequest(bad)).toThrow(StateKeyError);
    }
  });

  it('decrypts only data encrypted with its own key version; the fallback provider takes the rest', () => {
    expect(decryptionVersion({ storedVersion: 2 }, 2)).toBe(2);
    expect(decryptionVersion({ storedVersion: 1 }, 2)).toBeUndefined();
    expect(decryptionVersion({}, 2)).toBeUndefined();
  });

  it('answers with base64 keys and the key version as the only metadata', () => {
    const encrypt = JSON.parse(formatKeyResponse(key, undefined, 1)) as unknown;
    expect(encrypt).toEqual({ keys: { encryption_key: Buffer.from(key).toString('base64') }, meta: { external_data: { key_version: 1 } } });
    const both = JSON.parse(formatKeyResponse(key, key, 4)) as { keys: Record<string, string>; meta: unknown };
    expect(Object.keys(both.keys)).toEqual(['encryption_key', 'decryption_key']);
    expect(Buffer.from(both.keys.decryption_key ?? '', 'base64')).toEqual(Buffer.from(key));
    expect(both.meta).toEqual({ external_data: { key_version: 4 } });
  });

  it('names keys after the stack and version, so nothing needs recording', () => {
    expect(stateKeyName('e2e-sov-lab-sovereign', 2)).toBe('sovstack-state-e2e-sov-lab-sovereign-v2');
  });
});

describe('sovstack-state-key provide arguments', () => {
  const args = ['provide', '--stack', 's-fr1', '--key-manager', 'https://kms.example', '--key-version', '2'];

  it('parses the command the encryption block writes', () => {
    const cloud = sovereignCloud({ keyManager: { type: 'barbican', endpoint: 'https://kms.fr1.sovereign.example' } });
    const block = encryptionBlock('c-sovereign-fr1', cloud, {
      reason: 'sensitive',
      keyVersion: 3,
      keyManager: cloud.keyManager,
      fallback: { keyVersion: 2 },
    });
    const keys = stackKeys({ terraform: { encryption: block } });
    expect(keys.primary).toEqual({
      stack: 'c-sovereign-fr1',
      keyManager: 'https://kms.fr1.sovereign.example',
      keyVersion: 3,
      authUrl: 'https://identity.fr1.sovereign.example/v3',
      osCloud: 'sovereign-fr1',
    });
    expect(keys.all.map((k) => k.keyVersion)).toEqual([3, 2]);
  });

  it('counts only providers that run sovstack-state-key, by name or by a path ending in it', () => {
    const withProgram = (program: string) =>
      stackKeys({
        terraform: {
          encryption: {
            key_provider: { external: { v1: { command: [program, ...args.map((a) => (a === '2' ? '1' : a))] } } },
            method: { aes_gcm: { v1: { keys: 'key_provider.external.v1' } } },
            state: { method: 'method.aes_gcm.v1' },
          },
        },
      });
    expect(withProgram('sovstack-state-key').primary?.stack).toBe('s-fr1');
    expect(withProgram('/usr/local/bin/sovstack-state-key').primary?.stack).toBe('s-fr1');
    for (const lookalike of ['/opt/evil-sovstack-state-key', 'sovstack-state-key-old', 'not-sovstack-state-key'])
      expect(withProgram(lookalike).all, lookalike).toEqual([]);
  });

  it('refuses anything else with the usage', () => {
    expect(parseProvideArgs(args).keyVersion).toBe(2);
    for (const bad of [args.slice(1), [...args, 'extra'], args.map((a) => (a === '2' ? 'two' : a)), [...args, '--unknown', 'x']]) {
      expect(() => parseProvideArgs(bad)).toThrow(/usage: sovstack-state-key provide/);
    }
  });
});

describe('credentials', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sovstack-clouds-'));
  const file = join(dir, 'clouds.yaml');
  writeFileSync(
    file,
    'clouds:\n  fr1:\n    auth: { auth_url: "https://id.example/v3", username: u, password: "p@ss", project_name: p, user_domain_name: D, project_domain_name: D }\n' +
      '  app:\n    auth_type: v3applicationcredential\n    auth: { auth_url: "https://id.example", application_credential_id: ac, application_credential_secret: s3cr3t }\n',
  );
  const env = { OS_CLIENT_CONFIG_FILE: file };

  it('takes the clouds.yaml entry the stack names, then OS_CLOUD', () => {
    expect(resolveCredentials({ osCloud: 'fr1' }, env).source).toBe(`clouds.yaml entry fr1 (${file})`);
    expect(resolveCredentials({}, { ...env, OS_CLOUD: 'app' }).method).toBe('application_credential');
  });

  it('falls back to OS_* variables, with the stack cloud Keystone when OS_AUTH_URL is unset', () => {
    const creds = resolveCredentials({ authUrl: 'https://id.example/v3' }, { OS_USERNAME: 'u', OS_PASSWORD: 'p', OS_PROJECT_NAME: 'p' });
    expect(creds.authUrl).toBe('https://id.example/v3');
    expect(creds.source).toBe('OS_* variables');
  });

  it('says what is missing, never a secret', () => {
    expect(() => resolveCredentials({ osCloud: 'nope' }, env)).toThrow(/no clouds.yaml entry nope in .*fix: add the entry/);
    expect(() => resolveCredentials({}, {})).toThrow(/no OpenStack credentials/);
    try {
      resolveCredentials({ osCloud: 'nope' }, env);
    } catch (error) {
      expect(String(error)).not.toContain('p@ss');
    }
  });

  it('builds the Keystone v3 requests: password scoped to the project, application credential unscoped', () => {
    expect(tokenRequest(resolveCredentials({ osCloud: 'fr1' }, env))).toEqual({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'u', domain: { name: 'D' }, password: 'p@ss' } } },
        scope: { project: { name: 'p', domain: { name: 'D' } } },
      },
    });
    expect(tokenRequest(resolveCredentials({ osCloud: 'app' }, env))).toEqual({
      auth: { identity: { methods: ['application_credential'], application_credential: { id: 'ac', secret: 's3cr3t' } } },
    });
    expect(tokensUrl('https://id.example')).toBe('https://id.example/v3/auth/tokens');
    expect(tokensUrl('https://id.example/v3/')).toBe('https://id.example/v3/auth/tokens');
  });
});
