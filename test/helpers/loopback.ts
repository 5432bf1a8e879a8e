import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';

/**
 * A scripted HTTP server on 127.0.0.1 for tests that need the real network
 * path: the SDK's own HTTP handler, sockets, timeouts. `route` answers each
 * request; it may return 'hang' to accept the request and never answer, or
 * write to `res` itself (and return 'handled') to trickle a body.
 */
export interface LoopbackRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** The operation: X-Amz-Target's last part (JSON protocols) or the form's Action (query protocols). */
  operation: string;
}

export type LoopbackReply = { status: number; headers?: Record<string, string>; body?: string } | 'hang' | 'handled';

export interface Loopback {
  endpoint: string;
  requests: LoopbackRequest[];
  close(): Promise<void>;
}

export async function startLoopback(route: (request: LoopbackRequest, res: ServerResponse) => LoopbackReply | Promise<LoopbackReply>): Promise<Loopback> {
  const requests: LoopbackRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', async () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target ? target.split('.').pop()! : (new URLSearchParams(body).get('Action') ?? 'unknown');
      const request = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body, operation };
      requests.push(request);
      const reply = await route(request, res);
      if (reply === 'hang' || reply === 'handled') return;
      res.writeHead(reply.status, { 'x-amzn-requestid': 'loopback-0000', ...(reply.headers ?? {}) });
      res.end(reply.body ?? '');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A KMS (JSON 1.1) answer. */
export function kmsReply(status: number, body: unknown, type?: string): LoopbackReply {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', ...(type ? { 'x-amzn-errortype': `${type}:` } : {}) },
    body: JSON.stringify(body),
  };
}
