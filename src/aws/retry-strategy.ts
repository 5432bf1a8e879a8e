import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';
import type { CallBudget } from './call-budget.js';
import { OPERATION_MARK, sleep, type CallGate } from './call-gate.js';

/**
 * How atrest retries a failed call, by what the failure says about its
 * chances (the SDK classifies each error; see retryKind):
 *
 * | kind       | immediate attempts | later passes (see later-passes.ts) | back-off between attempts |
 * |------------|--------------------|------------------------------------|---------------------------|
 * | throttling | 6                  | 1 pass of 2 attempts               | 0.2–0.4 s, doubling, ≤ 20 s |
 * | transient  | 2 (HTTP 500/502/503/504, connection reset or refused) | 2 passes of 2 attempts | 50–100 ms, doubling, ≤ 5 s |
 * | timeout    | 2                  | 1 pass of 1 attempt                | 50–100 ms                 |
 * | expired    | 2 (ExpiredToken: the credentials expired in flight; the next attempt signs with fresh ones) | none | none |
 * | anything else (AccessDenied, validation, 501, a host name that does not resolve, …) | 1 | none | — |
 *
 * --max-attempts caps the total: a call never makes more attempts than it
 * says, later passes included (--max-attempts 1: no retry at all).
 *
 * What this fixes (issue 14): the SDK's retry quota (500 tokens, 14 per
 * transient retry) runs dry in a burst of 5xx, after which every failure came
 * back on its first attempt; a persistent HTTP 500 was retried 8 times; and
 * the adaptive mode's client-side rate never recovered. Here no quota exists
 * (attempts are bounded per call, and the gates shrink under a real storm),
 * an error that does not heal is not retried, and a burst is waited out by a
 * later pass instead of turning resources `unknown`.
 */
export type RetryKind = 'throttling' | 'transient' | 'timeout' | 'expired';

/** Attempts per pass: the first entry is the immediate attempts, the rest are later passes. */
export const RETRY_SCHEDULE: Readonly<Record<RetryKind, readonly number[]>> = {
  throttling: [6, 2],
  transient: [2, 2, 2],
  timeout: [2, 1],
  // Credentials that expired while the call was on its way: the next attempt signs with fresh ones.
  expired: [2],
};

const BACKOFF: Readonly<Record<RetryKind, { baseMs: number; capMs: number }>> = {
  throttling: { baseMs: 400, capMs: 20_000 },
  transient: { baseMs: 100, capMs: 5_000 },
  timeout: { baseMs: 100, capMs: 5_000 },
  expired: { baseMs: 0, capMs: 0 },
};

/** Errors that say the signing credentials expired in flight (the provider refreshes them before the next attempt). */
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired']);
/** Network errors that do not heal by waiting: a host name that does not resolve (a service a Region does not offer). */
const PERMANENT_NETWORK = new Set(['ENOTFOUND']);

/** Which kind of retry an error deserves, or null for none. */
export function retryKind(info: RetryErrorInfo): RetryKind | null {
  const error = info.error as { name?: unknown; code?: unknown } | undefined;
  if (typeof error?.name === 'string' && EXPIRED.has(error.name)) return 'expired';
  if (info.errorType === 'THROTTLING') return 'throttling';
  if (info.errorType !== 'TRANSIENT') return null;
  if (typeof error?.code === 'string' && PERMANENT_NETWORK.has(error.code)) return null;
  if (error?.name === 'TimeoutError' || error?.code === 'ETIMEDOUT') return 'timeout';
  return 'transient';
}

class Token implements RetryToken {
  constructor(
    /** Attempts made so far, minus one. */
    readonly retries: number,
    /** Attempts made in the current pass. */
    readonly inPass: number,
    /** 0: the immediate attempts; 1, 2: later passes. */
    readonly pass: number,
  ) {}

  getRetryCount(): number {
    return this.retries;
  }

  getRetryDelay(): number {
    // This strategy sleeps inside refreshRetryTokenForRetry (where it can
    // stop at --max-duration), so the SDK adds no delay of its own.
    return 0;
  }
}

export interface AtrestRetryOptions {
  /** --max-attempts: the most attempts a call makes, later passes included. */
  maxAttempts: number;
  gate: CallGate;
  budget: CallBudget;
  /** Injected by tests. */
  random?: () => number;
}

export class AtrestRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'atrest';

  constructor(private readonly options: AtrestRetryOptions) {}

  async acquireInitialRetryToken(): Promise<RetryToken> {
    return new Token(0, 1, 0);
  }

  async refreshRetryTokenForRetry(tokenToRenew: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    const token = tokenToRenew as Token;
    const { budget, gate } = this.options;
    const operation = operationOf(info);
    const kind = retryKind(info);
    if (kind === 'throttling') gate.recordThrottle(operation);
    // Refusing (throwing) makes the SDK rethrow the call's own error.
    if (budget.expired || kind === null) throw new Error('not retried');
    if (token.retries + 1 >= this.options.maxAttempts) throw new Error('attempts exhausted');
    const schedule = RETRY_SCHEDULE[kind];
    const inPass = schedule[token.pass] ?? 0;
    if (token.inPass < inPass) {
      await sleep(this.backoff(kind, token.inPass, info.retryAfterHint), budget.deadline);
      return new Token(token.retries + 1, token.inPass + 1, token.pass);
    }
    if (token.pass + 1 < schedule.length) {
      budget.operation(gate.service, operation).deferred += 1;
      await budget.later.wait(token.pass + 1);
      return new Token(token.retries + 1, 1, token.pass + 1);
    }
    throw new Error('passes exhausted');
  }

  recordSuccess(): void {
    this.options.gate.recordSuccess();
  }

  /** Equal jitter: half the exponential step for sure, the other half at random. A server's Retry-After is honoured within the cap. */
  private backoff(kind: RetryKind, attempt: number, retryAfter: Date | undefined): number {
    const { baseMs, capMs } = BACKOFF[kind];
    const step = Math.min(capMs, baseMs * 2 ** (attempt - 1));
    const random = this.options.random ?? Math.random;
    const delay = (step / 2 + random() * (step / 2)) * this.options.budget.backoffScale;
    const hinted = retryAfter ? Math.min(capMs, retryAfter.getTime() - Date.now()) : 0;
    return Math.max(delay, hinted);
  }
}

/** The operation a failed attempt was for: the call gate marks every error that passes through it (OPERATION_MARK). */
function operationOf(info: RetryErrorInfo): string {
  const error = info.error as Record<symbol, unknown> | undefined;
  const operation = error?.[OPERATION_MARK];
  return typeof operation === 'string' ? operation : 'unknown';
}
