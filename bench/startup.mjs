// Start-up cost of the CLI, measured (not asserted): median wall time of
// `atrest --help`, `atrest --version`, `atrest matrix` and `atrest rules`, against the time it
// takes Node just to import the SDK clients a scan needs. Run: npm run bench
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { allApis } from '../dist/aws/iam-actions.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.env.RUNS ?? 21);

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(args) {
  const samples = [];
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

// The SDK client packages a full scan loads, from the service descriptors (STS aside: every command that scans loads it).
const packages = [...new Set(allApis().map((api) => api.sdkPackage))].filter((p) => p !== '@aws-sdk/client-sts');

const rows = [
  ['node -e 0 (Node itself)', ['-e', '0']],
  ['atrest --version', ['dist/cli.js', '--version']],
  ['atrest --help', ['dist/cli.js', '--help']],
  ['atrest matrix', ['dist/cli.js', 'matrix']],
  ['atrest rules', ['dist/cli.js', 'rules']],
  [
    `import all ${packages.length} SDK clients (what eager imports would add)`,
    ['--input-type=module', '-e', `await Promise.all(${JSON.stringify(packages)}.map((p) => import(p)))`],
  ],
];
console.log(`node ${process.version}, ${runs} runs each, median wall time`);
for (const [label, args] of rows) console.log(`${label.padEnd(58)} ${time(args).toFixed(0).padStart(6)} ms`);
