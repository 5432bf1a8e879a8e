import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validator } from '../../src/schema.js';
import { FAKE_CREDENTIALS, spawnCli } from '../helpers/cli.js';
import { readJson } from '../helpers/fixtures.js';

/**
 * The built CLI against a tiny local endpoint on 127.0.0.1 that plays AWS the
 * way emulators do, including answering a call it does not implement with
 * HTTP 500. Proves --endpoint-url and the SDK's own AWS_ENDPOINT_URL both
 * route every call, that calls carry the atrest user agent, and that an
 * unimplemented call makes a resource `unknown` while the scan goes on.
 */
interface Seen {
  path: string;
  target: string;
  body: string;
  userAgent: string;
}

const ACCOUNT = '111122223333';
const seen: Seen[] = [];
let server: Server;
let endpoint: string;
const version = readJson<{ version: string }>('package.json').version;

function reply(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'x-amzn-requestid': 'req-1', 'x-amz-request-id': 'req-1' });
  res.end(body);
}

function handle(req: IncomingMessage, body: string, res: ServerResponse): void {
  const target = String(req.headers['x-amz-target'] ?? '');
  seen.push({ path: req.url ?? '', target, body, userAgent: `${req.headers['user-agent'] ?? ''} ${req.headers['x-amz-user-agent'] ?? ''}` });
  if (body.includes('Action=GetCallerIdentity')) {
    return reply(res, 200, 'text/xml', `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${ACCOUNT}:user/emulator</Arn><UserId>AIDAEXAMPLE</UserId><Account>${ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`);
  }
  if (target === 'TrentService.ListKeys') return reply(res, 200, 'application/x-amz-json-1.1', JSON.stringify({ Keys: [], Truncated: false }));
  if (target === 'TrentService.ListAliases') return reply(res, 200, 'application/x-amz-json-1.1', JSON.stringify({ Aliases: [], Truncated: false }));
  const url = req.url ?? '';
  if (req.method === 'GET' && (url === '/' || url.startsWith('/?'))) {
    return reply(res, 200, 'application/xml', `<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>owner</ID></Owner><Buckets><Bucket><Name>emulated-bucket</Name><CreationDate>2024-05-01T00:00:00.000Z</CreationDate><BucketRegion>us-east-1</BucketRegion></Bucket></Buckets></ListAllMyBucketsResult>`);
  }
  if (url.includes('encryption')) {
    return reply(res, 500, 'application/xml', '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>GetBucketEncryption is not implemented</Message></Error>');
  }
  if (url.includes('policy')) {
    return reply(res, 404, 'application/xml', '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchBucketPolicy</Code><Message>The bucket policy does not exist</Message></Error>');
  }
  reply(res, 400, 'application/xml', '<Error><Code>InvalidRequest</Code><Message>unexpected call</Message></Error>');
}

function runCliAsync(args: string[], env: Record<string, string>) {
  return spawnCli(args, { env: { ...FAKE_CREDENTIALS, ...env } });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => handle(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('endpoint override against a local emulator', () => {
  it.each([
    ['--endpoint-url', (e: string) => ({ args: ['--endpoint-url', e], env: {} })],
    ['AWS_ENDPOINT_URL', (e: string) => ({ args: [], env: { AWS_ENDPOINT_URL: e } })],
  ])('%s routes every call; a 500 makes the bucket unknown and the scan exits 3', async (_name, how) => {
    seen.length = 0;
    const { args, env } = how(endpoint);
    const r = await runCliAsync(['scan', '--regions', 'us-east-1', '--services', 's3,kms', '--format', 'json', '--max-attempts', '1', '--quiet', ...args], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout);
    expect(validator('report.schema.json')(report)).toBe(true);
    expect(report.scan.accountId).toBe(ACCOUNT);
    const bucket = report.resources.find((x: { id: string }) => x.id === 'emulated-bucket');
    expect(bucket.protection.level).toBe('unknown');
    expect(bucket.error).toMatchObject({ operation: 'GetBucketEncryption', code: 'InternalError' });
    expect(report.findings.some((f: { ruleId: string; status: string }) => f.ruleId === 'SCAN.INCOMPLETE' && f.status === 'unknown')).toBe(true);
    // STS, KMS and S3 all reached the local endpoint, each with the atrest user agent.
    expect(seen.some((s) => s.body.includes('GetCallerIdentity'))).toBe(true);
    expect(seen.some((s) => s.target === 'TrentService.ListKeys')).toBe(true);
    expect(seen.some((s) => s.path.includes('encryption'))).toBe(true);
    for (const s of seen) expect(s.userAgent).toContain(`atrest/${version}`);
  });
});
