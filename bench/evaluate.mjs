// `atrest evaluate` end to end at scale, in every report format: the CLI as
// a user runs it (read and validate the inventory, evaluate, write the
// report to a file), on a synthetic inventory (bench/synthetic-inventory.mjs).
// Prints wall time, peak RSS and output size per format. Measured, not asserted.
// Run: npm run build && node bench/evaluate.mjs [resources=100000] [formats=all]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { jsonChunks } from '../dist/report/json-stream.js';
import { writeChunks } from '../dist/commands/output-target.js';
import { syntheticInventory } from './synthetic-inventory.mjs';

const count = Number(process.argv[2] ?? 100000);
const formats = (process.argv[3] ?? 'table,json,sarif,junit,markdown,csv,ocsf,html').split(',');
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'atrest-bench-'));
try {
  const inventoryFile = join(dir, 'inventory.json');
  const inventory = syntheticInventory(count);
  writeChunks(inventoryFile, jsonChunks(inventory));
  const mb = (n) => (n / 1024 / 1024).toFixed(0);
  console.log(`node ${process.version}, ${inventory.resources.length} resources, ${inventory.keys.length} keys, inventory ${mb(statSync(inventoryFile).size)} MB`);
  console.log('format     seconds  peak RSS  output');
  for (const format of formats) {
    const out = join(dir, `report.${format}`);
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['--require', join(root, 'bench/peak-rss.cjs'), join(root, 'dist/cli.js'), 'evaluate', inventoryFile, '--format', format, '--output', out, '--no-step-summary'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const seconds = (performance.now() - t0) / 1000;
    const rss = Number(/bench-peak-rss-kb (\d+)/.exec(r.stderr)?.[1] ?? NaN) * 1024;
    const errors = r.stderr.replace(/\nbench-peak-rss-kb \d+\n/, '').trim();
    const size = r.status === 2 ? 0 : statSync(out).size;
    console.log(`${format.padEnd(9)} ${seconds.toFixed(2).padStart(7)}  ${mb(rss).padStart(5)} MB  ${mb(size).padStart(5)} MB  exit ${r.status}${errors ? `  ${errors}` : ''}`);
    rmSync(out, { force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
