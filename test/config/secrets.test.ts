import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SECRET_FIX,
  describeSecretValue,
  formatConfigErrors,
  looksLikeSecretKey,
  redactSecrets,
  validateEstate,
} from '../../core/config/index.js';
import { PROBE_CLIENT, edit, errorsOf, errorsWithClient, exampleFiles, positionOf, withFile } from './helpers.js';

const PEM = [
  '-----BEGIN OPENSSH PRIVATE KEY-----',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
  '-----END OPENSSH PRIVATE KEY-----',
].join('\n');
const FERNET = 'gAAAAABmZ3xKp1Q9wX4Rr7TtY2uVvW8xYz0aBcDeFgHiJkLmNoPqRsTuVwXyZ';
const URL_WITH_PASSWORD = 'postgres://sovstack:Tr0ub4dor3@db.state.example:5432/tfstate';
/** A sha256 digest: hex is what digests and OpenStack ids look like, so it is not a secret on its own. */
const HEX_DIGEST = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
/** 32 random bytes, base64: decodes to binary, so only its entropy speaks. */
const BASE64_KEY = 'q8Jf0X2mZ+u4vN7kR1pL9sT3yW6bH5cD0eA2gK8oM4iQ=';
/** Base64 of a random-looking text key. */
const BASE64_OF_TEXT_KEY = 'Zm9vYmFyQmF6UXV4MTIzNDU2Nzg5MGFiY2RlZkdISUpLTE1Ob3Bx';

/** Puts `line` as a description of the first security group rule of the probe client. */
function probeWithDescription(value: string): string {
  return edit(PROBE_CLIENT, '          cidr: 0.0.0.0/0\n', `          cidr: 0.0.0.0/0\n          description: ${JSON.stringify(value)}\n`);
}

describe('secret key names', () => {
  it.each([
    'password',
    'db_passwd',
    'OS_PASSWORD',
    'client_secret',
    'token',
    'api_key',
    'apiKey',
    'private_key',
    'privateKey',
    'application_credential_secret',
    'credentials',
    'pwd',
  ])('flags %s', (key) => expect(looksLikeSecretKey(key)).toBe(true));

  it.each(['cloudsYamlName', 'authUrl', 'keyPrefix', 'name', 'description', 'endpoint', 'connStr', 'bucket'])('does not flag %s', (key) =>
    expect(looksLikeSecretKey(key)).toBe(false),
  );

  it('reports a secret key at any depth, positioned on the key, with the credentials fix', () => {
    const text = edit(PROBE_CLIENT, '      count: 2\n', '      count: 2\n      admin:\n        password: CorrectHorse42\n');
    const errors = errorsWithClient(text);
    expect(errors.map((e) => [e.kind, e.path.join('.')])).toEqual([
      ['unknown-key', 'service.serverGroups.0.admin'],
      ['secret', 'service.serverGroups.0.admin.password'],
    ]);
    expect(errors[1]).toMatchObject({
      message: 'key `password` names a credential',
      fix: SECRET_FIX,
      ...positionOf(text, 'password:'),
    });
    expect(formatConfigErrors(errors)).not.toContain('CorrectHorse42');
  });

  it('reports a secret under an unknown key as a secret, not as an unknown key', () => {
    const path = 'config/clouds/sovereign-fr1.yaml';
    const files = exampleFiles();
    const text = edit(
      files.find((f) => f.path === path)!.text,
      '  cloudsYamlName: sovereign-fr1\n',
      '  cloudsYamlName: sovereign-fr1\n  application_credential_secret: s3cr3t-value-for-test\n',
    );
    const errors = errorsOf(validateEstate(withFile(files, path, text)));
    expect(errors.map((e) => [e.kind, e.path.join('.'), e.line])).toEqual([
      ['secret', 'openstack.application_credential_secret', positionOf(text, 'application_credential_secret').line],
    ]);
    expect(errors[0].fix).toContain('OS_* variables, PGPASSWORD');
    expect(errors[0].fix).toContain('openstack.cloudsYamlName');
    expect(formatConfigErrors(errors)).not.toContain('s3cr3t-value-for-test');
  });

  it('never echoes the value of a secret key, whatever it is', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{12,40}$/), (secret) => {
        const text = edit(PROBE_CLIENT, '  sensitivity: standard\n', `  sensitivity: standard\n  api_key: ${JSON.stringify(secret)}\n`);
        const output = formatConfigErrors(errorsWithClient(text));
        return output.includes('key `api_key` names a credential') && !output.includes(secret);
      }),
      { numRuns: 25 },
    );
  });
});

describe('secret values', () => {
  it.each([
    [PEM, 'a private key (PEM block)'],
    [FERNET, 'a Fernet-like token (gAAAA…)'],
    [URL_WITH_PASSWORD, 'a URL with a password in it (user:password@)'],
    ['host=db.example user=sovstack password=hunter22 dbname=state', 'a credential assignment (password=…)'],
    ['ops: OS_PASSWORD=hunter22 on the bastion', 'a credential assignment (OS_PASSWORD=…)'],
    [`token=${HEX_DIGEST}`, 'a credential assignment (token=…)'],
    [BASE64_KEY, 'a long random-looking string (an API key or token)'],
    [BASE64_OF_TEXT_KEY, 'base64 text holding a long random-looking string (an API key or token)'],
  ])('reports %j in a description without echoing it', (value, what) => {
    const text = probeWithDescription(value);
    const errors = errorsWithClient(text);
    expect(errors.map((e) => [e.kind, e.path.join('.'), e.message])).toEqual([
      ['secret', 'service.securityGroups.0.rules.0.description', `a value that looks like ${what}`],
    ]);
    const output = formatConfigErrors(errors);
    for (const line of value.split('\n')) expect(output).not.toContain(line);
    expect(output).not.toContain('hunter22');
  });

  it('reports a password inside a pg state connection string', () => {
    const path = 'config/clouds/vendor-eu-west-0.yaml';
    const files = exampleFiles();
    const original = files.find((f) => f.path === path)!.text;
    const start = original.indexOf('state:\n');
    const end = original.indexOf('priority:');
    const text = `${original.slice(0, start)}state:\n  backend: pg\n  connStr: ${URL_WITH_PASSWORD}\n${original.slice(end)}`;
    const errors = errorsOf(validateEstate(withFile(files, path, text)));
    expect(errors.map((e) => [e.file, e.kind, e.path.join('.')])).toEqual([[path, 'secret', 'state.connStr']]);
    expect(formatConfigErrors(errors)).not.toContain('Tr0ub4dor3');
  });

  it.each([
    'postgres://sovstack@db.state.example:5432/tfstate',
    'https://identity.fr1.sovereign.example/v3',
    '1b4e28ba-2fa1-11d2-883f-0016d3cca427',
    'a-very-long-but-perfectly-ordinary-container-name',
    'n2.cw.highmem-8',
    'Tile cache co-located with the vendor CDN origin under the 2025 framework contract',
    'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    HEX_DIGEST,
    'password_length = 16',
  ])('does not flag the ordinary value %j', (value) => {
    expect(describeSecretValue(value)).toBeUndefined();
  });

  it('still reports secrets in a file whose YAML is broken', () => {
    const text = `id: probe\nname: Probe\ntoken: ${FERNET}\npolicy: [unclosed\n`;
    const errors = errorsWithClient(text);
    expect(errors.map((e) => e.kind).sort()).toEqual(['secret', 'yaml']);
    expect(formatConfigErrors(errors)).not.toContain(FERNET);
  });
});

describe('secrets in comments and lists', () => {
  it('reports a credential in a YAML comment on the entry it is attached to, and other errors still show', () => {
    const text = edit(PROBE_CLIENT, '      count: 2\n', '      count: 2 # ops: export OS_PASSWORD=Cm7-comment-pass\n      colour: blue\n');
    const errors = errorsWithClient(text);
    expect(errors.map((e) => [e.kind, e.path.join('.'), e.message])).toEqual([
      ['secret', 'service.serverGroups.0.count', 'a comment at this entry that looks like a credential assignment (OS_PASSWORD=…)'],
      ['unknown-key', 'service.serverGroups.0.colour', expect.any(String)],
    ]);
    expect(formatConfigErrors(errors)).not.toContain('Cm7-comment-pass');
  });

  it('reports a credential at the top of a file, and one in a list item', () => {
    const text = `# deploy with PGPASSWORD=Top-comment-pass\n${edit(PROBE_CLIENT, '  publicPorts: [443]\n', '  publicPorts: [443, "token=List-item-pass"]\n')}`;
    const errors = errorsWithClient(text).filter((e) => e.kind === 'secret');
    expect(errors.map((e) => [e.path.join('.'), e.message])).toEqual([
      ['id', 'a comment at this entry that looks like a credential assignment (PGPASSWORD=…)'],
      ['service.publicPorts.1', 'a value that looks like a credential assignment (token=…)'],
    ]);
    const output = formatConfigErrors(errorsWithClient(text));
    expect(output).not.toContain('Top-comment-pass');
    expect(output).not.toContain('List-item-pass');
  });
});

describe('redactSecrets', () => {
  it('replaces every occurrence, longest first, and leaves short strings alone', () => {
    expect(redactSecrets('a hunter22 b hunter22x c', ['hunter22', 'hunter22x', 'ab'])).toBe('a [redacted] b [redacted] c');
  });
});
