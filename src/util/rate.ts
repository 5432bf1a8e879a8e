/**
 * A token bucket that paces calls to a per-second request quota (GetKeyLastUsage
 * allows 5 requests per second per account and region). The clock is injected
 * so tests prove the pacing with a virtual clock instead of sleeping.
 *
 * Calls reserve their slot in arrival order: a caller that finds the bucket
 * empty takes a token "on credit" and sleeps until that token would have
 * refilled, so concurrent callers queue at 1/rate intervals instead of racing.
 * With `burst` 1 (the default) no one-second window ever holds more than
 * `ratePerSecond` calls — a burst would let the first second hold up to
 * burst + rate calls, which is how quotas get exceeded.
 */
export interface Clock {
  /** Milliseconds, monotonic enough for pacing. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export type Paced = <T>(fn: () => Promise<T>) => Promise<T>;

export interface TokenBucketOptions {
  ratePerSecond: number;
  /** Tokens the bucket holds when full; 1 means strictly evenly spaced calls. */
  burst?: number;
  clock?: Clock;
}

export function createTokenBucket(options: TokenBucketOptions): Paced {
  const clock = options.clock ?? systemClock;
  const bucket = new TokenBucket(options);
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    const wait = bucket.reserve();
    if (wait > 0) await clock.sleep(wait);
    return fn();
  };
}

/**
 * The bucket itself, for callers that sleep on their own terms (the call
 * gates sleep before they take a concurrency slot, and stop sleeping when the
 * scan's --max-duration runs out).
 */
export class TokenBucket {
  private readonly interval: number;
  private readonly burst: number;
  private readonly clock: Clock;
  private tokens: number;
  private last: number;

  constructor(options: TokenBucketOptions) {
    const rate = options.ratePerSecond;
    const burst = options.burst ?? 1;
    if (!(rate > 0)) throw new RangeError(`ratePerSecond must be positive, got ${rate}`);
    if (!Number.isInteger(burst) || burst < 1) throw new RangeError(`burst must be a positive integer, got ${burst}`);
    this.clock = options.clock ?? systemClock;
    this.interval = 1000 / rate;
    this.burst = burst;
    this.tokens = burst;
    this.last = this.clock.now();
  }

  /** Takes the next token; returns how many milliseconds the caller must wait before using it (0: now). */
  reserve(): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + (now - this.last) / this.interval);
    this.last = now;
    this.tokens -= 1;
    // Negative tokens are reservations: wait until this one is paid back.
    return this.tokens >= 0 ? 0 : Math.ceil(-this.tokens * this.interval);
  }
}
