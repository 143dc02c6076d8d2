/**
 * The rules `state-encryption` and `key-manager-placement` on hand-written and synthesized stack JSON:
 * pass, fail and not-applicable fixtures, and the edits a stack (override, hand edit) could make to get
 * around them — each must be refused.
 */
import { describe, expect, it } from 'vitest';
import { encryptionFor } from '../../core/config/encryption.js';
import type { ClientConfig, CloudConfig } from '../../core/config/schema.js';
import { readArtifact } from '../../core/guardrails/artifact.js';
import { evaluateArtifact, stackPlacement } from '../../core/guardrails/evaluate.js';
import { keyManagerPlacement, stateEncryption } from '../../core/guardrails/rules/index.js';
import type { GuardrailRule } from '../../core/guardrails/types.js';
import { encryptionBlock } from '../../stacks/encryption.js';
import { makeClient, sovereignCloud, vendorCloud } from '../support/fixtures.js';

type Json = Record<string, unknown>;

const KMS = 'https://kms.fr1.sovereign.example';
const SOVEREIGN = sovereignCloud({ hosts: ['kms.fr1.sovereign.example'], keyManager: { type: 'barbican', endpoint: KMS } });
const VENDOR = vendorCloud({ hosts: ['kms.eu-west-0.vendor.example'] });
const CLOUDS = [SOVEREIGN, VENDOR];
const sensitive = makeClient({ sensitivity: 'sensitive' });
const standard = makeClient();

/** The encryption block sovstack writes for `client` on `cloud`. */
function block(client: ClientConfig, cloud: CloudConfig = SOVEREIGN): Json {
  const decision = encryptionFor(client, cloud);
  if (decision === undefined) throw new Error('not encrypted');
  const result = encryptionBlock(`${client.id}-${cloud.id}`, cloud, decision);
  if (result === undefined) throw new Error('no key manager');
  return result;
}

function stack(encryption: unknown): Json {
  return { terraform: { backend: { local: { path: 'x.tfstate' } }, ...(encryption === undefined ? {} : { encryption }) } };
}

function judge(rule: GuardrailRule, json: Json, client: ClientConfig = sensitive, cloud: CloudConfig = SOVEREIGN) {
  const report = evaluateArtifact(readArtifact(`${client.id}-${cloud.id}`, json), stackPlacement(client, cloud, CLOUDS), { rules: [rule] });
  return {
    findings: report.findings.map((f) => ({ level: f.level, jsonPath: f.jsonPath, message: f.message })),
    outcome: report.outcomes[0],
  };
}

const errors = (r: ReturnType<typeof judge>) => r.findings.filter((f) => f.level === 'error');

/** A deep copy of sovstack's block for a sensitive client, edited. */
function edited(edit: (b: Json & { state: Json; plan: Json; method: Json; key_provider: Json }) => void): Json {
  const b = structuredClone(block(sensitive)) as Json & { state: Json; plan: Json; method: Json; key_provider: Json };
  edit(b);
  return b;
}

describe('state-encryption', () => {
  it('passes the block sovstack writes for a sensitive client', () => {
    const r = judge(stateEncryption, stack(block(sensitive)));
    expect(r.findings).toEqual([]);
    expect(r.outcome?.status).toBe('passed');
  });

  it('is not applicable to a standard client that did not opt in, on a cloud that does not encrypt all', () => {
    expect(judge(stateEncryption, stack(undefined), standard).outcome).toEqual({
      rule: 'state-encryption',
      status: 'not-applicable',
      reason: 'a standard client whose state encryption is not turned on',
    });
  });

  it('refuses a sensitive stack without encryption, naming the fix', () => {
    const r = judge(stateEncryption, stack(undefined));
    expect(errors(r)).toEqual([
      {
        level: 'error',
        jsonPath: 'terraform',
        message:
          'the state and plans of sensitive client min-interieur are not encrypted (no terraform.encryption block); fix: synthesize with sovstack and do not override or remove terraform.encryption',
      },
    ]);
  });

  it('tells to give the cloud a key manager when it has none', () => {
    const { keyManager: _unused, ...bare } = sovereignCloud({ hosts: ['kms.fr1.sovereign.example'] });
    expect(encryptionBlock('x', bare, { reason: 'sensitive', keyVersion: 1 })).toBeUndefined();
    expect(errors(judge(stateEncryption, stack(undefined), sensitive, bare))[0]?.message).toContain(
      'give cloud sovereign-fr1 a keyManager',
    );
  });

  it('applies to a standard client that opted in, and to every client of a cloud with encryptAllStacks', () => {
    const optIn = makeClient({ id: 'opt-in' });
    const withOptIn: ClientConfig = { ...optIn, stateEncryption: { enabled: true, keyVersion: 1 } };
    expect(errors(judge(stateEncryption, stack(undefined), withOptIn))).toHaveLength(1);
    expect(judge(stateEncryption, stack(block(withOptIn)), withOptIn).findings).toEqual([]);
    const all = sovereignCloud({
      hosts: ['kms.fr1.sovereign.example'],
      keyManager: { type: 'barbican', endpoint: KMS },
      encryptAllStacks: true,
    });
    expect(errors(judge(stateEncryption, stack(undefined), standard, all))[0]?.message).toContain(
      'client on a cloud with encryptAllStacks',
    );
    const optOut: ClientConfig = { ...standard, stateEncryption: { enabled: false, keyVersion: 1 } };
    expect(judge(stateEncryption, stack(undefined), optOut, all).outcome?.status).toBe('not-applicable');
  });

  it('keeps the previous key as an aes_gcm fallback while rotating, and passes', () => {
    const rotating: ClientConfig = { ...sensitive, stateEncryption: { keyVersion: 2, fallback: { keyVersion: 1 } } };
    const b = block(rotating);
    expect(b.state).toEqual({ method: 'method.aes_gcm.v2', enforced: true, fallback: { method: 'method.aes_gcm.v1' } });
    expect(judge(stateEncryption, stack(b), rotating).findings).toEqual([]);
  });

  it('only warns while a declared adoption reads a clear state (enforced off, unencrypted fallback)', () => {
    const adopting: ClientConfig = { ...sensitive, stateEncryption: { keyVersion: 1, fallback: { unencrypted: true } } };
    const b = block(adopting);
    expect(b.plan).toEqual({ method: 'method.aes_gcm.v1', enforced: false, fallback: { method: 'method.unencrypted.adopt' } });
    const r = judge(stateEncryption, stack(b), adopting);
    expect(errors(r)).toEqual([]);
    expect(r.findings.map((f) => f.jsonPath)).toEqual([
      'terraform.encryption.state.enforced',
      'terraform.encryption.state.fallback',
      'terraform.encryption.plan.enforced',
      'terraform.encryption.plan.fallback',
    ]);
    expect(r.findings.every((f) => f.level === 'warning' && f.message.includes('remove stateEncryption.fallback'))).toBe(true);
  });

  describe('refuses the edits that would get around it', () => {
    const cases: [string, Json, RegExp][] = [
      ['state not enforced', edited((b) => (b.state.enforced = false)), /state\.enforced is false/],
      ['plan enforced as a string', edited((b) => (b.plan.enforced = 'true')), /plan\.enforced is "true"/],
      ['plan block removed', edited((b) => delete (b as Json).plan), /the plan of .* is not encrypted \(no plan block\)/],
      ['state method removed', edited((b) => delete b.state.method), /names no method as a bare reference/],
      ['state method as a ${} template', edited((b) => (b.state.method = '${method.aes_gcm.v1}')), /names no method as a bare reference/],
      ['method pointing at nothing', edited((b) => (b.state.method = 'method.aes_gcm.v9')), /method\.aes_gcm\.v9, which is not declared/],
      [
        'unencrypted as the primary method',
        edited((b) => {
          b.method.unencrypted = { clear: {} };
          b.state.method = 'method.unencrypted.clear';
        }),
        /uses method unencrypted, not aes_gcm/,
      ],
      [
        'keys from an undeclared provider',
        edited((b) => ((b.method as { aes_gcm: { v1: Json } }).aes_gcm.v1.keys = 'key_provider.pbkdf2.gone')),
        /key provider key_provider\.pbkdf2\.gone is not declared/,
      ],
      [
        'an undeclared fallback to clear text',
        edited((b) => {
          b.method.unencrypted = { adopt: {} };
          b.plan.fallback = { method: 'method.unencrypted.adopt' };
        }),
        /falls back to clear text, which min-interieur's config does not declare/,
      ],
      [
        'a fallback to a method that does not exist',
        edited((b) => (b.state.fallback = { method: 'method.aes_gcm.v0' })),
        /fallback of .* is not declared/,
      ],
    ];
    for (const [name, encryption, message] of cases) {
      it(name, () => {
        const found = errors(judge(stateEncryption, stack(encryption)));
        expect(found.length).toBeGreaterThan(0);
        expect(found.map((f) => f.message).join('\n')).toMatch(message);
      });
    }

    it('two encryption blocks in a list (which one would OpenTofu use?)', () => {
      expect(errors(judge(stateEncryption, stack([block(sensitive), block(sensitive)])))[0]?.jsonPath).toBe('terraform');
    });

    it('reads a block written as a list of one object like an object', () => {
      expect(judge(stateEncryption, stack([block(sensitive)])).findings).toEqual([]);
    });
  });
});

describe('key-manager-placement', () => {
  const withKeyManager = (url: unknown, extra: string[] = []) =>
    edited((b) => {
      const command = (b.key_provider as { external: { v1: { command: unknown[] } } }).external.v1.command;
      command[command.indexOf('--key-manager') + 1] = url;
      command.push(...extra);
    });

  it('passes a key in the Barbican of the sovereign cloud', () => {
    const r = judge(keyManagerPlacement, stack(block(sensitive)));
    expect(r.findings).toEqual([]);
    expect(r.outcome?.status).toBe('passed');
  });

  it('is not applicable to a stack without a key provider', () => {
    expect(judge(keyManagerPlacement, stack(undefined), standard).outcome?.status).toBe('not-applicable');
  });

  it('passes a pbkdf2 passphrase (in the deployer environment, on no cloud)', () => {
    const cloud: CloudConfig = { ...sovereignCloud(), keyManager: { type: 'pbkdf2', passphraseEnv: 'TF_VAR_fr1_passphrase' } };
    const b = block(sensitive, cloud);
    expect(b.key_provider).toEqual({ pbkdf2: { passphrase: { passphrase: '${var.fr1_passphrase}' } } });
    expect(judge(keyManagerPlacement, stack(b), sensitive, cloud).findings).toEqual([]);
  });

  it("refuses a sensitive client's key on the vendor cloud, with the failed sovereignty rule", () => {
    const r = errors(judge(keyManagerPlacement, stack(withKeyManager('https://kms.eu-west-0.vendor.example'))));
    expect(r).toHaveLength(1);
    expect(r[0]?.jsonPath).toBe('terraform.encryption.key_provider.external.v1.command[5]');
    expect(r[0]?.message).toMatch(
      /reaches kms\.eu-west-0\.vendor\.example, a host of vendor-eu-west-0, which fails sensitive-requires-secnumcloud/,
    );
  });

  it("lets a standard client's key be on the vendor cloud (it passes the client's rules)", () => {
    const optIn: ClientConfig = { ...standard, stateEncryption: { enabled: true, keyVersion: 1 } };
    const b = block(optIn);
    const command = (b.key_provider as { external: { v1: { command: string[] } } }).external.v1.command;
    command[command.indexOf('--key-manager') + 1] = 'https://kms.eu-west-0.vendor.example';
    expect(judge(keyManagerPlacement, stack(b), optIn).findings).toEqual([]);
  });

  describe('refuses the edits that would get around it', () => {
    const cases: [string, Json, RegExp][] = [
      ['a host no cloud declares', withKeyManager('https://kms.elsewhere.example'), /no declared cloud owns it/],
      ['an expression decided at plan time', withKeyManager('${var.kms}'), /expression decided only at plan time/],
      ['plain http to a remote host', withKeyManager('http://kms.fr1.sovereign.example'), /uses http: to a host that is not loopback/],
      [
        'a second --key-manager appended',
        withKeyManager(KMS, ['--key-manager', 'https://kms.eu-west-0.vendor.example']),
        /gives --key-manager twice/,
      ],
      [
        'another program',
        edited((b) => ((b.key_provider as { external: { v1: Json } }).external.v1.command = ['/usr/bin/fetch-key', KMS])),
        /not sovstack-state-key/,
      ],
      [
        'a program named like it',
        edited(
          (b) =>
            ((b.key_provider as { external: { v1: Json } }).external.v1.command = ['/opt/evil-sovstack-state-key', '--key-manager', KMS]),
        ),
        /not sovstack-state-key/,
      ],
      [
        'a hyperscaler KMS',
        edited((b) => (b.key_provider.aws_kms = { k: { kms_key_id: 'alias/x', region: 'eu-west-3' } })),
        /aws_kms key provider, whose keys are on no declared cloud/,
      ],
      [
        'an openbao on the vendor cloud',
        edited((b) => (b.key_provider.openbao = { k: { address: 'https://kms.eu-west-0.vendor.example', key_name: 'x' } })),
        /a host of vendor-eu-west-0, which fails/,
      ],
    ];
    for (const [name, encryption, message] of cases) {
      it(name, () => {
        const found = errors(judge(keyManagerPlacement, stack(encryption)));
        expect(found.length).toBeGreaterThan(0);
        expect(found.map((f) => f.message).join('\n')).toMatch(message);
      });
    }

    it('warns (does not fail) on an undecidable key host for a standard client', () => {
      const optIn: ClientConfig = { ...standard, stateEncryption: { enabled: true, keyVersion: 1 } };
      const r = judge(keyManagerPlacement, stack(withKeyManager('https://kms.elsewhere.example')), optIn);
      expect(r.findings.map((f) => f.level)).toEqual(['warning']);
    });
  });
});
