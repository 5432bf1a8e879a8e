import { KMSClient, ListAliasesCommand, ListKeysCommand, DescribeKeyCommand } from '@aws-sdk/client-kms';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { kmsCheck } from '../../src/services/kms/check.js';
import { s3Check } from '../../src/services/s3/check.js';
import { ACCOUNT, checkContext } from '../helpers/context.js';
import { mockSdkClient } from '../helpers/mock-sdk.js';
import { mockTaggingApi } from '../helpers/tagging.js';

/**
 * Some emulators answer every page with the same continuation token. The
 * paginators stop when a token repeats, so a scan can never loop forever.
 */
const kms = mockSdkClient(KMSClient);
const tagging = mockTaggingApi();
const s3 = mockSdkClient(S3Client);

describe('a repeated continuation token ends the listing', () => {
  it('ListKeys', async () => {
    const id = '0f0f0f0f-1111-2222-3333-444455556666';
    kms.on(ListKeysCommand).resolves({ Keys: [{ KeyId: id, KeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${id}` }], Truncated: true, NextMarker: 'same-marker' });
    kms.on(ListAliasesCommand).resolves({ Aliases: [], Truncated: true, NextMarker: 'same-alias-marker' });
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: id, Arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${id}`, KeyManager: 'CUSTOMER', Origin: 'AWS_KMS', KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT' } });
    const result = await kmsCheck.run(checkContext({ services: ['kms'] }));
    expect(kms.commandCalls(ListKeysCommand).length).toBeLessThanOrEqual(3);
    expect(kms.commandCalls(ListAliasesCommand).length).toBeLessThanOrEqual(3);
    expect(result.resources.map((r) => r.arn)).toHaveLength(1);
  });

  it('ListBuckets', async () => {
    s3.on(ListBucketsCommand).resolves({ Buckets: [], ContinuationToken: 'same-token' });
    await s3Check.run(checkContext({ services: ['s3'] }));
    expect(s3.commandCalls(ListBucketsCommand).length).toBeLessThanOrEqual(3);
  });
});
