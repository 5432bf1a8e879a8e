import {
  DescribeCustomKeyStoresCommand,
  DescribeKeyCommand,
  GetKeyLastUsageCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListAliasesCommand,
  ListGrantsCommand,
  ListKeyRotationsCommand,
  ListKeysCommand,
} from '@aws-sdk/client-kms';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { collectKeyDetails, lastUsageFacts } from '../../../src/services/kms/key-details.js';
import { kmsCheck } from '../../../src/services/kms/check.js';
import type { CheckContext } from '../../../src/collect/check.js';
import { INVENTORY_SCHEMA_VERSION, type Inventory, type KeyRecord } from '../../../src/model/inventory.js';
import { validator } from '../../../src/schema.js';
import { ACCOUNT, checkContext } from '../../helpers/context.js';
import { awsError, awsFixture } from '../../helpers/fixtures.js';
import { ScriptedClients, kmsError, kmsOk, scriptedContext } from '../../helpers/http.js';
import { virtualClock } from '../../helpers/virtual-clock.js';
import { answerGetResources, getResourcesCalls } from '../../helpers/tagging.js';

const kms = mockClient(KMSClient);
const tagging = mockClient(ResourceGroupsTaggingAPIClient);
/** The Region's Tagging API listing: only the tagged key. */
const TAGGED = { 'us-east-1 kms:key': awsFixture('tagging/get-resources-kms-us-east-1.json').ResourceTagMappingList };

const arn = (id: string): string => `arn:aws:kms:us-east-1:${ACCOUNT}:key/${id}`;
const APP = '1234abcd-12ab-34cd-56ef-1234567890ab';
const IMPORTED = '0987dcba-09fe-87dc-65ba-ab0987654321';
const HSM = '11111111-2222-3333-4444-555555555555';
const XKS = '66666666-7777-8888-9999-000000000000';
const MRK = 'mrk-1234abcd12ab34cd56ef1234567890ab';
const AWS_S3 = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const RSA = '7777bbbb-77bb-77bb-77bb-7777bbbb7777';
const GRANTS_MARKER = 'eyJncmFudElkIjoiOGExZTZmN2QifQ==';

const policyText = (name: string): string => JSON.stringify(awsFixture(`kms/policies/${name}.json`));

let grantMarkers: Array<string | undefined> = [];

/** The whole governance account: seven keys of every kind in us-east-1. */
function mockAccount(): void {
  grantMarkers = [];
  kms.on(ListKeysCommand).resolves(awsFixture('kms/list-keys-governance.json'));
  kms.on(ListAliasesCommand).resolves(awsFixture('kms/list-aliases-governance.json'));
  const described = awsFixture<Record<string, object>>('kms/describe-key-governance.json');
  for (const [id, out] of Object.entries(described)) kms.on(DescribeKeyCommand, { KeyId: arn(id) }).resolves(out);
  kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true, RotationPeriodInDays: 365 });
  kms.on(GetKeyPolicyCommand).resolves({ Policy: policyText('default-account-root'), PolicyName: 'default' });
  kms.on(GetKeyPolicyCommand, { KeyId: arn(AWS_S3) }).resolves({ Policy: policyText('public-aws-star-caller-account'), PolicyName: 'default' });
  kms.on(ListGrantsCommand).callsFake((input: { KeyId: string; Marker?: string }) => {
    if (input.KeyId !== arn(APP)) return { Grants: [], Truncated: false };
    // The paginator reuses its input object, so the marker is recorded as sent.
    grantMarkers.push(input.Marker);
    return input.Marker === GRANTS_MARKER ? awsFixture('kms/list-grants-page2.json') : awsFixture('kms/list-grants-page1.json');
  });
  tagging.reset();
  answerGetResources(tagging, TAGGED);
  kms.on(ListKeyRotationsCommand).resolves({ Rotations: [], Truncated: false });
  kms.on(ListKeyRotationsCommand, { KeyId: arn(APP) }).resolves(awsFixture('kms/list-key-rotations.json'));
  kms.on(ListKeyRotationsCommand, { KeyId: arn(IMPORTED) }).resolves(awsFixture('kms/list-key-rotations-imported.json'));
  kms.on(DescribeCustomKeyStoresCommand).resolves(awsFixture('kms/describe-custom-key-stores.json'));
}

async function scan(ctx: CheckContext = checkContext()): Promise<{ keys: Map<string, KeyRecord>; result: Awaited<ReturnType<typeof kmsCheck.run>>; records: KeyRecord[] }> {
  const result = await kmsCheck.run(ctx);
  const records = await ctx.keys.records();
  return { keys: new Map(records.map((k) => [k.keyId, k])), result, records };
}

describe('KMS governance facts', () => {
  beforeEach(() => {
    kms.reset();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads policy, grants over two pages, tags, rotations, custom key stores and multi-Region configuration', async () => {
    mockAccount();
    const { keys, result, records } = await scan();
    expect(result.errors).toEqual([]);
    expect(result.resources).toHaveLength(7);

    const app = keys.get(APP)!;
    expect(app.policy?.name).toBe('default');
    expect(app.policy?.sizeBytes).toBe(Buffer.byteLength(policyText('default-account-root')));
    expect((app.policy?.document as { Statement: unknown[] }).Statement).toHaveLength(2);
    expect(app.grants).toEqual({
      count: 3,
      granteePrincipals: [
        'arn:aws:iam::444455556666:role/analytics-reader',
        'arn:aws:sts::111122223333:assumed-role/aws:ec2-infrastructure/vol-0a1b2c3d4e5f67890',
        'rds.us-east-1.amazonaws.com',
      ],
      operations: ['CreateGrant', 'Decrypt', 'DescribeKey', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo'],
      issuingAccounts: ['arn:aws:iam::111122223333:root'],
    });
    expect(grantMarkers).toEqual([undefined, GRANTS_MARKER]);
    expect(app.tags).toEqual({ 'data-classification': 'confidential', owner: 'payments-team' });
    expect(app.rotations).toEqual({ count: 3, automatic: 2, onDemand: 1, lastRotationDate: '2026-03-01T10:00:00.000Z', lastRotationType: 'AUTOMATIC' });
    const appResource = result.resources.find((r) => r.arn === arn(APP))!;
    expect(appResource.tags).toEqual(app.tags);
    expect(appResource.error).toBeUndefined();

    const imported = keys.get(IMPORTED)!;
    expect(imported.importedMaterial).toEqual({
      validTo: '2026-12-08T09:00:00.000Z',
      expirationModel: 'KEY_MATERIAL_EXPIRES',
      materials: [
        {
          keyMaterialId: '9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0',
          importState: 'IMPORTED',
          keyMaterialState: 'CURRENT',
          expirationModel: 'KEY_MATERIAL_EXPIRES',
          validTo: '2026-12-08T09:00:00.000Z',
        },
      ],
    });
    // The first material is listed with ALL_KEY_MATERIAL but it is not a rotation.
    expect(imported.rotations?.count).toBe(0);
    expect(kms.commandCalls(ListKeyRotationsCommand, { KeyId: arn(IMPORTED) })[0]!.args[0].input.IncludeKeyMaterial).toBe('ALL_KEY_MATERIAL');

    expect(keys.get(HSM)!.customKeyStore).toEqual({ id: 'cks-1234567890abcdef0', type: 'AWS_CLOUDHSM', name: 'ledger-hsm', connectionState: 'CONNECTED' });
    expect(keys.get(XKS)!.customKeyStore).toEqual({ id: 'cks-0fedcba0987654321', type: 'EXTERNAL_KEY_STORE', name: 'on-prem-xks', connectionState: 'CONNECTED' });
    // Two keys in custom key stores, one DescribeCustomKeyStores for the region.
    expect(kms.commandCalls(DescribeCustomKeyStoresCommand)).toHaveLength(1);

    expect(keys.get(MRK)!.multiRegionConfiguration).toEqual({
      keyType: 'PRIMARY',
      primary: { arn: arn(MRK), region: 'us-east-1' },
      replicas: [
        { arn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${MRK}`, region: 'eu-west-1' },
        { arn: `arn:aws:kms:us-west-2:${ACCOUNT}:key/${MRK}`, region: 'us-west-2' },
      ],
    });

    // Rotation history only where rotation exists; tags only on customer managed keys.
    const rotated = kms.commandCalls(ListKeyRotationsCommand).map((c) => c.args[0].input.KeyId).sort();
    expect(rotated).toEqual([arn(IMPORTED), arn(APP), arn(MRK)].sort());
    // Tags: one Tagging API listing for the Region, whatever the number of keys; only customer managed keys carry them.
    expect(await getResourcesCalls(tagging)).toEqual(['us-east-1 kms:key']);
    expect(keys.get(APP)!.tags).toEqual({ 'data-classification': 'confidential', owner: 'payments-team' });
    expect(keys.get(MRK)!.tags).toEqual({});
    expect(keys.get(AWS_S3)!.tags).toBeUndefined();
    expect(keys.get(AWS_S3)!.policy?.document).not.toBeNull();
    expect(keys.get(RSA)!.rotations).toBeUndefined();
    // No --key-usage, no GetKeyLastUsage.
    expect(kms.commandCalls(GetKeyLastUsageCommand)).toHaveLength(0);

    // The facts fit the published inventory schema.
    const inventory: Inventory = {
      kind: 'atrest-inventory',
      schemaVersion: INVENTORY_SCHEMA_VERSION,
      tool: { name: 'atrest', version: 'test' },
      scan: { accountId: ACCOUNT, principalArn: 'arn:aws:iam::111122223333:role/atrest-audit', partition: 'aws', regions: ['us-east-1'], services: ['kms'], startedAt: '2026-11-28T09:00:00.000Z', finishedAt: '2026-11-28T09:04:12.000Z', errors: [] },
      keys: records,
      resources: result.resources,
    };
    const validate = validator('inventory.schema.json');
    expect(validate(JSON.parse(JSON.stringify(inventory))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('never logs a key policy, only its size', async () => {
    mockAccount();
    const lines: string[] = [];
    await scan(checkContext({ log: (m) => lines.push(m) }));
    const policyLines = lines.filter((l) => l.includes('GetKeyPolicy'));
    expect(policyLines.length).toBe(7);
    for (const line of policyLines) expect(line).toMatch(/: \d+ bytes$/);
    expect(lines.join('\n')).not.toContain('Enable IAM User Permissions');
  });

  it('records a refused GetKeyPolicy as that fact\'s error and a scan error, and still reads the rest', async () => {
    mockAccount();
    kms.on(GetKeyPolicyCommand, { KeyId: arn(APP) }).rejects(awsError('AccessDeniedException', 'User: arn:aws:sts::111122223333:assumed-role/atrest-audit/s is not authorized to perform: kms:GetKeyPolicy'));
    const { keys, result } = await scan();
    const app = keys.get(APP)!;
    expect(app.policy).toMatchObject({ document: null, sizeBytes: null, error: { operation: 'GetKeyPolicy', code: 'AccessDeniedException' } });
    expect(app.grants?.count).toBe(3);
    expect(result.errors).toEqual([
      expect.objectContaining({ service: 'kms', region: 'us-east-1', operation: 'GetKeyPolicy', code: 'AccessDeniedException', resourceArn: arn(APP) }),
    ]);
    // The key is still classified: the failure leaves the policy unknown, not the key.
    expect(result.resources.find((r) => r.arn === arn(APP))!.protection.level).toBe('customer-managed');
  });

  it('a refused GetResources: the key record and the key resource both carry tagsError and no tags (tag overrides on keys cannot be decided)', async () => {
    mockAccount();
    answerGetResources(tagging, TAGGED, ['us-east-1 kms:key']);
    const ctx = checkContext();
    const { keys, result } = await scan(ctx);
    expect(keys.get(APP)!.tags).toBeUndefined();
    expect(keys.get(APP)!.tagsError).toMatchObject({ operation: 'GetResources', code: 'AccessDeniedException' });
    // One scan error for the Region, from the tag index, not one per key.
    expect(ctx.tags.errors()).toEqual([expect.objectContaining({ service: 'kms', region: 'us-east-1', operation: 'GetResources' })]);
    const resource = result.resources.find((r) => r.arn === arn(APP))!;
    expect(resource.tags).toBeUndefined();
    expect(resource.tagsError).toEqual(keys.get(APP)!.tagsError);
    expect(resource.protection.level).toBe('customer-managed');
  });

  it('a failed DescribeCustomKeyStores is one scan error for the region, and the store type still comes from the key origin', async () => {
    mockAccount();
    kms.on(DescribeCustomKeyStoresCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: kms:DescribeCustomKeyStores'));
    const { keys, result } = await scan();
    expect(result.errors.filter((e) => e.operation === 'DescribeCustomKeyStores')).toEqual([
      { service: 'kms', region: 'us-east-1', operation: 'DescribeCustomKeyStores', code: 'AccessDeniedException', message: 'not authorized to perform: kms:DescribeCustomKeyStores' },
    ]);
    expect(keys.get(HSM)!.customKeyStore).toMatchObject({ type: 'AWS_CLOUDHSM', name: null, error: { code: 'AccessDeniedException' } });
    expect(keys.get(XKS)!.customKeyStore?.type).toBe('EXTERNAL_KEY_STORE');
  });

  it('survives missing fields and an unparsable policy', async () => {
    mockAccount();
    kms.on(GetKeyPolicyCommand, { KeyId: arn(APP) }).resolves({ PolicyName: 'default' });
    kms.on(GetKeyPolicyCommand, { KeyId: arn(MRK) }).resolves({ Policy: '<html>500</html>' });
    kms.on(ListGrantsCommand).resolves({});
    kms.on(ListKeyRotationsCommand).resolves({ Rotations: [{ KeyId: APP }] });
    const { keys, result } = await scan();
    expect(keys.get(APP)!.policy?.error?.code).toBe('MissingField');
    expect(keys.get(MRK)!.policy).toMatchObject({ document: null, sizeBytes: 16, error: { code: 'InvalidPolicyDocument' } });
    expect(keys.get(APP)!.grants).toEqual({ count: 0, granteePrincipals: [], operations: [], issuingAccounts: [] });
    expect(keys.get(APP)!.rotations).toEqual({ count: 1, automatic: 0, onDemand: 0, lastRotationDate: null, lastRotationType: null });
    expect(result.errors.map((e) => `${e.operation}:${e.code}:${e.resourceArn}`).sort()).toEqual(
      [`GetKeyPolicy:InvalidPolicyDocument:${arn(MRK)}`, `GetKeyPolicy:MissingField:${arn(APP)}`].sort(),
    );
  });

  it('skips keys it cannot describe and keys of other accounts', async () => {
    mockAccount();
    kms.on(DescribeKeyCommand, { KeyId: arn(RSA) }).rejects(awsError('AccessDeniedException', 'denied'));
    const { keys } = await scan();
    expect(keys.get(RSA)!.describable).toBe(false);
    expect(kms.commandCalls(GetKeyPolicyCommand, { KeyId: arn(RSA) })).toHaveLength(0);
    expect(keys.get(RSA)!.policy).toBeUndefined();
  });
});

describe('--key-usage', () => {
  beforeEach(() => {
    kms.reset();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks GetKeyLastUsage for customer managed keys only', async () => {
    mockAccount();
    const sent: string[] = [];
    kms.on(GetKeyLastUsageCommand).callsFake((input: { KeyId: string }) => {
      sent.push(input.KeyId);
      return input.KeyId === arn(APP) ? awsFixture('kms/get-key-last-usage-used.json') : awsFixture('kms/get-key-last-usage-empty-old-key.json');
    });
    const { keys } = await scan(checkContext({ keyUsage: true }));
    // Six customer managed keys; the AWS managed key is never asked.
    expect(sent.sort()).toEqual([APP, IMPORTED, HSM, XKS, MRK, RSA].map(arn).sort());
    expect(keys.get(APP)!.lastUsage).toEqual({
      status: 'used',
      lastUsedAt: '2026-11-27T22:41:09.000Z',
      operation: 'GenerateDataKey',
      trackingStartDate: '2026-01-15T00:00:00.000Z',
      keyCreationDate: '2024-03-01T10:00:00.000Z',
    });
    expect(keys.get(IMPORTED)!.lastUsage?.status).toBe('no-use-since-tracking-start');
  });

  it('a failed GetKeyLastUsage leaves usage unknown and is recorded', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    mockAccount();
    kms.on(GetKeyLastUsageCommand).rejects(awsError('UnsupportedOperationException', 'GetKeyLastUsage is not supported by this endpoint'));
    const ctx = checkContext({ keyUsage: true });
    const run = kmsCheck.run(ctx);
    await vi.runAllTimersAsync();
    const result = await run;
    const records = await ctx.keys.records();
    const app = records.find((k) => k.keyId === APP)!;
    expect(app.lastUsage).toMatchObject({ status: 'unknown', error: { code: 'UnsupportedOperationException' } });
    expect(result.errors.filter((e) => e.operation === 'GetKeyLastUsage')).toHaveLength(6);
  });
});

describe('what GetKeyLastUsage proves', () => {
  const tracking = new Date('2026-01-15T00:00:00.000Z');
  it('an empty answer for a key older than tracking is not "never used"', () => {
    expect(lastUsageFacts(undefined, undefined, tracking, new Date('2025-06-10T08:00:00.000Z')).status).toBe('no-use-since-tracking-start');
  });
  it('an empty answer for a key created after tracking began is "never used"', () => {
    expect(lastUsageFacts(undefined, undefined, tracking, new Date('2026-02-03T15:00:00.000Z')).status).toBe('never-used');
  });
  it('without a tracking start date nothing can be said', () => {
    expect(lastUsageFacts(undefined, undefined, undefined, new Date('2026-02-03T15:00:00.000Z')).status).toBe('unknown');
  });
  it('a recorded use wins', () => {
    expect(lastUsageFacts(new Date('2026-11-01T00:00:00.000Z'), 'Decrypt', tracking, undefined)).toMatchObject({ status: 'used', operation: 'Decrypt' });
  });
});

describe('retries through the SDK (a real client, a fake HTTP endpoint)', () => {
  // The real client stack from here on: the stubs go for good.
  beforeAll(() => {
    kms.restore();
    tagging.restore();
  });

  it('the KMS gate paces GetKeyLastUsage to 5 a second (real client stack, virtual clock): twelve keys take 2.2 virtual seconds', async () => {
    const clock = virtualClock();
    const at: number[] = [];
    const clients = new ScriptedClients(
      (req) => {
        switch (req.target) {
          case 'GetKeyLastUsage':
            at.push(clock.now());
            return kmsOk(awsFixture('kms/get-key-last-usage-empty-new-key.json'));
          case 'GetKeyPolicy':
            return kmsOk({ Policy: policyText('default-account-root'), PolicyName: 'default' });
          default:
            return kmsOk({});
        }
      },
      { clock },
    );
    const records: KeyRecord[] = Array.from({ length: 12 }, (_, i) => customerKey(`00000000-0000-0000-0000-0000000000${String(i).padStart(2, '0')}`));
    const errors = await clock.runUntilDone(collectKeyDetails(scriptedContext(clients, { keyUsage: true }), records, { keyUsage: true }));
    clients.destroy();
    expect(errors).toEqual([]);
    expect(at).toHaveLength(12);
    const sorted = [...at].sort((a, b) => a - b);
    for (let i = 0; i + 5 < sorted.length; i += 1) expect(sorted[i + 5]! - sorted[i]!).toBeGreaterThanOrEqual(1000);
    expect(sorted.at(-1)).toBeGreaterThanOrEqual(2200);
    expect(records.every((r) => r.lastUsage?.status === 'never-used')).toBe(true);
  });

  it('ListGrants throttled once, then answered: all grants, no scan error', async () => {
    let throttled = false;
    const clients = new ScriptedClients((req) => {
      switch (req.target) {
        case 'ListGrants':
          if (!throttled) {
            throttled = true;
            return kmsError('ThrottlingException', 'Rate exceeded');
          }
          return kmsOk({ Grants: [{ GranteePrincipal: 'arn:aws:iam::111122223333:role/app-server', Operations: ['Decrypt'] }], Truncated: false });
        case 'GetKeyPolicy':
          return kmsOk({ Policy: policyText('default-account-root'), PolicyName: 'default' });
        case 'GetResources':
          return kmsOk({ ResourceTagMappingList: [], PaginationToken: '' });
        case 'ListKeyRotations':
          return kmsOk({ Rotations: [] });
        default:
          return kmsOk({});
      }
    });
    const key = customerKey(APP);
    const errors = await collectKeyDetails(scriptedContext(clients), [key], { keyUsage: false });
    expect(errors).toEqual([]);
    expect(key.grants?.count).toBe(1);
    expect(clients.calls('ListGrants')).toHaveLength(2);
  });
});

function customerKey(id: string): KeyRecord {
  return {
    arn: arn(id),
    keyId: id,
    region: 'us-east-1',
    accountId: ACCOUNT,
    aliases: [],
    manager: 'CUSTOMER',
    origin: 'AWS_KMS',
    state: 'Enabled',
    spec: 'SYMMETRIC_DEFAULT',
    usage: 'ENCRYPT_DECRYPT',
    multiRegion: false,
    rotation: { applicable: true, reason: 'customer managed symmetric key with KMS key material', enabled: true, periodDays: 365 },
    level: 'customer-managed',
    describable: true,
    inScannedAccount: true,
    notes: [],
    evidence: { KeyId: id, CreationDate: '2026-02-03T15:00:00.000Z' },
  };
}
