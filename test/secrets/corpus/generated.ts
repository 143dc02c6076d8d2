/**
 * Corpus cases built from code: every credential name in every assignment syntax, known token
 * formats with bodies from a seeded generator, and the look-alikes (names about a credential,
 * placeholders, digests, ids, public keys). Same seed, same cases, every run.
 */
import { createHash } from 'node:crypto';

/** One labelled corpus case. */
export interface CorpusCase {
  label: string;
  value: string;
}

/** mulberry32: a tiny deterministic generator, so the corpus never changes between runs. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seeded(20261201);
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const pick = (alphabet: string, length: number): string =>
  Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)] ?? 'x').join('');
const bytes = (length: number): Buffer => Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
const kebab = (name: string): string => name.toLowerCase().replace(/_/g, '-');
/** A password with letters, digits and a punctuation mark, never a placeholder word. */
const password = (): string => `${pick(ALNUM, 5)}${pick('!#%*-_.@', 1)}${pick(ALNUM, 6)}`;

/** The ways free text assigns a value to a name. */
const SYNTAXES: readonly [string, (name: string, value: string) => string][] = [
  ['NAME=value', (n, v) => `${n}=${v}`],
  ['export NAME=value', (n, v) => `export ${n}=${v}`],
  ['name: value on its own line', (n, v) => `notes\n${n}: ${v}\n`],
  ['--name value', (n, v) => `tool --${kebab(n)} ${v} --verbose`],
  ['JSON "name": "value"', (n, v) => `{"user": "ops", ${JSON.stringify(n)}: ${JSON.stringify(v)}}`],
  ['NAME="value" in a sentence', (n, v) => `run the job with ${n}="${v}" set`],
  ['<name>value</name>', (n, v) => `<auth><${n}>${v}</${n}></auth>`],
];

const SECRET_NAMES = [
  'OS_PASSWORD',
  'PGPASSWORD',
  'db_password',
  'secret',
  'Password',
  'OS_APPLICATION_CREDENTIAL_SECRET',
  'api_key',
  'adminPass',
  'MYSQL_ROOT_PASSWORD',
  'client_secret',
  'auth_token',
  'OS_TOKEN',
];

/** Names about a credential, each with a value such a name holds. */
const ABOUT_CREDENTIAL_NAMES: readonly [string, string][] = [
  ['password_length', '16'],
  ['token_ttl', '3600'],
  ['secret_ref', 'https://kms.fr1.sovereign.example/v1/secrets/6a1d7c8e'],
  ['private_key_file', '/etc/ssl/private/web.key'],
  ['token_id', '4f2a9c1e0b8d'],
  ['password_expires_at', '2027-01-01'],
  ['key_pair', 'ops-bastion'],
  ['credentials_validation', 'strict'],
];

/** Values that stand for a credential without being one. */
const PLACEHOLDERS = ['${var.os_password}', '$OS_PASSWORD', '${OS_PASSWORD}', '<password>', '***', '{{ vault_password }}'];

function assignmentSecrets(): CorpusCase[] {
  return SECRET_NAMES.flatMap((name) =>
    SYNTAXES.map(([syntax, write]) => ({ label: `${name} as ${syntax}`, value: write(name, password()) })),
  );
}

function tokenSecrets(): CorpusCase[] {
  const out: CorpusCase[] = [];
  for (const [i, prefix] of ['AKIA', 'ASIA', 'AKIA', 'ASIA'].entries())
    out.push({ label: `AWS ${prefix} key id ${i + 1}`, value: `${prefix}${pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}` });
  for (const prefix of ['ghp', 'gho', 'ghu', 'ghs', 'ghr'])
    out.push({ label: `GitHub ${prefix}_ token`, value: `${prefix}_${pick(ALNUM, 36)}` });
  out.push({ label: 'GitHub fine-grained token (generated)', value: `github_pat_${pick(ALNUM, 22)}_${pick(ALNUM, 59)}` });
  for (const kind of ['glpat', 'gldt']) out.push({ label: `GitLab ${kind}- token`, value: `${kind}-${pick(ALNUM, 20)}` });
  for (const kind of ['xoxb', 'xoxp', 'xoxa'])
    out.push({ label: `Slack ${kind}- token`, value: `${kind}-${pick('0123456789', 12)}-${pick(ALNUM, 24)}` });
  for (let i = 0; i < 2; i++) out.push({ label: `Google API key ${i + 1}`, value: `AIza${pick(`${ALNUM}_-`, 35)}` });
  for (const prefix of ['sk_live', 'rk_live', 'sk_test'])
    out.push({ label: `payment key ${prefix}_`, value: `${prefix}_${pick(ALNUM, 24)}` });
  out.push({ label: 'npm token (generated)', value: `npm_${pick(ALNUM, 36)}` });
  for (let i = 0; i < 3; i++) {
    const part = (json: object): string => Buffer.from(JSON.stringify(json)).toString('base64url');
    const jwt = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ sub: `svc-${i}`, iat: 1764547200 + i })}.${bytes(32).toString('base64url')}`;
    out.push({ label: `JWT ${i + 1}`, value: jwt });
  }
  for (let i = 0; i < 3; i++) out.push({ label: `Fernet token ${i + 1}`, value: `gAAAAAB${bytes(90).toString('base64url')}` });
  for (let i = 0; i < 4; i++) out.push({ label: `random ${16 + i * 8}-byte key, base64`, value: bytes(24 + i * 8).toString('base64') });
  for (let i = 0; i < 2; i++)
    out.push({ label: `random key, base64url, in a sentence ${i + 1}`, value: `rotate ${bytes(32).toString('base64url')} next week` });
  return out;
}

function structuralSecrets(): CorpusCase[] {
  const out: CorpusCase[] = [];
  for (const kind of ['RSA ', 'EC ', 'DSA ', 'OPENSSH ', 'ENCRYPTED ', '']) {
    const body = bytes(48).toString('base64');
    out.push({
      label: `${kind || 'PKCS#8 '}private key PEM`,
      value: `-----BEGIN ${kind}PRIVATE KEY-----\n${body}\n-----END ${kind}PRIVATE KEY-----\n`,
    });
  }
  for (const scheme of ['postgres', 'mysql', 'mongodb+srv', 'amqp', 'https', 'ftp']) {
    out.push({ label: `${scheme} URL with user:password@`, value: `${scheme}://svc:${pick(ALNUM, 10)}@host.internal/x` });
  }
  for (const inner of [
    'password: hunter2-Zq',
    'OS_PASSWORD=Zq8xLm2',
    '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----',
  ]) {
    out.push({ label: `base64 of text holding ${inner.slice(0, 12)}`, value: Buffer.from(`#cloud-config\n${inner}\n`).toString('base64') });
  }
  return out;
}

/** Every generated secret, labelled. */
export function generatedSecrets(): CorpusCase[] {
  return [...assignmentSecrets(), ...tokenSecrets(), ...structuralSecrets()];
}

function sshPublicKey(kind: string, keyBytes: number): string {
  const field = (data: Buffer): Buffer => Buffer.concat([Buffer.from([0, 0, 0, data.length]), data]);
  const blob = Buffer.concat([field(Buffer.from(kind)), field(bytes(keyBytes))]).toString('base64');
  return `${kind} ${blob} ops@bastion`;
}

function lookAlikeAssignments(): CorpusCase[] {
  const about = ABOUT_CREDENTIAL_NAMES.flatMap(([name, value]) =>
    SYNTAXES.map(([syntax, write]) => ({ label: `${name} as ${syntax}`, value: write(name, value) })),
  );
  const placeholders = PLACEHOLDERS.flatMap((placeholder) =>
    SYNTAXES.slice(0, 5).map(([syntax, write]) => ({
      label: `placeholder ${placeholder} as ${syntax}`,
      value: write('OS_PASSWORD', placeholder),
    })),
  );
  return [...about, ...placeholders];
}

function lookAlikeValues(): CorpusCase[] {
  const out: CorpusCase[] = [];
  for (const text of ['debian-12.qcow2', 'ubuntu-24.04.raw', 'rocky-9.qcow2', 'windows-2022.vhd']) {
    out.push({ label: `sha256 of image ${text}`, value: createHash('sha256').update(text).digest('hex') });
    out.push({ label: `sha1 of image ${text}`, value: createHash('sha1').update(text).digest('hex') });
    out.push({ label: `md5 of image ${text}`, value: createHash('md5').update(text).digest('hex') });
  }
  for (let i = 0; i < 4; i++) {
    const hex = bytes(16).toString('hex');
    out.push({
      label: `UUID ${i + 1}`,
      value: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    });
    out.push({ label: `OpenStack 32-hex id ${i + 1}`, value: bytes(16).toString('hex') });
  }
  out.push({ label: 'ed25519 public key', value: sshPublicKey('ssh-ed25519', 32) });
  out.push({ label: 'RSA public key', value: sshPublicKey('ssh-rsa', 257) });
  out.push({ label: 'ECDSA public key', value: sshPublicKey('ecdsa-sha2-nistp256', 65) });
  for (const kind of ['PUBLIC KEY', 'CERTIFICATE']) {
    const body = (
      bytes(96)
        .toString('base64')
        .match(/.{1,64}/g) ?? []
    ).join('\n');
    out.push({ label: `PEM ${kind}`, value: `-----BEGIN ${kind}-----\n${body}\n-----END ${kind}-----\n` });
  }
  for (const text of [
    '#cloud-config\npackages: [nginx]\n',
    'Hello from the sovereign cloud, nothing secret here.',
    '{"replicas": 3, "zone": "fr1-a"}',
  ]) {
    out.push({ label: `base64 of ordinary text ${text.slice(0, 14)}`, value: Buffer.from(text).toString('base64') });
  }
  return out;
}

/** Every generated look-alike, labelled. */
export function generatedLookAlikes(): CorpusCase[] {
  return [...lookAlikeAssignments(), ...lookAlikeValues()];
}
