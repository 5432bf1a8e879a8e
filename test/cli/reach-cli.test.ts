import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validator } from '../../src/schema.js';
import { fakeOrg, type FakeAccount } from '../helpers/fake-org.js';
import { serveFakeOrg, type FakeAwsServer } from '../helpers/fake-aws-server.js';
import { cliEnv, FAKE_CREDENTIALS, spawnCli } from '../helpers/cli.js';
import { ROOT } from '../helpers/fixtures.js';
import { sarifProblems } from '../helpers/sarif.js';
import { findAll, parseXml } from '../helpers/xml.js';

/**
 * The built CLI as a user runs it, against a fake organisation on
 * 127.0.0.1 (--endpoint-url): several accounts through AssumeRole (one
 * denied), every enabled region, shards merged with `atrest merge`, and what
 * stderr shows — a line per account and region off a terminal, the live
 * line through a pseudo-terminal (util-linux `script`) at 80 and 200
 * columns, nothing but errors with --quiet, and the last summary line.
 */
const MGMT = '111122223333';
const A = '444455556666';
const B = '777788889999';

function account(id: string, extra: Partial<FakeAccount> = {}): FakeAccount {
  return {
    id,
    regions: { 'us-east-1': 'opt-in-not-required', 'eu-west-1': 'opt-in-not-required', 'ap-east-1': 'not-opted-in' },
    keys: { 'us-east-1': 2, 'eu-west-1': 1 },
    buckets: [{ name: `logs-${id}`, region: 'us-east-1' }],
    ...extra,
  };
}

let server: FakeAwsServer;
let dir: string;
const org = fakeOrg({ management: MGMT, accounts: [account(MGMT), account(A), account(B, { assumable: false })] });

beforeAll(async () => {
  server = await serveFakeOrg(org);
  dir = mkdtempSync(join(tmpdir(), 'atrest-reach-cli-'));
});
afterAll(() => server.close());

/** The spawned CLI's environment: fake credentials and a home Region for the fake organisation. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return cliEnv({ ...FAKE_CREDENTIALS, AWS_REGION: 'us-east-1', ...extra });
}

function run(args: string[]) {
  return spawnCli([...args, '--endpoint-url', server.endpoint, '--max-attempts', '1'], { env: { ...FAKE_CREDENTIALS, AWS_REGION: 'us-east-1' } });
}

/** The first test's whole scan, which the shard merge is compared with. */
let whole: { code: number | null; stdout: string; stderr: string } | undefined;

const roles = ['--role-arn', `arn:aws:iam::${A}:role/atrest-readonly`, '--role-arn', `arn:aws:iam::${B}:role/atrest-readonly`];

describe('atrest scan across accounts (spawned, fake organisation on loopback)', () => {
  it('one report for two accounts, one of which cannot be assumed: exit 3, valid JSON; a line per account and region and the summary on stderr', async () => {
    const started = Date.now();
    const r = await run(['scan', ...roles, '--services', 'kms,s3', '--format', 'json']);
    const seconds = (Date.now() - started) / 1000;
    whole = r;
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout);
    expect(validator('report.schema.json')(report)).toBe(true);
    expect(report.scan.accounts.map((a: { accountId: string; status: string }) => [a.accountId, a.status])).toEqual([[A, 'scanned'], [B, 'failed']]);
    expect(report.scan.regions).toEqual(['eu-west-1', 'us-east-1']);
    const lines = r.stderr.trimEnd().split('\n');
    // Off a terminal: "done ACCOUNT/REGION (+N more)" lines, at most one a second, every unit counted once.
    const progress = lines.filter((l) => l.startsWith('atrest: done '));
    const counted = progress.reduce((n, l) => n + 1 + Number(/\(\+(\d+) more\)/.exec(l)?.[1] ?? 0), 0);
    expect(counted).toBe(3); // A/eu-west-1, A/us-east-1, and B (failed)
    // At most one line a second: the first at once, one a second after it, and
    // what is still pending when the scan ends (flushed before the summary, so
    // nothing is lost). A run under a second may therefore print two lines;
    // on a loaded machine the run takes longer and may print more.
    expect(progress.length).toBeLessThanOrEqual(2 + Math.floor(seconds));
    expect(progress.length).toBeLessThanOrEqual(counted);
    expect(lines.at(-1)).toMatch(/^atrest: report on stdout: 4 resources, \d+ failing findings, 1 unknown, 1 account not readable, 2 accounts, 2 regions, exit 3 \(high\)$/);
    expect(lines.filter((l) => !l.startsWith('atrest: done ') && l !== lines.at(-1))).toEqual([]);
  });

  it('SARIF, JUnit and the table of the same scan are valid for several accounts; --quiet leaves stderr empty', async () => {
    // One scan, every format at once (--report), quiet.
    const files = { sarif: join(dir, 'multi.sarif'), junit: join(dir, 'multi.xml'), table: join(dir, 'multi.txt') };
    const r = await run(['scan', ...roles, '--services', 'kms', '--format', 'sarif', '--output', files.sarif, '--report', `junit=${files.junit}`, '--report', `table=${files.table}`, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(3);
    expect(sarifProblems(JSON.parse(readFileSync(files.sarif, 'utf8')))).toEqual([]);
    expect(findAll(parseXml(readFileSync(files.junit, 'utf8')), 'testsuite').length).toBeGreaterThan(0);
    const table = readFileSync(files.table, 'utf8');
    expect(table).toContain('2 accounts (1 not readable)');
    expect(table).toContain('By account (2)');
    expect(table).toContain(`account ${B} not scanned: AssumeRole AccessDenied`);
  });

  it('shards merged with "atrest merge" give the report of one scan of everything', async () => {
    // The whole scan is the first test's; the two shards run side by side.
    const files = [1, 2].map((k) => join(dir, `shard-${k}.json`));
    const shards = await Promise.all(files.map((file, i) => run(['collect', ...roles, '--services', 'kms,s3', '--shard', `${i + 1}/2`, '--output', file, '--quiet'])));
    for (const r of shards) expect([0, 3]).toContain(r.code);
    // A JSON report is accepted as input too: shard 2 as a report.
    const asReport = join(dir, 'shard-2-report.json');
    const rep = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), 'evaluate', files[1]!, '--format', 'json', '--output', asReport], { env: cleanEnv() });
    expect([0, 1, 3]).toContain(rep.status);
    const merged = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), 'merge', files[0]!, asReport, '--output', join(dir, 'org.json')], { env: cleanEnv(), encoding: 'utf8' });
    expect(merged.status).toBe(whole!.code);
    expect(merged.stderr).toMatch(/^atrest: wrote .*org\.json: 4 resources/);
    const a = JSON.parse(whole!.stdout);
    const b = JSON.parse(readFileSync(join(dir, 'org.json'), 'utf8'));
    expect(validator('report.schema.json')(b)).toBe(true);
    expect(b.findings).toEqual(a.findings);
    expect(b.summary).toEqual(a.summary);
    expect(b.scores).toEqual(a.scores);
    expect(b.scan.accounts).toEqual(a.scan.accounts);
    expect(b.scan.shards).toEqual({ count: 2, merged: [1, 2], missing: [] });
  });
});

const hasScript = spawnSync('script', ['--version']).status === 0;

describe.skipIf(!hasScript)('progress at a terminal (pseudo-terminal through util-linux script)', () => {
  const esc = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  function atTerminal(columns: number, args: string[]): Promise<string> {
    const command = [process.execPath, join(ROOT, 'dist/cli.js'), ...args, '--endpoint-url', server.endpoint, '--max-attempts', '1'].map(esc).join(' ');
    // script runs the command on a new pseudo-terminal and copies everything it shows to our stdout.
    // Asynchronously: the fake AWS answers from this process.
    return new Promise((resolve) => {
      const child = spawn('script', ['-q', '-e', '-c', `stty cols ${columns} rows 40; ${command}`, '/dev/null'], { env: cleanEnv({ TERM: 'xterm' }) });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.on('close', () => resolve(out));
    });
  }
  // eslint-disable-next-line no-control-regex
  const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;?]*[A-Za-z]|\u001b[78]/g, '');

  it.each([80, 200])('at %i columns: a live line drawn by cli-progress that fits, cleared at the end, then the summary line', async (columns) => {
    const output = join(dir, `tty-${columns}.json`);
    const screen = await atTerminal(columns, ['scan', ...roles, '--services', 'kms,s3', '--format', 'json', '--output', output]);
    // The cursor is hidden while the line is live and shown again after.
    expect(screen).toContain('\u001b[?25l');
    expect(screen).toContain('\u001b[?25h');
    // The live line is cleared when the scan ends (clearOnComplete).
    expect(screen).toContain('\u001b[2K');
    // Each redraw moves the cursor to column 1 (CSI n G) or restores it (ESC 8): split the frames there.
    const frames = screen.split(/\u001b\[\d*G|\u001b[78]|\r|\n/).map(stripAnsi).filter((l) => l.includes('account-regions'));
    expect(frames.length).toBeGreaterThan(0);
    for (const frame of frames) expect(frame.length).toBeLessThanOrEqual(columns - 1);
    // The last frame: every unit done. At 200 columns the whole line; at 80 it is cut to fit.
    expect(frames.at(-1)).toMatch(/^█{16} 6\/6 account-regions · 2\/2 accounts/);
    if (columns >= 200) expect(frames.at(-1)).toMatch(/ · 2\/2 accounts · 4 resources · \d+ in flight · \d+ retries · \d+m\d\ds$/);
    else expect(frames.at(-1)).toMatch(/…$/);
    // No "done …" lines at a terminal: those are for logs.
    expect(stripAnsi(screen)).not.toContain('atrest: done ');
    const segments = screen.split(/\u001b\[\d*G|\u001b[78]|\r|\n/).map((l) => stripAnsi(l).trim()).filter(Boolean);
    expect(segments.at(-1)).toMatch(new RegExp(`^atrest: wrote ${output}: 4 resources, .*exit 3 \\(high\\)$`));
    expect(validator('report.schema.json')(JSON.parse(readFileSync(output, 'utf8')))).toBe(true);
  });

  it('--quiet at a terminal shows nothing; the table report still goes to the terminal', async () => {
    const screen = stripAnsi(await atTerminal(80, ['scan', ...roles, '--services', 'kms', '--quiet']));
    expect(screen).not.toContain('account-regions');
    expect(screen).not.toContain('atrest: ');
    expect(screen).toContain('By account (2)');
  });
});
