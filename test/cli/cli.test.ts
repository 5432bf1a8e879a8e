import { builtCli } from '../helpers/build.js';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validator } from '../../src/schema.js';
import { SERVICES } from '../../src/services/list.js';
import { runCli } from '../helpers/cli.js';
import { ROOT, readJson } from '../helpers/fixtures.js';
import { bucket, inventory, key, keyResource } from '../helpers/inventory.js';

const pkg = readJson<{ version: string }>('package.json');
let dir: string;
let cleanFile: string;
let incompleteFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'atrest-cli-'));
  const k = key('5555');
  const clean = inventory({ keys: [k], resources: [bucket('clean-bucket'), keyResource(k)] });
  cleanFile = join(dir, 'clean.json');
  writeFileSync(cleanFile, JSON.stringify(clean));
  incompleteFile = join(dir, 'incomplete.json');
  writeFileSync(
    incompleteFile,
    JSON.stringify({ ...clean, scan: { ...clean.scan, errors: [{ service: 's3', region: 'us-east-1', operation: 'ListBuckets', code: 'AccessDenied', message: 'Access Denied' }] } }),
  );
});

describe('help and version', () => {
  it('--help lists every command and the exit codes', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    for (const word of ['scan', 'collect', 'evaluate', 'keys', 'rules', 'matrix', 'Exit codes']) expect(r.stdout).toContain(word);
    expect(r.stderr).toBe('');
  });

  it('--version prints the package version', () => {
    const r = runCli(['--version']);
    expect([r.code, r.stdout.trim()]).toEqual([0, pkg.version]);
  });

  it('scan --help documents the AWS and report options', () => {
    const r = runCli(['scan', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--profile', '--regions', '--services', '--endpoint-url', '--format', '--output', '--fail-on', '--policy']) expect(r.stdout).toContain(flag);
  });

  it('--help, --version and the offline commands (matrix, rules, evaluate, keys --inventory) load no AWS SDK client module', () => {
    // evaluate, keys --inventory and rules are offline: they must not load the SDK either.
    for (const args of [
      ['--help'],
      ['--version'],
      ['scan', '--help'],
      ['matrix', '--format', 'json'],
      ['rules'],
      ['rules', '--format', 'json'],
      ['evaluate', 'fixtures/demo', '--fail-on', 'none'],
      ['evaluate', 'fixtures/demo', '--format', 'sarif'],
      ['evaluate', 'fixtures/demo', '--format', 'junit'],
      ['keys', '--inventory', 'fixtures/demo'],
    ]) {
      const trace = join(dir, `trace-${args.join('_').replace(/[^A-Za-z0-9_-]/g, '-')}.txt`);
      const result = spawnSync(process.execPath, ['--import', join(ROOT, 'test/helpers/trace-imports.mjs'), builtCli(), ...args], {
        env: { ...process.env, ATREST_TRACE_FILE: trace },
        encoding: 'utf8',
      });
      expect(result.status, result.stderr).not.toBe(2);
      const loaded = readFileSync(trace, 'utf8');
      expect(loaded).toContain('commander'); // the trace works
      expect(loaded.split('\n').filter((l) => /@aws-sdk\/client-/.test(l))).toEqual([]);
    }
  });
});

describe('output', () => {
  it('a reader that stops early (atrest … | head) ends the output quietly: no EPIPE stack trace, the exit code kept', async () => {
    // 600 KB of JSON: far more than a pipe holds, so atrest is still writing when the reader goes.
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'evaluate', 'fixtures/demo', '--format', 'json', '--fail-on', 'none'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(3);
  });
});

describe('usage errors exit 2 with one line naming the fault', () => {
  it.each([
    [['scan', '--bogus'], "unknown option '--bogus'"],
    [['scan', '--fail-on', 'severe'], '--fail-on'],
    [['scan', '--services', 's3,foo'], 'unknown service "foo"'],
    [['scan', '--regions', 'Mars-1'], '"Mars-1" is not an AWS region name'],
    [['scan', '--policy', 'lenient'], '"lenient" is neither a built-in policy'],
    [['evaluate', '/nonexistent/inventory.json'], 'cannot read inventory /nonexistent/inventory.json'],
    [['evaluate'], "missing required argument 'inventory'"],
  ])('%j', (args, text) => {
    const r = runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(text);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stdout).toBe('');
  });

  it('no credentials: exit 2 and says how to provide them', () => {
    const r = runCli(['scan', '--regions', 'us-east-1', '--max-attempts', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no usable AWS credentials');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('an inventory that is not JSON, or not an inventory, or breaks the schema', () => {
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, '{ oops');
    expect(runCli(['evaluate', notJson])).toMatchObject({ code: 2 });
    expect(runCli(['evaluate', notJson]).stderr).toContain('is not valid JSON');

    const report = join(dir, 'report-not-inventory.json');
    writeFileSync(report, JSON.stringify({ findings: [] }));
    expect(runCli(['evaluate', report]).stderr).toContain('is not an atrest inventory');

    const broken = join(dir, 'broken.json');
    const inv = JSON.parse(readFileSync(cleanFile, 'utf8'));
    inv.resources[0].protection.level = 'encrypted-ish';
    writeFileSync(broken, JSON.stringify(inv));
    const r = runCli(['evaluate', broken]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/resources/0/protection/level');
  });
});

describe('evaluate and matrix', () => {
  it('the demo fails (exit 1) and its JSON report matches the published schema', () => {
    const r = runCli(['evaluate', 'fixtures/demo', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    const validate = validator('report.schema.json');
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.outcome.exitCode).toBe(1);
    expect(report.findings.some((f: { status: string; severity: string }) => f.status === 'fail' && f.severity === 'critical')).toBe(true);
  });

  it('exit 0 on a clean inventory, exit 3 when something was unreadable and nothing failed', () => {
    expect(runCli(['evaluate', cleanFile]).code).toBe(0);
    const r = runCli(['evaluate', incompleteFile]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('s3:ListBuckets failed in us-east-1');
  });

  it('--fail-on moves the threshold', () => {
    expect(runCli(['evaluate', 'fixtures/demo', '--fail-on', 'critical']).code).toBe(1);
    // The demo also has unknowns: with nothing failing at the threshold, exit 3.
    expect(runCli(['evaluate', 'fixtures/demo', '--fail-on', 'none']).code).toBe(3);
  });

  it('the last line names the threshold once, --fail-on none included', () => {
    for (const [failOn, verdict] of [['none', 'exit 0: no unknown results, and no severity fails the run (--fail-on none). Passed '], ['high', 'exit 0: no failing finding at or above high (--fail-on high). Passed ']]) {
      const r = runCli(['evaluate', cleanFile, '--fail-on', failOn!]);
      expect(r.code).toBe(0);
      const last = r.stdout.trimEnd().split('\n').at(-1)!;
      expect(last.startsWith(verdict!), last).toBe(true);
      expect(last.match(/--fail-on/g)).toHaveLength(1);
    }
  });

  it('--output writes the report to a file and nothing to stdout; output is deterministic', () => {
    const out1 = join(dir, 'r1.json');
    const out2 = join(dir, 'r2.json');
    expect(runCli(['evaluate', 'fixtures/demo', '--format', 'json', '--output', out1])).toMatchObject({ code: 1, stdout: '' });
    runCli(['evaluate', 'fixtures/demo', '--format', 'json', '--output', out2]);
    expect(existsSync(out1)).toBe(true);
    expect(readFileSync(out1, 'utf8')).toBe(readFileSync(out2, 'utf8'));
  });

  it('the table has no colour codes when stdout is not a terminal, nor with NO_COLOR', () => {
    const plain = runCli(['evaluate', 'fixtures/demo']);
    expect(plain.stdout).toContain('Failing findings');
    expect(plain.stdout).not.toContain('\u001b[');
    const forced = runCli(['evaluate', 'fixtures/demo'], { env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain('\u001b[');
    const noColor = runCli(['evaluate', 'fixtures/demo'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(noColor.stdout).not.toContain('\u001b[');
  });

  it('matrix prints every service, as a table and as JSON', () => {
    const table = runCli(['matrix']);
    expect(table.code).toBe(0);
    // Every service of the one list (src/services/list.ts), in its order.
    for (const s of SERVICES) expect(table.stdout).toContain(s);
    const json = JSON.parse(runCli(['matrix', '--format', 'json']).stdout);
    // Each service's row, then its rows for resource types of their own (S3 directory buckets, DAX).
    expect(json.services.map((e: { service: string; resourceTypes: string[] }) => `${e.service}:${e.resourceTypes[0]}`)).toEqual([
      's3:bucket',
      's3:directory-bucket',
      'ebs:volume',
      'rds:db-instance',
      'aurora:db-cluster',
      'dynamodb:table',
      'dynamodb:dax-cluster',
      'lambda:function',
      'redshift:cluster',
      'kms:key',
      'efs:file-system',
    ]);
    expect(json.services.find((e: { service: string }) => e.service === 's3').defaultSince).toBe('2023-01-05');
  });
});

describe('a reader that stops early', () => {
  it('`atrest evaluate … | head -1` ends quietly with the report exit code, no EPIPE trace', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${builtCli()}" evaluate fixtures/demo | head -1; exit \${PIPESTATUS:-0}`], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, COLUMNS: '80' },
    });
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).not.toContain('EPIPE');
  });
});

describe('profiles', () => {
  it('an unknown --profile or AWS_PROFILE is named, with the files looked in (exit 2)', () => {
    const config = join(dir, 'aws-config');
    writeFileSync(config, '[profile dev]\nregion = us-east-1\n');
    const viaFlag = runCli(['scan', '--profile', 'nosuch', '--regions', 'us-east-1'], { env: { AWS_CONFIG_FILE: config } });
    expect(viaFlag.code).toBe(2);
    expect(viaFlag.stderr).toContain(`--profile nosuch: no profile "nosuch" in ${config}`);
    const viaEnv = runCli(['scan', '--regions', 'us-east-1'], { env: { AWS_CONFIG_FILE: config, AWS_PROFILE: 'nosuch' } });
    expect(viaEnv.code).toBe(2);
    expect(viaEnv.stderr).toContain('AWS_PROFILE=nosuch: no profile "nosuch"');
  });

  it('a profile that exists but yields no credentials is named in the error', () => {
    const config = join(dir, 'aws-config-dev');
    writeFileSync(config, '[profile dev]\nregion = us-east-1\n');
    const r = runCli(['scan', '--profile', 'dev', '--max-attempts', '1'], { env: { AWS_CONFIG_FILE: config } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('profile "dev" gave none');
  });
});
