import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/engine/catalog.js';
import type { RulesIndex } from '../../src/model/rules-index.js';
import { validator } from '../../src/schema.js';
import { runCli } from '../helpers/cli.js';

/** `atrest rules`, run as a user would: a spawned process, no AWS (the module trace is in cli.test.ts). */
describe('atrest rules', () => {
  it('--format json: every rule with its controls, valid against schema/rules.schema.json', () => {
    const r = runCli(['rules', '--format', 'json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const index = JSON.parse(r.stdout) as RulesIndex;
    const validate = validator('rules.schema.json');
    expect(validate(index), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(index.rules.length).toBeGreaterThanOrEqual(32);
    expect(index.rules.map((x) => x.id)).toEqual(expect.arrayContaining(['S3.ENCRYPTION_LEVEL', 'KMS.ROTATION', 'KMS.KEY_STATE', 'SCAN.INCOMPLETE']));
    const rotation = index.rules.find((x) => x.id === 'KMS.ROTATION')!;
    expect(rotation).toMatchObject({ severity: 'medium', matrixFacts: ['remediationPath'], remediation: expect.stringContaining('EnableKeyRotation') });
    expect(rotation.compliance.map((c) => `${c.framework} ${c.control}`)).toContain('cis-aws-5.0 3.6');
  });

  it('the table: one row per rule with its fix and controls; then why each rule matters, what it relies on, and the framework legend', () => {
    const r = runCli(['rules']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const out = r.stdout;
    for (const column of ['rule', 'severity', 'what fails', 'fix', 'compliance controls']) expect(out).toContain(column);
    // Every rule of the catalogue, and SCAN.INCOMPLETE.
    expect(out).toMatch(new RegExp(`^${RULES.length + 1} rules · atrest `));
    expect(out).toContain('S3.ENCRYPTION_LEVEL');
    expect(out).toContain('Security Hub S3.17 (a KMS key)');
    expect(out).toContain('FSBP EC2.3 (encrypted,');
    expect(out).toContain('Why each rule matters');
    expect(out).toMatch(/ {2}KMS\.ROTATION\n {4}Rotating a key limits how much data/);
    expect(out).toContain('Relies on the matrix: encryptedByDefault, defaultLevel, possibleLevels, enableAfterCreation, changeKeyAfterCreation, remediationPath.');
    expect(out).toContain('Controls: none. No control of Security Hub, CIS v3.0/v5.0 or an AWS Config managed rule checks S3 Bucket Keys');
    expect(out).toContain('Not mapped: FSBP KMS.3: KMS.3 judges each key');
    expect(out).toContain('each finding carries'); // KMS.KEY_STATE and the others whose fix depends on the resource
    expect(out).toContain('CIS 5.0: CIS Amazon Web Services Foundations Benchmark v5.0.0');
    expect(out).not.toContain('\u001b[');
  });

  it('--output writes the file and nothing to stdout', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'atrest-rules-')), 'rules.json');
    expect(runCli(['rules', '--format', 'json', '--output', file])).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect((JSON.parse(readFileSync(file, 'utf8')) as RulesIndex).kind).toBe('atrest-rules');
  });
});
