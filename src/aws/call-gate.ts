import { Semaphore, type Cancellation } from '../util/limit.js';
import type { Clock, TokenBucket } from '../util/rate.js';
import type { CallBudget } from './call-budget.js';

/**
 * One gate per account, service and Region: the only place atrest decides
 * how many calls go to one AWS endpoint at once.
 *
 * - At most --concurrency attempts of the service in the Region are on the
 *   wire at once. A slot is held only while an attempt is sent and answered:
 *   back-off sleeps, pacing and later passes hold none, so a paced or
 *   throttled call never starves the others.
 * - Operations with a low published quota (operation-quotas.ts) are paced to
 *   it before they take a slot.
 * - When AWS throttles many of the recent attempts (at least 5 of the last
 *   20), the gate halves how many it lets through (down to 1), and grows
 *   back by one for every window's worth of successes. A throttle now and
 *   then — the scattered kind that a busy account sees — does not shrink it:
 *   that call alone backs off and retries. This is the recovery the SDK's
 *   adaptive mode lacks (its client-side rate, once lowered, stayed low).
 */
export interface CallGateOptions {
  /** --concurrency: the most attempts in flight. */
  concurrency: number;
  budget: CallBudget;
  /** The SDK client name without "Client" (S3, EC2, KMS, …), for the stats. */
  service: string;
  /** The pacing bucket of an operation, when AWS publishes a low quota for it. */
  pacer?: (operation: string) => TokenBucket | undefined;
  /** What pacing sleeps on (tests inject a virtual clock); the system clock otherwise. */
  clock?: Clock;
}

/** Marks an error with the operation whose attempt failed (the retry strategy only sees the error). */
export const OPERATION_MARK = Symbol('atrest.operation');

/** Outcomes remembered to tell a throttling storm from a stray throttle. */
const WINDOW = 20;
/** Throttled attempts among the last WINDOW that make the gate halve. */
const STORM = 5;
/** Halve at most this often (ms), so one storm halves once per round of answers, not once per throttled attempt. */
const DECREASE_INTERVAL_MS = 1_000;

export class CallGate {
  readonly slots: Semaphore;
  /** The most attempts this gate ever had on the wire at once. */
  peakInFlight = 0;
  private readonly recent: boolean[] = [];
  private successesSinceChange = 0;
  private lastDecrease = 0;

  constructor(private readonly options: CallGateOptions) {
    this.slots = new Semaphore(options.concurrency);
  }

  get service(): string {
    return this.options.service;
  }

  /** How many attempts the gate lets through now (≤ --concurrency). */
  get window(): number {
    return this.slots.capacity;
  }

  /** Runs one attempt of `operation`: pace, take a slot here and one of the overall ceiling, send, give both back. */
  async attempt<T>(operation: string, send: () => Promise<T>): Promise<T> {
    const { budget } = this.options;
    const deadline = budget.deadline;
    const bucket = this.options.pacer?.(operation);
    if (bucket) {
      const wait = bucket.reserve();
      if (wait > 0) await (this.options.clock ? race(this.options.clock.sleep(wait), deadline) : sleep(wait, deadline));
    }
    await this.slots.acquire(deadline);
    try {
      await budget.slots.acquire(deadline);
    } catch (error) {
      this.slots.release();
      throw error;
    }
    this.peakInFlight = Math.max(this.peakInFlight, this.slots.inUse);
    budget.attemptStarted();
    budget.operation(this.options.service, operation).attempts += 1;
    try {
      return await send();
    } catch (error) {
      if (error && typeof error === 'object') Object.defineProperty(error, OPERATION_MARK, { value: operation, configurable: true });
      throw error;
    } finally {
      budget.slots.release();
      this.slots.release();
    }
  }

  /** An attempt was throttled (the retry strategy says so; it classifies errors). */
  recordThrottle(operation: string): void {
    this.options.budget.operation(this.options.service, operation).throttled += 1;
    this.remember(true);
    const throttled = this.recent.filter(Boolean).length;
    const now = Date.now();
    if (throttled >= STORM && now - this.lastDecrease >= DECREASE_INTERVAL_MS && this.window > 1) {
      this.slots.setCapacity(Math.max(1, Math.floor(this.window / 2)));
      this.lastDecrease = now;
      this.successesSinceChange = 0;
    }
  }

  /** A call succeeded. */
  recordSuccess(): void {
    this.remember(false);
    if (this.window >= this.options.concurrency) return;
    this.successesSinceChange += 1;
    if (this.successesSinceChange >= this.window && this.recent.filter(Boolean).length < STORM) {
      this.slots.setCapacity(this.window + 1);
      this.successesSinceChange = 0;
    }
  }

  private remember(throttled: boolean): void {
    this.recent.push(throttled);
    if (this.recent.length > WINDOW) this.recent.shift();
  }
}

/** Sleeps `ms`, or rejects with the cancellation's reason when it comes first. */
export function sleep(ms: number, cancel?: Cancellation): Promise<void> {
  if (cancel?.aborted) return Promise.reject(cancel.reason);
  return new Promise<void>((resolve, reject) => {
    let unsubscribe = (): void => {};
    const timer = setTimeout(() => {
      unsubscribe();
      resolve();
    }, ms);
    if (cancel) {
      unsubscribe = cancel.onCancel(() => {
        clearTimeout(timer);
        reject(cancel.reason);
      });
    }
  });
}

/** `work`, or the cancellation's reason when it comes first. */
function race<T>(work: Promise<T>, cancel: Cancellation): Promise<T> {
  if (cancel.aborted) return Promise.reject(cancel.reason);
  return new Promise<T>((resolve, reject) => {
    const unsubscribe = cancel.onCancel(() => reject(cancel.reason));
    work.then(
      (value) => {
        unsubscribe();
        resolve(value);
      },
      (error: unknown) => {
        unsubscribe();
        reject(error);
      },
    );
  });
}
