/**
 * The later pass: a call that failed with an error that may heal (a 5xx
 * burst, a throttling storm, a timeout) and has used its immediate attempts
 * is not given up on. It waits here, holding no concurrency slot, until the
 * rest of the scan has nothing left on the wire, and at least a few seconds
 * have passed since it failed; then every waiting call tries again. Only a
 * call that still fails after its later passes marks what it covered
 * `unknown`.
 *
 * Why "when nothing else is running": a burst of errors is usually over by
 * the time the rest of the scan is done, and retrying then costs the scan no
 * time at all while other work is pending. Nothing can wait forever: every
 * waiting call is released when nothing else runs (nothing else is then
 * making progress either), and the --max-duration signal releases them all at
 * once with an error.
 */
export interface LaterPassOptions {
  /** Fires at --max-duration: waiting calls are rejected with its reason. */
  signal: AbortSignal;
  /** The least time (ms) a call waits before its first, second, … later pass. */
  delaysMs?: readonly number[];
}

/** 2 s before the first later pass, 10 s before the second. */
export const DEFAULT_LATER_PASS_DELAYS_MS: readonly number[] = [2_000, 10_000];

interface Waiting {
  notBefore: number;
  resolve: () => void;
  reject: (reason: unknown) => void;
}

export class LaterPasses {
  private running = 0;
  private readonly waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly delays: readonly number[];
  /** Calls released for a later pass so far (tests and the debug log). */
  released = 0;

  constructor(private readonly options: LaterPassOptions) {
    this.delays = options.delaysMs ?? DEFAULT_LATER_PASS_DELAYS_MS;
    options.signal.addEventListener(
      'abort',
      () => {
        if (this.timer) clearTimeout(this.timer);
        for (const w of this.waiting.splice(0)) w.reject(options.signal.reason);
      },
      { once: true },
    );
  }

  /** The least wait before later pass number `pass` (1-based). */
  delayBefore(pass: number): number {
    return this.delays[Math.min(pass, this.delays.length) - 1] ?? 0;
  }

  /** Calls in progress and not waiting here. */
  get active(): number {
    return this.running;
  }

  get parked(): number {
    return this.waiting.length;
  }

  callStarted(): void {
    this.running += 1;
  }

  callEnded(): void {
    this.running -= 1;
    this.schedule();
  }

  /**
   * Waits for later pass number `pass` of a call that is running (the caller
   * counts as running before and after). Rejects when --max-duration runs out.
   */
  wait(pass: number): Promise<void> {
    if (this.options.signal.aborted) return Promise.reject(this.options.signal.reason);
    return new Promise<void>((resolve, reject) => {
      this.running -= 1;
      this.waiting.push({
        notBefore: Date.now() + this.delayBefore(pass),
        resolve: () => {
          this.running += 1;
          resolve();
        },
        reject: (reason) => {
          this.running += 1;
          reject(reason);
        },
      });
      this.schedule();
    });
  }

  /** When nothing runs, release the waiting calls that are due, and come back for the others. */
  private schedule(): void {
    if (this.timer || this.running > 0 || this.waiting.length === 0) return;
    const due = Math.min(...this.waiting.map((w) => w.notBefore));
    // A short grace even when due: a check usually starts its next call on
    // the tick after the last one ended, and that is not "nothing runs".
    const wait = Math.max(25, due - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.running > 0) return; // something started meanwhile; callEnded() reschedules
      const now = Date.now();
      const ready = this.waiting.filter((w) => w.notBefore <= now);
      if (ready.length === 0) {
        this.schedule();
        return;
      }
      for (const w of ready) this.waiting.splice(this.waiting.indexOf(w), 1);
      this.released += ready.length;
      for (const w of ready) w.resolve();
    }, wait);
  }
}
