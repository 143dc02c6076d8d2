/**
 * Logs are redacted before they are written: the environment's credentials wherever they appear, and
 * whatever the secret detector flags, word by word; a line that holds a credential no word reveals is
 * dropped whole.
 */
import { describe, expect, it } from 'vitest';
import { LOG_REDACTED, redactLog, redactLogLine, secretEnvValues } from '../../app/operate/redact-log.js';

describe('secretEnvValues', () => {
  it('takes the values of credential variables only', () => {
    const env = {
      PGPASSWORD: 'S3cr3t-pg-Passw0rd',
      OS_PASSWORD: 'os-pass-1234',
      PGHOST: '127.0.0.1',
      OS_CLOUD: 'lab-sovereign',
      AWS_SECRET_ACCESS_KEY: 'abcd1234efgh',
    };
    expect(secretEnvValues(env).sort()).toEqual(['S3cr3t-pg-Passw0rd', 'abcd1234efgh', 'os-pass-1234'].sort());
  });
});

describe('redactLogLine', () => {
  it('removes a known credential wherever it is', () => {
    expect(redactLogLine('pq: password authentication failed (password=S3cr3t-pg-Passw0rd)', ['S3cr3t-pg-Passw0rd'])).not.toContain(
      'S3cr3t',
    );
  });

  it('removes a URL with a password and a token, keeping the rest of the line', () => {
    const line = redactLogLine('Error: dial postgres://app:hunter2@10.0.0.5/state: connection refused', []);
    expect(line).toBe(`Error: dial ${LOG_REDACTED} connection refused`);
    expect(redactLogLine('token ghp_0123456789abcdefghijABCDEFGHIJ012345 rejected', [])).toBe(`token ${LOG_REDACTED} rejected`);
  });

  it('drops a whole line that assigns a credential', () => {
    expect(redactLogLine('  password = "correct horse battery staple"', [])).toBe(
      `${LOG_REDACTED} (a line that looks like it holds a credential)`,
    );
  });

  it('keeps ordinary tofu output as it is', () => {
    const plain = [
      '  # openstack_compute_instance_v2.web will be created',
      '  + resource "openstack_compute_instance_v2" "web" {',
      '      + image_name = "Debian 12 Bookworm"',
      'Plan: 12 to add, 0 to change, 0 to destroy.',
      'openstack_networking_network_v2.service_network_AEF95A25: Creation complete after 2s [id=3f0c2a9e-7c1b-4d2e-9a51-0b6f3c8d1e27]',
    ].join('\n');
    expect(redactLog(plain, ['S3cr3t-pg-Passw0rd'])).toBe(plain);
  });
});
