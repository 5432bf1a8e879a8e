import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { bucket, inventory, key, keyResource } from '../helpers/inventory.js';
import { sarifProblems } from '../helpers/sarif.js';
import { findAll, parseXml } from '../helpers/xml.js';

/**
 * `--format sarif` and `--format junit` through the built CLI: the same exit
 * codes as every other format, stdout or --output, byte-identical runs, and
 * the waiver mapping from a real policy file (docs/ci.md).
 */

let dir: string;
let cleanFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'atrest-ci-formats-'));
  const k = key('5555');
  cleanFile = join(dir, 'clean.json');
  writeFileSync(cleanFile, JSON.stringify(inventory({ keys: [k], resources: [bucket('clean-bucket'), keyResource(k)] })));
});

const check: Record<'sarif' | 'junit', (text: string) => void> = {
  sarif: (text) => expect(sarifProblems(JSON.parse(text))).toEqual([]),
  junit: (text) => expect(parseXml(text).name).toBe('testsuites'),
};

describe.each(['sarif', 'junit'] as const)('atrest evaluate --format %s', (format) => {
  it('exit codes do not depend on the format (1 failing, 3 unknown only, 0 clean)', () => {
    for (const [args, code] of [
      [['fixtures/demo'], 1],
      [['fixtures/demo', '--fail-on', 'critical'], 1],
      [['fixtures/demo', '--fail-on', 'none'], 3],
      [[cleanFile], 0],
    ] as Array<[string[], number]>) {
      const json = runCli(['evaluate', ...args, '--format', 'json']);
      const r = runCli(['evaluate', ...args, '--format', format]);
      expect([r.code, r.stderr]).toEqual([code, '']);
      expect(json.code).toBe(code);
      check[format](r.stdout);
    }
  });

  it('--output writes the file and nothing to stdout; stdout and file are the same bytes, run after run', () => {
    const out = join(dir, `report.${format}`);
    const toFile = runCli(['evaluate', 'fixtures/demo', '--format', format, '--output', out]);
    expect([toFile.code, toFile.stdout, toFile.stderr]).toEqual([1, '', '']);
    const text = readFileSync(out, 'utf8');
    check[format](text);
    expect(runCli(['evaluate', 'fixtures/demo', '--format', format]).stdout).toBe(text);
  });

  it('maps waivers: active ones suppress (exit code as for json), the expired one fails again', () => {
    const args = ['evaluate', 'fixtures/policy/inventory.json', '--policy', 'fixtures/policy/acme.policy.yaml', '--format'];
    const json = runCli([...args, 'json']);
    const r = runCli([...args, format]);
    expect(r.code).toBe(json.code);
    expect(r.code).toBe(1);
    if (format === 'sarif') {
      const results = JSON.parse(r.stdout).runs[0].results as Array<{ ruleId: string; suppressions?: Array<{ justification: string }>; locations: Array<{ logicalLocations: Array<{ fullyQualifiedName: string }> }> }>;
      const arn = (x: (typeof results)[number]) => x.locations[0]!.logicalLocations[0]!.fullyQualifiedName;
      expect(results.filter((x) => x.suppressions).map((x) => [x.ruleId, arn(x)])).toEqual([
        ['S3.ENCRYPTION_LEVEL', 'arn:aws:s3:::legacy-exports'],
        ['SCAN.INCOMPLETE', 'arn:aws:s3:::legacy-exports'],
        ['KMS.ALLOWED_KEYS', 'arn:aws:s3:::legacy-exports'],
      ]);
      expect(results.find((x) => x.ruleId === 'S3.SSE_C_BLOCKED' && arn(x) === 'arn:aws:s3:::acme-scratch')!.suppressions).toBeUndefined();
    } else {
      const cases = findAll(parseXml(r.stdout), 'testcase');
      const skipped = cases.filter((c) => c.children[0]?.name === 'skipped');
      // Skipped: the three waived findings, and S3.UPLOAD_ENCRYPTION_POLICY, not applicable (the policy does not ask for it) on every bucket.
      const waived = skipped.filter((c) => c.attrs.classname !== 'S3.UPLOAD_ENCRYPTION_POLICY');
      expect(waived.map((c) => c.attrs.name)).toEqual(['arn:aws:s3:::legacy-exports', 'arn:aws:s3:::legacy-exports', 'arn:aws:s3:::legacy-exports']);
      expect(skipped.length - waived.length).toBe(cases.filter((c) => c.attrs.classname === 'S3.UPLOAD_ENCRYPTION_POLICY').length);
      const scratch = cases.find((c) => c.attrs.classname === 'S3.SSE_C_BLOCKED' && c.attrs.name === 'arn:aws:s3:::acme-scratch')!;
      expect(scratch.children[0]!.name).toBe('failure');
    }
  });
});

describe('the --format option', () => {
  it('scan and evaluate offer every report format in their help', () => {
    for (const command of ['scan', 'evaluate']) {
      const r = runCli([command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout.replace(/\s+/g, ' ')).toContain('(choices: "table", "json", "sarif", "junit", "markdown", "csv", "ocsf", "html", default: "table")');
      expect(r.stdout).toContain('docs/ci.md');
    }
  });

  it('commands that print no report keep table and json only (exit 2 for the CI formats)', () => {
    for (const args of [
      ['keys', '--inventory', 'fixtures/demo', '--format', 'sarif'],
      ['rules', '--format', 'junit'],
      ['matrix', '--format', 'sarif'],
    ]) {
      const r = runCli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("argument 'sarif' is invalid".replace('sarif', args.at(-1)!));
    }
  });
});
