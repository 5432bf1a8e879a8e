/**
 * A virtual clock for pacing tests: `sleep` parks the caller until the test
 * advances time, and `runUntilDone` advances straight to the next sleeper's
 * wake-up whenever nothing else can run. Pacing is then measured in virtual
 * milliseconds, exactly, with no real waiting and no timed assertion.
 */
export interface VirtualClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Drives `work` to completion, jumping the clock from one sleeper to the next. */
  runUntilDone<T>(work: Promise<T>): Promise<T>;
}

export function virtualClock(): VirtualClock {
  let now = 0;
  const sleepers: Array<{ until: number; wake: () => void }> = [];
  return {
    now: () => now,
    sleep: (ms) => new Promise<void>((wake) => sleepers.push({ until: now + ms, wake })),
    async runUntilDone<T>(work: Promise<T>): Promise<T> {
      let finished = false;
      void work.then(
        () => (finished = true),
        () => (finished = true),
      );
      while (!finished) {
        await new Promise((r) => setImmediate(r));
        sleepers.sort((a, b) => a.until - b.until);
        const next = sleepers.shift();
        if (next) {
          now = Math.max(now, next.until);
          next.wake();
        }
      }
      return work;
    },
  };
}
