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

/**
 * Something that can cancel waiting (the scan's --max-duration). Unlike an
 * AbortSignal, which keeps every listener in a list that each removal walks,
 * cancelling thousands of waiters costs one Set.
 */
export interface Cancellation {
  readonly aborted: boolean;
  readonly reason: unknown;
  /** Calls `cb` once when cancelled; the returned function unsubscribes. */
  onCancel(cb: () => void): () => void;
}

/** A Cancellation driven by an AbortSignal, with one listener on it for all subscribers. */
export function cancellationOf(signal: AbortSignal): Cancellation {
  const subscribers = new Set<() => void>();
  signal.addEventListener(
    'abort',
    () => {
      for (const cb of [...subscribers]) cb();
      subscribers.clear();
    },
    { once: true },
  );
  return {
    get aborted() {
      return signal.aborted;
    },
    get reason() {
      return signal.reason as unknown;
    },
    onCancel(cb) {
      if (signal.aborted) {
        cb();
        return () => {};
      }
      subscribers.add(cb);
      return () => subscribers.delete(cb);
    },
  };
}

/**
 * A counting semaphore whose capacity can change while it is in use (the
 * per-service call gates shrink and regrow it when AWS throttles). Waiters
 * are served in arrival order; a cancellation rejects a waiter with its
 * reason, so a scan past its --max-duration never waits for a slot.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<{ grant: () => void }> = [];

  constructor(private capacityValue: number) {
    if (!Number.isInteger(capacityValue) || capacityValue < 1) throw new RangeError(`capacity must be a positive integer, got ${capacityValue}`);
  }

  get capacity(): number {
    return this.capacityValue;
  }

  /** Holders right now. */
  get inUse(): number {
    return this.active;
  }

  /** Callers waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** A lower capacity applies to the next acquisitions; holders above it keep their slots until they release. */
  setCapacity(capacity: number): void {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.capacityValue = capacity;
    this.drain();
  }

  acquire(cancel?: Cancellation): Promise<void> {
    if (cancel?.aborted) return Promise.reject(cancel.reason);
    if (this.active < this.capacityValue && this.waiting.length === 0) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      let unsubscribe = (): void => {};
      const entry = {
        grant: () => {
          unsubscribe();
          resolve();
        },
      };
      this.waiting.push(entry);
      if (cancel) {
        unsubscribe = cancel.onCancel(() => {
          const index = this.waiting.indexOf(entry);
          if (index >= 0) this.waiting.splice(index, 1);
          reject(cancel.reason);
        });
      }
    });
  }

  release(): void {
    if (this.active <= 0) throw new Error('Semaphore.release() without a matching acquire()');
    this.active -= 1;
    this.drain();
  }

  private drain(): void {
    while (this.active < this.capacityValue && this.waiting.length > 0) {
      this.active += 1;
      this.waiting.shift()!.grant();
    }
  }
}
