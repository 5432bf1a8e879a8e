import { KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { afterEach, describe, expect, it } from 'vitest';
import { CallBudget } from '../../src/aws/call-budget.js';
import { ClientFactory } from '../../src/aws/clients.js';
import { describeAwsError } from '../../src/aws/errors.js';
import { retryKind } from '../../src/aws/retry-strategy.js';
import { TEST_ACCESS } from '../helpers/context.js';
import { kmsReply, startLoopback, type Loopback, type LoopbackReply } from '../helpers/loopback.js';

/**
 * The retry policy on the real client stack (SDK middleware, our gate and
 * retry strategy, the Node HTTP handler) against a scripted server on
 * loopback: how many attempts each kind of failure gets, that a later pass
 * saves a call a burst would have lost, and that a server that never answers
 * costs bounded time.
 */

const OK = kmsReply(200, { Keys: [], Truncated: false });
const THROTTLED = kmsReply(400, { __type: 'ThrottlingException', message: 'Rate exceeded' }, 'ThrottlingException');
const INTERNAL = kmsReply(500, { __type: 'KMSInternalException', message: 'internal error' }, 'KMSInternalException');
const DENIED = kmsReply(400, { __type: 'AccessDeniedException', message: 'not authorized to perform kms:ListKeys' }, 'AccessDeniedException');

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function call(route: (n: number) => LoopbackReply, options: { maxAttempts?: number; requestTimeoutMs?: number } = {}) {
  let n = 0;
  server = await startLoopback(() => route(++n));
  const budget = new CallBudget({ laterPassDelaysMs: [30, 30], backoffScale: 0.05 });
  const clients = new ClientFactory({
    ...TEST_ACCESS,
    endpointUrl: server.endpoint,
    maxAttempts: options.maxAttempts ?? 8,
    requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
    budget,
  });
  const started = Date.now();
  try {
    const out = await clients.get(KMSClient, 'us-east-1').send(new ListKeysCommand({}));
    return { ok: true as const, out, attempts: server.requests.length, ms: Date.now() - started, budget };
  } catch (error) {
    return { ok: false as const, error: describeAwsError(error), attempts: server.requests.length, ms: Date.now() - started, budget };
  } finally {
    clients.destroy();
  }
}

describe('retry policy (real client stack, loopback server)', () => {
  it('AccessDenied is not retried: one attempt', async () => {
    const r = await call(() => DENIED);
    expect(r).toMatchObject({ ok: false, attempts: 1, error: { code: 'AccessDeniedException' } });
  });

  it('a persistent HTTP 500 gets 6 attempts (2 at once, then 2 in each of two later passes), not 8', async () => {
    const r = await call(() => INTERNAL);
    expect(r).toMatchObject({ ok: false, attempts: 6, error: { code: 'KMSInternalException' } });
    expect(r.budget.operation('KMS', 'ListKeys')).toMatchObject({ calls: 1, attempts: 6, deferred: 2, errors: 1 });
  });

  it('a burst of 5xx that outlasts the immediate attempts is waited out by a later pass: the call succeeds', async () => {
    const r = await call((n) => (n <= 3 ? INTERNAL : OK));
    // Attempts 1 and 2 fail at once; the later pass fails once more, then succeeds.
    expect(r).toMatchObject({ ok: true, attempts: 4 });
    expect(r.budget.later.released).toBe(1);
  });

  it('throttling is retried with back-off up to --max-attempts (6 at once, 2 in a later pass)', async () => {
    const r = await call(() => THROTTLED);
    expect(r).toMatchObject({ ok: false, attempts: 8, error: { code: 'ThrottlingException' } });
    expect(r.budget.operation('KMS', 'ListKeys').throttled).toBe(8);
  });

  it('credentials that expired in flight (ExpiredTokenException) get one more attempt, signed afresh', async () => {
    const expired = kmsReply(400, { __type: 'ExpiredTokenException', message: 'The security token included in the request is expired' }, 'ExpiredTokenException');
    const r = await call((n) => (n === 1 ? expired : OK));
    expect(r).toMatchObject({ ok: true, attempts: 2 });
  });

  it('a host name that does not resolve is not retried (a service the Region does not offer); a reset connection is', () => {
    expect(retryKind({ errorType: 'TRANSIENT', error: Object.assign(new Error('getaddrinfo ENOTFOUND kms.xx-east-9.amazonaws.com'), { code: 'ENOTFOUND' }) as never })).toBeNull();
    expect(retryKind({ errorType: 'TRANSIENT', error: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) as never })).toBe('transient');
    expect(retryKind({ errorType: 'TRANSIENT', error: Object.assign(new Error('timed out'), { name: 'TimeoutError' }) as never })).toBe('timeout');
    expect(retryKind({ errorType: 'CLIENT_ERROR', error: Object.assign(new Error('denied'), { name: 'AccessDeniedException' }) as never })).toBeNull();
  });

  it('--max-attempts caps every kind, later passes included', async () => {
    expect(await call(() => THROTTLED, { maxAttempts: 3 })).toMatchObject({ attempts: 3 });
    expect(await call(() => INTERNAL, { maxAttempts: 3 })).toMatchObject({ attempts: 3 });
    expect(await call(() => INTERNAL, { maxAttempts: 1 })).toMatchObject({ attempts: 1 });
  });

  it('a server that accepts the request and never answers: 3 attempts of the request timeout each, then TimeoutError', async () => {
    const r = await call(() => 'hang', { requestTimeoutMs: 300 });
    expect(r).toMatchObject({ ok: false, attempts: 3, error: { code: 'TimeoutError' } });
    expect(r.error?.message).toContain('--request-timeout');
    // Bounded: three timeouts, back-off and one later-pass delay (not measured tightly: the machine is shared).
    expect(r.ms).toBeGreaterThanOrEqual(900);
    expect(r.ms).toBeLessThan(10_000);
  });

  it('a server that sends the headers and then trickles the body is cut off by the same timeout', async () => {
    let n = 0;
    server = await startLoopback((_req, res) => {
      n += 1;
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.write('{"Keys": [');
      const timer = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(timer));
      return 'handled';
    });
    const clients = new ClientFactory({ ...TEST_ACCESS, endpointUrl: server.endpoint, maxAttempts: 1, requestTimeoutMs: 400, budget: new CallBudget() });
    const error = await clients.get(KMSClient, 'us-east-1').send(new ListKeysCommand({})).then(() => null, (e: unknown) => describeAwsError(e));
    clients.destroy();
    expect(n).toBe(1);
    expect(error).toMatchObject({ code: 'TimeoutError' });
  });
});
