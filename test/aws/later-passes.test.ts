import { describe, expect, it } from 'vitest';
import { LaterPasses } from '../../src/aws/later-passes.js';

/** The later pass waits for the rest of the scan, never for ever. */
describe('later passes', () => {
  it('releases a waiting call only when nothing else runs, and not before its delay', async () => {
    const controller = new AbortController();
    const later = new LaterPasses({ signal: controller.signal, delaysMs: [40, 40] });
    later.callStarted(); // the call that will wait
    later.callStarted(); // another call, still running
    let released = false;
    const waiting = later.wait(1).then(() => (released = true));
    await new Promise((r) => setTimeout(r, 80));
    expect(released).toBe(false);
    expect(later.parked).toBe(1);
    later.callEnded(); // the other call is done: nothing else runs
    await waiting;
    expect(released).toBe(true);
    expect(later.active).toBe(1);
    later.callEnded();
    expect(later.active).toBe(0);
  });

  it('when every call waits, they are all released together (nothing is left to wait for)', async () => {
    const controller = new AbortController();
    const later = new LaterPasses({ signal: controller.signal, delaysMs: [20] });
    for (let i = 0; i < 3; i += 1) later.callStarted();
    await Promise.all([later.wait(1), later.wait(1), later.wait(1)]);
    expect(later.released).toBe(3);
  });

  it('--max-duration rejects every waiting call at once', async () => {
    const controller = new AbortController();
    const later = new LaterPasses({ signal: controller.signal, delaysMs: [60_000] });
    later.callStarted();
    const waiting = later.wait(1);
    controller.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
    await expect(later.wait(1)).rejects.toThrow('deadline');
  });
});
