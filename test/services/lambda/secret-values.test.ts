import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { entropyPerChar, HIGH_ENTROPY_BITS_PER_CHAR, secretShapeOf } from '../../../src/services/lambda/secret-values.js';

/**
 * The value shapes the Lambda check looks for while it holds an environment
 * variable's value (issue 10, item 7): each documented shape is recognised,
 * and the ordinary values of a function configuration are not.
 */
describe('secretShapeOf', () => {
  const canary = `canary-${randomUUID()}`;

  it('an AWS access key id (AKIA/ASIA + 16 base-32 characters), alone or inside a value', () => {
    expect(secretShapeOf('AKIAIOSFODNN7EXAMPLE')).toBe('aws-access-key-id');
    // AWS's documented example key id (IAM User Guide), with the prefix of temporary credentials: never a real key.
    expect(secretShapeOf(`ASIAIOSFODNN7EXAMPLE:${canary}`)).toBe('aws-access-key-id');
    expect(secretShapeOf('AKIAIOSFODNN7EXAMPLE1')).toBeNull(); // 17 characters after the prefix: not an access key id
    expect(secretShapeOf('XAKIAIOSFODNN7EXAMPLE')).toBeNull();
  });

  it('a PEM private key block (RFC 7468 labels), whatever the key type', () => {
    for (const label of ['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']) {
      expect(secretShapeOf(`-----BEGIN ${label}-----\n${canary}\n-----END ${label}-----`), label).toBe('private-key');
    }
    expect(secretShapeOf('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----')).toBeNull(); // a certificate is public
  });

  it('a JWT: three base64url parts whose header is a JSON object with alg', () => {
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url');
    expect(secretShapeOf(`${header}.${canary}.sig`)).toBe('jwt');
    expect(secretShapeOf(`Bearer ${header}.e30.`)).toBe('jwt');
    expect(secretShapeOf(`${Buffer.from('{"typ":"JWT"}').toString('base64url')}.e30.x`)).toBeNull(); // no alg
    expect(secretShapeOf('eyJub3QganNvbg.a.b')).toBeNull();
  });

  it('a connection string with a password (URI userinfo, Password=/Pwd= keywords), not a placeholder', () => {
    expect(secretShapeOf(`postgres://app:${canary}@db.internal:5432/orders`)).toBe('connection-string-password');
    expect(secretShapeOf(`mongodb+srv://u:${canary}@cluster0.example.net/db?retryWrites=true`)).toBe('connection-string-password');
    expect(secretShapeOf(`Server=db;Database=orders;User Id=app;Password=${canary};`)).toBe('connection-string-password');
    expect(secretShapeOf(`Driver={ODBC};Server=db;UID=app;PWD=${canary}`)).toBe('connection-string-password');
    expect(secretShapeOf('postgres://app@db.internal/orders')).toBeNull(); // no password
    expect(secretShapeOf('postgres://app:${DB_PASSWORD}@db/orders')).toBeNull();
    expect(secretShapeOf('Server=db;Password={{password}};')).toBeNull();
    expect(secretShapeOf('https://sqs.us-east-1.amazonaws.com/111122223333/billing')).toBeNull();
  });

  it('a long high-entropy token (detect-secrets\' base64 limit of 4.5 bits per character)', () => {
    // Fixed tokens (random ones would make the test flaky at the threshold): base64, base64url, a bearer-style token.
    for (const token of ['1dIwoXnLDeC03Ue1ScWa6yTpd1J7ikR8vQmZ4bNh2sKf', 'q7Zr3VtLw9XyB2mN5pK8sD4fG6hJ1aQeRuT0iOcWvEx_', 'tGf8Kq2LmR9wXzP4vN7bY3sH6dJ1cV5eA0uQ']) {
      expect(secretShapeOf(token), token).toBe('high-entropy-token');
    }
    // The same length of a lower-entropy alphabet is not.
    expect(secretShapeOf(randomBytes(30).toString('hex'))).toBeNull();
    expect(secretShapeOf('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toBe('high-entropy-token'); // AWS's documented example secret key
    expect(HIGH_ENTROPY_BITS_PER_CHAR).toBe(4.5);
    expect(entropyPerChar('aaaa')).toBe(0);
    expect(entropyPerChar('abcd')).toBe(2);
  });

  it('ordinary configuration values are no secrets', () => {
    for (const value of [
      'info',
      'true',
      '8080',
      '1.2.3',
      randomUUID(),
      'a3f5c9e1b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2', // a commit hash: no upper case
      'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      'https://example.com/api/v1/orders?region=eu-west-1',
      'acme-reports-111122223333-eu-west-1',
      '/opt/python/lib/python3.12/site-packages',
      'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      '',
    ]) {
      expect(secretShapeOf(value), value).toBeNull();
    }
  });
});
