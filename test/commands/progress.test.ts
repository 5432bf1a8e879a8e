import { describe, expect, it } from 'vitest';
import { createProgress, formatElapsed, progressMode } from '../../src/commands/progress.js';

/** The progress display off a terminal (lines) and its mode; the live line is tested through a pseudo-terminal in test/cli/reach-cli.test.ts. */
function sink() {
  const lines: string[] = [];
  return { lines, stream: { write: (t: string) => (lines.push(t), true), isTTY: false } };
}

describe('progress', () => {
  it('picks the mode from the flags and the stream', () => {
    expect(progressMode({}, { isTTY: true })).toBe('live');
    expect(progressMode({}, { isTTY: false })).toBe('lines');
    expect(progressMode({ quiet: true }, { isTTY: true })).toBe('quiet');
    expect(progressMode({ progress: true }, { isTTY: false })).toBe('live');
    expect(progressMode({ debug: true }, { isTTY: true })).toBe('lines');
  });

  it('off a terminal: a line per finished account and region, at most one a second, none dropped', () => {
    const { lines, stream } = sink();
    let now = 0;
    const calls = { calls: 0, inFlight: 2, retries: 1 };
    const p = createProgress({ mode: 'lines', calls, stream, now: () => now });
    p.begin({ accounts: 2, units: 6 });
    p.unitDone('111122223333', 'us-east-1', 10); // t=0: printed
    now = 300;
    p.unitDone('111122223333', 'eu-west-1', 5); // held
    now = 700;
    p.unitDone('111122223333', 'ap-east-1', 0); // held
    now = 1200;
    p.unitDone('444455556666', 'us-east-1', 1); // printed with the two held
    p.skip(1);
    p.accountDone('444455556666', 'failed');
    p.summary('atrest: wrote x.json: 16 resources');
    expect(lines).toEqual([
      'atrest: done 111122223333/us-east-1 · 1/6 account-regions · 0/2 accounts · 10 resources · 2 in flight · 1 retries · 0m00s\n',
      'atrest: done 111122223333/eu-west-1 (+2 more) · 4/6 account-regions · 0/2 accounts · 16 resources · 2 in flight · 1 retries · 0m01s\n',
      'atrest: done 444455556666 (failed: see the report) · 5/6 account-regions · 1/2 accounts · 16 resources · 2 in flight · 1 retries · 0m01s\n',
      'atrest: wrote x.json: 16 resources\n',
    ]);
  });

  it('--quiet: nothing at all, not even the last line', () => {
    const { lines, stream } = sink();
    const p = createProgress({ mode: 'quiet', calls: { calls: 0, inFlight: 0, retries: 0 }, stream });
    p.begin({ accounts: 1, units: 1 });
    p.unitDone('111122223333', 'us-east-1', 1);
    p.summary('atrest: wrote x.json');
    expect(lines).toEqual([]);
  });

  it('formats elapsed time', () => {
    expect(formatElapsed(0)).toBe('0m00s');
    expect(formatElapsed(61_500)).toBe('1m01s');
    expect(formatElapsed(3_726_000)).toBe('1h02m06s');
  });
});
