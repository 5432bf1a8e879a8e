import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeOrg } from './fake-org.js';
import { signedBy, type SentRequest } from './http.js';

/**
 * A fake organisation (test/helpers/fake-org.ts) served over HTTP on
 * 127.0.0.1, for tests that spawn the CLI with --endpoint-url. Which
 * service and region a request is for comes from its SigV4 scope, as every
 * call goes to the one endpoint (S3 path-style). Loopback only.
 */
export interface FakeAwsServer {
  endpoint: string;
  close(): Promise<void>;
}

export async function serveFakeOrg(org: FakeOrg): Promise<FakeAwsServer> {
  const started = Date.now();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const query: Record<string, string> = {};
      for (const [k, v] of url.searchParams) query[k] = v;
      const target = req.headers['x-amz-target'];
      const sent: SentRequest = {
        target: typeof target === 'string' ? target.split('.').pop()! : null,
        hostname: String(req.headers.host ?? '127.0.0.1').split(':')[0]!,
        method: req.method ?? 'GET',
        path: url.pathname,
        query,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now() - started,
        ...signedBy(String(req.headers.authorization ?? '')),
      };
      const reply = org.route(sent);
      res.writeHead(reply.status, { 'x-amzn-requestid': 'req-1', 'x-amz-request-id': 'req-1', ...(reply.headers ?? {}) });
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
