/**
 * Key names: one list, decided on the real vocabulary. Every attribute name of the OpenStack
 * provider schema is classified, and the credential ones are exactly those listed here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { looksLikeSecretKey } from '../../core/secrets/index.js';
import { repoRoot } from '../support/tools.js';

interface Block {
  attributes?: Record<string, unknown>;
  block_types?: Record<string, { block: Block }>;
}

/** Every attribute and nested block name of the provider, its resources and data sources. */
function providerNames(): Set<string> {
  const schema = JSON.parse(readFileSync(join(repoRoot, 'schema', 'openstack-provider.json'), 'utf8')) as {
    provider_schemas: Record<
      string,
      {
        provider: { block: Block };
        resource_schemas: Record<string, { block: Block }>;
        data_source_schemas: Record<string, { block: Block }>;
      }
    >;
  };
  const names = new Set<string>();
  const walk = (block: Block): void => {
    for (const name of Object.keys(block.attributes ?? {})) names.add(name);
    for (const [name, nested] of Object.entries(block.block_types ?? {})) {
      names.add(name);
      walk(nested.block);
    }
  };
  for (const provider of Object.values(schema.provider_schemas)) {
    for (const element of [provider.provider, ...Object.values(provider.resource_schemas), ...Object.values(provider.data_source_schemas)])
      walk(element.block);
  }
  return names;
}

/** Names that hold a credential, in every spelling the detector normalises. */
const CREDENTIAL_NAMES = [
  'password',
  'OS_PASSWORD',
  'PGPASSWORD',
  'db_passwd',
  'passphrase',
  'admin_pass',
  'adminPass',
  'pwd',
  'client_secret',
  'clientSecret',
  'token',
  'auth_token',
  'api_key',
  'apiKey',
  'APIKEY',
  'private_key',
  'privateKey',
  'private_key_pem',
  'secret_key',
  'access_key',
  'sse_customer_key',
  'temp_url_key',
  'container_sync_key',
  'application_credential_secret',
  'credentials',
  'psk',
  'Authorization',
  'password_value',
];

/** Names that are not a credential, each with the reason. */
const NAMES_ABOUT_OR_OTHER: [string, string][] = [
  ['private_key_file', 'a path to the key'],
  ['token_id', 'an id (the provider computes the one that is a token)'],
  ['password_length', 'a length'],
  ['token_ttl', 'a lifetime'],
  ['secret_ref', 'a Barbican reference'],
  ['secret_type', 'a type'],
  ['password_policy', 'a policy'],
  ['skip_credentials_validation', 'a flag'],
  ['password_expires_at', 'a date'],
  ['application_credential_id', 'an id'],
  ['application_credential_name', 'a name'],
  ['web_identity_token_file', 'a path'],
  ['key', 'map keys, object keys, keypairs'],
  ['key_pair', 'a keypair name'],
  ['public_key', 'public material'],
  ['sort_key', 'a column'],
  ['output_key', 'an output name'],
  ['user_data', 'scanned by value, not a credential by name'],
  ['connStr', 'scanned by value (a URL with user:password@ is caught there)'],
  ['cloudsYamlName', 'a name'],
  ['keyPrefix', 'a prefix'],
  ['passwordless', 'an adjective'],
  ['bypass', 'not the word pass'],
  ['pin', 'a placement pin in this project'],
];

describe('credential key names', () => {
  it('flags exactly these attributes of the OpenStack provider (key, payload and token_id are judged by value or plan mask)', () => {
    const names = providerNames();
    expect(names.size).toBeGreaterThan(600);
    expect([...names].filter(looksLikeSecretKey).sort()).toEqual([
      'access_key',
      'admin_pass',
      'application_credential_secret',
      'container_sync_key',
      'image_source_password',
      'password',
      'private_key',
      'psk',
      'secret',
      'token',
    ]);
  });

  it.each(CREDENTIAL_NAMES)('flags %s', (key) => expect(looksLikeSecretKey(key)).toBe(true));

  it.each(NAMES_ABOUT_OR_OTHER)('does not flag %s (%s)', (key) => expect(looksLikeSecretKey(key)).toBe(false));
});
