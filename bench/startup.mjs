// Start-up cost of the CLI, measured (not asserted): median wall time of
// `atrest --help`, `atrest --version`, `atrest matrix` and `atrest rules`, against the time it
// takes Node just to import the SDK clients a scan needs. Run: npm run bench
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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

const rows = [
  ['node -e 0 (Node itself)', ['-e', '0']],
  ['atrest --version', ['dist/cli.js', '--version']],
  ['atrest --help', ['dist/cli.js', '--help']],
  ['atrest matrix', ['dist/cli.js', 'matrix']],
  ['atrest rules', ['dist/cli.js', 'rules']],
  ['import all 7 SDK clients (what eager imports would add)', ['--input-type=module', '-e', "await Promise.all(['kms','s3','ec2','rds','dynamodb','lambda','redshift'].map((s) => import('@aws-sdk/client-' + s)))"]],
];
console.log(`node ${process.version}, ${runs} runs each, median wall time`);
for (const [label, args] of rows) console.log(`${label.padEnd(58)} ${time(args).toFixed(0).padStart(6)} ms`);
