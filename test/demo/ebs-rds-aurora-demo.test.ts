import { describe, expect, it } from 'vitest';
import { readInventoryFile } from '../../src/inventory-file.js';
import { PROTECTION_LEVELS } from '../../src/model/levels.js';
import { evaluate } from '../../src/engine/engine.js';
import { BASELINE_POLICY } from '../../src/policy/built-in.js';
import { runCli } from '../helpers/cli.js';
import { ROOT } from '../helpers/fixtures.js';

/** fixtures/demo/ebs-rds-aurora.json: the EBS, RDS and Aurora part of the demo account. */
const FILE = 'fixtures/demo/ebs-rds-aurora.json';
const demo = readInventoryFile(`${ROOT}/${FILE}`);

/** Validity, account, scan window and keys[]: test/demo/demo-files.test.ts, for every demo file. */
describe('the EBS/RDS/Aurora demo inventory', () => {
  it('holds EBS, RDS and Aurora resources at every protection level', () => {
    expect(new Set(demo.resources.map((r) => r.service))).toEqual(new Set(['ebs', 'rds', 'aurora']));
    expect(new Set(demo.resources.map((r) => r.protection.level))).toEqual(new Set(PROTECTION_LEVELS));
  });

  it('shows the failures this part of the demo is for', () => {
    const report = evaluate(demo, BASELINE_POLICY, { failOn: 'high' });
    const failing = new Set(report.findings.filter((f) => f.status === 'fail').map((f) => f.ruleId));
    for (const id of [
      'KMS.KEY_STATE',
      'EBS.VOLUME_ENCRYPTION',
      'EBS.SNAPSHOT_ENCRYPTION',
      'EBS.DEFAULT_ENCRYPTION',
      'RDS.INSTANCE_ENCRYPTION',
      'RDS.SNAPSHOT_ENCRYPTION',
      'AURORA.CLUSTER_ENCRYPTION',
      'AURORA.SNAPSHOT_ENCRYPTION',
      'RDS.SNAPSHOT_SOURCE_MISMATCH',
    ]) {
      expect(failing, id).toContain(id);
    }
    const aurora = report.findings.find((f) => f.ruleId === 'AURORA.CLUSTER_ENCRYPTION' && f.status === 'fail')!;
    expect(aurora.message).toContain('2026-02-18');
    expect(report.outcome.exitCode).toBe(1);
  });

  it('evaluates from the command line', () => {
    const result = runCli(['evaluate', FILE, '--format', 'json']);
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { summary: { byService: Record<string, { resources: number }> } };
    expect(report.summary.byService.ebs!.resources).toBe(demo.resources.filter((r) => r.service === 'ebs').length);
    expect(report.summary.byService.aurora!.resources).toBe(demo.resources.filter((r) => r.service === 'aurora').length);
  });
});
