import {
  DescribeKeyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListAliasesCommand,
  type DescribeKeyCommandOutput,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import { beforeEach, describe, expect, it } from 'vitest';
import { KeyResolver } from '../../src/keys/resolver.js';
import { ClientFactory } from '../../src/aws/clients.js';
import { ACCOUNT, OTHER_ACCOUNT, TEST_ACCESS, testClients } from '../helpers/context.js';
import { awsError, awsFixture } from '../helpers/fixtures.js';
import { mockSdkClient } from '../helpers/mock-sdk.js';

/**
 * The key resolver's calls to KMS (src/keys/resolver.ts): which calls it
 * makes and which it must not, against AWS-shaped answers
 * (fixtures/aws/kms/), and the verdict for every way describing a key or an
 * alias can fail — denied, throttled, not found, an answer without the
 * fields that matter, an AWS managed key that cannot be described.
 */

const REGION = 'us-east-1';
const ARN = (id: string, account = ACCOUNT, region = REGION) => `arn:aws:kms:${region}:${account}:key/${id}`;
const ALIAS_ARN = (name: string, account = ACCOUNT, region = REGION) => `arn:aws:kms:${region}:${account}:${name}`;
const CUSTOMER_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const AWS_S3_ID = '7f3c1a2b-4d5e-4f60-8a71-b2c3d4e5f601';
const OTHER_ID = '5a5a5a5a-6b6b-4c7c-8d8d-9e9e9e9e9e9e';
const OTHER = ARN(OTHER_ID, OTHER_ACCOUNT);

const kms = mockSdkClient(KMSClient);
let log: string[];
let keys: KeyResolver;

const customerMeta = (): KeyMetadata => awsFixture<DescribeKeyCommandOutput>('kms/describe-key-customer.json').KeyMetadata!;
const awsS3Meta = (): KeyMetadata => awsFixture<DescribeKeyCommandOutput>('kms/describe-key-aws-managed.json').KeyMetadata!;
const otherMeta = (): KeyMetadata => awsFixture<DescribeKeyCommandOutput>('kms/describe-key-other-account.json').KeyMetadata!;
const denied = (what: string) => awsError('AccessDeniedException', `User: arn:aws:sts::${ACCOUNT}:assumed-role/atrest-audit/atrest is not authorized to perform: kms:DescribeKey on resource: ${what}`);
const throttled = () => awsError('ThrottlingException', 'Rate exceeded');

function resolver(options: Partial<ConstructorParameters<typeof KeyResolver>[0]> = {}): KeyResolver {
  return new KeyResolver({ clients: testClients(), accountId: ACCOUNT, partition: 'aws', log: (m) => log.push(m), ...options });
}

function describeCalls(): string[] {
  return kms.commandCalls(DescribeKeyCommand).map((c) => String(c.args[0].input.KeyId));
}

async function regionOf(call: { thisValue: unknown }): Promise<string> {
  return (call.thisValue as KMSClient).config.region();
}

beforeEach(() => {
  log = [];
  keys = resolver();
  kms.on(ListAliasesCommand).resolvesOnce(awsFixture('kms/list-aliases-page-1.json')).resolvesOnce(awsFixture('kms/list-aliases-page-2.json'));
  kms.on(DescribeKeyCommand).rejects(awsError('NotFoundException', 'Invalid keyId'));
  kms.on(DescribeKeyCommand, { KeyId: ARN(CUSTOMER_ID) }).resolves({ KeyMetadata: customerMeta() });
  kms.on(DescribeKeyCommand, { KeyId: ARN(AWS_S3_ID) }).resolves({ KeyMetadata: awsS3Meta() });
  kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true, RotationPeriodInDays: 365 });
});

describe('references that name no key', () => {
  it('no reference at all: unknown, saying the service named none', async () => {
    for (const ref of [undefined, null, '', '   ']) {
      expect(await keys.resolve(ref, REGION)).toEqual({ keyArn: null, level: 'unknown', key: null, note: 'the service named no KMS key' });
    }
    expect(kms.calls()).toHaveLength(0);
  });

  it('a reference that is not one: unknown, quoting it (trimmed)', async () => {
    expect(await keys.resolve(' 12345678 ', REGION)).toEqual({
      keyArn: null,
      level: 'unknown',
      key: null,
      note: '"12345678" is not a KMS key id, key ARN, alias name or alias ARN',
    });
    expect(kms.calls()).toHaveLength(0);
  });
});

describe('describing keys', () => {
  it('asks DescribeKey by the canonical key ARN, in the key\'s region, and logs the call', async () => {
    kms.on(DescribeKeyCommand, { KeyId: ARN(CUSTOMER_ID, ACCOUNT, 'eu-west-1') }).resolves({ KeyMetadata: { ...customerMeta(), Arn: ARN(CUSTOMER_ID, ACCOUNT, 'eu-west-1') } });
    await keys.resolve(CUSTOMER_ID, 'eu-west-1');
    const [call] = kms.commandCalls(DescribeKeyCommand);
    expect(call!.args[0].input).toEqual({ KeyId: ARN(CUSTOMER_ID, ACCOUNT, 'eu-west-1') });
    expect(await regionOf(call!)).toBe('eu-west-1');
    expect(log).toContain(`kms DescribeKey ${ARN(CUSTOMER_ID, ACCOUNT, 'eu-west-1')}`);
    expect(keys.describeCalls).toBe(1);
  });

  it('a described key carries no note and no error; its aliases come from the list, matched on KMS\'s own key id', async () => {
    kms.on(DescribeKeyCommand, { KeyId: ARN(CUSTOMER_ID.toUpperCase()) }).resolves({ KeyMetadata: customerMeta() });
    const r = await keys.resolve(CUSTOMER_ID.toUpperCase(), REGION);
    expect(r).toEqual({ keyArn: ARN(CUSTOMER_ID), level: 'customer-managed', key: expect.objectContaining({ aliases: ['alias/app-data'], describable: true }) });
    expect(log).toContain(`kms ListAliases ${REGION}`);
    expect(kms.commandCalls(ListAliasesCommand)[0]!.args[0].input).toMatchObject({ Limit: 100 });
  });

  it.each([
    ['denied', () => denied(ARN(CUSTOMER_ID)), 'AccessDeniedException'],
    ['throttled past the retries', throttled, 'ThrottlingException'],
  ])('a key of the scanned account %s: unknown, kept with its aliases, the reason and a scan error', async (_label, error, code) => {
    kms.on(DescribeKeyCommand, { KeyId: ARN(CUSTOMER_ID) }).rejects(error());
    const r = await keys.resolve('alias/app-data', REGION);
    expect(r).toMatchObject({ keyArn: ARN(CUSTOMER_ID), level: 'unknown', error: { operation: 'DescribeKey', code } });
    expect(r.note).toBe(`DescribeKey failed: ${code}: ${error().message}`);
    expect(r.key).toMatchObject({ describable: false, aliases: ['alias/app-data'], state: 'unknown' });
    expect(keys.errors()).toEqual([{ service: 'kms', region: REGION, operation: 'DescribeKey', code, message: error().message, resourceArn: ARN(CUSTOMER_ID) }]);
    expect(kms.commandCalls(GetKeyRotationStatusCommand)).toHaveLength(0);
  });

  it('an AWS managed key that cannot be described is still aws-managed, by its alias, with the reason', async () => {
    kms.on(DescribeKeyCommand, { KeyId: ARN(AWS_S3_ID) }).rejects(throttled());
    const r = await keys.resolve('alias/aws/s3', REGION);
    expect(r).toMatchObject({ keyArn: ARN(AWS_S3_ID), level: 'aws-managed', error: { operation: 'DescribeKey', code: 'ThrottlingException' } });
    expect(r.note).toBe('DescribeKey failed: ThrottlingException: Rate exceeded; classified by its alias alias/aws/s3: only AWS creates alias/aws/ aliases');
    expect(keys.errors()).toHaveLength(1);
  });

  it('a key that does not exist: unknown, state NotFound, with a scan error (data under it cannot be decrypted)', async () => {
    const gone = 'feedface-0000-4000-8000-00000000dead';
    const r = await keys.resolve(ARN(gone), REGION);
    expect(r).toMatchObject({ level: 'unknown', key: { state: 'NotFound', describable: false }, error: { code: 'NotFoundException' } });
    expect(keys.errors()).toEqual([expect.objectContaining({ operation: 'DescribeKey', code: 'NotFoundException', resourceArn: ARN(gone) })]);
  });

  it('an answer without KeyMetadata is a failure of its own (MissingField), never a described key', async () => {
    kms.on(DescribeKeyCommand, { KeyId: ARN(CUSTOMER_ID) }).resolves({});
    const r = await keys.resolve(CUSTOMER_ID, REGION);
    expect(r).toMatchObject({ level: 'unknown', key: { describable: false }, error: { operation: 'DescribeKey', code: 'MissingField', message: 'DescribeKey returned no KeyMetadata' } });
  });

  it('another account\'s key: described by ARN, never looked up in this account\'s alias list', async () => {
    kms.on(DescribeKeyCommand, { KeyId: OTHER }).resolves({ KeyMetadata: otherMeta() });
    const r = await keys.resolve(OTHER, REGION);
    expect(r.key).toMatchObject({ accountId: OTHER_ACCOUNT, inScannedAccount: false, aliases: [] });
    expect(kms.commandCalls(ListAliasesCommand)).toHaveLength(0);
  });

  it('describeKeyArn takes KMS\'s own ids as they are (emulators), and refuses what is not a KMS key ARN', async () => {
    const odd = 'arn:aws:kms:us-east-1:111122223333:key/local-key-1';
    kms.on(DescribeKeyCommand, { KeyId: odd }).resolves({ KeyMetadata: { ...customerMeta(), KeyId: 'local-key-1', Arn: odd } });
    expect((await keys.describeKeyArn(odd)).arn).toBe(odd);
    for (const bad of ['local-key-1', 'arn:aws:s3:::bucket', 'arn:aws:sqs:us-east-1:111122223333:key/x', 'arn:aws:kms::111122223333:key/x', 'arn:aws:kms:us-east-1::key/x', 'arn:aws:kms:us-east-1:111122223333:alias/x', 'arn:aws:kms:us-east-1:111122223333:key/']) {
      await expect(keys.describeKeyArn(bad), bad).rejects.toThrow(`not a KMS key ARN: ${bad}`);
    }
  });

  it('records() lists each key once, sorted by ARN; errors() is a copy', async () => {
    await Promise.all([keys.resolve(ARN(CUSTOMER_ID), REGION), keys.resolve('alias/aws/s3', REGION), keys.resolve(CUSTOMER_ID, REGION), keys.resolve(ARN('feedface-0000-4000-8000-00000000dead'), REGION)]);
    expect((await keys.records()).map((k) => k.arn)).toEqual([ARN(CUSTOMER_ID), ARN(AWS_S3_ID), ARN('feedface-0000-4000-8000-00000000dead')].sort());
    keys.errors().push({ service: 'kms', region: REGION, operation: 'x', code: 'x', message: 'x' });
    expect(keys.errors()).toHaveLength(1);
  });
});

describe('aliases', () => {
  it('the alias list is read once per region and shared; each region has its own', async () => {
    await Promise.all([keys.aliases(REGION), keys.aliases(REGION), keys.resolve('alias/app-data', REGION)]);
    expect(kms.commandCalls(ListAliasesCommand)).toHaveLength(2); // two pages, once
    kms.on(ListAliasesCommand).resolves({ Aliases: [], Truncated: false });
    expect(await keys.aliases('eu-west-1')).toEqual([]);
    const regions = await Promise.all(kms.commandCalls(ListAliasesCommand).map(regionOf));
    expect(regions).toEqual([REGION, REGION, 'eu-west-1']);
  });

  it('ListAliases denied: null, a scan error for the region, and aliases resolved by DescribeKey on the alias ARN', async () => {
    kms.on(ListAliasesCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: kms:ListAliases'));
    expect(await keys.aliases(REGION)).toBeNull();
    expect(keys.errors()).toEqual([{ service: 'kms', region: REGION, operation: 'ListAliases', code: 'AccessDeniedException', message: 'not authorized to perform: kms:ListAliases' }]);
    kms.on(DescribeKeyCommand, { KeyId: ALIAS_ARN('alias/app-data') }).resolves({ KeyMetadata: customerMeta() });
    const r = await keys.resolve('alias/app-data', REGION);
    expect(r).toMatchObject({ keyArn: ARN(CUSTOMER_ID), level: 'customer-managed', key: { aliases: ['alias/app-data'] } });
    expect(describeCalls()).toEqual([ALIAS_ARN('alias/app-data')]);
  });

  it('an alias is described once however often it is named; the key it names shares the key\'s cache entry', async () => {
    const aliasArn = ALIAS_ARN('alias/partner', OTHER_ACCOUNT);
    kms.on(DescribeKeyCommand, { KeyId: aliasArn }).resolves({ KeyMetadata: otherMeta() });
    const [a, b] = await Promise.all([keys.resolve(aliasArn, REGION), keys.resolve(aliasArn, 'eu-west-1')]);
    expect(a).toBe(b);
    expect(a).toMatchObject({ keyArn: OTHER, level: 'customer-managed', key: { accountId: OTHER_ACCOUNT, region: REGION, aliases: ['alias/partner'], inScannedAccount: false } });
    // Named by its key ARN afterwards: no second DescribeKey.
    const byArn = await keys.resolve(OTHER, REGION);
    expect(byArn.key).toBe(a.key);
    expect(describeCalls()).toEqual([aliasArn]);
  });

  it('a key described by ARN first and by alias later is one record, described once, its rotation asked once', async () => {
    const aliasArn = ALIAS_ARN('alias/partner', OTHER_ACCOUNT);
    kms.on(DescribeKeyCommand, { KeyId: OTHER }).resolves({ KeyMetadata: otherMeta() });
    kms.on(DescribeKeyCommand, { KeyId: aliasArn }).resolves({ KeyMetadata: otherMeta() });
    const byArn = await keys.resolve(OTHER, REGION);
    const byAlias = await keys.resolve(aliasArn, REGION);
    expect(byAlias.key).toBe(byArn.key);
    expect(await keys.records()).toHaveLength(1);
  });

  it('an alias answered with a key ARN that is not an ARN: the alias\'s own region and account stand in', async () => {
    const aliasArn = ALIAS_ARN('alias/partner', OTHER_ACCOUNT, 'eu-west-1');
    kms.on(DescribeKeyCommand, { KeyId: aliasArn }).resolves({ KeyMetadata: { ...otherMeta(), AWSAccountId: undefined, Arn: 'local-key-arn' } });
    const r = await keys.resolve(aliasArn, REGION);
    expect(r.key).toMatchObject({ arn: 'local-key-arn', region: 'eu-west-1', accountId: OTHER_ACCOUNT });
  });

  it('an alias answered with the key\'s own account: KMS\'s account stands, not the alias\'s', async () => {
    const aliasArn = ALIAS_ARN('alias/partner', OTHER_ACCOUNT);
    kms.on(DescribeKeyCommand, { KeyId: aliasArn }).resolves({ KeyMetadata: { ...otherMeta(), AWSAccountId: '555566667777', Arn: ARN(OTHER_ID, '555566667777') } });
    expect((await keys.resolve(aliasArn, REGION)).key!.accountId).toBe('555566667777');
  });

  it('an alias ARN answered without AWSAccountId: the account and region come from the key ARN KMS returned', async () => {
    const aliasArn = ALIAS_ARN('alias/partner', OTHER_ACCOUNT);
    const meta = { ...otherMeta(), AWSAccountId: undefined, Arn: ARN(OTHER_ID, OTHER_ACCOUNT, 'eu-west-1') };
    kms.on(DescribeKeyCommand, { KeyId: aliasArn }).resolves({ KeyMetadata: meta });
    const r = await keys.resolve(aliasArn, REGION);
    expect(r.key).toMatchObject({ accountId: OTHER_ACCOUNT, region: 'eu-west-1', arn: ARN(OTHER_ID, OTHER_ACCOUNT, 'eu-west-1') });
  });

  it.each([
    ['denied', () => denied(ALIAS_ARN('alias/partner', OTHER_ACCOUNT)), 'AccessDeniedException'],
    ['throttled', throttled, 'ThrottlingException'],
  ])("another account's alias that cannot be described (%s): customer managed (keys used across accounts are), the reason, no key", async (_label, error, code) => {
    kms.on(DescribeKeyCommand, { KeyId: ALIAS_ARN('alias/partner', OTHER_ACCOUNT) }).rejects(error());
    expect(await keys.resolve(ALIAS_ARN('alias/partner', OTHER_ACCOUNT), REGION)).toEqual({
      keyArn: null,
      level: 'customer-managed',
      key: null,
      note: `alias in account ${OTHER_ACCOUNT} could not be described (${code}); keys used across accounts are customer managed`,
      error: { operation: 'DescribeKey', code, message: error().message },
    });
    expect(keys.errors()).toEqual([expect.objectContaining({ operation: 'DescribeKey', code, resourceArn: ALIAS_ARN('alias/partner', OTHER_ACCOUNT) })]);
  });

  it('an alias/aws/ alias that cannot be described is aws-managed, with the failure', async () => {
    const aliasArn = ALIAS_ARN('alias/aws/s3', OTHER_ACCOUNT);
    kms.on(DescribeKeyCommand, { KeyId: aliasArn }).rejects(denied(aliasArn));
    expect(await keys.resolve(aliasArn, REGION)).toEqual({
      keyArn: null,
      level: 'aws-managed',
      key: null,
      note: 'alias/aws/s3 is an AWS managed key alias; DescribeKey failed (AccessDeniedException), so the key itself was not read',
      error: { operation: 'DescribeKey', code: 'AccessDeniedException', message: denied(aliasArn).message },
    });
  });

  it('an alias of the scanned account that cannot be resolved (list unreadable, DescribeKey throttled or answered without a key ARN): unknown, with the reason', async () => {
    kms.on(ListAliasesCommand).rejects(awsError('AccessDeniedException', 'no'));
    kms.on(DescribeKeyCommand, { KeyId: ALIAS_ARN('alias/app-data') }).rejects(throttled());
    expect(await keys.resolve('alias/app-data', REGION)).toEqual({
      keyArn: null,
      level: 'unknown',
      key: null,
      note: 'alias/app-data could not be resolved: DescribeKey ThrottlingException: Rate exceeded',
      error: { operation: 'DescribeKey', code: 'ThrottlingException', message: 'Rate exceeded' },
    });
    kms.on(DescribeKeyCommand, { KeyId: ALIAS_ARN('alias/billing') }).resolves({ KeyMetadata: { ...customerMeta(), Arn: undefined } });
    expect(await keys.resolve('alias/billing', REGION)).toMatchObject({
      level: 'unknown',
      note: 'alias/billing could not be resolved: DescribeKey MissingField: DescribeKey returned no KeyMetadata.Arn',
      error: { code: 'MissingField' },
    });
    kms.on(DescribeKeyCommand, { KeyId: ALIAS_ARN('alias/nokeyid') }).resolves({ KeyMetadata: { ...customerMeta(), KeyId: undefined } });
    expect((await keys.resolve('alias/nokeyid', REGION)).error).toMatchObject({ code: 'MissingField' });
  });

  it('an alias/aws/ alias listed with its key is resolved through that key, never by describing the alias', async () => {
    const r = await keys.resolve('arn:aws:kms:us-east-1:111122223333:alias/aws/s3', REGION);
    expect(r).toMatchObject({ keyArn: ARN(AWS_S3_ID), level: 'aws-managed' });
    expect(describeCalls()).toEqual([ARN(AWS_S3_ID)]);
  });

  it('predefined alias/aws/ aliases without a key: aws-managed with the note, no DescribeKey (it would create the key), no scan error', async () => {
    for (const alias of ['alias/aws/ebs', 'alias/aws/rds', 'alias/aws/dynamodb']) {
      expect(await keys.resolve(alias, REGION)).toEqual({
        keyArn: null,
        level: 'aws-managed',
        key: null,
        note: `${alias} is a predefined AWS managed key alias with no key yet (AWS creates the key on first use); not described, because describing it would create the key`,
      });
    }
    expect(describeCalls()).toEqual([]);
    expect(keys.errors()).toEqual([]);
  });

  it('ListAliases unreadable: an alias/aws/ alias is aws-managed without any DescribeKey, saying why', async () => {
    kms.on(ListAliasesCommand).rejects(throttled());
    expect(await keys.resolve('alias/aws/s3', REGION)).toEqual({
      keyArn: null,
      level: 'aws-managed',
      key: null,
      note: 'alias/aws/s3 is an AWS managed key alias; ListAliases could not be read, and describing the alias could make KMS create the key, so the key itself was not read',
    });
    expect(describeCalls()).toEqual([]);
  });

  it('a customer alias listed without a target (an emulator\'s answer) is described by its ARN', async () => {
    kms.on(ListAliasesCommand).resolves({ Aliases: [{ AliasName: 'alias/loose', AliasArn: ALIAS_ARN('alias/loose') }], Truncated: false });
    kms.on(DescribeKeyCommand, { KeyId: ALIAS_ARN('alias/loose') }).resolves({ KeyMetadata: customerMeta() });
    expect((await keys.resolve('alias/loose', REGION)).keyArn).toBe(ARN(CUSTOMER_ID));
    expect(describeCalls()).toEqual([ALIAS_ARN('alias/loose')]);
  });

  it('a ListAliases page without Aliases (an emulator) is an empty page', async () => {
    kms.on(ListAliasesCommand).resolves({ Truncated: false });
    expect(await keys.aliases(REGION)).toEqual([]);
    expect(keys.errors()).toEqual([]);
  });

  it('list entries without a name are skipped when aliases are attached to a key', async () => {
    kms.on(ListAliasesCommand).resolves({ Aliases: [{ TargetKeyId: CUSTOMER_ID }, { AliasName: 'alias/b', TargetKeyId: CUSTOMER_ID }, { AliasName: 'alias/a', TargetKeyId: CUSTOMER_ID }], Truncated: false });
    expect((await keys.resolve(CUSTOMER_ID, REGION)).key!.aliases).toEqual(['alias/a', 'alias/b']);
  });

  it('the key an alias targets is built in the scan\'s partition', async () => {
    const cn = resolver({ partition: 'aws-cn' });
    kms.on(ListAliasesCommand).resolves({ Aliases: [{ AliasName: 'alias/app-data', TargetKeyId: CUSTOMER_ID }], Truncated: false });
    kms.on(DescribeKeyCommand, { KeyId: `arn:aws-cn:kms:cn-north-1:${ACCOUNT}:key/${CUSTOMER_ID}` }).resolves({ KeyMetadata: { ...customerMeta(), Arn: `arn:aws-cn:kms:cn-north-1:${ACCOUNT}:key/${CUSTOMER_ID}` } });
    expect((await cn.resolve('alias/app-data', 'cn-north-1')).keyArn).toBe(`arn:aws-cn:kms:cn-north-1:${ACCOUNT}:key/${CUSTOMER_ID}`);
  });
});

describe('rotation status', () => {
  it('asked by key ARN in the key\'s region, logged, and applied', async () => {
    kms.on(GetKeyRotationStatusCommand, { KeyId: ARN(CUSTOMER_ID) }).resolves(awsFixture('kms/get-key-rotation-status-enabled.json'));
    const r = await keys.resolve(CUSTOMER_ID, REGION);
    const [call] = kms.commandCalls(GetKeyRotationStatusCommand);
    expect(call!.args[0].input).toEqual({ KeyId: ARN(CUSTOMER_ID) });
    expect(await regionOf(call!)).toBe(REGION);
    expect(log).toContain(`kms GetKeyRotationStatus ${ARN(CUSTOMER_ID)}`);
    expect(r.key!.rotation).toMatchObject({ applicable: true, enabled: true, periodDays: 180 });
  });

  it('an empty answer (no KeyRotationEnabled, not even a body): unknown, not off', async () => {
    kms.on(GetKeyRotationStatusCommand, { KeyId: ARN(CUSTOMER_ID) }).resolves(undefined as never);
    const r = await keys.resolve(CUSTOMER_ID, REGION);
    expect(r.key!.rotation).toEqual({ applicable: true, reason: 'GetKeyRotationStatus returned no KeyRotationEnabled', enabled: null, periodDays: null });
  });

  it('throttled: rotation unknown and a scan error; the level stands', async () => {
    kms.on(GetKeyRotationStatusCommand, { KeyId: ARN(CUSTOMER_ID) }).rejects(throttled());
    const r = await keys.resolve(CUSTOMER_ID, REGION);
    expect(r.level).toBe('customer-managed');
    expect(r.key!.rotation).toEqual({ applicable: true, reason: 'GetKeyRotationStatus failed: ThrottlingException: Rate exceeded', enabled: null, periodDays: null });
    expect(keys.errors()).toEqual([{ service: 'kms', region: REGION, operation: 'GetKeyRotationStatus', code: 'ThrottlingException', message: 'Rate exceeded', resourceArn: ARN(CUSTOMER_ID) }]);
  });

  it('a key whose spec is missing is asked; "not supported" is then an answer (no scan error), for a symmetric key it is a failure', async () => {
    kms.on(DescribeKeyCommand, { KeyId: ARN(CUSTOMER_ID) }).resolves({ KeyMetadata: { ...customerMeta(), KeySpec: undefined, CustomerMasterKeySpec: undefined } });
    kms.on(GetKeyRotationStatusCommand, { KeyId: ARN(CUSTOMER_ID) }).rejects(awsError('UnsupportedOperationException', 'not supported for this key'));
    const r = await keys.resolve(CUSTOMER_ID, REGION);
    expect(r.key!.rotation).toMatchObject({ applicable: false, enabled: null });
    expect(keys.errors()).toEqual([]);

    const symmetric = resolver();
    kms.on(ListAliasesCommand).resolves({ Aliases: [], Truncated: false });
    kms.on(DescribeKeyCommand, { KeyId: ARN(CUSTOMER_ID) }).resolves({ KeyMetadata: customerMeta() });
    await symmetric.resolve(CUSTOMER_ID, REGION);
    expect(symmetric.errors()).toEqual([expect.objectContaining({ operation: 'GetKeyRotationStatus', code: 'UnsupportedOperationException' })]);
  });

  it('a key whose spec is missing and which KMS cannot answer for: rotation unknown, a scan error', async () => {
    kms.on(DescribeKeyCommand, { KeyId: ARN(CUSTOMER_ID) }).resolves({ KeyMetadata: { ...customerMeta(), KeySpec: undefined, CustomerMasterKeySpec: undefined } });
    kms.on(GetKeyRotationStatusCommand, { KeyId: ARN(CUSTOMER_ID) }).rejects(denied(ARN(CUSTOMER_ID)));
    const r = await keys.resolve(CUSTOMER_ID, REGION);
    expect(r.key!.rotation).toMatchObject({ applicable: true, enabled: null });
    expect(keys.errors()).toEqual([expect.objectContaining({ operation: 'GetKeyRotationStatus', code: 'AccessDeniedException' })]);
  });

});

describe('a key of another account scanned in the same run (the peer resolver, src/collect/accounts.ts)', () => {
  // Each account's resolver has its own credentials; the access key id tells whose call it was.
  const THEIRS = 'AKIDTHEIRS';
  const THEIR_ALIAS = 'alias/central-data';
  async function accessKeyOf(client: unknown): Promise<string> {
    const credentials = (client as KMSClient).config.credentials as unknown as () => Promise<{ accessKeyId: string }>;
    return (await credentials()).accessKeyId;
  }
  async function callersOf(calls: { thisValue: unknown }[]): Promise<string[]> {
    return Promise.all(calls.map((c) => accessKeyOf(c.thisValue)));
  }
  function pair(): { mine: KeyResolver; theirs: KeyResolver; asked: string[] } {
    const theirs = new KeyResolver({ clients: new ClientFactory({ ...TEST_ACCESS, credentials: { accessKeyId: THEIRS, secretAccessKey: 'their-test-secret' } }), accountId: OTHER_ACCOUNT, partition: 'aws' });
    const asked: string[] = [];
    const mine = resolver({
      peer: (accountId) => {
        asked.push(accountId);
        return accountId === OTHER_ACCOUNT ? theirs : undefined;
      },
    });
    return { mine, theirs, asked };
  }

  beforeEach(() => {
    kms.on(DescribeKeyCommand, { KeyId: OTHER }).resolves({ KeyMetadata: otherMeta() });
    // Each account lists its own aliases: theirs name their key, ours are the fixture pages.
    kms.on(ListAliasesCommand).callsFake(async (_input, getClient) =>
      (await accessKeyOf(getClient())) === THEIRS
        ? { Aliases: [{ AliasName: THEIR_ALIAS, AliasArn: ALIAS_ARN(THEIR_ALIAS, OTHER_ACCOUNT), TargetKeyId: OTHER_ID }] }
        : { Aliases: [] },
    );
  });

  it('is described by its own account, once: a key of a scanned account, its rotation read, its aliases its own, listed by both resolvers', async () => {
    const { mine, theirs, asked } = pair();
    const r = await mine.resolve(OTHER, REGION);
    expect(r).toMatchObject({ keyArn: OTHER, level: 'customer-managed' });
    expect(r.key).toMatchObject({ accountId: OTHER_ACCOUNT, inScannedAccount: true, aliases: [THEIR_ALIAS], rotation: { applicable: true, enabled: true, periodDays: 365 } });
    expect(await callersOf(kms.commandCalls(DescribeKeyCommand))).toEqual([THEIRS]);
    // Read by its owner, so issue 10.3's "not readable from this account" does not apply.
    expect(await callersOf(kms.commandCalls(GetKeyRotationStatusCommand, { KeyId: OTHER }))).toEqual([THEIRS]);
    expect((await mine.records()).map((k) => k.arn)).toEqual([OTHER]);
    expect((await theirs.records()).map((k) => k.arn)).toEqual([OTHER]);
    // Named again: the record this resolver keeps, no new call and no new question to the peer.
    expect((await mine.resolve(OTHER, REGION)).key).toBe(r.key);
    expect(kms.commandCalls(DescribeKeyCommand)).toHaveLength(1);
    expect(asked).toEqual([OTHER_ACCOUNT]);
  });

  it("its alias is resolved by its own account's alias list, never by describing the alias ARN from here", async () => {
    const { mine } = pair();
    const r = await mine.resolve(ALIAS_ARN(THEIR_ALIAS, OTHER_ACCOUNT), REGION);
    expect(r).toMatchObject({ keyArn: OTHER, level: 'customer-managed' });
    expect(r.key).toMatchObject({ inScannedAccount: true, aliases: [THEIR_ALIAS] });
    expect(describeCalls()).toEqual([OTHER]);
    expect(await callersOf(kms.commandCalls(ListAliasesCommand))).toEqual([THEIRS]);
  });

  it("the scanned account's own keys and aliases never go to a peer (in a run, that would be itself)", async () => {
    const { mine, asked } = pair();
    expect((await mine.resolve(ARN(CUSTOMER_ID), REGION)).level).toBe('customer-managed');
    expect((await mine.resolve(ALIAS_ARN('alias/nothing-here'), REGION)).level).toBe('unknown');
    expect(asked).toEqual([]);
    expect(await callersOf(kms.commandCalls(DescribeKeyCommand))).toEqual(['AKIDTEST', 'AKIDTEST']);
  });

  it('an account the run does not scan: described from here, as another account\'s key, its rotation not asked', async () => {
    const asked: string[] = [];
    // A run that scans only this account: the peer knows no other.
    const mine = resolver({ peer: (accountId) => (asked.push(accountId), undefined) });
    const r = await mine.resolve(OTHER, REGION);
    expect(r.key).toMatchObject({ accountId: OTHER_ACCOUNT, inScannedAccount: false, aliases: [], rotation: { enabled: null } });
    expect(asked).toEqual([OTHER_ACCOUNT]);
    expect(await callersOf(kms.commandCalls(DescribeKeyCommand))).toEqual(['AKIDTEST']);
    expect(kms.commandCalls(GetKeyRotationStatusCommand)).toHaveLength(0);
    expect(kms.commandCalls(ListAliasesCommand)).toHaveLength(0);
  });
});
