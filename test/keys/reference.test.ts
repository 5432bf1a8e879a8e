import { describe, expect, it } from 'vitest';
import { canonicalKeyArn, isAwsManagedAlias, isKeyId, parseKeyReference, type KeyReference } from '../../src/keys/reference.js';

/**
 * Which key a service's reference names, before KMS is asked anything
 * (src/keys/reference.ts). Plain inputs, no SDK. A reference refused here is
 * never sent to KMS, so every pattern is pinned at its edges: one character
 * more or less, a prefix, a suffix, each character class it admits.
 */

const HERE = { region: 'us-east-1', accountId: '111122223333', partition: 'aws' };
const UUID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const MRK = 'mrk-1234abcd12ab34cd56ef1234567890ab';

describe('key ids', () => {
  it.each([
    ['a UUID key id', UUID],
    ['a UUID in upper case (KMS ids are case-insensitive hex)', UUID.toUpperCase()],
    ['a multi-Region key id (mrk- and 32 hex digits)', MRK],
    ['a multi-Region key id in upper case', `mrk-${MRK.slice(4).toUpperCase()}`],
  ])('%s is a key id', (_label, id) => {
    expect(isKeyId(id)).toBe(true);
  });

  // Each group of the UUID one digit short and one digit long, so no length is loose.
  const groups = UUID.split('-');
  const offByOne = groups.flatMap((g, i) => {
    const short = groups.map((x, j) => (j === i ? x.slice(1) : x)).join('-');
    const long = groups.map((x, j) => (j === i ? `${x}0` : x)).join('-');
    return [
      [`group ${i + 1} one digit short`, short],
      [`group ${i + 1} one digit long`, long],
    ];
  });

  it.each([
    ...offByOne,
    ['mrk- with 31 hex digits', MRK.slice(0, -1)],
    ['mrk- with 33 hex digits', `${MRK}0`],
    ['a non-hex letter', UUID.replace('a', 'g')],
    ['a non-hex letter in the multi-Region id', MRK.replace('a', 'g')],
    ['a prefix before the id', `x${UUID}`],
    ['a suffix after the id', `${UUID}x`],
    ['the id after key/', `key/${UUID}`],
    ['a multi-Region id after a prefix', `x${MRK}`],
    ['a multi-Region id with a suffix', `${MRK}x`],
    ['a UUID without hyphens', UUID.replaceAll('-', '')],
    ['mrk without its hyphen', MRK.replace('-', '')],
    ['the placeholder KEY_ID', 'KEY_ID'],
    ['empty', ''],
  ])('%s is not a key id', (_label, id) => {
    expect(isKeyId(id)).toBe(false);
  });
});

describe('AWS managed aliases', () => {
  it.each(['alias/aws/s3', 'alias/aws/ebs', 'alias/aws/dynamodb'])('%s is AWS managed', (alias) => {
    expect(isAwsManagedAlias(alias)).toBe(true);
  });

  // Customers may create any of these: none proves the key is AWS managed.
  it.each([
    'alias/aws',
    'alias/awss3',
    'alias/aws-s3',
    'alias/team/alias/aws/s3',
    'xalias/aws/s3',
    'alias/AWS/s3',
    'aws/s3',
  ])('%s is not AWS managed', (alias) => {
    expect(isAwsManagedAlias(alias)).toBe(false);
  });
});

describe('parseKeyReference', () => {
  const parse = (ref: string, where = HERE): KeyReference | null => parseKeyReference(ref, where);

  it('a key ARN: the key, in the ARN\'s region and account, known by the ARN as written', () => {
    const arn = `arn:aws:kms:eu-west-1:444455556666:key/${UUID}`;
    expect(parse(arn)).toEqual({ kind: 'key', region: 'eu-west-1', accountId: '444455556666', keyId: UUID, arn });
  });

  it('a multi-Region key ARN in another partition', () => {
    const arn = `arn:aws-cn:kms:cn-north-1:111122223333:key/${MRK}`;
    expect(parse(arn)).toEqual({ kind: 'key', region: 'cn-north-1', accountId: '111122223333', keyId: MRK, arn });
  });

  it('an alias ARN: the alias, in the ARN\'s region and account', () => {
    const arn = 'arn:aws:kms:eu-west-1:444455556666:alias/Partner_Data-2/eu';
    expect(parse(arn)).toEqual({ kind: 'alias', region: 'eu-west-1', accountId: '444455556666', aliasName: 'alias/Partner_Data-2/eu', aliasArn: arn });
  });

  it('a bare key id is read in the resource\'s region and the scanned account, in its partition', () => {
    expect(parse(UUID, { region: 'cn-northwest-1', accountId: '111122223333', partition: 'aws-cn' })).toEqual({
      kind: 'key',
      region: 'cn-northwest-1',
      accountId: '111122223333',
      keyId: UUID,
      arn: `arn:aws-cn:kms:cn-northwest-1:111122223333:key/${UUID}`,
    });
  });

  it('a bare alias name likewise', () => {
    expect(parse('alias/app-data', { region: 'us-gov-west-1', accountId: '111122223333', partition: 'aws-us-gov' })).toEqual({
      kind: 'alias',
      region: 'us-gov-west-1',
      accountId: '111122223333',
      aliasName: 'alias/app-data',
      aliasArn: 'arn:aws-us-gov:kms:us-gov-west-1:111122223333:alias/app-data',
    });
  });

  it('surrounding whitespace is not part of the reference', () => {
    expect(parse(`  ${UUID}\n`)).toMatchObject({ kind: 'key', keyId: UUID });
    expect(parse(' alias/app-data ')).toMatchObject({ kind: 'alias', aliasName: 'alias/app-data' });
    expect(parse(` arn:aws:kms:us-east-1:111122223333:key/${UUID} `)).toMatchObject({ arn: `arn:aws:kms:us-east-1:111122223333:key/${UUID}` });
  });

  it('every character KMS allows in an alias name is accepted: letters of both cases, digits, /, _ and -', () => {
    for (const name of ['alias/a', 'alias/Z', 'alias/9', 'alias/a/b', 'alias/a_b', 'alias/a-b', 'alias/Ab9_/-']) {
      expect(parse(name), name).toMatchObject({ kind: 'alias', aliasName: name });
    }
  });

  it.each([
    ['an S3 ARN', 'arn:aws:s3:::acme-app-data'],
    ['another service\'s ARN shaped like a key ARN', `arn:aws:secretsmanager:us-east-1:111122223333:key/${UUID}`],
    ['another service\'s ARN shaped like an alias ARN', 'arn:aws:ssm:us-east-1:111122223333:alias/app-data'],
    ['a KMS ARN with a placeholder region', `arn:aws:kms:REGION:111122223333:key/${UUID}`],
    ['a KMS ARN without a region', `arn:aws:kms::111122223333:key/${UUID}`],
    ['a KMS ARN with an 11-digit account', `arn:aws:kms:us-east-1:11112222333:key/${UUID}`],
    ['a KMS ARN with a 13-digit account', `arn:aws:kms:us-east-1:1111222233334:key/${UUID}`],
    ['a KMS ARN with a placeholder account', `arn:aws:kms:us-east-1:ACCOUNT_ID:key/${UUID}`],
    ['a KMS ARN with a letter before the account', `arn:aws:kms:us-east-1:a111122223333:key/${UUID}`],
    ['a key ARN whose key id is a placeholder', 'arn:aws:kms:us-east-1:111122223333:key/KEY_ID'],
    ['a key ARN whose key id has a suffix', `arn:aws:kms:us-east-1:111122223333:key/${UUID}x`],
    ['a key ARN without a key id', 'arn:aws:kms:us-east-1:111122223333:key/'],
    ['a key ARN naming the key id without key/', `arn:aws:kms:us-east-1:111122223333:${UUID}`],
    ['an alias ARN without a name', 'arn:aws:kms:us-east-1:111122223333:alias/'],
    ['an alias ARN with a placeholder name', 'arn:aws:kms:us-east-1:111122223333:alias/${AliasName}'],
    ['an alias ARN with a character KMS does not allow after valid ones', 'arn:aws:kms:us-east-1:111122223333:alias/app<name>'],
    ['a custom key store ARN', 'arn:aws:kms:us-east-1:111122223333:custom-key-store/cks-1234567890abcdef0'],
    ['an alias name with a character KMS does not allow', 'alias/<name>'],
    ['an alias name with a disallowed character after valid ones', 'alias/app.data'],
    ['an alias name with a space', 'alias/app data'],
    ['a prefix before alias/', 'xalias/app-data'],
    ['alias/ alone', 'alias/'],
    ['key/ and a key id (not a reference KMS accepts)', `key/${UUID}`],
    ['a word', 'default'],
    ['a CloudFormation placeholder', '${KmsKeyId}'],
    ['empty', ''],
  ])('%s is not a key reference', (_label, ref) => {
    expect(parse(ref)).toBeNull();
  });

  it('without a region to read it in, a bare id or alias names nothing (an ARN still does)', () => {
    const nowhere = { ...HERE, region: '' };
    expect(parse(UUID, nowhere)).toBeNull();
    expect(parse('alias/app-data', nowhere)).toBeNull();
    expect(parse(`arn:aws:kms:us-east-1:111122223333:key/${UUID}`, nowhere)).toMatchObject({ kind: 'key', region: 'us-east-1' });
  });
});

describe('canonicalKeyArn', () => {
  it('is the same ARN however the key was named, in the partition of the ARN it came with', () => {
    const fromId = parseKeyReference(UUID, HERE) as Extract<KeyReference, { kind: 'key' }>;
    const fromArn = parseKeyReference(`arn:aws:kms:us-east-1:111122223333:key/${UUID}`, HERE) as Extract<KeyReference, { kind: 'key' }>;
    expect(canonicalKeyArn(fromId, 'aws')).toBe(`arn:aws:kms:us-east-1:111122223333:key/${UUID}`);
    expect(canonicalKeyArn(fromArn, 'aws')).toBe(canonicalKeyArn(fromId, 'aws'));
    const china = parseKeyReference(`arn:aws-cn:kms:cn-north-1:111122223333:key/${UUID}`, HERE) as Extract<KeyReference, { kind: 'key' }>;
    expect(canonicalKeyArn(china, 'aws')).toBe(`arn:aws-cn:kms:cn-north-1:111122223333:key/${UUID}`);
  });

  it('falls back to the scan\'s partition when the reference carries no parsable ARN', () => {
    expect(canonicalKeyArn({ kind: 'key', region: 'us-gov-east-1', accountId: '111122223333', keyId: UUID, arn: UUID }, 'aws-us-gov')).toBe(
      `arn:aws-us-gov:kms:us-gov-east-1:111122223333:key/${UUID}`,
    );
  });
});
