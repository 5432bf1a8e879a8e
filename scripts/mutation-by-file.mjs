#!/usr/bin/env node
// Mutation scores of the classification core, one Stryker run per file, each
// against the tests that exercise that file (issue 9, "Tests that would catch
// a wrong verdict"): `npm run mutation:files [-- src/keys/resolver.ts ...]`.
//
// Why not only `npm run mutation`: in one run over all files, every static
// mutant (one that changes code run when a module loads, such as a pattern or
// a table) runs the whole suite, and since the service folders load the core
// at import, 44 % of the mutants are static; on the shared 2-core machine that
// run takes well over an hour. Here each file's static mutants run only the
// tests listed for it. A mutant these tests kill is killed by the full suite
// too (the same tests are in it), so each score is a lower bound of the
// full-suite score.
//
// Narrowing goes through ATREST_MUTATION_TESTS (vitest.mutation.config.ts),
// not Stryker's --testFiles, which makes static mutants survive falsely
// (stryker-mutator/stryker-js#6144). Logs and JSON reports land in
// reports/mutation/by-file/ (not committed).
import { spawnSync } from 'node:child_process';
import { mkdirSync, openSync, closeSync, readFileSync, copyFileSync } from 'node:fs';

/** Each mutated file (stryker.config.mjs `mutate`) and the tests that judge it. */
const TESTS = {
  'src/keys/reference.ts': 'test/keys/**',
  'src/keys/classify.ts': 'test/keys/**',
  'src/keys/resolver.ts': 'test/keys/**',
  'src/keys/rotation.ts': 'test/keys/**,test/services/kms/rotation-rule.test.ts',
  'src/collect/protection.ts': 'test/collect/protection.test.ts,test/keys/**',
  'src/rules/level-rule.ts': 'test/rules/**,test/engine/**',
  'src/rules/key-state-rule.ts': 'test/rules/**,test/engine/**',
  'src/services/kms/key-policy.ts': 'test/services/kms/**',
  'src/services/kms/rotation-rule.ts': 'test/services/kms/**,test/rules/**',
  'src/services/s3/check.ts': 'test/services/s3/**',
};

const { mutate } = (await import('../stryker.config.mjs')).default;
const missing = mutate.filter((f) => !(f in TESTS));
if (missing.length > 0) {
  console.error(`mutation-by-file: no tests listed for ${missing.join(', ')} (add them to TESTS in scripts/mutation-by-file.mjs)`);
  process.exit(2);
}
const asked = process.argv.slice(2);
const unknown = asked.filter((f) => !(f in TESTS));
if (unknown.length > 0) {
  console.error(`mutation-by-file: not in stryker.config.mjs mutate: ${unknown.join(', ')}`);
  process.exit(2);
}
const files = asked.length > 0 ? asked : mutate;
const concurrency = process.env.ATREST_MUTATION_CONCURRENCY ?? '1';
const out = 'reports/mutation/by-file';
mkdirSync(out, { recursive: true });

const rows = [];
let failed = false;
for (const file of files) {
  const name = file.replace(/^src\//, '').replace(/\//g, '-').replace(/\.ts$/, '');
  const started = Date.now();
  process.stderr.write(`${file} (tests: ${TESTS[file]}) ... `);
  const log = openSync(`${out}/${name}.log`, 'w');
  const run = spawnSync('npx', ['stryker', 'run', '--mutate', file, '--force', '--concurrency', concurrency, '--reporters', 'clear-text,json', '--incrementalFile', `${out}/${name}.incremental.json`], {
    env: { ...process.env, ATREST_MUTATION_TESTS: TESTS[file] },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const minutes = ((Date.now() - started) / 60000).toFixed(1);
  // Stryker exits 1 when the file is below thresholds.break; the report is still written.
  let report;
  try {
    report = JSON.parse(readFileSync('reports/mutation/mutation.json', 'utf8'));
    copyFileSync('reports/mutation/mutation.json', `${out}/${name}.json`);
  } catch {
    process.stderr.write(`no report (exit ${run.status}; see ${out}/${name}.log)\n`);
    failed = true;
    continue;
  }
  const mutants = Object.values(report.files).flatMap((f) => f.mutants);
  const count = (status) => mutants.filter((m) => m.status === status).length;
  const row = { file, killed: count('Killed'), timeout: count('Timeout'), survived: count('Survived'), noCoverage: count('NoCoverage') };
  const valid = row.killed + row.timeout + row.survived + row.noCoverage;
  // Stryker's mutation score: detected (killed or timed out) over valid mutants.
  row.score = valid === 0 ? 100 : (100 * (row.killed + row.timeout)) / valid;
  rows.push(row);
  process.stderr.write(`${row.score.toFixed(2)} % in ${minutes} min\n`);
}

console.log('| file | killed | survived | timeout | no coverage | score |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| \`${r.file}\` | ${r.killed} | ${r.survived} | ${r.timeout} | ${r.noCoverage} | ${r.score.toFixed(2)} % |`);
const low = rows.filter((r) => r.score < 90);
if (low.length > 0) console.error(`below 90 %: ${low.map((r) => r.file).join(', ')}`);
process.exit(failed || low.length > 0 ? 1 : 0);
