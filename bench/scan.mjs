// Benchmarks 1–3 of issue 14, against the fake AWS (bench/fake-aws, a local
// HTTP server on loopback in a process of its own, speaking the real wire
// protocols) and the synthetic organisation of 3 accounts × 4 Regions
// (bench/fake-aws/org.mjs): about 2,000 buckets, 5,000 volumes and snapshots,
// 500 DB instances and snapshots, 1,000 tables, 1,000 functions, 200 clusters
// and 300 customer managed keys.
//
//   1. API calls against the minimum the job needs, per operation.
//   2. Wall time with 20 ms per call, clean and with 5 % of calls throttled,
//      against the ideal (calls × latency ÷ calls in flight); every resource
//      judged the same as without faults.
//   3. A hung endpoint: the scan ends within the configured timeouts, every
//      affected resource `unknown` with the reason.
//
// The three accounts are scanned as three collects in one process, one
// ClientFactory per account (fake credentials the server maps to accounts),
// sharing one CallBudget — the overall ceiling of calls in flight — as a
// multi-account scan does.
//
// Measured, not asserted: it prints tables and exits 0 unless something
// broke. Run (after npm run build):   npm run bench:scan
//                                 or   node bench/scan.mjs [--quick]
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { BENCH_ACCOUNTS, BENCH_REGIONS, BENCH_TOTALS, buildOrg, orgCounts } from './fake-aws/org.mjs';
import { fakeCredentials } from './fake-aws/server.mjs';
import { pathToFileURL } from 'node:url';
import { CallBudget } from '../dist/aws/call-budget.js';
import { ClientFactory } from '../dist/aws/clients.js';
import { getCallerIdentity } from '../dist/aws/identity.js';
import { collect } from '../dist/collect/collect.js';
import { SERVICE_DESCRIPTORS } from '../dist/services/list.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Options are checked before anything runs: an unknown one (or --help) must not start a benchmark of several minutes.
const OPTIONS = new Set(['--quick', '--in-process', '--smoke', '--before']);
const unknownOptions = process.argv.slice(2).filter((a, i, all) => a.startsWith('-') && !OPTIONS.has(a) && all[i - 1] !== '--before');
if (unknownOptions.length > 0 || process.argv.includes('--before') && !process.argv[process.argv.indexOf('--before') + 1]) {
  const help = unknownOptions.every((a) => a === '--help' || a === '-h') && unknownOptions.length > 0;
  (help ? process.stdout : process.stderr).write(
    `${help ? '' : `bench/scan.mjs: unknown option ${unknownOptions.join(' ')}\n`}usage: node bench/scan.mjs [--quick] [--in-process] [--smoke] [--before DIR]   (npm run bench:scan builds first)\n` +
      '  --quick        fewer runs\n  --in-process   collect() in this process instead of the built CLI\n  --smoke        a fiftieth of the organisation, measures nothing (the test suite runs it)\n  --before DIR   also run benchmarks 1 and 2 with the atrest built in DIR\n',
  );
  process.exit(help ? 0 : 2);
}
const QUICK = process.argv.includes('--quick');
/**
 * By default the scans are the built CLI as a user runs it: one `atrest
 * collect` over the three accounts (--role-arn ×3, the fake answers
 * AssumeRole), every enabled Region (the fake's DescribeRegions). With
 * --in-process they are three collect() calls in this process, one factory
 * per account sharing one budget (what --before compares anyway).
 */
const IN_PROCESS = process.argv.includes('--in-process');
/** --smoke: a fiftieth of the organisation, 2 ms a call, short timeouts — proves the script runs (the test suite does this), measures nothing. */
const SMOKE = process.argv.includes('--smoke');
/**
 * --before DIR: also run benchmarks 1 and 2 with the atrest built in DIR (a
 * checkout of an earlier commit, `npm ci && npx tsc -p tsconfig.build.json`),
 * for a before/after comparison; its hung-endpoint scan is given 120 s.
 */
const BEFORE = process.argv.includes('--before') ? process.argv[process.argv.indexOf('--before') + 1] : null;
const now = { ClientFactory, collect, getCallerIdentity, SERVICE_DESCRIPTORS, budgets: true };
async function loadBuild(dir) {
  const at = (path) => import(pathToFileURL(`${dir}/dist/${path}`).href);
  const [clients, collectModule, identity, list] = await Promise.all([at('aws/clients.js'), at('collect/collect.js'), at('aws/identity.js'), at('services/list.js')]);
  return { ClientFactory: clients.ClientFactory, collect: collectModule.collect, getCallerIdentity: identity.getCallerIdentity, SERVICE_DESCRIPTORS: list.SERVICE_DESCRIPTORS, budgets: false };
}
const LATENCY_MS = SMOKE ? 2 : 20;
const CONCURRENCY = 8;
/** Calls in flight overall for benchmark 2 (see the README: at 64 this 2-core machine's CPU, not the latency, is the bound). */
const MAX_CONNECTIONS = 16;
const SERVICES = SERVICE_DESCRIPTORS.map((d) => d.id).sort();
const SCALE = SMOKE ? 50 : 1;
const TOTALS = Object.fromEntries(Object.entries(BENCH_TOTALS).map(([k, v]) => [k, Math.ceil(v / SCALE)]));
const org = buildOrg({ totals: TOTALS });

// ---------------------------------------------------------------- the fake AWS, in a child process
const child = fork(new URL('./fake-aws/serve.mjs', import.meta.url), [String(SCALE)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const pending = new Map();
let nextId = 0;
const ready = new Promise((resolve) => {
  child.on('message', (message) => {
    if (message.ready) return resolve(message.endpoint);
    pending.get(message.id)?.(message.result);
    pending.delete(message.id);
  });
});
const endpoint = await ready;
const rpc = (cmd, arg) =>
  new Promise((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    child.send({ id, cmd, arg });
  });

// The check modules and SDK clients load once, before anything is timed.
await Promise.all(SERVICE_DESCRIPTORS.map((d) => d.collector.load()));

/** One scan of the whole organisation: three collects at once, one factory per account, one shared budget. */
async function scanOrg({ latencyMs = LATENCY_MS, faults = {}, maxConnections = MAX_CONNECTIONS, requestTimeoutMs, connectTimeoutMs, build = now, limitMs } = {}) {
  const { ClientFactory, collect, getCallerIdentity } = build;
  await rpc('reset');
  await rpc('setLatency', latencyMs);
  await rpc('setFaults', faults);
  const budget = new CallBudget({ maxInFlight: maxConnections });
  budget.start();
  const factories = BENCH_ACCOUNTS.map(
    (accountId) =>
      new ClientFactory({
        endpointUrl: endpoint,
        credentials: fakeCredentials(accountId),
        concurrency: CONCURRENCY,
        budget,
        ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
        ...(connectTimeoutMs ? { connectTimeoutMs } : {}),
      }),
  );
  const cpu = process.cpuUsage();
  const started = performance.now();
  const work = Promise.all(
    factories.map(async (clients) => {
      const identity = await getCallerIdentity(clients, BENCH_REGIONS[0]);
      const { inventory } = await collect({
        clients,
        accountId: identity.accountId,
        principalArn: identity.principalArn,
        partition: identity.partition,
        regions: BENCH_REGIONS,
        services: SERVICES,
        concurrency: CONCURRENCY,
        log: () => {},
      });
      return inventory;
    }),
  );
  const inventories = limitMs ? await Promise.race([work, new Promise((resolve) => setTimeout(() => resolve(null), limitMs))]) : await work;
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const gates = build.budgets ? factories.flatMap((f) => [...f.allGates().entries()].map(([key, gate]) => ({ key, peak: gate.peakInFlight }))) : [];
  for (const f of factories) f.destroy();
  budget.dispose();
  return {
    ms,
    cpuMs: (used.user + used.system) / 1000,
    inventories,
    budget,
    gates,
    counts: await rpc('counts'),
    faultCounts: await rpc('faultCounts'),
    peaks: await rpc('peaks'),
    described: await rpc('describeKeyCounts'),
    foreign: await rpc('foreignSnapshotsSent'),
  };
}


/** Children's CPU time so far (ms), from /proc/self/stat (cutime + cstime): what a finished `atrest` used. */
function childCpuMs() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'atrest-bench-'));
let cliRuns = 0;
/** One scan of the organisation by the built CLI: `atrest collect` through three roles, every enabled Region. */
async function cliScan({ latencyMs = LATENCY_MS, faults = {}, maxConnections = MAX_CONNECTIONS, requestTimeoutMs, connectTimeoutMs } = {}) {
  await rpc('reset');
  await rpc('setLatency', latencyMs);
  await rpc('setFaults', faults);
  const output = join(scratch, `inventory-${cliRuns++}.json`);
  const credentials = fakeCredentials(BENCH_ACCOUNTS[0]);
  const args = [
    new URL('../dist/cli.js', import.meta.url).pathname,
    'collect',
    ...BENCH_ACCOUNTS.flatMap((a) => ['--role-arn', `arn:aws:iam::${a}:role/atrest-audit`]),
    '--endpoint-url', endpoint,
    '--concurrency', String(CONCURRENCY),
    '--max-connections', String(maxConnections),
    ...(requestTimeoutMs ? ['--request-timeout', String(requestTimeoutMs / 1000)] : []),
    ...(connectTimeoutMs ? ['--connect-timeout', String(connectTimeoutMs / 1000)] : []),
    '--quiet',
    '--output', output,
  ];
  const env = { ...process.env, AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey, AWS_REGION: BENCH_REGIONS[0], AWS_CONFIG_FILE: '/nonexistent/atrest-bench', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/atrest-bench', AWS_EC2_METADATA_DISABLED: 'true' };
  delete env.AWS_PROFILE;
  const cpuBefore = childCpuMs();
  const started = performance.now();
  const { code, stderr } = await new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (exit) => resolve({ code: exit, stderr: err }));
  });
  const ms = performance.now() - started;
  if (code !== 0 && code !== 3) throw new Error(`atrest collect exited ${code}: ${stderr}`);
  const inventory = JSON.parse(readFileSync(output, 'utf8'));
  return {
    ms,
    cpuMs: childCpuMs() - cpuBefore,
    exitCode: code,
    inventories: [inventory],
    budget: null,
    counts: await rpc('counts'),
    faultCounts: await rpc('faultCounts'),
    peaks: await rpc('peaks'),
    described: await rpc('describeKeyCounts'),
    foreign: await rpc('foreignSnapshotsSent'),
  };
}

/** The scans the headline figures come from. */
const scan = IN_PROCESS ? scanOrg : cliScan;

// ---------------------------------------------------------------- the minimum the job needs
const pages = (n, size) => Math.max(1, Math.ceil(n / size));
/** Per fake-server "service:Operation": the calls the facts atrest records need, from the organisation itself. */
function minimumCalls() {
  const min = {};
  const add = (key, n) => (min[key] = (min[key] ?? 0) + n);
  if (!IN_PROCESS) {
    // The CLI: who is calling (once), the enabled Regions of the caller and of each account, a role per account.
    add('sts:GetCallerIdentity', 1);
    add('ec2:DescribeRegions', 1 + org.accounts.size);
    add('sts:AssumeRole', org.accounts.size);
  }
  for (const account of org.accounts.values()) {
    if (IN_PROCESS) add('sts:GetCallerIdentity', 1);
    add('s3:ListBuckets', pages(account.buckets.length, 1000));
    for (const unit of account.regions.values()) {
      const buckets = unit.buckets;
      add('s3:GetBucketEncryption', buckets.length);
      add('s3:GetBucketPolicy', buckets.length);
      const tagged = (list) => list.filter((x) => Object.keys(x.tags).length > 0).length;
      const customer = unit.keys.filter((k) => k.manager === 'CUSTOMER');
      // Tags in bulk: a listing page per 100 tagged resources, per Region and type that has resources.
      if (buckets.length > 0) add('tagging:GetResources', pages(tagged(buckets), 100));
      if (unit.tables.length > 0) add('tagging:GetResources', pages(tagged(unit.tables), 100));
      if (customer.length > 0) add('tagging:GetResources', pages(tagged(customer), 100));
      add('ec2:DescribeVolumes', pages(unit.volumes.length, 500));
      add('ec2:DescribeSnapshots', pages(unit.snapshots.length, 1000));
      add('ec2:GetEbsEncryptionByDefault', 1);
      add('ec2:GetEbsDefaultKmsKeyId', 1);
      add('rds:DescribeDBInstances', pages(unit.dbInstances.length, 100));
      add('rds:DescribeDBSnapshots', pages(unit.dbSnapshots.length, 100));
      add('rds:DescribeDBClusters', 1);
      add('rds:DescribeDBClusterSnapshots', 1);
      add('dynamodb:ListTables', pages(unit.tables.length, 100));
      add('dynamodb:DescribeTable', unit.tables.length);
      add('dynamodb:ListBackups', 1);
      add('lambda:ListFunctions', pages(unit.functions.length, 50));
      add('lambda:GetFunction', unit.functions.length);
      // Published versions and aliases, per function (none in this organisation: one page each).
      add('lambda:ListVersionsByFunction', unit.functions.length);
      add('lambda:ListAliases', unit.functions.length);
      // Listings of types this organisation has none of: one empty page per Region.
      add('rds:DescribeDBInstanceAutomatedBackups', 1);
      add('rds:DescribeDBClusterAutomatedBackups', 1);
      add('dax:DescribeClusters', 1);
      add('s3express:ListDirectoryBuckets', 1);
      add('redshift-serverless:ListSnapshots', 1);
      add('redshift:DescribeClusters', pages(unit.clusters.length, 100));
      add('redshift:DescribeClusterSnapshots', 1);
      add('redshift-serverless:ListNamespaces', 1);
      // No EFS file systems in this organisation: one empty listing per Region.
      add('elasticfilesystem:DescribeFileSystems', 1);
      add('kms:ListKeys', pages(unit.keys.length, 1000));
      add('kms:ListAliases', pages(unit.keys.reduce((n, k) => n + k.aliases.length, 0), 100));
      // Each key described once per account and Region (every key ListKeys names).
      add('kms:DescribeKey', unit.keys.length);
      add('kms:GetKeyPolicy', unit.keys.length);
      add('kms:ListGrants', unit.keys.length);
      const symmetric = customer.filter((k) => k.spec === 'SYMMETRIC_DEFAULT');
      add('kms:GetKeyRotationStatus', symmetric.filter((k) => k.origin === 'AWS_KMS').length);
      add('kms:ListKeyRotations', symmetric.filter((k) => k.origin === 'AWS_KMS' || k.origin === 'EXTERNAL').length);
    }
  }
  return min;
}

/** ARN → "level keyArn" over every inventory: what the scan decided. */
function judgements(inventories) {
  const out = new Map();
  for (const inv of inventories) for (const r of inv.resources) out.set(r.arn, `${r.protection.level} ${r.protection.keyArn ?? '-'}`);
  return out;
}

const fmt = (n) => n.toLocaleString('en-US');
const sec = (ms) => `${(ms / 1000).toFixed(1)} s`;
function table(rows, header) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i === 0 ? `-${'-'.repeat(w)}-` : `-${'-'.repeat(w - 1)}:`)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

/** The share of one CPU this process gets right now (a 1-second busy loop): the machine may be shared. */
function cpuShare() {
  const start = Date.now();
  const cpu = process.cpuUsage();
  while (Date.now() - start < 1000);
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1000 / (Date.now() - start);
}

const totals = orgCounts(org);
console.log(`# atrest scan benchmarks (bench/scan.mjs${IN_PROCESS ? ', in process' : ', the built CLI: atrest collect --role-arn ×3, every enabled Region'}), Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} and ${(cpuShare() * 100).toFixed(0)} % of a CPU available at the start, ${BENCH_ACCOUNTS.length} accounts × ${BENCH_REGIONS.length} Regions`);
console.log(
  `organisation: ${fmt(totals.buckets)} buckets, ${fmt(totals.volumes)} volumes, ${fmt(totals.snapshots)} snapshots, ${fmt(totals.dbInstances)} DB instances, ${fmt(totals.dbSnapshots)} DB snapshots, ${fmt(totals.tables)} tables, ${fmt(totals.functions)} functions, ${fmt(totals.clusters)} clusters, ${fmt(totals.customerKeys)} customer managed keys (+${totals.awsManagedKeys} AWS managed)`,
);

// ---------------------------------------------------------------- 1 + 2: clean
// One untimed scan first: the first calls of each SDK client (endpoint rules,
// signing keys, JIT) cost more than the rest, and would load the first run only.
await scan({ latencyMs: 0, maxConnections: 64 });
let clean = await scan();
const cleanJudged = judgements(clean.inventories);
const sent = clean.counts;
const minimum = minimumCalls();
const operations = [...new Set([...Object.keys(sent), ...Object.keys(minimum)])].sort();
const callsSent = Object.values(sent).reduce((a, b) => a + b, 0);
const callsMin = Object.values(minimum).reduce((a, b) => a + b, 0);
console.log('\n## 1. API calls against the minimum the job needs (clean scan)\n');
table(
  operations.map((op) => [op, fmt(sent[op] ?? 0), fmt(minimum[op] ?? 0), minimum[op] ? `${((sent[op] ?? 0) / minimum[op]).toFixed(3)}×` : 'extra']),
  ['operation', 'sent', 'minimum', 'ratio'],
);
console.log(`\ntotal: ${fmt(callsSent)} calls, minimum ${fmt(callsMin)} (${(callsSent / callsMin).toFixed(3)}×); worst operation ${Math.max(...operations.map((op) => (sent[op] ?? 0) / (minimum[op] || 1))).toFixed(3)}×`);
const describedTwice = Object.entries(clean.described).filter(([, n]) => n > 1);
console.log(`DescribeKey: ${fmt(Object.keys(clean.described).length)} distinct keys described, the most times one key was described in one account and Region: ${Math.max(...Object.values(clean.described))}${describedTwice.length ? ` (${describedTwice.length} keys more than once)` : ''}`);
console.log(`snapshots of other accounts sent by the fake (it ignores OwnerIds=self, as an emulator does): ${clean.foreign}`);
console.log(`resources judged: ${fmt(cleanJudged.size)}, unknown: ${[...cleanJudged.values()].filter((v) => v.startsWith('unknown')).length}, scan errors: ${clean.inventories.reduce((n, i) => n + i.scan.errors.length, 0)}`);

// The ideal: every call costs only its latency, and the scan keeps the allowed
// number in flight all the time. Two bounds: the overall ceiling, and the
// busiest gate (one account, service and Region at --concurrency).
function ideal(run) {
  const calls = Object.values(run.counts).reduce((a, b) => a + b, 0);
  const overall = (calls * LATENCY_MS) / MAX_CONNECTIONS;
  return { calls, overall };
}

console.log(`\n## 2. Wall time with ${LATENCY_MS} ms per call (--concurrency ${CONCURRENCY}, --max-connections ${MAX_CONNECTIONS}; the faster of two runs each)\n`);
// Each timed scan twice, alternating, and the faster of each kept: the
// machine may be shared, and what others run adds to one run or the other.
const THROTTLE = { throttleRate: 0.05, seed: 14 };
let throttled = await scan({ faults: THROTTLE });
if (!SMOKE) {
  const clean2 = await scan();
  const throttled2 = await scan({ faults: THROTTLE });
  if (clean2.ms < clean.ms) clean = clean2;
  if (throttled2.ms < throttled.ms) throttled = throttled2;
}
const runs = [['clean', clean], ['5 % of calls throttled', throttled]];
const cleanIdeal = ideal(clean);
const rows = runs.map(([label, run]) => {
  const judged = judgements(run.inventories);
  const differ = [...cleanJudged.keys()].filter((arn) => judged.get(arn) !== cleanJudged.get(arn)).length + [...judged.keys()].filter((arn) => !cleanJudged.has(arn)).length;
  const calls = Object.values(run.counts).reduce((a, b) => a + b, 0);
  const retries = run.budget ? run.budget.totals().retries : calls - cleanIdeal.calls;
  return [label, fmt(calls), fmt(run.faultCounts.throttled), sec(run.ms), `${(run.ms / cleanIdeal.overall).toFixed(2)}×`, sec(run.cpuMs), fmt(retries), String(differ)];
});
table(rows, ['scan', 'HTTP calls', 'throttled', 'wall', 'vs ideal', IN_PROCESS ? 'CPU (client)' : 'CPU (atrest)', 'retries', 'judged differently']);
console.log(`\nideal = ${fmt(cleanIdeal.calls)} calls × ${LATENCY_MS} ms ÷ ${MAX_CONNECTIONS} in flight = ${sec(cleanIdeal.overall)}`);
console.log(`most calls in flight at the fake: ${throttled.peaks.overall} overall; ${Math.max(...Object.values(throttled.peaks.perUnit))} per account, service and Region`);

if (!QUICK && !SMOKE) {
  const wide = await scan({ maxConnections: 64 });
  const wideIdeal = (Object.values(wide.counts).reduce((a, b) => a + b, 0) * LATENCY_MS) / 64;
  console.log(
    `with the default --max-connections 64: ${sec(wide.ms)} wall, ${sec(wide.cpuMs)} of client CPU for ${fmt(Object.values(wide.counts).reduce((a, b) => a + b, 0))} calls (ideal ${sec(wideIdeal)}): the SDK's own work per call, not the latency, is then the bound on this machine`,
  );
}

// ---------------------------------------------------------------- 3: a hung endpoint
const REQUEST_TIMEOUT_MS = SMOKE ? 500 : 2_000;
const hungAccount = BENCH_ACCOUNTS[2];
const hungRegion = BENCH_REGIONS[3];
const hangs = [
  // The DynamoDB endpoint of one Region accepts connections and never answers, for every account.
  { service: 'dynamodb', region: BENCH_REGIONS[1] },
  // KMS DescribeKey in one account and Region never answers: every resource whose key it should name is affected.
  { service: 'kms', account: hungAccount, region: hungRegion, operation: 'DescribeKey' },
];
console.log(`\n## 3. A hung endpoint (--request-timeout ${REQUEST_TIMEOUT_MS / 1000}, --connect-timeout 2)\n`);
const hung = await scan({ faults: { hang: hangs }, requestTimeoutMs: REQUEST_TIMEOUT_MS, connectTimeoutMs: 2_000 });
const hungJudged = judgements(hung.inventories);
const errors = hung.inventories.flatMap((inv) => inv.scan.errors);
const byCall = new Map();
for (const e of errors) byCall.set(`${e.service} ${e.region} ${e.operation} ${e.code}`, (byCall.get(`${e.service} ${e.region} ${e.operation} ${e.code}`) ?? 0) + 1);
const missing = [...cleanJudged.keys()].filter((arn) => !hungJudged.has(arn));
const changed = [...cleanJudged.keys()].filter((arn) => hungJudged.has(arn) && hungJudged.get(arn) !== cleanJudged.get(arn));
const unknownWithReason = hung.inventories
  .flatMap((inv) => inv.resources)
  .filter((r) => r.protection.level === 'unknown' && r.protection.notes.some((n) => /TimeoutError|request timeout/.test(n)));
const hungCalls = hung.faultCounts.hung;
// The bound: each call that gets no answer makes at most 3 attempts (2 at once,
// 1 in a later pass) of --request-timeout each, --concurrency at a time per
// gate, the later pass waiting at least 2 s; on top of the clean scan's time.
const perGate = Math.ceil(unit(hungAccount, hungRegion).keys.length / CONCURRENCY);
const bound = clean.ms + (perGate * 2 + 1) * REQUEST_TIMEOUT_MS + 2_000 + 2 * REQUEST_TIMEOUT_MS;
table(
  [...byCall.entries()].sort().map(([call, n]) => [call, String(n)]),
  ['scan error (service Region operation code)', 'count'],
);
console.log(`\nwall: ${sec(hung.ms)} (clean ${sec(clean.ms)}); bound from the timeouts: ${sec(bound)}; requests the fake never answered: ${fmt(hungCalls)}`);
console.log(`resources not listed (their listing never answered; each listing is a scan error above): ${fmt(missing.length)}`);
console.log(`resources judged differently from the clean scan: ${fmt(changed.length)}, of which unknown with the timeout as the reason: ${fmt(changed.filter((arn) => hungJudged.get(arn).startsWith('unknown')).length)}; unknown with the reason overall: ${fmt(unknownWithReason.length)}`);
console.log(`every other resource judged as in the clean scan: ${[...cleanJudged.keys()].filter((arn) => hungJudged.has(arn) && !changed.includes(arn)).length === cleanJudged.size - missing.length - changed.length}`);

function unit(account, region) {
  return org.accounts.get(account).regions.get(region);
}

// ---------------------------------------------------------------- before/after
async function beforeAndAfter() {
  const before = await loadBuild(BEFORE);
  await Promise.all(before.SERVICE_DESCRIPTORS.map((d) => d.collector.load()));
  console.log(`\n## Before and after (--before ${BEFORE})\n`);
  const beforeClean = await scanOrg({ build: before });
  const beforeThrottled = await scanOrg({ build: before, faults: { throttleRate: 0.05, seed: 14 } });
  const beforeHung = await scanOrg({ build: before, faults: { hang: [{ service: 'dynamodb', region: BENCH_REGIONS[1] }] }, limitMs: 120_000 });
  const callsOf = (run) => Object.values(run.counts).reduce((a, b) => a + b, 0);
  const lost = (run) => {
    if (!run.inventories) return 'n/a';
    const judged = judgements(run.inventories);
    const base = judgements(beforeClean.inventories);
    return String([...base.keys()].filter((arn) => judged.get(arn) !== base.get(arn)).length);
  };
  table(
    [
      ['clean', fmt(callsOf(beforeClean)), sec(beforeClean.ms), fmt(callsOf(clean)), sec(clean.ms)],
      ['5 % throttled', fmt(callsOf(beforeThrottled)), `${sec(beforeThrottled.ms)} (${lost(beforeThrottled)} judged differently)`, fmt(callsOf(throttled)), sec(throttled.ms)],
      ['DynamoDB of one Region hung', fmt(callsOf(beforeHung)), beforeHung.inventories ? sec(beforeHung.ms) : 'still running after 120 s', '', ''],
    ],
    ['scan', 'calls before', 'wall before', 'calls now', 'wall now'],
  );
  const ops = [...new Set([...Object.keys(beforeClean.counts), ...Object.keys(clean.counts)])].sort().filter((op) => beforeClean.counts[op] !== clean.counts[op]);
  console.log('\noperations whose call count changed (before → now):');
  for (const op of ops) console.log(`  ${op}: ${fmt(beforeClean.counts[op] ?? 0)} → ${fmt(clean.counts[op] ?? 0)}`);
}

if (BEFORE) await beforeAndAfter();

console.log(`\nload average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}, ${(cpuShare() * 100).toFixed(0)} % of a CPU available`);
await rpc('close');
