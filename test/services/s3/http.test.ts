import { describe, expect, it } from 'vitest';
import { s3Check } from '../../../src/services/s3/check.js';
import { ScriptedClients, s3Error, scriptedContext, type HttpReply, type SentRequest } from '../../helpers/http.js';

/**
 * The S3 check with the real S3 client against scripted HTTP replies, for
 * what aws-sdk-client-mock cannot show (it replaces `send`, so no retry and
 * no error parsing run): a throttled call that the SDK retries, and an
 * emulator's bare HTTP 500 with an HTML body.
 */

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

function xml(body: string): HttpReply {
  return { status: 200, headers: { 'content-type': 'application/xml' }, body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}` };
}

const LIST_BUCKETS = xml(
  `<ListAllMyBucketsResult xmlns="${XMLNS}"><Owner><ID>79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be</ID></Owner><Buckets>` +
    `<Bucket><Name>acme-static-site</Name><CreationDate>2021-06-30T10:44:20.000Z</CreationDate><BucketRegion>us-east-1</BucketRegion></Bucket>` +
    `<Bucket><Name>acme-emulated</Name><CreationDate>2024-01-02T03:04:05.000Z</CreationDate><BucketRegion>us-east-1</BucketRegion></Bucket>` +
    `</Buckets></ListAllMyBucketsResult>`,
);

const AES256 = xml(
  `<ServerSideEncryptionConfiguration xmlns="${XMLNS}"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault>` +
    `<BucketKeyEnabled>false</BucketKeyEnabled><BlockedEncryptionTypes><EncryptionType>SSE-C</EncryptionType></BlockedEncryptionTypes></Rule></ServerSideEncryptionConfiguration>`,
);

/** The Resource Groups Tagging API's answer (JSON 1.1): only tagged resources are listed. */
function tagging(mappings: Array<{ ResourceARN: string; Tags: Array<{ Key: string; Value: string }> }>): HttpReply {
  return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify({ PaginationToken: '', ResourceTagMappingList: mappings }) };
}
const TAGGED = tagging([
  { ResourceARN: 'arn:aws:s3:::acme-static-site', Tags: [{ Key: 'data-classification', Value: 'restricted' }, { Key: 'owner', Value: 'web-team' }] },
]);

function bucketOf(req: SentRequest): string | null {
  const host = req.hostname.split('.');
  return host.length > 4 ? host[0]! : null;
}

const NO_DIRECTORY_BUCKETS = xml(`<ListAllMyDirectoryBucketsResult xmlns="${XMLNS}"><Buckets></Buckets></ListAllMyDirectoryBucketsResult>`);

function run(route: (req: SentRequest, bucket: string | null) => HttpReply, tags: HttpReply = TAGGED) {
  // Directory buckets are listed on the Regional s3express-control endpoint: none here.
  const clients = new ScriptedClients((req) =>
    req.target === 'GetResources' ? tags : req.hostname.startsWith('s3express-control.') ? NO_DIRECTORY_BUCKETS : route(req, bucketOf(req)),
  );
  const ctx = scriptedContext(clients);
  return { clients, ctx };
}

describe('s3 check (real SDK client, scripted HTTP)', () => {
  it('SlowDown (503) once, then the answer: the SDK retries and the bucket is judged', async () => {
    let encryptionCalls = 0;
    const { clients, ctx } = run((req, bucket) => {
      if (!bucket) return LIST_BUCKETS;
      if ('encryption' in req.query) {
        encryptionCalls += 1;
        if (bucket === 'acme-static-site' && encryptionCalls === 1) return s3Error('SlowDown', 'Please reduce your request rate.', 503);
        return AES256;
      }
      if ('policy' in req.query) return s3Error('NoSuchBucketPolicy', 'The bucket policy does not exist', 404);
      return s3Error('NotImplemented', 'unexpected request', 501);
    });
    const started = Date.now();
    const result = await s3Check.run({ ...ctx, concurrency: 1 });
    const elapsed = Date.now() - started;
    clients.destroy();
    expect(result.errors).toEqual([]);
    const site = result.resources.find((r) => r.id === 'acme-static-site')!;
    expect(site.protection).toMatchObject({ level: 'aws-owned', algorithm: 'AES256' });
    expect(site.attributes).toMatchObject({ sseCBlocked: true, blockedEncryptionTypes: ['SSE-C'], bucketKeyEnabled: false });
    // NoSuchBucketPolicy (404) read as "no policy", not as an error: nothing in it refuses unencrypted uploads.
    expect(site.evidence.BucketPolicy).toBeNull();
    expect(clients.sent.filter((r) => bucketOf(r) === 'acme-static-site' && 'encryption' in r.query)).toHaveLength(2);
    // The Tagging API's JSON parsed by the real client; a bucket it does not list has no tags.
    expect(site.tags).toEqual({ 'data-classification': 'restricted', owner: 'web-team' });
    expect(result.resources.find((r) => r.id === 'acme-emulated')!.tags).toEqual({});
    // One back-off of a fraction of a second (not measured: the machine is shared).
    expect(elapsed).toBeLessThan(25_000);
  });

  it('an emulator answering 500 with an HTML page on GetBucketEncryption: that bucket unknown (HTTP500), the other judged', async () => {
    const { clients, ctx } = run((req, bucket) => {
      if (!bucket) return LIST_BUCKETS;
      if ('encryption' in req.query) {
        if (bucket === 'acme-emulated') return { status: 500, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>500 Internal Server Error</h1></body></html>' };
        return AES256;
      }
      if ('policy' in req.query) return s3Error('NoSuchBucketPolicy', 'The bucket policy does not exist', 404);
      return s3Error('NotImplemented', 'unexpected request', 501);
    });
    const result = await s3Check.run(ctx);
    clients.destroy();
    const emulated = result.resources.find((r) => r.id === 'acme-emulated')!;
    expect(emulated.protection.level).toBe('unknown');
    expect(emulated.error).toMatchObject({ operation: 'GetBucketEncryption', code: 'HTTP500' });
    expect(emulated.protection.notes.join(' ')).toMatch(/HTTP500/);
    expect(result.resources.find((r) => r.id === 'acme-static-site')!.protection.level).toBe('aws-owned');
    expect(result.errors).toEqual([expect.objectContaining({ operation: 'GetBucketEncryption', code: 'HTTP500', resourceArn: 'arn:aws:s3:::acme-emulated' })]);
    // A 500 may heal: two attempts at once and one in a later pass, --max-attempts (3) in all.
    expect(clients.sent.filter((r) => bucketOf(r) === 'acme-emulated' && 'encryption' in r.query)).toHaveLength(3);
  });

  it("GetResources denied (400 AccessDeniedException JSON): the real client's error becomes every bucket's tagsError and one ScanError; the levels stand", async () => {
    const denied: HttpReply = {
      status: 400,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'AccessDeniedException:' },
      body: JSON.stringify({ __type: 'AccessDeniedException', Message: 'User: arn:aws:iam::111122223333:user/auditor is not authorized to perform: tag:GetResources' }),
    };
    const { clients, ctx } = run((req, bucket) => {
      if (!bucket) return LIST_BUCKETS;
      if ('encryption' in req.query) return AES256;
      if ('policy' in req.query) return s3Error('NoSuchBucketPolicy', 'The bucket policy does not exist', 404);
      return s3Error('NotImplemented', 'unexpected request', 501);
    }, denied);
    const result = await s3Check.run(ctx);
    clients.destroy();
    for (const bucket of result.resources) {
      expect(bucket.protection.level).toBe('aws-owned');
      expect(bucket.tags).toBeUndefined();
      expect(bucket.tagsError).toMatchObject({ operation: 'GetResources', code: 'AccessDeniedException' });
    }
    expect(ctx.tags.errors()).toEqual([expect.objectContaining({ service: 's3', region: 'us-east-1', operation: 'GetResources', code: 'AccessDeniedException' })]);
    // Denied is not retried, and one listing served both buckets.
    expect(clients.calls('GetResources')).toHaveLength(1);
  });
});
