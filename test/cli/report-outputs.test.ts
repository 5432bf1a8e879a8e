import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPORT_FORMATS } from '../../src/model/formats.js';
import { runCli } from '../helpers/cli.js';
import { ROOT } from '../helpers/fixtures.js';

/**
 * The output side through the built CLI: several formats from one run, the
 * exit code whatever the format, baselines, diff and verify, and outputs
 * that never lie (checked before the work, refused when they clash, atomic,
 * a failed write is exit 2 with one line).
 */
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'atrest-outputs-'));
});

describe('--report FORMAT=PATH', () => {
  it('four formats from one run are the same bytes as four runs; the table still goes to stdout; the exit code is the same', () => {
    const formats = ['json', 'sarif', 'csv', 'html'] as const;
    const r = runCli(['evaluate', 'fixtures/demo', ...formats.flatMap((f) => ['--report', `${f}=${join(dir, `one.${f}`)}`])]);
    expect([r.code, r.stderr]).toEqual([1, '']);
    expect(r.stdout).toContain('Failing findings');
    for (const f of formats) {
      const single = runCli(['evaluate', 'fixtures/demo', '--format', f]);
      expect(single.code).toBe(1);
      expect(readFileSync(join(dir, `one.${f}`), 'utf8')).toBe(single.stdout);
    }
  });

  it('every format gives the exit code of the JSON report (1 failing, 3 unknown only)', () => {
    for (const [args, code] of [[['fixtures/demo'], 1], [['fixtures/demo', '--fail-on', 'none'], 3]] as Array<[string[], number]>) {
      for (const format of REPORT_FORMATS) expect(runCli(['evaluate', ...args, '--format', format]).code, format).toBe(code);
    }
  });

  it('--output - is stdout; a bad FORMAT=PATH, two outputs on stdout, or two outputs naming one file are exit 2 before anything is written', () => {
    expect(runCli(['evaluate', 'fixtures/demo', '--format', 'json', '--output', '-']).stdout).toBe(runCli(['evaluate', 'fixtures/demo', '--format', 'json']).stdout);
    const same = join(dir, 'same.json');
    const cases: Array<[string[], RegExp]> = [
      [['--report', 'pdf=x.pdf'], /expected FORMAT=PATH/],
      [['--report', 'json=-'], /all write to stdout/],
      [['--report', `json=${same}`, '--report', `sarif=${same}`], /names the same file as/],
      [['--output', 'fixtures/demo/s3-kms.json', '--format', 'json'], /would overwrite the input/],
      [['--report', `json=${join(dir, 'no-such-folder', 'x.json')}`], /the folder .* does not exist/],
      [['--report', `json=${dir}`], /is a folder/],
      [['--compliance', 'cis-5.0', '--compliance', 'cis-3.0'], /--compliance was given more than once/],
      [['--fail-on-new'], /--fail-on-new needs --baseline/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(['evaluate', 'fixtures/demo', ...args]);
      expect([r.code, r.stdout], args.join(' ')).toEqual([2, '']);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(existsSync(same)).toBe(false);
  });

  it('help states the flag ranges', () => {
    const help = runCli(['scan', '--help']).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('1..64');
    expect(help).toContain('1..20');
  });

  it('appends the Markdown summary to $GITHUB_STEP_SUMMARY, unless --no-step-summary', () => {
    const summary = join(dir, 'step-summary.md');
    writeFileSync(summary, '# earlier step\n');
    expect(runCli(['evaluate', 'fixtures/demo'], { env: { GITHUB_STEP_SUMMARY: summary } }).code).toBe(1);
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('# earlier step\n## ')).toBe(true);
    expect(text).toContain('### Needs attention');
    runCli(['evaluate', 'fixtures/demo', '--no-step-summary'], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(readFileSync(summary, 'utf8')).toBe(text);
  });
});

describe('output that never lies', () => {
  it('/dev/full as stdout or as a file: one clear line, exit 2, no stack trace', () => {
    const out = spawnSync('sh', ['-c', `node ${join(ROOT, 'dist/cli.js')} evaluate fixtures/demo --format json > /dev/full`], { cwd: ROOT, encoding: 'utf8' });
    expect(out.status).toBe(2);
    expect(out.stderr.trim()).toMatch(/^atrest: cannot write the report to stdout: no space left on the device \(ENOSPC\)/);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a full disk leaves the previous file whole and no temporary file (a 64 KiB tmpfs)', () => {
    const mnt = join(dir, 'tiny');
    mkdirSync(mnt);
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt], { encoding: 'utf8' });
    if (mounted.status !== 0) {
      // Not root, or no CAP_SYS_ADMIN in this container: /dev/full above covers the write errors.
      console.warn(`tmpfs test skipped: mount failed: ${mounted.stderr.trim()}`);
      return;
    }
    try {
      const target = join(mnt, 'report.json');
      writeFileSync(target, 'previous report\n');
      const r = runCli(['evaluate', 'fixtures/demo', '--report', `json=${target}`, '--format', 'markdown']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/cannot write .*report\.json: no space left on the device \(ENOSPC\); the previous file is unchanged/);
      expect(readFileSync(target, 'utf8')).toBe('previous report\n');
      expect(readdirSync(mnt)).toEqual(['report.json']);
    } finally {
      spawnSync('umount', [mnt]);
    }
  });

  it('a reader that closes the pipe early ends the run quietly with the report\'s exit code', () => {
    const r = spawnSync('sh', ['-c', `node ${join(ROOT, 'dist/cli.js')} evaluate fixtures/demo --format json | head -c 100 > /dev/null; echo "\${PIPESTATUS:-}"`], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
  });
});

describe('baselines, diff and verify', () => {
  const report = (name: string, args: string[]) => {
    const path = join(dir, name);
    runCli(['evaluate', ...args, '--report', `json=${path}`, '--format', 'markdown']);
    return path;
  };

  it('--baseline marks new and existing, lists resolved; --fail-on-new gates on new findings only', () => {
    const base = report('base.json', ['fixtures/demo']);
    const same = runCli(['evaluate', 'fixtures/demo', '--baseline', base, '--fail-on-new', '--format', 'json']);
    const parsed = JSON.parse(same.stdout);
    expect(same.code).toBe(3); // nothing new; unknown results still make it incomplete
    expect(parsed.baseline.counts.new).toBe(0);
    expect(parsed.findings.filter((f: { baseline?: string }) => f.baseline === 'existing').length).toBe(parsed.baseline.counts.existing);
    // Against a baseline of a cleaner account (the acme fixture), the demo's failures are new.
    const other = report('other.json', ['fixtures/policy/inventory.json']);
    const fresh = runCli(['evaluate', 'fixtures/demo', '--baseline', other, '--fail-on-new', '--format', 'json']);
    const f = JSON.parse(fresh.stdout);
    expect(fresh.code).toBe(1);
    expect(f.baseline.counts.new).toBeGreaterThan(0);
    expect(f.baseline.resolved.length).toBe(f.baseline.counts.resolved);
    expect(f.baseline.resolved.length).toBeGreaterThan(0);
    for (const format of ['table', 'markdown', 'csv', 'html', 'sarif', 'junit', 'ocsf']) {
      expect(runCli(['evaluate', 'fixtures/demo', '--baseline', other, '--fail-on-new', '--format', format]).code, format).toBe(1);
    }
    expect(runCli(['evaluate', 'fixtures/demo', '--baseline', 'fixtures/demo/s3-kms.json']).stderr).toMatch(/is not an atrest JSON report \(this is an inventory/);
  });

  it('atrest diff: new and resolved findings and level changes; exit 1 when something got worse at or above --fail-on', () => {
    const before = report('d-old.json', ['fixtures/policy/inventory.json']);
    const after = report('d-new.json', ['fixtures/demo']);
    const json = runCli(['diff', before, after, '--format', 'json']);
    expect(json.code).toBe(1);
    const d = JSON.parse(json.stdout);
    expect(d.kind).toBe('atrest-diff');
    expect(d.newFindings.length).toBeGreaterThan(0);
    expect(d.resolvedFindings.length).toBeGreaterThan(0);
    expect(runCli(['diff', after, after]).code).toBe(0);
    expect(runCli(['diff', before, after, '--fail-on', 'none']).code).toBe(0);
    const md = runCli(['diff', before, after, '--format', 'markdown']);
    expect(md.stdout).toContain('### New findings');
  });

  it('atrest verify: exit 0 for the report as written, 1 for any changed byte, 2 for a file without evidence', () => {
    const path = report('v.json', ['fixtures/demo']);
    expect(runCli(['verify', path]).code).toBe(0);
    const text = readFileSync(path, 'utf8');
    const edited = join(dir, 'v-edited.json');
    writeFileSync(edited, text.replace('"status": "fail"', '"status": "pass"'));
    expect(runCli(['verify', edited]).code).toBe(1);
    const spaced = join(dir, 'v-spaced.json');
    writeFileSync(spaced, text.replace('\n  "tool"', '\n   "tool"'));
    const r = runCli(['verify', spaced]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('not as atrest wrote them');
    expect(runCli(['verify', 'fixtures/demo/s3-kms.json']).code).toBe(2);
  });
});

describe('the GitHub Action', () => {
  it('action.yml and the example workflow parse, and every input the example passes exists', () => {
    const action = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8'));
    expect(action.runs.using).toBe('composite');
    const inputs = Object.keys(action.inputs);
    for (const name of ['role-to-assume', 'regions', 'policy', 'fail-on', 'baseline', 'formats', 'upload-sarif']) expect(inputs).toContain(name);
    // Every ${{ inputs.X }} the steps use is declared.
    const used = [...readFileSync(join(ROOT, 'action.yml'), 'utf8').matchAll(/inputs\.([a-z0-9-]+)/g)].map((m) => m[1]!);
    expect(used.filter((u) => !inputs.includes(u))).toEqual([]);
    const workflow = parseYaml(readFileSync(join(ROOT, 'docs/github-action.example.yml'), 'utf8'));
    const step = workflow.jobs.atrest.steps.find((s: { uses?: string }) => s.uses?.startsWith('atrest/atrest'));
    expect(Object.keys(step.with).filter((k) => !inputs.includes(k))).toEqual([]);
    expect(action.runs.steps.some((s: { uses?: string }) => s.uses?.startsWith('github/codeql-action/upload-sarif'))).toBe(true);
  });
});
