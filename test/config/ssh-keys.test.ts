/**
 * Public keys are parsed for real: type, base64, wire-format lengths, key material (node:crypto), RSA
 * size; fingerprints match `ssh-keygen -l`. The keys in test/fixtures/ssh were made with ssh-keygen.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePublicKey } from '../../core/config/ssh-keys.js';
import { validateEstate } from '../../core/config/index.js';
import { errorsWithClient, exampleFiles, PROBE_CLIENT, withFile } from './helpers.js';
import { repoRoot } from '../support/tools.js';

interface FixtureKey {
  line: string;
  bits: number;
  fingerprint: string;
}
const keys = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/ssh/public-keys.json'), 'utf8')) as Record<string, FixtureKey>;

/** `line` with its base64 body changed by `change` (decoded blob in, blob out). */
function withBlob(line: string, change: (blob: Buffer) => Buffer): string {
  const [type, body, ...rest] = line.split(' ');
  return [type, change(Buffer.from(body, 'base64')).toString('base64'), ...rest].join(' ');
}

describe('parsePublicKey', () => {
  it.each(['ed', 'rsa3072'])('accepts the %s key with the size and fingerprint ssh-keygen -l prints', (name) => {
    const { line, bits, fingerprint } = keys[name];
    const result = parsePublicKey(line);
    expect(result.ok && result.key).toMatchObject({ bits, fingerprint, normalized: line.split(' ').slice(0, 2).join(' ') });
  });

  it('keeps the comment and ignores surrounding blanks', () => {
    const result = parsePublicKey(`  ${keys.ed.line}  \n`);
    expect(result.ok && result.key.comment).toBe('ops@test');
  });

  it.each([
    ['rsa2048', 'an RSA key of 2048 bits is too short (at least 3072)'],
    ['dsa', 'a DSA key (OpenSSH has dropped DSA) is not accepted'],
    ['ec', 'an ECDSA key is not accepted'],
  ])('refuses the %s key', (name, problem) => {
    const result = parsePublicKey(keys[name].line);
    expect(result.ok ? 'accepted' : result.problem).toContain(problem);
  });

  it.each([
    ['garbage', 'hello world', 'expected an OpenSSH public key line'],
    ['an empty line', '', 'expected an OpenSSH public key line'],
    ['a type without data', 'ssh-ed25519', 'is not valid base64'],
    ['broken base64', 'ssh-ed25519 AAAA!!!!', 'is not valid base64'],
    ['non-canonical base64', 'ssh-ed25519 AAAAAB==', 'is not valid base64'],
    ['a blob of another type', `ssh-ed25519 ${keys.rsa3072.line.split(' ')[1]}`, 'does not hold a `ssh-ed25519` key (it says ssh-rsa)'],
    ['a truncated Ed25519 key', withBlob(keys.ed.line, (b) => b.subarray(0, b.length - 4)), 'not 32 bytes'],
    [
      'a short Ed25519 point',
      withBlob(keys.ed.line, (b) => Buffer.concat([b.subarray(0, 19), Buffer.from([0, 0, 0, 16]), b.subarray(23, 39)])),
      'not 32 bytes',
    ],
    ['trailing bytes', withBlob(keys.ed.line, (b) => Buffer.concat([b, Buffer.from([0, 0, 0, 0])])), 'not 32 bytes'],
    ['a length field past the end', withBlob(keys.rsa3072.line, (b) => Buffer.concat([b.subarray(0, b.length - 10)])), 'truncated'],
  ])('refuses %s', (_, line, problem) => {
    const result = parsePublicKey(line);
    expect(result.ok ? 'accepted' : result.problem).toContain(problem);
  });

  it('refuses a PEM block, public or private, as not a key line', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    for (const pem of [publicKey.export({ type: 'spki', format: 'pem' }), privateKey.export({ type: 'pkcs8', format: 'pem' })]) {
      const result = parsePublicKey(String(pem));
      expect(result.ok ? 'accepted' : result.problem).toContain('PEM block');
    }
  });
});

describe('service.ssh in a client file', () => {
  const withSsh = (ssh: string) => `${PROBE_CLIENT.trimEnd()}\n  ssh:\n${ssh}`;

  it('accepts a public key or an existing keypair name', () => {
    for (const ssh of [`    publicKey: ${keys.ed.line}\n`, '    keypair: ops-2026\n']) {
      const result = validateEstate(withFile(exampleFiles(), 'config/clients/probe.yaml', withSsh(ssh)));
      expect(result.ok ? [] : result.errors).toEqual([]);
    }
  });

  it('reports a refused key at its line, with the reason and no copy of the key', () => {
    const text = withSsh(`    publicKey: ${keys.rsa2048.line}\n`);
    const errors = errorsWithClient(text).filter((e) => e.file.endsWith('probe.yaml'));
    expect(errors.map((e) => [e.path.join('.'), e.line])).toEqual([['service.ssh.publicKey', text.split('\n').length - 1]]);
    expect(errors[0].message).toContain('2048 bits is too short');
    expect(errors[0].message).not.toContain(keys.rsa2048.line.split(' ')[1].slice(0, 20));
  });

  it('reports a private key pasted in place of the public one as a secret', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = String(privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const block = pem
      .trimEnd()
      .split('\n')
      .map((line) => `      ${line}`)
      .join('\n');
    const errors = errorsWithClient(withSsh(`    publicKey: |\n${block}\n`)).filter((e) => e.file.endsWith('probe.yaml'));
    expect(errors.map((e) => e.kind)).toEqual(['secret']);
    expect(errors[0].message).toContain('private key');
    expect(JSON.stringify(errors)).not.toContain(pem.split('\n')[1]);
  });

  it('refuses both a key and a keypair at once', () => {
    const errors = errorsWithClient(withSsh(`    publicKey: ${keys.ed.line}\n    keypair: ops\n`)).filter((e) =>
      e.file.endsWith('probe.yaml'),
    );
    expect(errors.map((e) => e.path.join('.'))).toContain('service.ssh');
  });
});
