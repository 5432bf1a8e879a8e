import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTokenBucket, type Clock } from '../../src/util/rate.js';

/**
 * A virtual clock: sleepers wake only when the test advances time, so the
 * pacing is proved without waiting a real second.
 */
class VirtualClock implements Clock {
  private time = 0;
  private sleepers: Array<{ at: number; wake: () => void }> = [];
  now(): number {
    return this.time;
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.sleepers.push({ at: this.time + ms, wake: resolve }));
  }
  /** Runs every sleeper in wake-up order until none is left. */
  async drain(): Promise<void> {
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (this.sleepers.length === 0) return;
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers.shift()!;
      this.time = Math.max(this.time, next.at);
      next.wake();
    }
  }
}

/** The largest number of calls in any window of `windowMs`. */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0; i < sorted.length; i += 1) {
    let j = i;
    while (j < sorted.length && sorted[j]! - sorted[i]! < windowMs) j += 1;
    best = Math.max(best, j - i);
  }
  return best;
}

describe('token bucket', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets no more than 5 calls into any one-second window (virtual clock)', async () => {
    const clock = new VirtualClock();
    const pace = createTokenBucket({ ratePerSecond: 5, clock });
    const times: number[] = [];
    const calls = Array.from({ length: 23 }, (_, i) => pace(async () => { times.push(clock.now()); return i; }));
    await clock.drain();
    expect(await Promise.all(calls)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(busiestWindow(times, 1000)).toBe(5);
    // Evenly spaced, in arrival order, and not slower than it needs to be.
    expect(times).toEqual(Array.from({ length: 23 }, (_, i) => i * 200));
  });

  it('refills while idle but never banks more than the burst', async () => {
    const clock = new VirtualClock();
    const pace = createTokenBucket({ ratePerSecond: 5, clock });
    const times: number[] = [];
    const first = pace(async () => times.push(clock.now()));
    await clock.drain();
    await first;
    // Ten idle seconds must not allow ten seconds' worth of calls at once.
    const idle = clock.sleep(10_000);
    await clock.drain();
    await idle;
    const later = Array.from({ length: 6 }, () => pace(async () => times.push(clock.now())));
    await clock.drain();
    await Promise.all(later);
    const after = times.slice(1);
    expect(after[0]).toBe(10_000);
    expect(busiestWindow(after, 1000)).toBe(5);
  });

  it('paces with fake timers and the system clock too', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(new Date('2026-11-28T09:00:00.000Z'));
    const pace = createTokenBucket({ ratePerSecond: 5 });
    const start = Date.now();
    const times: number[] = [];
    const all = Promise.all(Array.from({ length: 11 }, () => pace(async () => { times.push(Date.now() - start); })));
    await vi.runAllTimersAsync();
    await all;
    expect(busiestWindow(times, 1000)).toBe(5);
    expect(times.at(-1)).toBe(2000);
  });

  it('rejects nonsense settings', () => {
    expect(() => createTokenBucket({ ratePerSecond: 0 })).toThrow(RangeError);
    expect(() => createTokenBucket({ ratePerSecond: 5, burst: 0 })).toThrow(RangeError);
  });
});
