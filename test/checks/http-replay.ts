import { Readable } from 'node:stream';
import { ClientFactory } from '../../src/aws/clients.js';
import { KeyResolver } from '../../src/checks/key-resolver.js';
import type { CheckContext } from '../../src/checks/types.js';
import { ACCOUNT, checkContext } from '../helpers/context.js';

/**
 * A check context whose SDK clients answer from `reply` at the HTTP layer.
 * aws-sdk-client-mock replaces `send`, which skips the SDK's retry
 * middleware; throttling tests need the real middleware to see that a
 * ThrottlingException is retried (adaptive mode, maxAttempts) and the
 * resource still read. Only HTTP is faked: serialisation, signing, retries
 * and deserialisation are the SDK's own.
 */
export interface FakeRequest {
  hostname: string;
  path: string;
  method: string;
  headers: Record<string, string>;
  body: string;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export class ReplayClientFactory extends ClientFactory {
  readonly requests: FakeRequest[] = [];

  constructor(private readonly reply: (request: FakeRequest) => FakeResponse) {
    super({ credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' }, maxAttempts: 3 });
  }

  override baseConfig(region?: string): Record<string, unknown> {
    const requests = this.requests;
    const reply = this.reply;
    const handler = {
      metadata: { handlerProtocol: 'http/1.1' },
      async handle(request: { hostname: string; path: string; method: string; headers: Record<string, string>; body?: unknown }) {
        const fake: FakeRequest = {
          hostname: request.hostname,
          path: request.path,
          method: request.method,
          headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v])),
          body: typeof request.body === 'string' ? request.body : request.body instanceof Uint8Array ? new TextDecoder().decode(request.body) : '',
        };
        requests.push(fake);
        const out = reply(fake);
        return {
          response: {
            statusCode: out.status,
            headers: { 'x-amzn-requestid': '00000000-0000-0000-0000-000000000000', ...(out.headers ?? {}) },
            body: Readable.from([Buffer.from(out.body, 'utf8')]),
          },
        };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs() {
        return {};
      },
      destroy() {},
    };
    return { ...super.baseConfig(region), requestHandler: handler };
  }
}

export function replayContext(reply: (request: FakeRequest) => FakeResponse, overrides: Partial<Omit<CheckContext, 'services'>> = {}): { ctx: CheckContext; clients: ReplayClientFactory } {
  const clients = new ReplayClientFactory(reply);
  const keys = new KeyResolver({ clients, accountId: ACCOUNT, partition: 'aws' });
  return { ctx: checkContext({ clients, keys, ...overrides }), clients };
}
