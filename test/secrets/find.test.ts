/**
 * findSecretsIn over JSON values (synthesized stacks, plan values, parsed config): where each
 * credential is and what it looks like, never the value; references are not literals.
 */
import { describe, expect, it } from 'vitest';
import { findSecretsIn } from '../../core/secrets/index.js';

/** A stack with a credential in every place the detector looks. */
const LEAKY_STACK = {
  provider: { openstack: [{ auth_url: 'https://identity.example/v3', password: 'Lm9!qZ2x' }] },
  resource: {
    openstack_compute_instance_v2: {
      web: {
        admin_pass: 'Kq2mZ9xL',
        tags: ['tier-web', 'PGPASSWORD=hunter22'],
        metadata: { note: 'OS_APPLICATION_CREDENTIAL_SECRET=J8dk2LmQ', 'OS_PASSWORD=Zq8xLm2': 'x' },
        user_data: '#cloud-config\npassword: Winter2026!\n',
      },
    },
  },
  variable: { key: { default: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n-----END OPENSSH PRIVATE KEY-----' } },
  output: { aws: { value: 'AKIAIOSFODNN7EXAMPLE' } },
};

describe('findSecretsIn', () => {
  it('finds credentials by key name, by value and as a key, with their paths', () => {
    const found = findSecretsIn(LEAKY_STACK);
    expect(found).toEqual([
      { path: 'provider.openstack[0].password', what: 'key `password` names a credential' },
      { path: 'resource.openstack_compute_instance_v2.web.admin_pass', what: 'key `admin_pass` names a credential' },
      {
        path: 'resource.openstack_compute_instance_v2.web.tags[1]',
        what: 'a value that looks like a credential assignment (PGPASSWORD=…)',
      },
      {
        path: 'resource.openstack_compute_instance_v2.web.metadata.note',
        what: 'a value that looks like a credential assignment (OS_APPLICATION_CREDENTIAL_SECRET=…)',
      },
      {
        path: 'resource.openstack_compute_instance_v2.web.metadata',
        what: 'a key that looks like a credential assignment (OS_PASSWORD=…)',
      },
      {
        path: 'resource.openstack_compute_instance_v2.web.user_data',
        what: 'a value that looks like a credential assignment (password=…)',
      },
      { path: 'variable.key.default', what: 'a value that looks like a private key (PEM block)' },
      { path: 'output.aws.value', what: 'a value that looks like an AWS access key id (AKIA…/ASIA…)' },
    ]);
    const text = JSON.stringify(found);
    for (const secret of ['Lm9!qZ2x', 'Kq2mZ9xL', 'hunter22', 'J8dk2LmQ', 'Zq8xLm2', 'Winter2026', 'b3Bl', 'AKIAIOSFODNN7EXAMPLE'])
      expect(text).not.toContain(secret);
  });

  it('flags every literal leaf under a credential-named key, and no reference', () => {
    expect(findSecretsIn({ credentials: { user: 'ops', pin: 1234, enabled: true } })).toEqual([
      { path: 'credentials.user', what: 'key `credentials` names a credential' },
      { path: 'credentials.pin', what: 'key `credentials` names a credential' },
    ]);
    expect(findSecretsIn({ password: '${var.os_password}', admin_pass: '${TfToken[TOKEN.7]}', token: '', secret: null })).toEqual([]);
  });

  it('finds nothing in an ordinary stack', () => {
    const stack = {
      resource: {
        openstack_images_image_v2: {
          debian: { name: 'Debian 12', checksum: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' },
        },
        openstack_compute_keypair_v2: {
          ops: { public_key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ops@bastion' },
        },
        openstack_identity_project_v3: { p: { parent_id: '8c1a0b4d2e3f40a1b2c3d4e5f6a7b8c9', password_length: 16 } },
      },
    };
    expect(findSecretsIn(stack)).toEqual([]);
  });
});
