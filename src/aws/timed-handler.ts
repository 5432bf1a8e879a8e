import type { Readable } from 'node:stream';
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Cancellation } from '../util/limit.js';

/**
 * The HTTP layer every SDK client gets, so that no call can hang:
 *
 * - a connection timeout (--connect-timeout): the TCP/TLS connection must be
 *   up within it;
 * - a per-attempt request timeout (--request-timeout) that covers the whole
 *   attempt, from sending the request to the last byte of the answer. The
 *   SDK's own requestTimeout stops at the response headers and its socket
 *   timeout only at silence, so a server that sends headers and then
 *   trickles a byte now and then would otherwise hold a call for ever;
 * - the scan's --max-duration signal, which ends every attempt on the wire.
 *
 * A timed-out attempt fails with a TimeoutError, which the retry strategy
 * treats as a timeout (few attempts: a silent endpoint rarely heals).
 */
export interface TimedHandlerOptions {
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  /** Sockets per client; the call gates keep attempts below it, so requests never queue inside the agent (where waiting would eat into the timeout). */
  maxSockets: number;
  /** --max-duration: aborts every attempt in flight with its reason. */
  deadline?: Cancellation;
  /** Shared by the clients of one factory (keep-alive connections are reused across them). */
  httpAgent?: HttpAgent;
  httpsAgent?: HttpsAgent;
}

/** The default connection timeout, sized for AWS: a TLS connection to any Region's endpoint takes well under a second. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** The default per-attempt request timeout: the slowest read atrest sends (a 1,000-item page) answers in a few seconds. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

interface Handled {
  response: { statusCode: number; headers: Record<string, string>; body?: unknown };
}

interface InnerHandler {
  handle(request: unknown, options?: { abortSignal?: AbortSignal; requestTimeout?: number }): Promise<Handled>;
  updateHttpClientConfig?(key: never, value: never): void;
  httpHandlerConfigs?(): object;
  destroy?(): void;
}

export function timeoutError(message: string): Error {
  return Object.assign(new Error(message), { name: 'TimeoutError', code: 'ETIMEDOUT' });
}

export class TimedHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  private readonly inner: InnerHandler;

  constructor(
    private readonly options: TimedHandlerOptions,
    inner?: InnerHandler,
  ) {
    const agent = { keepAlive: true, maxSockets: options.maxSockets };
    this.inner =
      inner ??
      (new NodeHttpHandler({
        connectionTimeout: options.connectTimeoutMs,
        requestTimeout: options.requestTimeoutMs,
        throwOnRequestTimeout: true,
        socketTimeout: options.requestTimeoutMs,
        httpAgent: options.httpAgent ?? agent,
        httpsAgent: options.httpsAgent ?? agent,
      }) as unknown as InnerHandler);
  }

  async handle(request: unknown, handlerOptions: { abortSignal?: AbortSignal } = {}): Promise<Handled> {
    const deadline = this.options.deadline;
    if (deadline?.aborted) throw deadline.reason;
    const controller = new AbortController();
    let failure: unknown;
    const stop = (reason: unknown): void => {
      if (failure !== undefined) return;
      failure = reason;
      controller.abort(reason);
    };
    const onCaller = (): void => stop(handlerOptions.abortSignal!.reason);
    const unsubscribe = deadline ? deadline.onCancel(() => stop(deadline.reason)) : () => {};
    handlerOptions.abortSignal?.addEventListener('abort', onCaller, { once: true });
    const timer = setTimeout(
      () => stop(timeoutError(`no complete answer within the request timeout of ${this.options.requestTimeoutMs / 1000} s (--request-timeout)`)),
      this.options.requestTimeoutMs,
    );
    const cleanup = (): void => {
      clearTimeout(timer);
      unsubscribe();
      handlerOptions.abortSignal?.removeEventListener('abort', onCaller);
    };

    let handled: Handled;
    try {
      handled = await this.inner.handle(request, { abortSignal: controller.signal });
    } catch (error) {
      cleanup();
      // The SDK reports our abort as a generic AbortError: say why it was aborted.
      throw failure ?? error;
    }
    const body = handled.response.body as Readable | undefined;
    if (!body || typeof body.once !== 'function' || body.readableEnded) {
      cleanup();
      return handled;
    }
    // The answer is still arriving: the same timer (and the deadline) now
    // bound reading the body. The deserializer sees the stream fail.
    controller.signal.addEventListener('abort', () => body.destroy(failure as Error), { once: true });
    const done = (): void => cleanup();
    body.once('end', done);
    body.once('close', done);
    body.once('error', done);
    return handled;
  }

  updateHttpClientConfig(key: never, value: never): void {
    this.inner.updateHttpClientConfig?.(key, value);
  }

  httpHandlerConfigs(): object {
    return this.inner.httpHandlerConfigs?.() ?? {};
  }

  destroy(): void {
    this.inner.destroy?.();
  }
}
