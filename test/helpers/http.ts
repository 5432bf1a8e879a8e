import { Readable } from 'node:stream';
import { ClientFactory, type AwsAccessOptions } from '../../src/aws/clients.js';
import { KeyResolver } from '../../src/keys/resolver.js';
import type { CheckContext } from '../../src/collect/check.js';
import type { ServiceName } from '../../src/model/services.js';
import { ACCOUNT, TEST_ACCESS, checkContext } from './context.js';

/**
 * A client factory whose SDK clients answer from a script at the HTTP level.
 *
 * aws-sdk-client-mock replaces `client.send`, so the SDK's middleware (retry,
 * the adaptive rate limiter, deserialisation of error bodies) never runs
 * under it. Tests that must prove the SDK retries a throttled call, or that
 * an emulator's bare HTTP 500 is survived, use this instead: the real client
 * signs, sends to this handler, parses the reply and retries as configured.
 * Nothing leaves the process.
 */
export interface HttpReply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface SentRequest {
  /** For JSON protocols (KMS): the operation from X-Amz-Target, e.g. "ListKeys". */
  target: string | null;
  hostname: string;
  method: string;
  path: string;
  query: Record<string, string | string[] | null>;
  body: string;
  /** Milliseconds since the factory was created. */
  at: number;
  /** The access key id the request was signed with (from its Authorization header): which credentials sent it. */
  accessKeyId: string | null;
  /** The signing scope's region and service (Credential=AKID/date/REGION/SERVICE/aws4_request). */
  scope: { region: string; service: string } | null;
  /** When the request was signed (its X-Amz-Date), in ms since the epoch; null when unsigned. */
  signedAt?: number | null;
}

export type Route = (request: SentRequest) => HttpReply;

export class ScriptedClients extends ClientFactory {
  readonly sent: SentRequest[] = [];
  private readonly started = Date.now();
  private readonly handler: { handle: (request: any) => Promise<{ response: unknown }>; updateHttpClientConfig: () => void; httpHandlerConfigs: () => object };

  constructor(route: Route, options: AwsAccessOptions = {}) {
    super({ ...TEST_ACCESS, ...options });
    this.handler = {
      handle: async (request: any) => {
        const target = request.headers?.['x-amz-target'] ?? request.headers?.['X-Amz-Target'] ?? null;
        const sent: SentRequest = {
          target: typeof target === 'string' ? target.split('.').pop()! : null,
          hostname: request.hostname,
          method: request.method,
          path: request.path,
          query: request.query ?? {},
          body: bodyText(request.body),
          at: Date.now() - this.started,
          ...signedBy(String(request.headers?.authorization ?? request.headers?.Authorization ?? '')),
          signedAt: amzDate(request.headers?.['x-amz-date'] ?? request.headers?.['X-Amz-Date']),
        };
        this.sent.push(sent);
        const reply = route(sent);
        return {
          response: {
            statusCode: reply.status,
            headers: { 'x-amzn-requestid': '00000000-0000-0000-0000-000000000000', ...(reply.headers ?? {}) },
            body: Readable.from([Buffer.from(reply.body ?? '')]),
          },
        };
      },
      updateHttpClientConfig: () => {},
      httpHandlerConfigs: () => ({}),
    };
  }

  override baseConfig(region?: string): Record<string, unknown> {
    return { ...super.baseConfig(region), requestHandler: this.handler };
  }

  /** Requests sent for one JSON-protocol operation (KMS). */
  calls(target: string): SentRequest[] {
    return this.sent.filter((r) => r.target === target);
  }
}

/** A check context on `clients` (e.g. ScriptedClients) with a resolver of its own, so key lookups go through them too. */
export function scriptedContext(clients: ClientFactory, overrides: Partial<CheckContext> & { services?: ServiceName[] } = {}): CheckContext {
  return checkContext({ clients, keys: new KeyResolver({ clients, accountId: ACCOUNT, partition: 'aws' }), ...overrides });
}

/** Who signed a request and for what, from its SigV4 Authorization header. */
/** X-Amz-Date (20260301T101600Z) in ms since the epoch. */
export function amzDate(value: unknown): number | null {
  const m = typeof value === 'string' ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value) : null;
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) : null;
}

export function signedBy(authorization: string): Pick<SentRequest, 'accessKeyId' | 'scope'> {
  const m = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization);
  return m ? { accessKeyId: m[1]!, scope: { region: m[2]!, service: m[3]! } } : { accessKeyId: null, scope: null };
}

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  return '';
}

/** A KMS (awsJson1_1) success: timestamps as epoch seconds, as KMS sends them. */
export function kmsOk(body: unknown): HttpReply {
  return {
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify(body, (_key, value) =>
      typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value) ? Date.parse(value) / 1000 : value,
    ),
  };
}

/** A KMS error as KMS sends it: HTTP 400 with __type. */
export function kmsError(type: string, message: string, status = 400): HttpReply {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': `${type}:` },
    body: JSON.stringify({ __type: type, message }),
  };
}

/** An S3 (REST-XML) error body. */
export function s3Error(code: string, message: string, status: number): HttpReply {
  return {
    status,
    headers: { 'content-type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>4442587FB7D0A2F9</RequestId><HostId>dGVzdA==</HostId></Error>`,
  };
}
