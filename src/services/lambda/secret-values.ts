/**
 * What kind of credential an environment variable VALUE looks like, decided
 * in memory the moment the Lambda check reads it (src/services/lambda/check.ts,
 * functionFacts). Only the kind is returned: the caller keeps the variable's
 * name and this kind and drops the value at once. Nothing here logs, stores or
 * returns any part of the value.
 *
 * Why documented patterns and not a secret-detection library: the well-kept
 * Node library (secretlint, @secretlint/core and its recommended preset)
 * requires Node 22 in its current releases (`engines: node >=22`), and this
 * project runs on Node 20; it is also built around files and reports the
 * matched text, which atrest must never hold. The shapes below are few, each
 * from the document that defines it, and tuned to say "looks like" only where
 * a value is very unlikely to be anything else.
 */
export type SecretShape = 'aws-access-key-id' | 'private-key' | 'jwt' | 'connection-string-password' | 'high-entropy-token';

/** What each kind is, in words for messages. */
export const SECRET_SHAPE_WORDS: Readonly<Record<SecretShape, string>> = {
  'aws-access-key-id': 'an AWS access key id',
  'private-key': 'a private key block',
  jwt: 'a JSON Web Token',
  'connection-string-password': 'a connection string with a password',
  'high-entropy-token': 'a long high-entropy token',
};

/**
 * AWS access key ids: 20 characters, `AKIA` (long-term) or `ASIA` (temporary,
 * STS) followed by 16 upper-case base-32 characters. Source: IAM User Guide,
 * "IAM identifiers", unique ID prefixes (AKIA: access key, ASIA: temporary
 * access key); the body alphabet is RFC 4648 base 32 (A–Z, 2–7).
 */
const ACCESS_KEY_ID = /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z2-7]{16}(?![A-Z0-9])/;

/**
 * A PEM private key block: "-----BEGIN PRIVATE KEY-----" (PKCS #8), "ENCRYPTED
 * PRIVATE KEY", and the legacy "RSA/EC/DSA/OPENSSH PRIVATE KEY" labels.
 * Source: RFC 7468, "Textual Encodings of PKIX, PKCS, and CMS Structures",
 * sections 2, 10 and 11 (the label between the dashes).
 */
const PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/;

/**
 * A JWT in JWS compact serialisation: three base64url parts joined by dots,
 * the first a JSON object header with an `alg` member. Source: RFC 7519 §3
 * and RFC 7515 §3.1 / §4.1.1. Only a header that decodes to such an object
 * counts, so a dotted version string or hostname never does.
 */
const JWT = /(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/;

/**
 * A password in a connection string:
 * - a URI with user information `scheme://user:password@host` (RFC 3986
 *   §3.2.1, which also notes that "user:password" in userinfo is deprecated
 *   because it exposes the password), as PostgreSQL, MySQL, MongoDB, Redis and
 *   AMQP URLs spell it;
 * - a keyword connection string with `Password=` or `Pwd=` (ADO.NET
 *   SqlConnection.ConnectionString keywords, ODBC `PWD=`).
 * Placeholders (`${DB_PASSWORD}`, `{{password}}`, `%s`, `<password>`) are not
 * passwords.
 */
const URI_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:([^\s/@]+)@[^\s/@]+/i;
const KEYWORD_PASSWORD = /(?:^|;)\s*(?:password|pwd)\s*=\s*([^;]+)/i;
const PLACEHOLDER = /^(?:\$\{[^}]*\}|\{\{[^}]*\}\}|%s|<[^>]*>|\*+)$/;

/**
 * A long random-looking token: the whole value is one run of at least 32
 * base64 or base64url characters with upper- and lower-case letters and
 * digits, whose Shannon entropy is at least 4.5 bits per character — the
 * default limit of Yelp's detect-secrets for base64 strings (its
 * Base64HighEntropyString plugin, `--base64-limit` 4.5). Hex strings (commit
 * hashes, checksums) have no upper case and are not counted; nor are UUIDs
 * (hyphens, hex).
 */
const TOKEN = /^[A-Za-z0-9+/_-]{32,}={0,2}$/;
export const HIGH_ENTROPY_BITS_PER_CHAR = 4.5;

/** Shannon entropy of a string, in bits per character. */
export function entropyPerChar(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

function isJwtHeader(part: string): boolean {
  try {
    const header = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return Boolean(header) && typeof header === 'object' && !Array.isArray(header) && typeof (header as { alg?: unknown }).alg === 'string';
  } catch {
    return false;
  }
}

function realPassword(candidate: string | undefined): boolean {
  const p = (candidate ?? '').trim();
  return p.length > 0 && !PLACEHOLDER.test(p);
}

/** The kind of credential `value` looks like, or null. Pure; never keeps the value. */
export function secretShapeOf(value: string): SecretShape | null {
  if (typeof value !== 'string' || value.length === 0) return null;
  if (PRIVATE_KEY.test(value)) return 'private-key';
  if (ACCESS_KEY_ID.test(value)) return 'aws-access-key-id';
  const jwt = JWT.exec(value);
  if (jwt && isJwtHeader(jwt[1]!)) return 'jwt';
  if (realPassword(URI_PASSWORD.exec(value)?.[1]) || realPassword(KEYWORD_PASSWORD.exec(value)?.[1])) return 'connection-string-password';
  const token = value.trim();
  if (TOKEN.test(token) && /[a-z]/.test(token) && /[A-Z]/.test(token) && /\d/.test(token) && entropyPerChar(token) >= HIGH_ENTROPY_BITS_PER_CHAR) {
    return 'high-entropy-token';
  }
  return null;
}
