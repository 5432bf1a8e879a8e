import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/model/report.js';
import { RULES } from '../../../src/engine/catalog.js';
import { evaluate } from '../../../src/engine/engine.js';
import { MATRIX } from '../../../src/services/list.js';
import { BASELINE_POLICY, STRICT_POLICY } from '../../../src/policy/built-in.js';
import { DEFAULT_SECRET_NAME_PATTERNS, secretLookingNames } from '../../../src/services/lambda/secret-names.js';
import type { Policy } from '../../../src/model/policy.js';
import { inventory, key, resource } from '../../helpers/inventory.js';

const one = (findings: Finding[], rule: string, arn: string): Finding => {
  const list = findings.filter((f) => f.ruleId === rule && f.resourceArn === arn);
  expect(list, `${rule} on ${arn}`).toHaveLength(1);
  return list[0]!;
};

describe('the catalog', () => {
  it('has each new rule id exactly once', () => {
    const ids = RULES.map((r) => r.id);
    for (const id of [
      'DYNAMODB.TABLE_ENCRYPTION',
      'DYNAMODB.BACKUP_ENCRYPTION',
      'DYNAMODB.KEY_INACCESSIBLE',
      'LAMBDA.ENV_ENCRYPTION',
      'REDSHIFT.CLUSTER_ENCRYPTION',
      'REDSHIFT.SNAPSHOT_ENCRYPTION',
      'REDSHIFT.SERVERLESS_ENCRYPTION',
    ]) {
      expect(ids.filter((x) => x === id), id).toHaveLength(1);
    }
  });
});

describe('DYNAMODB.KEY_INACCESSIBLE', () => {
  const k = key('aaaa1111-2222-4333-8444-555566667777');
  const cmk = { key: k, algorithm: 'KMS' };

  it('an archived table names its archival backup, and the fix restores from it', () => {
    const t = resource('dynamodb', 'table', 'archived', {
      ...cmk,
      attributes: {
        tableStatus: 'ARCHIVED',
        keyInaccessible: true,
        inaccessibleEncryptionDateTime: '2026-11-01T00:00:00.000Z',
        archivalReason: 'INACCESSIBLE_ENCRYPTION_CREDENTIALS',
        archivalBackupArn: 'arn:aws:dynamodb:us-east-1:111122223333:table/archived/backup/01761955200000-0a1b2c3d',
        replicas: [],
      },
    });
    const f = one(evaluate(inventory({ keys: [k], resources: [t] }), BASELINE_POLICY, { failOn: 'high' }).findings, 'DYNAMODB.KEY_INACCESSIBLE', t.arn);
    expect(f).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(f.message).toContain('has been archived to backup arn:aws:dynamodb:us-east-1:111122223333:table/archived/backup/');
    expect(f.remediation!.steps.join('\n')).toContain('restore-table-from-backup');
  });

  it('unknown when the inventory does not say (an older or hand-written inventory), never a pass', () => {
    const t = resource('dynamodb', 'table', 'silent', { ...cmk, attributes: {} });
    const f = one(evaluate(inventory({ keys: [k], resources: [t] }), BASELINE_POLICY, { failOn: 'high' }).findings, 'DYNAMODB.KEY_INACCESSIBLE', t.arn);
    expect(f.status).toBe('unknown');
  });

  it('does not judge backups', () => {
    const b = resource('dynamodb', 'backup', 'b1', { attributes: { keyInaccessible: true } });
    const r = evaluate(inventory({ resources: [b] }), BASELINE_POLICY, { failOn: 'high' });
    expect(r.findings.filter((f) => f.ruleId === 'DYNAMODB.KEY_INACCESSIBLE')).toEqual([]);
  });
});
