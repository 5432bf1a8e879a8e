import { KMSClient } from '@aws-sdk/client-kms';
import { GetBucketEncryptionCommand, GetBucketPolicyCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientFactory } from '../../src/aws/clients.js';
import { collect } from '../../src/collect/collect.js';
import type { Finding } from '../../src/model/report.js';
import { loadPolicyFile } from '../../src/policy/policy-file.js';
import { evaluate } from '../../src/engine/engine.js';
import { BASELINE_POLICY } from '../../src/policy/built-in.js';
import { requirementFor } from '../../src/policy/requirement.js';
import type { Policy } from '../../src/model/policy.js';
import { validator } from '../../src/schema.js';
import { testClients } from '../helpers/context.js';
import { ROOT, awsError, awsFixture } from '../helpers/fixtures.js';
import { bucket, inventory, key } from '../helpers/inventory.js';
import { KEY, keyArn, mockKmsAccount } from '../helpers/kms-account.js';
import { mockSdkClient } from '../helpers/mock-sdk.js';
import { TAGGING_DENIED, answerGetResources, mockTaggingApi } from '../helpers/tagging.js';

/**
 * Tag overrides end to end, in process: S3 and KMS answered by
 * aws-sdk-client-mock, `collect()` reads buckets and their tags, `evaluate()`
 * judges them under a YAML policy file whose override
 * `data-classification: restricted` demands a customer managed key. Tags come
 * from the Tagging API, one listing per Region: us-east-1 answers, eu-west-1
 * denies it (so the two buckets there have unreadable tags).
 */

const s3 = mockSdkClient(S3Client);
const kms = mockSdkClient(KMSClient);
const tagging = mockTaggingApi();
let clients: ClientFactory;

const BUCKETS = ['acme-restricted-sse-s3', 'acme-plain-sse-s3', 'acme-restricted-cmk', 'acme-tags-denied', 'acme-tags-denied-cmk'];
const DENIED = TAGGING_DENIED;
const regionOf = (name: string): string => (name.startsWith('acme-tags-denied') ? 'eu-west-1' : 'us-east-1');
const RESTRICTED = [{ Key: 'data-classification', Value: 'restricted' }, { Key: 'owner', Value: 'payments-team' }];

beforeEach(() => {
  mockKmsAccount(kms);
  s3.on(ListBucketsCommand).resolves({
    Buckets: BUCKETS.map((Name) => ({ Name, BucketRegion: regionOf(Name), CreationDate: new Date('2025-01-01T00:00:00.000Z') })),
    Owner: { ID: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' },
  });
  s3.on(GetBucketEncryptionCommand).resolves(awsFixture('s3/get-bucket-encryption-aes256.json'));
  for (const cmk of ['acme-restricted-cmk', 'acme-tags-denied-cmk']) {
    s3.on(GetBucketEncryptionCommand, { Bucket: cmk }).resolves(awsFixture('s3/get-bucket-encryption-kms-key-arn.json'));
  }
  s3.on(GetBucketPolicyCommand).rejects(awsError('NoSuchBucketPolicy', 'The bucket policy does not exist', 404));
  answerGetResources(
    tagging,
    { 'us-east-1 s3:bucket': ['acme-restricted-sse-s3', 'acme-restricted-cmk'].map((name) => ({ ResourceARN: `arn:aws:s3:::${name}`, Tags: RESTRICTED })) },
    ['eu-west-1 s3:bucket'],
  );
  clients = testClients();
});
afterEach(() => clients.destroy());

async function scanAndEvaluate() {
  const times = ['2026-11-28T09:00:00.000Z', '2026-11-28T09:04:12.000Z'];
  const { inventory } = await collect({
    clients,
    accountId: '111122223333',
    principalArn: 'arn:aws:sts::111122223333:assumed-role/atrest-audit/atrest',
    partition: 'aws',
    regions: ['us-east-1', 'eu-west-1'],
    services: ['kms', 's3'],
    concurrency: 4,
    log: () => {},
    now: () => new Date(times.shift() ?? '2026-11-28T09:04:12.000Z'),
  });
  const policy = loadPolicyFile('fixtures/policy/restricted-data.policy.yaml', ROOT);
  const report = evaluate(inventory, policy, { failOn: 'medium' });
  const level = (bucket: string): Finding => report.findings.find((f) => f.ruleId === 'S3.ENCRYPTION_LEVEL' && f.resourceArn === `arn:aws:s3:::${bucket}`)!;
  return { inventory, policy, report, level };
}

describe('tag overrides on S3 buckets, collect() → evaluate() with a policy file', () => {
  it('the inventory carries each bucket\'s tags ({} without any) and says where they could not be read', async () => {
    const { inventory } = await scanAndEvaluate();
    expect(validator('inventory.schema.json')(JSON.parse(JSON.stringify(inventory)))).toBe(true);
    const bucket = (name: string) => inventory.resources.find((r) => r.id === name)!;
    expect(bucket('acme-restricted-sse-s3').tags).toMatchObject({ 'data-classification': 'restricted' });
    expect(bucket('acme-plain-sse-s3').tags).toEqual({});
    expect(bucket('acme-tags-denied').tags).toBeUndefined();
    expect(bucket('acme-tags-denied').tagsError).toEqual({ operation: 'GetResources', code: 'AccessDeniedException', message: DENIED });
    expect(bucket('acme-tags-denied-cmk').tagsError).toEqual({ operation: 'GetResources', code: 'AccessDeniedException', message: DENIED });
    // One scan error for the Region whose listing failed, not one per bucket.
    expect(inventory.scan.errors).toEqual([{ service: 's3', region: 'eu-west-1', operation: 'GetResources', code: 'AccessDeniedException', message: DENIED }]);
  });

  it('the restricted SSE-S3 bucket fails and the finding names the override; the untagged SSE-S3 bucket passes', async () => {
    const { level, policy } = await scanAndEvaluate();
    expect(policy.sources).toEqual(['fixtures/policy/restricted-data.policy.yaml', 'baseline']);

    const restricted = level('acme-restricted-sse-s3');
    // high, not medium: the minimum it misses is the tag override's, an explicit demand for that data.
    expect(restricted).toMatchObject({ status: 'fail', severity: 'high', requiredLevel: 'customer-managed' });
    expect(restricted.override).toMatchObject({ name: 'restricted-data', index: 0, tags: { 'data-classification': 'restricted' } });
    expect(restricted.override!.source).toMatch(/restricted-data\.policy\.yaml:\d+:\d+$/);
    expect(restricted.message).toContain('requires at least customer-managed (tag override "restricted-data" (data-classification=restricted))');

    const plain = level('acme-plain-sse-s3');
    expect(plain).toMatchObject({ status: 'pass', requiredLevel: 'aws-owned' });
    expect(plain.override).toBeUndefined();
    // Tags were read (none): nothing to say about overrides.
    expect(plain.message).toBe('encrypted with an AWS owned key (AES256) meets the minimum aws-owned');

    const cmk = level('acme-restricted-cmk');
    expect(cmk).toMatchObject({ status: 'pass', requiredLevel: 'customer-managed', override: expect.objectContaining({ name: 'restricted-data' }) });
    expect(cmk.message).toContain(keyArn(KEY.customer));
  });

  it('unreadable tags never fall back silently: unknown where an override would change the result, a pass that says so where it would not', async () => {
    const { level, report } = await scanAndEvaluate();
    const denied = level('acme-tags-denied');
    expect(denied.status).toBe('unknown');
    expect(denied.message).toContain(`the resource's tags could not be read (GetResources AccessDeniedException: ${DENIED})`);
    expect(denied.message).toContain('if no tag override matches: pass (encrypted with an AWS owned key (AES256) meets the minimum aws-owned)');
    expect(denied.message).toContain('if tag override "restricted-data" matches: fail (');
    expect(denied.message).toContain('requires at least customer-managed (tag override "restricted-data" (data-classification=restricted))');
    expect(denied.requiredLevel).toBeUndefined();

    // On a customer managed key the bucket meets every requirement an override could set.
    const deniedCmk = level('acme-tags-denied-cmk');
    expect(deniedCmk.status).toBe('pass');
    expect(deniedCmk.message).toContain('but no tag override that could apply changes the result');

    // And the failed call itself is reported: the scan never looks complete. It
    // was the Region's tag listing, so the coverage finding is the Region's.
    const incomplete = report.findings.filter((f) => f.ruleId === 'SCAN.INCOMPLETE').map((f) => f.resourceArn).sort();
    expect(incomplete).toEqual(['arn:aws:s3:eu-west-1:111122223333:*']);
    expect(report.outcome.exitCode).toBe(1);
  });
});

describe('unreadable tags in the rules (hand-built inventories)', () => {
  const tagsError = { operation: 'ListTagsOfResource', code: 'AccessDeniedException', message: 'not authorized' };
  const appKey = key('1234abcd-12ab-34cd-56ef-1234567890ab', { aliases: ['alias/app-data'] });
  const policy = (extra: Partial<Policy>): Policy => ({ ...BASELINE_POLICY, name: 'p', ...extra });
  const judge = (p: Policy, resource: ReturnType<typeof bucket>, rule: string): Finding =>
    evaluate(inventory({ resources: [resource], keys: [appKey] }), p, { failOn: 'high' }).findings.find((f) => f.ruleId === rule)!;

  it('requirementFor lists one alternative per override that could apply, skipping overrides for other services', () => {
    const p = policy({
      tagOverrides: [
        { name: 'restricted', tags: { 'data-classification': 'restricted' }, minimumLevel: 'customer-managed' },
        { name: 'rds-only', tags: { env: 'prod' }, services: ['rds'], minimumLevel: 'customer-managed-hsm' },
        { name: 'sandbox', tags: { env: 'sandbox-*' }, minimumLevel: 'none' },
      ],
    });
    const r = requirementFor(p, bucket('b', { tagsError }));
    expect(r.undecided?.alternatives.map((a) => [a.override!.name, a.minimumLevel])).toEqual([
      ['restricted', 'customer-managed'],
      ['sandbox', 'none'],
    ]);
    // Tags read (even none): decided, nothing undecided.
    expect(requirementFor(p, bucket('b', { tags: {} })).undecided).toBeUndefined();
    // No tags and no tagsError (a type the check does not tag): the old note, no alternatives.
    const untagged = requirementFor(p, bucket('b'));
    expect(untagged).toMatchObject({ tagsUnavailable: true });
    expect(untagged.undecided).toBeUndefined();
    // No override for the service at all: unreadable tags do not matter.
    expect(requirementFor(policy({ tagOverrides: [p.tagOverrides![1]!] }), bucket('b', { tagsError })).undecided).toBeUndefined();
  });

  it('an override that relaxes can also make the result undecided: a failing bucket might be a sandbox', () => {
    const p = policy({
      minimumLevel: { default: 'aws-owned', s3: 'customer-managed' },
      tagOverrides: [{ name: 'sandbox', tags: { env: 'sandbox-*' }, minimumLevel: 'aws-owned' }],
    });
    const f = judge(p, bucket('b', { tagsError }), 'S3.ENCRYPTION_LEVEL');
    expect(f.status).toBe('unknown');
    expect(f.message).toMatch(/if no tag override matches: fail .*; if tag override "sandbox" matches: pass/);
    // With readable tags the same bucket is simply decided.
    expect(judge(p, bucket('b', { tags: { env: 'sandbox-7' } }), 'S3.ENCRYPTION_LEVEL').status).toBe('pass');
    expect(judge(p, bucket('b', { tags: {} }), 'S3.ENCRYPTION_LEVEL').status).toBe('fail');
  });

  it('an unencrypted resource fails whatever its tags say, and the message says the tags were unreadable', () => {
    const p = policy({ tagOverrides: [{ name: 'restricted', tags: { 'data-classification': 'restricted' }, minimumLevel: 'customer-managed' }] });
    const f = judge(p, bucket('b', { tagsError, level: 'none' }), 'S3.ENCRYPTION_LEVEL');
    expect(f).toMatchObject({ status: 'fail', severity: 'high', requiredLevel: 'aws-owned' });
    expect(f.message).toContain("the resource's tags could not be read (ListTagsOfResource AccessDeniedException: not authorized), but no tag override that could apply changes the result");
  });

  it('KMS.ALLOWED_KEYS: an override that brings its own key list makes unreadable tags undecided', () => {
    const p = policy({ tagOverrides: [{ name: 'finance', tags: { team: 'finance' }, allowedKeys: ['alias/finance-*'] }] });
    const onAppKey = bucket('b', { key: appKey, tagsError });
    const f = judge(p, onAppKey, 'KMS.ALLOWED_KEYS');
    expect(f.status).toBe('unknown');
    expect(f.message).toMatch(/if no tag override matches: not-applicable .*; if tag override "finance" matches: fail/);
    // Readable tags decide it.
    expect(judge(p, bucket('b', { key: appKey, tags: { team: 'finance' } }), 'KMS.ALLOWED_KEYS').status).toBe('fail');
    expect(judge(p, bucket('b', { key: appKey, tags: {} }), 'KMS.ALLOWED_KEYS').status).toBe('not-applicable');
  });
});
