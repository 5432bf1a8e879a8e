import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/fixtures.js';

/**
 * The scan benchmarks are measured, not asserted, and stay out of the test
 * suite; this only proves bench/scan.mjs still runs end to end (a fiftieth of
 * its organisation, --smoke), so its figures in the README can always be
 * reproduced. It asserts that every benchmark printed its table, and the
 * facts that do not depend on the machine: the call counts equal the
 * minimum, and nothing is judged differently under throttling.
 */
describe('bench/scan.mjs --smoke', () => {
  it('runs benchmarks 1-3 on a small organisation', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bench', 'scan.mjs'), '--smoke'], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('## 1. API calls against the minimum the job needs');
    expect(r.stdout).toMatch(/worst operation 1\.000×/);
    expect(r.stdout).toContain('## 2. Wall time');
    expect(r.stdout).toMatch(/\| 5 % of calls throttled .* \|\s+0 \|\n/);
    expect(r.stdout).toContain('## 3. A hung endpoint');
    expect(r.stdout).toContain('every other resource judged as in the clean scan: true');
  }, 300_000);
});
