import { describe, expect, it } from 'vitest';
import type { Inventory } from '../../src/model/inventory.js';
import { PROTECTION_LEVELS } from '../../src/model/levels.js';
import { evaluate } from '../../src/rules/engine.js';
import { BASELINE_POLICY } from '../../src/rules/policy.js';
import { validator } from '../../src/schema.js';
import { runCli } from '../helpers/cli.js';
import { readJson } from '../helpers/fixtures.js';

/** fixtures/demo/ebs-rds-aurora.json: the EBS, RDS and Aurora part of the demo account. */
const FILE = 'fixtures/demo/ebs-rds-aurora.json';
const demo = readJson<Inventory>(FILE);

describe('the EBS/RDS/Aurora demo inventory', () => {
  it('is a valid inventory of the demo account and scan', () => {
    const validate = validator('inventory.schema.json');
    expect(validate(demo), JSON.stringify(validate.errors)).toBe(true);
    expect(demo.scan).toMatchObject({
      accountId: '111122223333',
      principalArn: 'arn:aws:sts::111122223333:assumed-role/atrest-audit/atrest',
      regions: ['eu-west-1', 'us-east-1'],
      startedAt: '2026-11-28T09:00:00.000Z',
      finishedAt: '2026-11-28T09:04:12.000Z',
    });
    expect(new Set(demo.resources.map((r) => r.service))).toEqual(new Set(['ebs', 'rds', 'aurora']));
  });

  it('shows every protection level, and every key a resource uses is in keys[]', () => {
    expect(new Set(demo.resources.map((r) => r.protection.level))).toEqual(new Set(PROTECTION_LEVELS));
    const keys = new Set(demo.keys.map((k) => k.arn));
    const used = demo.resources.map((r) => r.protection.keyArn).filter((k): k is string => k !== null);
    expect(used.filter((k) => !keys.has(k))).toEqual([]);
    expect(demo.resources.every((r) => r.accountId === '111122223333')).toBe(true);
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
