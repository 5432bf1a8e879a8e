// Throughput of the offline half (no AWS): evaluate() and the JSON and table
// reporters on a synthetic inventory made by repeating the demo account's
// resources and keys N times with distinct ARNs. Measured, not asserted.
// Run: npm run build && node bench/engine.mjs [copies]
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { evaluate } from '../dist/engine/engine.js';
import { BASELINE_POLICY } from '../dist/policy/built-in.js';
import { mergeInventories } from '../dist/inventory-file.js';
import { renderJson } from '../dist/report/json.js';
import { renderTable } from '../dist/report/table.js';
import { renderSarif } from '../dist/report/sarif.js';
import { renderJunit } from '../dist/report/junit.js';
import { buildRulesIndex } from '../dist/engine/rule-index.js';
import { makeStyle } from '../dist/report/style.js';
import { buildKeysReport } from '../dist/engine/keys-view.js';
import { renderKeysTable } from '../dist/report/keys-table.js';

const copies = Number(process.argv[2] ?? 200);
const dir = new URL('../fixtures/demo/', import.meta.url);
const { inventory: demo } = mergeInventories(readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8'))));

// Copy i renames every ARN and id with a suffix, so keys still match their dependants.
const text = JSON.stringify({ keys: demo.keys, resources: demo.resources });
const keys = [];
const resources = [];
for (let i = 0; i < copies; i += 1) {
  const copy = JSON.parse(text.replace(/(arn:aws:[a-z0-9-]+:[a-z0-9-]*:[0-9]*:[A-Za-z0-9_./:-]+)/g, `$1-c${i}`));
  keys.push(...copy.keys);
  resources.push(...copy.resources);
}
const inventory = { ...demo, keys, resources };

const t0 = performance.now();
const report = evaluate(inventory, BASELINE_POLICY, { failOn: 'high' });
const t1 = performance.now();
const json = renderJson(report);
const t2 = performance.now();
const table = renderTable(report, { style: makeStyle(false), width: 160 });
const t3 = performance.now();
const keysTable = renderKeysTable(buildKeysReport(report, 'none'), { style: makeStyle(false), width: 160 });
const t4 = performance.now();
const sarif = renderSarif(report, buildRulesIndex());
const t5 = performance.now();
const junit = renderJunit(report);
const t6 = performance.now();
const mb = (n) => (n / 1024 / 1024).toFixed(1);
console.log(`node ${process.version}: ${resources.length} resources, ${keys.length} keys, ${report.findings.length} findings`);
console.log(`evaluate     ${(t1 - t0).toFixed(0).padStart(6)} ms`);
console.log(`render json  ${(t2 - t1).toFixed(0).padStart(6)} ms  (${mb(json.length)} MB)`);
console.log(`render table ${(t3 - t2).toFixed(0).padStart(6)} ms  (${mb(table.length)} MB)`);
console.log(`keys view    ${(t4 - t3).toFixed(0).padStart(6)} ms  (${mb(keysTable.length)} MB)`);
console.log(`render sarif ${(t5 - t4).toFixed(0).padStart(6)} ms  (${mb(sarif.length)} MB)`);
console.log(`render junit ${(t6 - t5).toFixed(0).padStart(6)} ms  (${mb(junit.length)} MB)`);
// maxRSS is in kilobytes; memoryUsage().rss would be the current size, not the peak.
console.log(`peak RSS     ${mb(process.resourceUsage().maxRSS * 1024).padStart(6)} MB`);
