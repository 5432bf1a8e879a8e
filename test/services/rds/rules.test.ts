import { describe, expect, it } from 'vitest';
import type { KeyRecord, Resource, ScanError } from '../../../src/model/inventory.js';
import type { ProtectionLevel } from '../../../src/model/levels.js';
import type { ServiceName } from '../../../src/model/services.js';
import type { Finding } from '../../../src/model/report.js';
import { RULES } from '../../../src/engine/catalog.js';
import { mappingsFor } from '../../../src/compliance/by-rule.js';
import { evaluate } from '../../../src/engine/engine.js';
import { MATRIX } from '../../../src/services/list.js';
import { BASELINE_POLICY, STRICT_POLICY } from '../../../src/policy/built-in.js';
import type { Policy } from '../../../src/model/policy.js';
import { ACCOUNT } from '../../helpers/context.js';
import { inventory, key, resource, type ResourceSpec } from '../../helpers/inventory.js';
import { AWS_EBS, awsEbs, awsVolume, CMK, cmk, cmkVolume, doomed, doomedVolume, finding, KEYS, plainVolume, res, run, setting } from '../../helpers/ebs-rds-rules.js';

describe('the catalog', () => {
  it('lists every EBS, RDS and Aurora rule id exactly once', () => {
    const expected = [
      'EBS.VOLUME_ENCRYPTION',
      'EBS.SNAPSHOT_ENCRYPTION',
      'EBS.DEFAULT_ENCRYPTION',
      'EBS.DEFAULT_KEY_LEVEL',
      'RDS.INSTANCE_ENCRYPTION',
      'RDS.CLUSTER_ENCRYPTION',
      'RDS.SNAPSHOT_ENCRYPTION',
      'AURORA.CLUSTER_ENCRYPTION',
      'AURORA.SNAPSHOT_ENCRYPTION',
      'RDS.SNAPSHOT_SOURCE_MISMATCH',
    ];
    for (const id of expected) expect(RULES.filter((r) => r.id === id), id).toHaveLength(1);
    // Their compliance controls come from the data file (src/services/<service>/compliance.ts), by rule id.
    const controls = (id: string) => mappingsFor(id).map((m) => `${m.framework} ${m.control}`);
    expect(controls('EBS.DEFAULT_ENCRYPTION')).toEqual(['aws-securityhub-fsbp EC2.7', 'cis-aws-3.0 2.2.1', 'cis-aws-5.0 5.1.1', 'aws-config ec2-ebs-encryption-by-default']);
    expect(controls('RDS.INSTANCE_ENCRYPTION')).toEqual(['aws-securityhub-fsbp RDS.3', 'cis-aws-3.0 2.3.1', 'cis-aws-5.0 2.2.1', 'aws-config rds-storage-encrypted']);
    expect(controls('EBS.VOLUME_ENCRYPTION')).toEqual(['aws-securityhub-fsbp EC2.3', 'aws-config encrypted-volumes']);
    // A cluster also evidences the instance controls for its members (reported once, on the cluster).
    expect(controls('AURORA.CLUSTER_ENCRYPTION')).toEqual([
      'aws-securityhub-fsbp RDS.27',
      'aws-config rds-cluster-encrypted-at-rest',
      'aws-securityhub-fsbp RDS.3',
      'cis-aws-3.0 2.3.1',
      'cis-aws-5.0 2.2.1',
      'aws-config rds-storage-encrypted',
    ]);
    expect(controls('AURORA.SNAPSHOT_ENCRYPTION')).toEqual(['aws-securityhub-fsbp RDS.4', 'aws-config rds-snapshot-encrypted']);
  });

  it('the matrix states the Aurora default and the fixed-at-creation facts', () => {
    expect(MATRIX.aurora).toMatchObject({ encryptedByDefault: 'default', defaultSince: '2026-02-18', defaultLevel: 'aws-owned', changeKeyAfterCreation: false, enableAfterCreation: false });
    expect(MATRIX.aurora.defaultDescription).toContain('2026-02-18');
    expect(MATRIX.ebs.possibleLevels).not.toContain('aws-owned');
    // CopyDBClusterSnapshot refuses a KmsKeyId for an unencrypted snapshot: the runbook restores with the key instead.
    expect(MATRIX.aurora.remediation.cli).toContain('restore-db-cluster-from-snapshot');
    expect(MATRIX.aurora.remediation.cli).toContain('--kms-key-id');
  });
});

describe('RDS and Aurora rules', () => {
  const legacyAurora = res('aurora', 'db-cluster', 'legacy-aurora', { level: 'none', attributes: { engine: 'aurora-postgresql', createdAt: '2021-04-02T08:00:00.000Z', members: ['legacy-aurora-1'] } });
  const newAurora = res('aurora', 'db-cluster', 'orders-aurora', { level: 'aws-owned', attributes: { engine: 'aurora-mysql', createdAt: '2026-03-10T14:22:00.000Z', members: ['orders-aurora-1', 'orders-aurora-2'] } });

  it('RDS.INSTANCE_ENCRYPTION and RDS.CLUSTER_ENCRYPTION judge standalone instances and Multi-AZ clusters, each with its own runbook', () => {
    const instance = res('rds', 'db-instance', 'legacy-mysql', { level: 'none', attributes: { engine: 'mysql' } });
    const cluster = res('rds', 'db-cluster', 'billing-maz', { level: 'none', attributes: { engine: 'mysql', members: ['billing-maz-1'] } });
    const findings = run([instance, cluster]);
    const i = finding(findings, 'RDS.INSTANCE_ENCRYPTION', instance);
    expect(i).toMatchObject({ status: 'fail', severity: 'high' });
    expect(i.compliance.map((c) => c.control).sort()).toEqual(['2.2.1', '2.3.1', 'RDS.3', 'rds-storage-encrypted']);
    expect(i.remediation!.steps[0]).toBe('aws rds create-db-snapshot --db-instance-identifier legacy-mysql --db-snapshot-identifier legacy-mysql-pre-encryption');
    expect(i.remediation!.steps.join('\n')).toContain('automated backups');
    const c = finding(findings, 'RDS.CLUSTER_ENCRYPTION', cluster);
    expect(c).toMatchObject({ status: 'fail', severity: 'high' });
    expect(c.remediation!.cli).toContain('restore-db-cluster-from-snapshot --db-cluster-identifier billing-maz-encrypted');
    // An Aurora cluster is never judged by the RDS cluster rule, nor the reverse.
    expect(findings.filter((f) => f.ruleId === 'RDS.CLUSTER_ENCRYPTION' && f.service === 'aurora')).toEqual([]);
    expect(run([legacyAurora]).filter((f) => f.ruleId.startsWith('RDS.') && f.resourceArn === legacyAurora.arn)).toEqual([]);
  });

  it('snapshot rules: rds and aurora snapshots each get their own rule; an unencrypted cluster snapshot is restored with the key, not copied', () => {
    const dbSnap = res('rds', 'db-snapshot', 'legacy-mysql-before-upgrade', { level: 'none', attributes: { snapshotType: 'manual', sourceIdentifier: 'legacy-mysql' } });
    const auroraSnap = res('aurora', 'db-cluster-snapshot', 'legacy-aurora-final', { level: 'none', attributes: { snapshotType: 'manual', engine: 'aurora-postgresql' } });
    const findings = run([dbSnap, auroraSnap]);
    const d = finding(findings, 'RDS.SNAPSHOT_ENCRYPTION', dbSnap);
    expect(d.message).toContain('manual snapshot of legacy-mysql');
    expect(d.remediation!.cli).toBe(
      'aws rds copy-db-snapshot --source-db-snapshot-identifier legacy-mysql-before-upgrade --target-db-snapshot-identifier legacy-mysql-before-upgrade-encrypted --kms-key-id KEY_ARN',
    );
    const a = finding(findings, 'AURORA.SNAPSHOT_ENCRYPTION', auroraSnap);
    expect(a.status).toBe('fail');
    expect(a.compliance.map((c) => c.control).sort()).toEqual(['RDS.4', 'rds-snapshot-encrypted']);
    expect(a.remediation!.cli).toBe(
      'aws rds restore-db-cluster-from-snapshot --db-cluster-identifier legacy-aurora-final-restore --snapshot-identifier legacy-aurora-final --engine aurora-postgresql --kms-key-id KEY_ARN',
    );
    expect(findings.filter((f) => f.ruleId === 'RDS.SNAPSHOT_ENCRYPTION' && f.resourceArn === auroraSnap.arn)).toEqual([]);
  });

  describe('RDS.SNAPSHOT_SOURCE_MISMATCH', () => {
    const source = (level: ProtectionLevel, k?: KeyRecord): Resource => res('rds', 'db-instance', `arn:aws:rds:us-east-1:${ACCOUNT}:db:orders-pg`, { level, ...(k ? { key: k } : {}) });
    const snapshot = (level: ProtectionLevel, k?: KeyRecord): Resource =>
      res('rds', 'db-snapshot', 'orders-pg-copy', {
        level,
        ...(k ? { key: k } : {}),
        attributes: { snapshotType: 'manual', sourceIdentifier: 'orders-pg', sourceArn: `arn:aws:rds:us-east-1:${ACCOUNT}:db:orders-pg` },
      });

    it('an unencrypted snapshot of an encrypted source is high, and says so', () => {
      const snap = snapshot('none');
      const f = finding(run([source('customer-managed', cmk), snap]), 'RDS.SNAPSHOT_SOURCE_MISMATCH', snap);
      expect(f).toMatchObject({ status: 'fail', severity: 'high' });
      expect(f.message).toMatch(/^unencrypted snapshot of an encrypted source/);
      // The fix re-encrypts under the source's own key.
      expect(f.remediation!.cli).toContain(`--kms-key-id ${CMK}`);
    });

    it('an encrypted snapshot of an unencrypted source is low and points at finishing the migration', () => {
      const snap = snapshot('customer-managed', cmk);
      const f = finding(run([source('none'), snap]), 'RDS.SNAPSHOT_SOURCE_MISMATCH', snap);
      expect(f).toMatchObject({ status: 'fail', severity: 'low' });
      expect(f.message).toMatch(/^encrypted snapshot of an unencrypted source/);
      expect(f.remediation!.cli).toBe('aws rds restore-db-instance-from-db-snapshot --db-instance-identifier orders-pg-new --db-snapshot-identifier orders-pg-copy');
    });

    it('a snapshot under a weaker level than its source is medium; a stronger one is low; the same level passes', () => {
      const weaker = snapshot('aws-managed', awsEbs);
      const w = finding(run([source('customer-managed', cmk), weaker]), 'RDS.SNAPSHOT_SOURCE_MISMATCH', weaker);
      expect(w).toMatchObject({ status: 'fail', severity: 'medium' });
      expect(w.message).toContain('weaker level than its source: snapshot aws-managed');
      const stronger = snapshot('customer-managed', cmk);
      const s = finding(run([source('aws-managed', awsEbs), stronger]), 'RDS.SNAPSHOT_SOURCE_MISMATCH', stronger);
      expect(s).toMatchObject({ status: 'fail', severity: 'low' });
      expect(s.message).toContain('(stronger) level');
      const same = snapshot('customer-managed', cmk);
      expect(finding(run([source('customer-managed', cmk), same]), 'RDS.SNAPSHOT_SOURCE_MISMATCH', same).status).toBe('pass');
    });

    it('is not-applicable when the source is gone, unknown when either level is unknown', () => {
      const snap = snapshot('none');
      expect(finding(run([snap]), 'RDS.SNAPSHOT_SOURCE_MISMATCH', snap).status).toBe('not-applicable');
      expect(finding(run([source('unknown'), snap]), 'RDS.SNAPSHOT_SOURCE_MISMATCH', snap).status).toBe('unknown');
    });

    it('covers Aurora cluster snapshots against their cluster', () => {
      const snap = res('aurora', 'db-cluster-snapshot', 'rds:orders-aurora-2026-11-27', { level: 'aws-owned', attributes: { snapshotType: 'automated', sourceIdentifier: 'orders-aurora', sourceArn: newAurora.arn } });
      expect(finding(run([newAurora, snap]), 'RDS.SNAPSHOT_SOURCE_MISMATCH', snap).status).toBe('pass');
    });
  });
});
