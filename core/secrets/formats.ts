/**
 * Credentials recognisable by their shape alone: private keys, credential URLs and the token
 * formats of well-known issuers. Public material (public keys, certificates) is not a credential
 * and is removed before the entropy check, which would otherwise flag its base64 body.
 */

/** One recognisable credential shape and how it is described (never the value). */
interface Format {
  what: string;
  pattern: RegExp;
}

/** Shapes checked in order; the first match describes the value. */
const FORMATS: readonly Format[] = [
  { what: 'a private key (PEM block)', pattern: /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----/ },
  { what: 'a private key (PuTTY key file)', pattern: /PuTTY-User-Key-File-\d+:/ },
  { what: 'a Fernet-like token (gAAAA…)', pattern: /gAAAA[A-Za-z0-9_-]{30,}/ },
  // The scheme is bounded (32 characters) so that a long run of letters costs linear time, not quadratic.
  { what: 'a URL with a password in it (user:password@)', pattern: /[a-z][a-z0-9+.-]{0,31}:\/\/[^\s/?#@:]*:[^\s/?#@]+@/i },
  { what: 'an AWS access key id (AKIA…/ASIA…)', pattern: /(?<![A-Z0-9])(AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/ },
  { what: 'a GitHub token (ghp_…)', pattern: /(?<![A-Za-z0-9])(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/ },
  { what: 'a GitLab token (glpat-…)', pattern: /(?<![A-Za-z0-9])gl(pat|dt|rt|ptt|cbt)-[A-Za-z0-9_-]{20,}/ },
  { what: 'a Slack token (xox…-)', pattern: /(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,}/ },
  { what: 'a Google API key (AIza…)', pattern: /(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}/ },
  { what: 'a payment API key (sk_live_…)', pattern: /(?<![A-Za-z0-9])(sk|rk)_(live|test)_[0-9A-Za-z]{16,}/ },
  { what: 'an npm token (npm_…)', pattern: /(?<![A-Za-z0-9])npm_[A-Za-z0-9]{36}/ },
  {
    what: 'an HTTP Authorization header with credentials',
    pattern: /\bauthorization[ \t]*:[ \t]*(basic|bearer|token|digest|negotiate)[ \t]+[A-Za-z0-9+/=._~-]{6,}/i,
  },
  { what: 'a JSON Web Token (eyJ….eyJ….…)', pattern: /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/ },
];

/**
 * Describes the first known credential shape found anywhere in `text`, else undefined.
 *
 * @example describeKnownFormat('key: AKIAIOSFODNN7EXAMPLE') // 'an AWS access key id (AKIA…/ASIA…)'
 */
export function describeKnownFormat(text: string): string | undefined {
  return FORMATS.find((format) => format.pattern.test(text))?.what;
}

const PUBLIC_PEM =
  /-----BEGIN ((?:[A-Z0-9]+ )*(?:PUBLIC KEY|CERTIFICATE|CERTIFICATE REQUEST|X509 CRL|PGP PUBLIC KEY BLOCK))-----[\s\S]*?-----END \1-----/g;
const SSH_PUBLIC_KEY =
  /\b(ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp\d+|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)\s+AAAA[A-Za-z0-9+/]+={0,3}/g;

/**
 * `text` without public keys and certificates (PEM blocks, OpenSSH public key lines), so their
 * base64 bodies are not mistaken for random secrets.
 *
 * @example withoutPublicMaterial('ssh-ed25519 AAAAC3Nza… ops@bastion') // ' ops@bastion'
 */
export function withoutPublicMaterial(text: string): string {
  const withoutPem = text.includes('-----BEGIN') ? text.replace(PUBLIC_PEM, ' ') : text;
  return withoutPem.includes(' AAAA') ? withoutPem.replace(SSH_PUBLIC_KEY, ' ') : withoutPem;
}
