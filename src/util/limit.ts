/**
 * A bounded-concurrency gate: at most `max` of the functions passed to the
 * returned `run` are in flight at once; the rest wait in order. Checks use one
 * per service and region so a large account never opens thousands of sockets.
 */
export type Limiter = <T>(fn: () => Promise<T>) => Promise<T>;

export function createLimiter(max: number): Limiter {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`concurrency must be a positive integer, got ${max}`);
  let active = 0;
  const waiting: Array<() => void> = [];
  const release = (): void => {
    active -= 1;
    const next = waiting.shift();
    if (next) next();
  };
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await fn();
    } finally {
      release();
    }
  };
}

/** Maps `items` through `fn` with at most `max` calls in flight, keeping input order. */
export async function mapLimited<T, R>(items: readonly T[], max: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const limit = createLimiter(max);
  return Promise.all(items.map((item, index) => limit(() => fn(item, index))));
}
