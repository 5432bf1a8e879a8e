import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/**
 * A JSON input at least as large as the JavaScript heap cannot be held once
 * parsed. Before, V8 ended the process after minutes with a fatal
 * out-of-memory trace (exit 134); now the read refuses at once, naming the
 * file and the option that makes it fit. Shown here with a 16 MB old space (a 64 MB heap) and an
 * 80 MiB file instead of Node's default heap and a multi-GB report.
 */
let dir: string;
let big: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'atrest-heap-'));
  big = join(dir, 'big.json');
  const fd = openSync(big, 'w');
  writeSync(fd, '{"kind":"atrest-inventory","resources":[');
  const chunk = Buffer.from('0,'.repeat(1 << 20));
  for (let i = 0; i < 40; i++) writeSync(fd, chunk);
  writeSync(fd, '0]}');
  closeSync(fd);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('inputs larger than the JavaScript heap', () => {
  const env = { NODE_OPTIONS: '--max-old-space-size=16' };
  const says = /the file is 80 MB, more than this process's JavaScript heap \(\d+ MB\) can hold once parsed; run atrest with NODE_OPTIONS=--max-old-space-size=\d+ \(MB\)/;

  it.each([
    ['evaluate', (f: string) => ['evaluate', f], 'cannot read inventory '],
    ['verify', (f: string) => ['verify', f], 'cannot read '],
    ['merge', (f: string) => ['merge', f, '--output', join(dir, 'out.json')], ''],
  ])('%s: exit 2 with one line naming the file and the heap option, no crash', (_name, args, prefix) => {
    const r = runCli(args(big), { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${prefix}${big}`);
    expect(r.stderr).toMatch(says);
    expect(r.stderr).not.toMatch(/FATAL ERROR|heap out of memory|at \w+ \(/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
