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
  const rate = options.ratePerSecond;
  const burst = options.burst ?? 1;
  if (!(rate > 0)) throw new RangeError(`ratePerSecond must be positive, got ${rate}`);
  if (!Number.isInteger(burst) || burst < 1) throw new RangeError(`burst must be a positive integer, got ${burst}`);
  const clock = options.clock ?? systemClock;
  const interval = 1000 / rate;
  let tokens = burst;
  let last = clock.now();

  const reserve = (): number => {
    const now = clock.now();
    tokens = Math.min(burst, tokens + (now - last) / interval);
    last = now;
    tokens -= 1;
    // Negative tokens are reservations: wait until this one is paid back.
    return tokens >= 0 ? 0 : Math.ceil(-tokens * interval);
  };

  return async <T>(fn: () => Promise<T>): Promise<T> => {
    const wait = reserve();
    if (wait > 0) await clock.sleep(wait);
    return fn();
  };
}
