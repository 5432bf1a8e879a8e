import { describe, expect, it } from 'vitest';
import { CallBudget, MaxDurationExceeded } from '../../src/aws/call-budget.js';
import { CallGate } from '../../src/aws/call-gate.js';
import { TokenBucket } from '../../src/util/rate.js';

/**
 * The gate of one service in one Region: at most --concurrency attempts on
 * the wire, the overall ceiling shared by every gate, pacing before a slot is
 * taken, and a window that halves under a throttling storm and grows back.
 */

/** An attempt the test finishes by hand, counting how many run at once. */
function probe() {
  let running = 0;
  let peak = 0;
  const release: Array<() => void> = [];
  const attempt = () =>
    new Promise<void>((resolve) => {
      running += 1;
      peak = Math.max(peak, running);
      release.push(() => {
        running -= 1;
        resolve();
      });
    });
  return {
    attempt,
    get peak() {
      return peak;
    },
    get running() {
      return running;
    },
    /** Finishes every attempt on the wire, round after round, until all are done. */
    async drain(all: Promise<unknown>) {
      let done = false;
      void all.then(() => (done = true));
      while (!done) {
        await new Promise((r) => setImmediate(r));
        for (const r of release.splice(0)) r();
      }
    },
  };
}

describe('call gate', () => {
  it('never has more than --concurrency attempts on the wire', async () => {
    const budget = new CallBudget({ maxInFlight: 100 });
    const gate = new CallGate({ concurrency: 3, budget, service: 'KMS' });
    const p = probe();
    const all = Promise.all(Array.from({ length: 20 }, () => gate.attempt('DescribeKey', p.attempt)));
    await p.drain(all);
    expect(p.peak).toBe(3);
    expect(gate.peakInFlight).toBe(3);
    expect(budget.operation('KMS', 'DescribeKey').attempts).toBe(20);
  });

  it('shares the overall ceiling between gates (accounts, Regions and services together)', async () => {
    const budget = new CallBudget({ maxInFlight: 5 });
    const gates = ['S3:us-east-1', 'S3:eu-west-1', 'KMS:us-east-1'].map((key) => new CallGate({ concurrency: 4, budget, service: key.split(':')[0]! }));
    const p = probe();
    const all = Promise.all(gates.flatMap((gate) => Array.from({ length: 10 }, () => gate.attempt('Op', p.attempt))));
    await p.drain(all);
    expect(p.peak).toBe(5);
    expect(budget.totals().peakInFlight).toBe(5);
  });

  it('paces an operation with a published quota before it takes a slot, so other calls are not held up', async () => {
    const budget = new CallBudget();
    // 20 per second, no burst: the paced calls are 50 ms apart.
    const bucket = new TokenBucket({ ratePerSecond: 20 });
    const gate = new CallGate({ concurrency: 1, budget, service: 'DynamoDB', pacer: (op) => (op === 'ListTagsOfResource' ? bucket : undefined) });
    const order: string[] = [];
    const run = (op: string, i: number) => gate.attempt(op, async () => void order.push(`${op}#${i}`));
    await Promise.all([run('ListTagsOfResource', 1), run('ListTagsOfResource', 2), run('ListTagsOfResource', 3), run('DescribeTable', 1), run('DescribeTable', 2)]);
    // With one slot, a paced call that slept holding it would have kept DescribeTable waiting behind all three.
    expect(order.indexOf('DescribeTable#2')).toBeLessThan(order.indexOf('ListTagsOfResource#2'));
    expect(order.filter((o) => o.startsWith('ListTags'))).toEqual(['ListTagsOfResource#1', 'ListTagsOfResource#2', 'ListTagsOfResource#3']);
  });

  it('halves its window under a throttling storm and grows back to --concurrency once calls succeed', () => {
    const gate = new CallGate({ concurrency: 8, budget: new CallBudget(), service: 'EC2' });
    for (let i = 0; i < 5; i += 1) gate.recordThrottle('DescribeVolumes');
    expect(gate.window).toBe(4);
    // Another throttle within the same second does not halve again.
    gate.recordThrottle('DescribeVolumes');
    expect(gate.window).toBe(4);
    for (let i = 0; i < 200 && gate.window < 8; i += 1) gate.recordSuccess();
    expect(gate.window).toBe(8);
  });

  it('does not shrink for a throttle now and then (5 % of calls): only that call backs off', () => {
    const gate = new CallGate({ concurrency: 8, budget: new CallBudget(), service: 'S3' });
    for (let i = 0; i < 1000; i += 1) {
      if (i % 20 === 0) gate.recordThrottle('GetBucketPolicy');
      else gate.recordSuccess();
      expect(gate.window).toBe(8);
    }
  });

  it('when --max-duration runs out, a call waiting for a slot fails at once with MaxDurationExceeded', async () => {
    const budget = new CallBudget({ maxDurationMs: 60_000 });
    const gate = new CallGate({ concurrency: 1, budget, service: 'KMS' });
    const p = probe();
    const first = gate.attempt('ListKeys', p.attempt);
    const second = gate.attempt('ListKeys', async () => 'never sent');
    await new Promise((r) => setImmediate(r));
    budget.expire();
    await expect(second).rejects.toBeInstanceOf(MaxDurationExceeded);
    await p.drain(first);
    await expect(gate.attempt('ListKeys', async () => 'never sent')).rejects.toThrow(/--max-duration .* ran out/);
  });
});
