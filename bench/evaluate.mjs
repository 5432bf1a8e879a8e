// `atrest evaluate` end to end at scale, in every report format: the CLI as
// a user runs it (read and validate the inventory, evaluate, write the
// report to a file), on a synthetic inventory (bench/synthetic-inventory.mjs).
// Prints, per format, the median over RUNS runs of the wall time, the CPU
// time (user + system of the atrest process, from process.cpuUsage: on a
// shared machine the wall time measures the other jobs too) and the peak RSS
// (process.resourceUsage().maxRSS), and the output size. Measured, not asserted.
//
// Run: npm run build && node bench/evaluate.mjs [resources=100000] [formats=all] [runs=3] (--help)
// BENCH_INVENTORY=FILE reuses (or writes, when missing) the synthetic inventory there.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { jsonChunks } from '../dist/report/json-stream.js';
import { writeChunks } from '../dist/commands/output-target.js';
import { syntheticInventory } from './synthetic-inventory.mjs';

const ALL_FORMATS = ['table', 'json', 'sarif', 'junit', 'markdown', 'csv', 'ocsf', 'html'];
const USAGE = `usage: npm run build && node bench/evaluate.mjs [RESOURCES=100000] [FORMATS=all] [RUNS=3]

  RESOURCES  resources in the synthetic inventory (bench/synthetic-inventory.mjs)
  FORMATS    comma-separated, of ${ALL_FORMATS.join(' ')}; or all
  RUNS       runs per format; the median of each figure is printed

Prints per format: wall time, CPU time (user + system of the atrest process)
and peak RSS, the report's size and the exit code. On a shared machine the
CPU time and peak RSS are the figures to compare; the wall time includes the
other jobs.

  BENCH_INVENTORY=FILE  reuse the inventory in FILE (written there when missing)`;
if (process.argv.slice(2).some((a) => a === '--help' || a === '-h')) {
  console.log(USAGE);
  process.exit(0);
}
const count = Number(process.argv[2] ?? 100000);
const formats = (process.argv[3] && process.argv[3] !== 'all' ? process.argv[3] : ALL_FORMATS.join(',')).split(',');
const runs = Number(process.argv[4] ?? 3);
const unknown = formats.filter((f) => !ALL_FORMATS.includes(f));
if (!Number.isInteger(count) || count < 1 || !Number.isInteger(runs) || runs < 1 || unknown.length > 0) {
  console.error(`bench/evaluate.mjs: ${unknown.length > 0 ? `unknown format ${unknown.join(', ')}` : 'RESOURCES and RUNS are positive integers'}\n\n${USAGE}`);
  process.exit(2);
}
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'atrest-bench-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const mb = (n) => (n / 1024 / 1024).toFixed(0);
try {
  const inventoryFile = process.env.BENCH_INVENTORY ?? join(dir, 'inventory.json');
  if (!existsSync(inventoryFile)) {
    const inventory = syntheticInventory(count);
    writeChunks(inventoryFile, jsonChunks(inventory));
  }
  console.log(`node ${process.version}, ${count} resources, inventory ${mb(statSync(inventoryFile).size)} MB, median of ${runs} run(s)`);
  console.log('format     wall s   CPU s  peak RSS   output');
  for (const format of formats) {
    const out = join(dir, `report.${format}`);
    const samples = [];
    let last;
    for (let run = 0; run < runs; run += 1) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, ['--require', join(root, 'bench/peak-rss.cjs'), join(root, 'dist/cli.js'), 'evaluate', inventoryFile, '--format', format, '--output', out, '--no-step-summary'], { encoding: 'utf8', maxBuffer: 1 << 26 });
      const wall = (performance.now() - t0) / 1000;
      const m = /bench-peak-rss-kb (\d+) bench-cpu-us (\d+)/.exec(r.stderr);
      const errors = r.stderr.replace(/\nbench-peak-rss-kb \d+ bench-cpu-us \d+\n/, '').trim();
      const size = existsSync(out) ? statSync(out).size : 0;
      samples.push({ wall, cpu: Number(m?.[2] ?? NaN) / 1e6, rss: Number(m?.[1] ?? NaN) * 1024 });
      last = { status: r.status, errors, size };
      rmSync(out, { force: true });
    }
    const w = median(samples.map((s) => s.wall));
    const c = median(samples.map((s) => s.cpu));
    const rss = median(samples.map((s) => s.rss));
    console.log(`${format.padEnd(9)} ${w.toFixed(2).padStart(6)} ${c.toFixed(2).padStart(7)}  ${mb(rss).padStart(5)} MB  ${mb(last.size).padStart(5)} MB  exit ${last.status}${last.errors ? `  ${last.errors}` : ''}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
