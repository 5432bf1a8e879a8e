import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTokenBucket } from '../../src/util/rate.js';
import { virtualClock } from '../helpers/virtual-clock.js';

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
    const clock = virtualClock();
    const pace = createTokenBucket({ ratePerSecond: 5, clock });
    const times: number[] = [];
    const calls = Array.from({ length: 23 }, (_, i) => pace(async () => { times.push(clock.now()); return i; }));
    expect(await clock.runUntilDone(Promise.all(calls))).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(busiestWindow(times, 1000)).toBe(5);
    // Evenly spaced, in arrival order, and not slower than it needs to be.
    expect(times).toEqual(Array.from({ length: 23 }, (_, i) => i * 200));
  });

  it('refills while idle but never banks more than the burst', async () => {
    const clock = virtualClock();
    const pace = createTokenBucket({ ratePerSecond: 5, clock });
    const times: number[] = [];
    const first = pace(async () => times.push(clock.now()));
    await clock.runUntilDone(first);
    // Ten idle seconds must not allow ten seconds' worth of calls at once.
    const idle = clock.sleep(10_000);
    await clock.runUntilDone(idle);
    const later = Array.from({ length: 6 }, () => pace(async () => times.push(clock.now())));
    await clock.runUntilDone(Promise.all(later));
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
