import { describe, expect, it } from 'vitest';
import { efsCheck } from '../../../src/services/efs/check.js';
import { ACCOUNT } from '../../helpers/context.js';
import { awsFixture } from '../../helpers/fixtures.js';
import { kmsOk, ScriptedClients, scriptedContext, type HttpReply, type SentRequest } from '../../helpers/http.js';
import { EFS_KEY } from './kms.js';

/**
 * The EFS check through the real SDK, answered at the HTTP level: the EFS
 * REST-JSON wire (GET /2015-02-01/file-systems, timestamps as epoch seconds,
 * errors named by x-amzn-ErrorType), the SDK's own retry of a throttled call,
 * and an emulator's bare HTTP 500 (aws-sdk-client-mock skips all of this).
 */

/** The fixture pages as EFS sends them: epoch seconds, not ISO strings. */
function efsOk(body: unknown): HttpReply {
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    // JSON.stringify hands the replacer a Date already turned into its ISO string: look at the original.
    body: JSON.stringify(body, function (this: Record<string, unknown>, key: string, value: unknown) {
      const original = this[key];
      return original instanceof Date ? original.getTime() / 1000 : value;
    }),
  };
}

const page1 = () => awsFixture('efs/describe-file-systems-page1.json');
const page2 = () => awsFixture('efs/describe-file-systems-page2.json');
const describeKey = () => awsFixture<Record<string, unknown>>('efs/kms-describe-key.json');
const aliases = () => awsFixture('efs/kms-list-aliases.json');

const isListing = (r: SentRequest): boolean => r.method === 'GET' && r.path === '/2015-02-01/file-systems';

/** KMS as the fixtures say; anything else that is not the EFS listing is a test bug. */
function kmsReply(request: SentRequest): HttpReply {
  if (request.target === 'ListAliases') return kmsOk(aliases());
  if (request.target === 'DescribeKey') {
    const found = describeKey()[JSON.parse(request.body).KeyId as string];
    if (found) return kmsOk(found);
  }
  if (request.target === 'GetKeyRotationStatus') return kmsOk({ KeyRotationEnabled: true, RotationPeriodInDays: 365 });
  return { status: 400, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify({ __type: 'Unexpected', message: `${request.target}` }) };
}

describe('efs check over HTTP', () => {
  it('a throttled DescribeFileSystems is retried by the SDK; both pages are read and the epoch-second timestamps parsed', async () => {
    let listings = 0;
    const clients = new ScriptedClients((request) => {
      if (!isListing(request)) return kmsReply(request);
      listings += 1;
      if (listings === 1) {
        return {
          status: 429,
          headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ThrottlingException' },
          body: JSON.stringify({ ErrorCode: 'ThrottlingException', Message: 'Rate exceeded' }),
        };
      }
      return request.query.Marker === 'efs-page-2' ? efsOk(page2()) : efsOk(page1());
    });
    const { resources, errors } = await efsCheck.run(scriptedContext(clients, { services: ['efs'] }));
    expect(errors).toEqual([]);
    const listingRequests = clients.sent.filter(isListing);
    expect(listingRequests.map((r) => [r.hostname, r.query.MaxItems, r.query.Marker ?? null])).toEqual([
      ['elasticfilesystem.us-east-1.amazonaws.com', '100', null],
      ['elasticfilesystem.us-east-1.amazonaws.com', '100', null],
      ['elasticfilesystem.us-east-1.amazonaws.com', '100', 'efs-page-2'],
    ]);
    expect(resources).toHaveLength(5);
    const cache = resources.find((r) => r.id === 'fs-0a1b2c3d4e5f60002')!;
    expect(cache.protection).toMatchObject({ level: 'aws-managed', keyArn: EFS_KEY.awsManaged });
    expect(cache.attributes.createdAt).toBe('2024-09-12T14:40:00.000Z');
    expect(cache.evidence.CreationTime).toBe('2024-09-12T14:40:00.000Z');
    expect(cache.arn).toBe(`arn:aws:elasticfilesystem:us-east-1:${ACCOUNT}:file-system/fs-0a1b2c3d4e5f60002`);
  });

  it("an emulator's HTTP 500 with an HTML body is retried a bounded number of times, then the Region's EFS is a scan error", async () => {
    const clients = new ScriptedClients((request) =>
      isListing(request) ? { status: 500, headers: { 'content-type': 'text/html' }, body: '<html><body>Internal Server Error</body></html>' } : kmsReply(request),
    );
    const { resources, errors } = await efsCheck.run(scriptedContext(clients, { services: ['efs'] }));
    expect(resources).toEqual([]);
    // TEST_ACCESS allows 3 attempts per call.
    expect(clients.sent.filter(isListing)).toHaveLength(3);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ service: 'efs', region: 'us-east-1', operation: 'DescribeFileSystems', code: 'HTTP500' });
  });
});
