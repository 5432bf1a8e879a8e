import { setMaxListeners } from 'node:events';
import { Semaphore, cancellationOf, type Cancellation } from '../util/limit.js';
import { LaterPasses } from './later-passes.js';

/**
 * What every AWS call of one run shares, across every account, region and
 * service: the overall ceiling of calls on the wire (--max-connections: each
 * attempt holds one socket while it is sent and answered, so a 500-account
 * scan never opens thousands of them), the --max-duration deadline, the
 * later passes over calls that failed with errors that may heal, and the call
 * counts the benchmarks and the progress line read.
 *
 * One budget per process run: every ClientFactory of the run (one per
 * account) is given the same one.
 */
export interface CallBudgetOptions {
  /** Attempts on the wire at once, all accounts, regions and services together. */
  maxInFlight?: number;
  /** --max-duration in milliseconds: when it runs out every call still pending fails at once. */
  maxDurationMs?: number;
  /** The least wait (ms) before each later pass; tests shorten it. */
  laterPassDelaysMs?: readonly number[];
  /** Multiplies every retry back-off (default 1); tests shorten it. */
  backoffScale?: number;
}

export const DEFAULT_MAX_IN_FLIGHT = 64;

/** The error every call gets once --max-duration has run out. */
export class MaxDurationExceeded extends Error {
  override readonly name = 'MaxDurationExceeded';
  constructor(readonly maxDurationMs: number) {
    super(`--max-duration ${formatDuration(maxDurationMs)} ran out before this call completed; the scan stopped and wrote what it had read`);
  }
}

export interface OperationStats {
  /** Calls the checks made (one per send, however many attempts). */
  calls: number;
  /** Attempts sent over the wire (calls + retries). */
  attempts: number;
  /** Attempts answered with a throttling error. */
  throttled: number;
  /** Calls that waited for a later pass. */
  deferred: number;
  /** Calls answered with an error in the end (a 404 that means "not configured" counts too: the check decides). */
  errors: number;
}

export class CallBudget {
  readonly slots: Semaphore;
  readonly later: LaterPasses;
  readonly maxInFlight: number;
  readonly backoffScale: number;
  /** --max-duration as a Cancellation: what every waiting call and every attempt on the wire subscribes to. */
  readonly deadline: Cancellation;
  private readonly controller = new AbortController();
  private readonly stats = new Map<string, OperationStats>();
  private deadlineTimer: NodeJS.Timeout | undefined;
  private inFlightPeak = 0;
  private readonly maxDurationMs: number | undefined;
  /** When the deadline was armed (ms since epoch); null before start(). */
  startedAt: number | null = null;

  constructor(options: CallBudgetOptions = {}) {
    this.maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    this.backoffScale = options.backoffScale ?? 1;
    this.slots = new Semaphore(this.maxInFlight);
    this.maxDurationMs = options.maxDurationMs;
    // The few direct listeners (later passes, one per collect); the many go through `deadline`.
    setMaxListeners(0, this.controller.signal);
    this.deadline = cancellationOf(this.controller.signal);
    this.later = new LaterPasses({ signal: this.controller.signal, ...(options.laterPassDelaysMs ? { delaysMs: options.laterPassDelaysMs } : {}) });
  }

  /** Arms the --max-duration deadline (once; later calls keep the first start). */
  start(): void {
    if (this.startedAt !== null) return;
    this.startedAt = Date.now();
    if (this.maxDurationMs !== undefined) {
      this.deadlineTimer = setTimeout(() => this.expire(), this.maxDurationMs);
      // The deadline must never keep a finished process alive.
      this.deadlineTimer.unref();
    }
  }

  /** Fires when --max-duration runs out: everything waiting or on the wire stops with MaxDurationExceeded. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get expired(): boolean {
    return this.controller.signal.aborted;
  }

  /** Milliseconds until the deadline, or null without one (or before start()). */
  remainingMs(): number | null {
    if (this.maxDurationMs === undefined || this.startedAt === null) return null;
    return Math.max(0, this.startedAt + this.maxDurationMs - Date.now());
  }

  /** Ends the run now, as if --max-duration had run out (also used by the deadline timer). */
  expire(): void {
    if (this.expired) return;
    this.controller.abort(new MaxDurationExceeded(this.maxDurationMs ?? (this.startedAt ? Date.now() - this.startedAt : 0)));
  }

  /** Clears the deadline timer: the run is over. */
  dispose(): void {
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
  }

  /** The counters of one operation (created on first use). `service` is the SDK client's name without "Client", e.g. "S3". */
  operation(service: string, operation: string): OperationStats {
    const key = `${service}:${operation}`;
    let entry = this.stats.get(key);
    if (!entry) {
      entry = { calls: 0, attempts: 0, throttled: 0, deferred: 0, errors: 0 };
      this.stats.set(key, entry);
    }
    return entry;
  }

  /** Called by the gates when an attempt goes on the wire and when it is answered. */
  attemptStarted(): void {
    this.inFlightPeak = Math.max(this.inFlightPeak, this.slots.inUse);
  }

  /** Every operation's counters, sorted by "Service:Operation". */
  snapshot(): Array<{ service: string; operation: string } & OperationStats> {
    return [...this.stats.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => {
        const [service, operation] = key.split(':') as [string, string];
        return { service, operation, ...value };
      });
  }

  /** Totals for the progress line: calls in flight now, the most ever, retries and calls waiting for a later pass. */
  totals(): { inFlight: number; peakInFlight: number; calls: number; attempts: number; retries: number; throttled: number; deferred: number; errors: number } {
    let calls = 0;
    let attempts = 0;
    let throttled = 0;
    let deferred = 0;
    let errors = 0;
    for (const s of this.stats.values()) {
      calls += s.calls;
      attempts += s.attempts;
      throttled += s.throttled;
      deferred += s.deferred;
      errors += s.errors;
    }
    return { inFlight: this.slots.inUse, peakInFlight: this.inFlightPeak, calls, attempts, retries: attempts - calls, throttled, deferred, errors };
  }
}

/** 90 s, 15 min, 2 h 30 min: how --max-duration is named back to the user. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
