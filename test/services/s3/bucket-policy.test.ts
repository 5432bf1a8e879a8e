import { describe, expect, it } from 'vitest';
import { jsonTextEvidence as policyEvidence } from '../../../src/collect/evidence.js';
import { analyseBucketPolicy } from '../../../src/services/s3/bucket-policy.js';
import { awsFixture } from '../../helpers/fixtures.js';

/** The bucket-policy reading: which Deny statements refuse unencrypted or non-KMS uploads. */

const SSE = 's3:x-amz-server-side-encryption';

function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

function deny(overrides: Record<string, unknown>): Record<string, unknown> {
  return { Sid: 'S', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: 'arn:aws:s3:::acme-app-data/*', ...overrides };
}

describe('analyseBucketPolicy', () => {
  it('the AWS deny-unencrypted-uploads policy (Null true + StringNotEquals AES256) refuses unencrypted uploads, does not require KMS', () => {
    const facts = analyseBucketPolicy(awsFixture('s3/get-bucket-policy-deny-unencrypted-uploads.json').Policy);
    expect(facts).toEqual({
      deniesUnencryptedUploads: true,
      requiresKms: false,
      statements: ['DenyIncorrectEncryptionHeader', 'DenyUnEncryptedObjectUploads'],
    });
  });

  it('a StringNotEquals aws:kms deny requires KMS; the unrelated SecureTransport deny does not count', () => {
    const facts = analyseBucketPolicy(awsFixture('s3/get-bucket-policy-require-aws-kms.json').Policy);
    expect(facts).toEqual({ deniesUnencryptedUploads: true, requiresKms: true, statements: ['DenyNonKmsUploads'] });
  });

  it('Null "true" alone refuses uploads without the header, and does not require KMS', () => {
    expect(analyseBucketPolicy(policy(deny({ Condition: { Null: { [SSE]: 'true' } } })))).toEqual({
      deniesUnencryptedUploads: true,
      requiresKms: false,
      statements: ['S'],
    });
  });

  it('Null "false" denies uploads that DO name encryption: not counted', () => {
    expect(analyseBucketPolicy(policy(deny({ Condition: { Null: { [SSE]: 'false' } } }))).deniesUnencryptedUploads).toBe(false);
  });

  it.each([
    ['aws:kms', true],
    [['aws:kms', 'aws:kms:dsse'], true],
    ['aws:kms:dsse', true],
    ['AES256', false],
    [['AES256', 'aws:kms'], false],
  ])('StringNotEquals %j: refuses unencrypted uploads, requires KMS = %s', (value, requiresKms) => {
    const facts = analyseBucketPolicy(policy(deny({ Condition: { StringNotEquals: { [SSE]: value } } })));
    expect(facts.deniesUnencryptedUploads).toBe(true);
    expect(facts.requiresKms).toBe(requiresKms);
  });

  it.each([
    ['"*"', '*'],
    ['{"AWS":"*"}', { AWS: '*' }],
    ['{"AWS":["*"]}', { AWS: ['*'] }],
  ])('Principal %s covers everyone', (_label, principal) => {
    expect(analyseBucketPolicy(policy(deny({ Principal: principal, Condition: { Null: { [SSE]: 'true' } } }))).deniesUnencryptedUploads).toBe(true);
  });

  it('a Deny for one principal only does not protect the bucket', () => {
    const facts = analyseBucketPolicy(
      policy(deny({ Principal: { AWS: 'arn:aws:iam::111122223333:role/uploader' }, Condition: { Null: { [SSE]: 'true' } } })),
    );
    expect(facts).toEqual({ deniesUnencryptedUploads: false, requiresKms: false, statements: [] });
  });

  it('Allow statements are ignored, even with the encryption condition', () => {
    const facts = analyseBucketPolicy(policy(deny({ Effect: 'Allow', Condition: { StringEquals: { [SSE]: 'aws:kms' } } })));
    expect(facts.deniesUnencryptedUploads).toBe(false);
  });

  it('unrelated actions are ignored; s3:*, s3:Put* and * cover PutObject', () => {
    const cond = { Condition: { Null: { [SSE]: 'true' } } };
    expect(analyseBucketPolicy(policy(deny({ Action: 's3:GetObject', ...cond }))).deniesUnencryptedUploads).toBe(false);
    expect(analyseBucketPolicy(policy(deny({ Action: ['s3:DeleteObject', 's3:GetObject'], ...cond }))).deniesUnencryptedUploads).toBe(false);
    for (const action of ['s3:*', 's3:Put*', '*', ['s3:GetObject', 's3:PutObject'], 'S3:PUTOBJECT']) {
      expect(analyseBucketPolicy(policy(deny({ Action: action, ...cond }))).deniesUnencryptedUploads, JSON.stringify(action)).toBe(true);
    }
  });

  it('condition keys are case-insensitive and IfExists variants count', () => {
    const facts = analyseBucketPolicy(policy(deny({ Condition: { StringNotEqualsIfExists: { 'S3:X-Amz-Server-Side-Encryption': 'aws:kms' } } })));
    expect(facts).toMatchObject({ deniesUnencryptedUploads: true, requiresKms: true });
  });

  it('a single statement object (not an array) is read', () => {
    const text = JSON.stringify({ Version: '2012-10-17', Statement: deny({ Condition: { Null: { [SSE]: 'true' } } }) });
    expect(analyseBucketPolicy(text).deniesUnencryptedUploads).toBe(true);
  });

  it('statements without a Sid are named by their index', () => {
    const { Sid: _sid, ...noSid } = deny({ Condition: { Null: { [SSE]: 'true' } } });
    expect(analyseBucketPolicy(policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }, noSid)).statements).toEqual(['#1']);
  });

  it('survives an empty, malformed or strange document', () => {
    const none = { deniesUnencryptedUploads: false, requiresKms: false, statements: [] };
    expect(analyseBucketPolicy('')).toEqual(none);
    expect(analyseBucketPolicy('{not json')).toEqual(none);
    expect(analyseBucketPolicy('null')).toEqual(none);
    expect(analyseBucketPolicy('{"Statement":[null,1,"x",{"Effect":"Deny"}]}')).toEqual(none);
    expect(analyseBucketPolicy(policy(deny({ Condition: null })))).toEqual(none);
  });

  it('policyEvidence keeps the parsed document, or the text when it is not JSON', () => {
    expect(policyEvidence('{"Version":"2012-10-17"}')).toEqual({ Version: '2012-10-17' });
    expect(policyEvidence('{not json')).toBe('{not json');
  });
});
