import {
  DescribeKeyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
} from '@aws-sdk/client-kms';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { answerGetResources } from '../../helpers/tagging.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { kmsCheck } from '../../../src/services/kms/check.js';
import { checkContext } from '../../helpers/context.js';
import { awsError, awsFixture, readJson } from '../../helpers/fixtures.js';
import { ScriptedClients, kmsError, kmsOk, scriptedContext } from '../../helpers/http.js';
import { KEY, keyArn, kmsGovernanceBody, mockKmsGovernance } from '../../helpers/kms-account.js';

/**
 * The KMS check: every key ListKeys returns becomes a `key` resource, with
 * the resolver's classification and the account's aliases; failures make a
 * key unknown or record a ScanError, never crash and never drop a key.
 */

const REGION = 'us-east-1';

const DESCRIBE: Record<string, string> = {
  [KEY.customer]: 'kms/describe-key-customer.json',
  [KEY.awsS3]: 'kms/describe-key-aws-managed.json',
  [KEY.imported]: 'kms/describe-key-imported.json',
  [KEY.cloudHsm]: 'kms/describe-key-cloudhsm.json',
  [KEY.multiRegion]: 'kms/describe-key-multi-region.json',
};

describe('kms check (aws-sdk-client-mock)', () => {
  // Stubbing KMSClient.prototype.send for this block only: the scripted-HTTP
  // block below needs the real send (and its retry middleware).
  let kms: AwsClientStub<KMSClient>;
  let tagging: AwsClientStub<ResourceGroupsTaggingAPIClient>;
  beforeAll(() => {
    kms = mockClient(KMSClient);
    tagging = mockClient(ResourceGroupsTaggingAPIClient);
  });
  afterAll(() => {
    kms.restore();
    tagging.restore();
  });

  beforeEach(() => {
    kms.reset();
    kms.on(DescribeKeyCommand).rejects(awsError('NotFoundException', 'Invalid keyId'));
    kms
      .on(ListKeysCommand)
      .resolvesOnce(awsFixture('kms/list-keys-page-1.json'))
      .resolvesOnce(awsFixture('kms/list-keys-page-2.json'));
    kms
      .on(ListAliasesCommand)
      .resolvesOnce(awsFixture('kms/list-aliases-page-1.json'))
      .resolvesOnce(awsFixture('kms/list-aliases-page-2.json'));
    for (const [id, file] of Object.entries(DESCRIBE)) kms.on(DescribeKeyCommand, { KeyId: keyArn(id) }).resolves(awsFixture(file));
    kms.on(GetKeyRotationStatusCommand).resolves(awsFixture('kms/get-key-rotation-status-enabled.json'));
    mockKmsGovernance(kms);
    tagging.reset();
    answerGetResources(tagging);
  });

  afterEach(() => kms.reset());

  it('pages through ListKeys and makes every key a `key` resource with its aliases', async () => {
    const ctx = checkContext();
    const result = await kmsCheck.run(ctx);
    expect(result.errors).toEqual([]);
    expect(kms.commandCalls(ListKeysCommand)).toHaveLength(2);
    // The second page was asked for with the first page's NextMarker.
    expect(kms.commandCalls(ListKeysCommand)[1]!.args[0].input.Marker).toBe(awsFixture('kms/list-keys-page-1.json').NextMarker);
    const byId = new Map(result.resources.map((r) => [r.id, r]));
    expect([...byId.keys()].sort()).toEqual(Object.keys(DESCRIBE).sort());
    for (const r of result.resources) {
      expect(r).toMatchObject({ service: 'kms', type: 'key', region: REGION, accountId: '111122223333' });
      expect(r.arn).toBe(keyArn(r.id));
      expect(r.error).toBeUndefined();
    }
    expect(byId.get(KEY.customer)!.protection.level).toBe('customer-managed');
    expect(byId.get(KEY.customer)!.attributes.aliases).toEqual(['alias/app-data']);
    expect(byId.get(KEY.awsS3)!.protection.level).toBe('aws-managed');
    expect(byId.get(KEY.awsS3)!.attributes.aliases).toEqual(['alias/aws/s3']);
    expect(byId.get(KEY.imported)!.protection.level).toBe('customer-managed-imported');
    expect(byId.get(KEY.cloudHsm)!.protection.level).toBe('customer-managed-hsm');
    expect(byId.get(KEY.multiRegion)!.attributes.aliases).toEqual(['alias/global-orders']);
    // Evidence is the DescribeKey metadata, dates as ISO strings.
    expect(byId.get(KEY.imported)!.evidence.ValidTo).toBe('2027-05-20T00:00:00.000Z');
    // The resolver holds the same keys for the inventory's keys[].
    expect((await ctx.keys.records()).map((k) => k.keyId).sort()).toEqual(Object.keys(DESCRIBE).sort());
    expect(kms.commandCalls(DescribeKeyCommand)).toHaveLength(5);
  });

  it('ListKeys AccessDenied: a ScanError, no resources, no crash', async () => {
    kms.on(ListKeysCommand).rejects(
      awsError('AccessDeniedException', 'User: arn:aws:iam::111122223333:role/atrest-audit is not authorized to perform: kms:ListKeys because no identity-based policy allows the kms:ListKeys action'),
    );
    const result = await kmsCheck.run(checkContext());
    expect(result.resources).toEqual([]);
    expect(result.errors).toEqual([
      {
        service: 'kms',
        region: REGION,
        operation: 'ListKeys',
        code: 'AccessDeniedException',
        message: expect.stringContaining('kms:ListKeys'),
      },
    ]);
    expect(kms.commandCalls(DescribeKeyCommand)).toHaveLength(0);
  });

  it('ListKeys failing on the second page keeps the ScanError (the listing is incomplete)', async () => {
    kms
      .on(ListKeysCommand)
      .resolvesOnce(awsFixture('kms/list-keys-page-1.json'))
      .rejectsOnce(awsError('InternalError', 'We encountered an internal error. Please try again.', 500));
    const result = await kmsCheck.run(checkContext());
    expect(result.errors).toEqual([expect.objectContaining({ operation: 'ListKeys', code: 'InternalError' })]);
  });

  it('DescribeKey AccessDenied for one key: that key is unknown with the error, the others are fine', async () => {
    kms.on(DescribeKeyCommand, { KeyId: keyArn(KEY.imported) }).rejects(
      awsError('AccessDeniedException', `User: arn:aws:iam::111122223333:role/atrest-audit is not authorized to perform: kms:DescribeKey on resource: ${keyArn(KEY.imported)}`),
    );
    const ctx = checkContext();
    const result = await kmsCheck.run(ctx);
    expect(result.resources).toHaveLength(5);
    const denied = result.resources.find((r) => r.id === KEY.imported)!;
    expect(denied.protection.level).toBe('unknown');
    expect(denied.error).toMatchObject({ operation: 'DescribeKey', code: 'AccessDeniedException' });
    expect(denied.protection.notes.join(' ')).toMatch(/AccessDeniedException/);
    // The alias list still names it.
    expect(denied.attributes.aliases).toEqual(['alias/billing-import']);
    for (const r of result.resources.filter((x) => x.id !== KEY.imported)) {
      expect(r.protection.level).not.toBe('unknown');
      expect(r.error).toBeUndefined();
    }
    // The failed call is a ScanError (the resolver's, collected into scan.errors).
    expect(ctx.keys.errors()).toEqual([expect.objectContaining({ operation: 'DescribeKey', code: 'AccessDeniedException', resourceArn: keyArn(KEY.imported) })]);
  });

  it('ListAliases denied: keys are still listed and classified, without aliases, and the failure is recorded', async () => {
    kms.on(ListAliasesCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: kms:ListAliases'));
    const ctx = checkContext();
    const result = await kmsCheck.run(ctx);
    expect(result.resources).toHaveLength(5);
    expect(result.resources.find((r) => r.id === KEY.awsS3)!.protection.level).toBe('aws-managed');
    expect(result.resources.every((r) => Array.isArray(r.attributes.aliases) && r.attributes.aliases.length === 0)).toBe(true);
    expect(ctx.keys.errors()).toEqual([expect.objectContaining({ operation: 'ListAliases' })]);
  });

  it('a key ARN from ListKeys that the resolver cannot parse becomes an unknown resource, the others survive', async () => {
    const odd = 'arn:aws:kms:us-east-1:111122223333:key/emulator-key-0001';
    kms
      .on(ListKeysCommand)
      .resolvesOnce({ Keys: [{ KeyId: KEY.customer, KeyArn: keyArn(KEY.customer) }, { KeyId: 'emulator-key-0001', KeyArn: odd }, { KeyId: 'x', KeyArn: 'arn:aws:kms:us-east-1:111122223333:alias/not-a-key' }], Truncated: false });
    kms.on(DescribeKeyCommand, { KeyId: odd }).resolves({
      KeyMetadata: { ...awsFixture('kms/describe-key-customer.json').KeyMetadata, KeyId: 'emulator-key-0001', Arn: odd },
    });
    const result = await kmsCheck.run(checkContext());
    const byArn = new Map(result.resources.map((r) => [r.arn, r]));
    expect(byArn.get(keyArn(KEY.customer))!.protection.level).toBe('customer-managed');
    // A key id KMS itself returned is described even if it is not UUID-shaped (emulators).
    expect(byArn.get(odd)!.protection.level).toBe('customer-managed');
    const bad = byArn.get('arn:aws:kms:us-east-1:111122223333:alias/not-a-key')!;
    expect(bad.protection.level).toBe('unknown');
    expect(bad.error).toMatchObject({ operation: 'DescribeKey' });
  });

  it('survives a ListKeys page with missing fields', async () => {
    kms
      .on(ListKeysCommand)
      .resolvesOnce({ Keys: [{ KeyId: KEY.customer }, {}], Truncated: false })
      .resolvesOnce({});
    const result = await kmsCheck.run(checkContext());
    expect(result.errors).toEqual([]);
    expect(result.resources.map((r) => r.arn)).toEqual([keyArn(KEY.customer)]);
  });
});

describe('kms check (real SDK client, scripted HTTP): throttling then success', () => {
  it('the SDK retries a throttled ListKeys and the check sees the answer', async () => {
    const pages = [readJson('fixtures/aws/kms/list-keys-page-1.json'), readJson('fixtures/aws/kms/list-keys-page-2.json')];
    const aliases = [readJson('fixtures/aws/kms/list-aliases-page-1.json'), readJson('fixtures/aws/kms/list-aliases-page-2.json')];
    const describeBodies = new Map(Object.entries(DESCRIBE).map(([id, file]) => [keyArn(id), readJson(`fixtures/aws/${file}`)]));
    let listKeys = 0;
    let listAliases = 0;
    const clients = new ScriptedClients((req) => {
      const input = JSON.parse(req.body || '{}') as { KeyId?: string };
      switch (req.target) {
        case 'ListKeys':
          listKeys += 1;
          if (listKeys === 1) return kmsError('ThrottlingException', 'Rate exceeded');
          return kmsOk(pages[listKeys - 2]);
        case 'ListAliases':
          return kmsOk(aliases[listAliases++]);
        case 'DescribeKey': {
          const body = describeBodies.get(input.KeyId ?? '');
          return body ? kmsOk(body) : kmsError('NotFoundException', 'Invalid keyId');
        }
        case 'GetKeyRotationStatus':
          return kmsOk({ KeyRotationEnabled: true, KeyId: input.KeyId, RotationPeriodInDays: 365 });
        default: {
          const governance = kmsGovernanceBody(req.target ?? "");
          return governance ? kmsOk(governance) : kmsError('UnknownOperationException', `unexpected ${req.target}`);
        }
      }
    });
    const ctx = scriptedContext(clients);
    const started = Date.now();
    const result = await kmsCheck.run(ctx);
    const elapsed = Date.now() - started;
    try {
      expect(result.errors).toEqual([]);
      expect(ctx.keys.errors()).toEqual([]);
      expect(result.resources.map((r) => r.id).sort()).toEqual(Object.keys(DESCRIBE).sort());
      // One throttled attempt, its retry, then the second page.
      expect(clients.calls('ListKeys')).toHaveLength(3);
      const byId = new Map(result.resources.map((r) => [r.id, r]));
      expect(byId.get(KEY.customer)!.protection.level).toBe('customer-managed');
      expect(byId.get(KEY.imported)!.evidence.ValidTo).toBe('2027-05-20T00:00:00.000Z');
      // The retry came after a back-off, not immediately.
      const [throttled, retried] = clients.calls('ListKeys');
      expect(retried!.at - throttled!.at).toBeGreaterThan(0);
      // Measured: about 4 s in all. Adaptive retry mode (the production
      // setting) not only backs off the retry but rate-limits every later
      // call of this client after a throttle (~130-600 ms each here).
      expect(elapsed).toBeLessThan(25_000);
    } finally {
      clients.destroy();
    }
  });

  it('throttled past maxAttempts: a ScanError naming ThrottlingException, no crash', async () => {
    const clients = new ScriptedClients(() => kmsError('ThrottlingException', 'Rate exceeded'), { maxAttempts: 2 });
    const ctx = scriptedContext(clients);
    const result = await kmsCheck.run(ctx);
    expect(result.resources).toEqual([]);
    expect(result.errors).toEqual([expect.objectContaining({ operation: 'ListKeys', code: 'ThrottlingException', message: 'Rate exceeded' })]);
    expect(clients.calls('ListKeys')).toHaveLength(2);
    clients.destroy();
  });
});
