import { afterEach, describe, expect, it } from 'vitest';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { S3Client, ListBucketsCommand, GetBucketEncryptionCommand } from '@aws-sdk/client-s3';
import { EC2Client, DescribeVolumesCommand } from '@aws-sdk/client-ec2';
import { RDSClient, DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { RedshiftClient, DescribeClustersCommand } from '@aws-sdk/client-redshift';
import { CallBudget } from '../../src/aws/call-budget.js';
import { ClientFactory } from '../../src/aws/clients.js';
import { describeAwsError } from '../../src/aws/errors.js';
import { TEST_ACCESS } from '../helpers/context.js';
import { startLoopback, type Loopback } from '../helpers/loopback.js';
import { kmsCheck } from '../../src/services/kms/check.js';
import { ScriptedClients, kmsError, s3Error, scriptedContext, type HttpReply } from '../helpers/http.js';

/**
 * What a user reads when an endpoint (an emulator, a proxy, a cut
 * connection) answers with something the SDK cannot parse: the real clients
 * of every protocol atrest uses (awsJson: KMS, DynamoDB; restJson: Lambda;
 * awsQuery: STS, RDS, Redshift; ec2Query; restXml: S3) against scripted HTTP
 * replies on the real middleware stack, then describeAwsError. The SDK's own
 * notes ("Deserialization error: … inspect the hidden field
 * {error}.$response", "@aws-sdk XML parse error") must never reach the
 * message; the status and what came instead must.
 */

const SDK_INTERNALS = /hidden field|\$response|Deserialization error|@aws-sdk|Unexpected token|Unterminated string|at position/;

type Protocol = 'json' | 'xml';
const CALLS: Array<{ name: string; protocol: Protocol; send: (clients: ScriptedClients) => Promise<unknown> }> = [
  { name: 'KMS ListKeys', protocol: 'json', send: (c) => c.get(KMSClient, 'us-east-1').send(new ListKeysCommand({})) },
  { name: 'DynamoDB ListTables', protocol: 'json', send: (c) => c.get(DynamoDBClient, 'us-east-1').send(new ListTablesCommand({})) },
  { name: 'Lambda ListFunctions', protocol: 'json', send: (c) => c.get(LambdaClient, 'us-east-1').send(new ListFunctionsCommand({})) },
  { name: 'STS GetCallerIdentity', protocol: 'xml', send: (c) => c.get(STSClient, 'us-east-1').send(new GetCallerIdentityCommand({})) },
  { name: 'RDS DescribeDBInstances', protocol: 'xml', send: (c) => c.get(RDSClient, 'us-east-1').send(new DescribeDBInstancesCommand({})) },
  { name: 'Redshift DescribeClusters', protocol: 'xml', send: (c) => c.get(RedshiftClient, 'us-east-1').send(new DescribeClustersCommand({})) },
  { name: 'EC2 DescribeVolumes', protocol: 'xml', send: (c) => c.get(EC2Client, 'us-east-1').send(new DescribeVolumesCommand({})) },
  { name: 'S3 ListBuckets', protocol: 'xml', send: (c) => c.get(S3Client, 'us-east-1').send(new ListBucketsCommand({})) },
  { name: 'S3 GetBucketEncryption', protocol: 'xml', send: (c) => c.get(S3Client, 'us-east-1').send(new GetBucketEncryptionCommand({ Bucket: 'b' })) },
];

/** The message a user sees for `reply` on one call, after one attempt. */
async function messageFor(call: (typeof CALLS)[number], reply: HttpReply) {
  const clients = new ScriptedClients(() => reply, { maxAttempts: 1 });
  try {
    await call.send(clients);
  } catch (error) {
    return describeAwsError(error);
  } finally {
    clients.destroy();
  }
  throw new Error(`${call.name} accepted ${JSON.stringify(reply)}`);
}

const HTML_500: HttpReply = {
  status: 500,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body: '<html><head><title>500</title></head><body><h1>Internal Server Error</h1></body></html>',
};

describe.each(CALLS)('$name: what a user reads', (call) => {
  it('an HTML 500 page: HTTP500, the status and the content type, no SDK notes', async () => {
    const info = await messageFor(call, HTML_500);
    expect(info.code).toBe('HTTP500');
    expect(info.httpStatus).toBe(500);
    expect(info.message).toMatch(/^HTTP status 500\b/);
    expect(info.message).toContain('text/html');
    expect(info.message).not.toMatch(SDK_INTERNALS);
  });

  it('an empty 400: the status and that no error code came', async () => {
    const info = await messageFor(call, { status: 400, body: '' });
    expect(info).toEqual({ code: 'HTTP400', message: 'HTTP status 400 with no error code or message in the response', httpStatus: 400 });
  });

  it('a plain-text 200 where a JSON or XML document belongs: what was expected and what came', async () => {
    const info = await messageFor(call, { status: 200, headers: { 'content-type': 'text/plain' }, body: 'hello there' });
    expect(info.code).toBe('HTTP200');
    expect(info.message).not.toMatch(SDK_INTERNALS);
    if (call.protocol === 'json') {
      expect(info.message).toBe('HTTP status 200: expected a JSON response body, got a text/plain body that is not valid JSON');
    } else {
      expect(info.message).toBe('HTTP status 200: expected an XML response body, got text/plain "hello there"');
    }
  });

  it('a body cut off mid-document: said to end early', async () => {
    const reply: HttpReply =
      call.protocol === 'json'
        ? { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: '{"Keys":[{"KeyId":"ab' }
        : { status: 200, headers: { 'content-type': 'text/xml' }, body: '<?xml version="1.0"?><Result><Items><Item><Name>x' };
    const info = await messageFor(call, reply);
    expect(info.code).toBe('HTTP200');
    expect(info.message).toMatch(/^HTTP status 200: expected an? (JSON|XML) response body, got a body that ends early/);
    expect(info.message).not.toMatch(SDK_INTERNALS);
  });
});

describe('a service error keeps the service\'s words on the real client', () => {
  it('KMS AccessDeniedException', async () => {
    const info = await messageFor(CALLS[0]!, kmsError('AccessDeniedException', 'User: arn:aws:iam::111122223333:role/a is not authorized to perform: kms:ListKeys'));
    expect(info).toEqual({
      code: 'AccessDeniedException',
      message: 'User: arn:aws:iam::111122223333:role/a is not authorized to perform: kms:ListKeys',
      httpStatus: 400,
    });
  });

  it('S3 AccessDenied', async () => {
    const info = await messageFor(CALLS.find((c) => c.name === 'S3 GetBucketEncryption')!, s3Error('AccessDenied', 'Access Denied', 403));
    expect(info).toEqual({ code: 'AccessDenied', message: 'Access Denied', httpStatus: 403 });
  });
});

describe('the message a scan records', () => {
  it('KMS ListKeys answered by an HTML 502 from a proxy: the ScanError says status and content type, nothing of the SDK', async () => {
    const clients = new ScriptedClients(() => ({ ...HTML_500, status: 502 }), { maxAttempts: 1 });
    const result = await kmsCheck.run(scriptedContext(clients));
    clients.destroy();
    expect(result.errors).toEqual([
      expect.objectContaining({
        operation: 'ListKeys',
        code: 'HTTP502',
        message: 'HTTP status 502: expected a JSON response body, got a text/html body that is not valid JSON',
      }),
    ]);
  });
});

describe('a failure while the body is read is that failure, not an unreadable body', () => {
  let server: Loopback | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('a body that trickles past --request-timeout: TimeoutError with the timeout named, no SDK notes', async () => {
    server = await startLoopback((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.write('{"Keys": [');
      const timer = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(timer));
      return 'handled';
    });
    const clients = new ClientFactory({ ...TEST_ACCESS, endpointUrl: server.endpoint, maxAttempts: 1, requestTimeoutMs: 300, budget: new CallBudget() });
    const info = await clients.get(KMSClient, 'us-east-1').send(new ListKeysCommand({})).then(() => null, (e: unknown) => describeAwsError(e));
    clients.destroy();
    expect(info).toEqual({ code: 'TimeoutError', message: 'no complete answer within the request timeout of 0.3 s (--request-timeout)', httpStatus: 200 });
  });
});
