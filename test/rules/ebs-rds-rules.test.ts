import { describe, expect, it } from 'vitest';
import type { KeyRecord, Resource, ScanError } from '../../src/model/inventory.js';
import type { ProtectionLevel } from '../../src/model/levels.js';
import type { ServiceName } from '../../src/model/services.js';
import type { Finding } from '../../src/model/report.js';
import { RULES } from '../../src/engine/catalog.js';
import { mappingsFor } from '../../src/compliance/by-rule.js';
import { evaluate } from '../../src/engine/engine.js';
import { MATRIX } from '../../src/services/list.js';
import { BASELINE_POLICY, STRICT_POLICY } from '../../src/policy/built-in.js';
import type { Policy } from '../../src/model/policy.js';
import { ACCOUNT } from '../helpers/context.js';
import { inventory, key, resource, type ResourceSpec } from '../helpers/inventory.js';

const cmk = key('0f1e2d3c-1111-4a5b-9c8d-000000000001', { aliases: ['alias/app-data'] });
const doomed = key('0f1e2d3c-4444-4a5b-9c8d-000000000004', {
  aliases: ['alias/batch-old'],
  state: 'PendingDeletion',
  evidence: { KeyState: 'PendingDeletion', DeletionDate: '2026-12-05T00:00:00.000Z' },
});
const awsEbs = key('0f1e2d3c-2222-4a5b-9c8d-000000000002', { manager: 'AWS', aliases: ['alias/aws/ebs'] });
const KEYS = [cmk, doomed, awsEbs];
const CMK = cmk.arn;
const AWS_EBS = awsEbs.arn;

/** An EBS, RDS or Aurora resource; at level aws-owned its algorithm is sse-rds, as the RDS check writes it. */
function res(service: ServiceName, type: string, id: string, spec: ResourceSpec = {}): Resource {
  const awsOwned = (spec.level ?? spec.key?.level ?? 'aws-owned') === 'aws-owned';
  return resource(service, type, id, { ...(awsOwned ? { algorithm: 'sse-rds' } : {}), ...spec });
}

function run(resources: Resource[], policy: Policy = BASELINE_POLICY, errors: ScanError[] = []): Finding[] {
  return evaluate(inventory({ keys: KEYS, resources, errors, services: ['ebs', 'rds', 'aurora'] }), policy, { failOn: 'high' }).findings;
}

function finding(findings: Finding[], ruleId: string, resource: Resource): Finding {
  const found = findings.find((f) => f.ruleId === ruleId && f.resourceArn === resource.arn);
  if (!found) throw new Error(`no ${ruleId} finding for ${resource.arn}: ${findings.map((f) => `${f.ruleId}/${f.resourceArn}`).join(', ')}`);
  return found;
}

// ----- resources used across tests -------------------------------------------

const plainVolume = res('ebs', 'volume', 'vol-plain', {
  level: 'none',
  attributes: {
    availabilityZone: 'us-east-1a',
    attachments: [{ instanceId: 'i-0fedcba9876543210', device: '/dev/sdf', state: 'attached' }],
  },
});
const cmkVolume = res('ebs', 'volume', 'vol-cmk', { level: 'customer-managed', key: cmk });
const awsVolume = res('ebs', 'volume', 'vol-aws', { level: 'aws-managed', key: awsEbs, attributes: { attachments: [] } });
const doomedVolume = res('ebs', 'volume', 'vol-doomed', { level: 'customer-managed', key: doomed });

/** The per-Region "encryption by default" resource the EBS check writes (id ACCOUNT:REGION), on or off, with its default key. */
function setting(region: string, enabled: boolean | null, defaultKeyLevel: ProtectionLevel, extra: ResourceSpec = {}): Resource {
  const defaultKey = defaultKeyLevel === 'aws-managed' ? awsEbs : cmk;
  const spec: ResourceSpec = {
    level: enabled === false ? 'none' : enabled === null ? 'unknown' : defaultKeyLevel,
    ...(enabled ? { key: defaultKey } : {}),
    attributes: {
      enabled,
      defaultKeyRef: 'alias/aws/ebs',
      defaultKeyArn: defaultKey.arn,
      defaultKeyLevel,
      defaultKeyNotes: defaultKeyLevel === 'unknown' ? ['GetEbsDefaultKmsKeyId failed: UnauthorizedOperation: no'] : [],
    },
    ...extra,
  };
  return { ...res('ebs', 'ebs-encryption-by-default', `arn:aws:ec2:${region}:${ACCOUNT}:ebs-encryption-by-default`, spec), id: `${ACCOUNT}:${region}` };
}

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
    // Their compliance controls come from the data file (src/rules/compliance.ts), by rule id.
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

describe('EBS rules', () => {
  it('EBS.VOLUME_ENCRYPTION: an unencrypted volume is high and says which instance it serves; the fix names the volume', () => {
    const f = finding(run([plainVolume]), 'EBS.VOLUME_ENCRYPTION', plainVolume);
    expect(f).toMatchObject({ status: 'fail', severity: 'high' });
    expect(f.message).toContain('not encrypted');
    expect(f.message).toContain('attached to i-0fedcba9876543210 (/dev/sdf)');
    expect(f.remediation!.path).toBe('rebuild-from-encrypted-copy');
    expect(f.remediation!.steps[0]).toBe('aws ec2 create-snapshot --region us-east-1 --volume-id vol-plain');
    expect(f.remediation!.steps.join('\n')).toContain('--availability-zone us-east-1a');
    expect(f.remediation!.steps.join('\n')).toContain('KEY_ARN');
  });

  it('EBS.VOLUME_ENCRYPTION: aws/ebs passes the baseline and fails strict at high', () => {
    expect(finding(run([awsVolume]), 'EBS.VOLUME_ENCRYPTION', awsVolume).status).toBe('pass');
    const strict = finding(run([awsVolume], STRICT_POLICY), 'EBS.VOLUME_ENCRYPTION', awsVolume);
    // high, not medium: strict's purpose is customer managed keys (levelFailureSeverity: high).
    expect(strict).toMatchObject({ status: 'fail', severity: 'high' });
    expect(strict.message).toContain('not attached to any instance');
  });

  it('KMS.KEY_STATE covers EBS volumes: a volume on a key pending deletion is critical', () => {
    const findings = run([doomedVolume, cmkVolume]);
    const f = finding(findings, 'KMS.KEY_STATE', doomedVolume);
    expect(f).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(f.message).toBe(`key alias/batch-old (${doomed.arn}) is scheduled for deletion on 2026-12-05T00:00:00.000Z: after that the data can never be decrypted`);
    expect(f.remediation!.cli).toContain('cancel-key-deletion');
    expect(finding(findings, 'KMS.KEY_STATE', cmkVolume).status).toBe('pass');
  });

  it('KMS.KEY_STATE covers the default-encryption setting and RDS resources too', () => {
    const on = setting('us-east-1', true, 'customer-managed', { key: doomed, algorithm: null });
    const snapshot = res('aurora', 'db-cluster-snapshot', 'snap', { level: 'customer-managed', key: doomed });
    const findings = run([on, snapshot]);
    expect(finding(findings, 'KMS.KEY_STATE', on).severity).toBe('critical');
    expect(finding(findings, 'KMS.KEY_STATE', snapshot).status).toBe('fail');
  });

  it('EBS.SNAPSHOT_ENCRYPTION: an unencrypted snapshot fails with a copy-and-delete runbook naming it', () => {
    const snap = res('ebs', 'snapshot', 'snap-0a1', { level: 'none', attributes: { sourceVolumeId: 'vol-plain' } });
    const f = finding(run([snap]), 'EBS.SNAPSHOT_ENCRYPTION', snap);
    expect(f).toMatchObject({ status: 'fail', severity: 'high' });
    expect(f.message).toContain('snapshot of vol-plain');
    expect(f.remediation!.cli).toBe('aws ec2 copy-snapshot --region us-east-1 --source-region us-east-1 --source-snapshot-id snap-0a1 --encrypted --kms-key-id KEY_ARN');
  });

  it('EBS.DEFAULT_ENCRYPTION: off is high where that Region has unencrypted volumes', () => {
    const off = setting('us-east-1', false, 'aws-managed');
    const f = finding(run([off, plainVolume, cmkVolume]), 'EBS.DEFAULT_ENCRYPTION', off);
    expect(f).toMatchObject({ status: 'fail', severity: 'high' });
    expect(f.message).toContain('1 volume(s) are already unencrypted (vol-plain)');
    expect(f.remediation!.cli).toBe('aws ec2 enable-ebs-encryption-by-default --region us-east-1');
    expect(f.compliance.map((c) => c.control)).toContain('EC2.7');
  });

  it('EBS.DEFAULT_ENCRYPTION: off is medium where the Region has no unencrypted volume (another Region does not count)', () => {
    const off = setting('eu-west-1', false, 'aws-managed');
    const f = finding(run([off, plainVolume]), 'EBS.DEFAULT_ENCRYPTION', off);
    expect(f).toMatchObject({ status: 'fail', severity: 'medium' });
    expect(f.message).toContain('no unencrypted volume found');
    const failed = finding(
      run([off], BASELINE_POLICY, [{ service: 'ebs', region: 'eu-west-1', operation: 'DescribeVolumes', code: 'UnauthorizedOperation', message: 'no' }]),
      'EBS.DEFAULT_ENCRYPTION',
      off,
    );
    expect(failed.message).toContain('could not be listed');
  });

  it('EBS.DEFAULT_ENCRYPTION: on passes; unreadable is unknown with the reason', () => {
    const on = setting('us-east-1', true, 'aws-managed');
    expect(finding(run([on]), 'EBS.DEFAULT_ENCRYPTION', on).status).toBe('pass');
    const unread = setting('us-east-1', null, 'aws-managed', {
      error: { operation: 'GetEbsEncryptionByDefault', code: 'UnauthorizedOperation', message: 'You are not authorized' },
    });
    const f = finding(run([unread]), 'EBS.DEFAULT_ENCRYPTION', unread);
    expect(f.status).toBe('unknown');
    expect(f.message).toContain('GetEbsEncryptionByDefault failed: UnauthorizedOperation');
  });

  it('EBS.DEFAULT_KEY_LEVEL: aws/ebs passes the baseline, fails strict, and an unreadable key is unknown', () => {
    const on = setting('us-east-1', true, 'aws-managed');
    expect(finding(run([on]), 'EBS.DEFAULT_KEY_LEVEL', on).status).toBe('pass');
    const strict = finding(run([on], STRICT_POLICY), 'EBS.DEFAULT_KEY_LEVEL', on);
    expect(strict).toMatchObject({ status: 'fail', severity: 'medium' });
    expect(strict.message).toContain(AWS_EBS);
    expect(strict.message).toContain('every new volume gets it');
    expect(strict.remediation!.cli).toBe('aws ec2 modify-ebs-default-kms-key-id --region us-east-1 --kms-key-id KEY_ARN');
    const off = setting('us-east-1', false, 'aws-managed');
    expect(finding(run([off], STRICT_POLICY), 'EBS.DEFAULT_KEY_LEVEL', off).message).toContain('without naming a key');
    const cmk = setting('us-east-1', true, 'customer-managed');
    expect(finding(run([cmk], STRICT_POLICY), 'EBS.DEFAULT_KEY_LEVEL', cmk).status).toBe('pass');
    const unknown = setting('us-east-1', true, 'unknown');
    const u = finding(run([unknown]), 'EBS.DEFAULT_KEY_LEVEL', unknown);
    expect(u.status).toBe('unknown');
    expect(u.message).toContain('UnauthorizedOperation');
  });
});

describe('RDS and Aurora rules', () => {
  const legacyAurora = res('aurora', 'db-cluster', 'legacy-aurora', { level: 'none', attributes: { engine: 'aurora-postgresql', createdAt: '2021-04-02T08:00:00.000Z', members: ['legacy-aurora-1'] } });
  const newAurora = res('aurora', 'db-cluster', 'orders-aurora', { level: 'aws-owned', attributes: { engine: 'aurora-mysql', createdAt: '2026-03-10T14:22:00.000Z', members: ['orders-aurora-1', 'orders-aurora-2'] } });

  it('AURORA.CLUSTER_ENCRYPTION: an unencrypted cluster created before 2026-02-18 says the default does not reach it', () => {
    const f = finding(run([legacyAurora]), 'AURORA.CLUSTER_ENCRYPTION', legacyAurora);
    expect(f).toMatchObject({ status: 'fail', severity: 'high' });
    expect(f.message).toContain('created 2021-04-02, before Aurora began encrypting new clusters by default on 2026-02-18');
    expect(f.message).toContain('covers member instance(s) legacy-aurora-1');
    expect(f.remediation!.cli).toBe(
      'aws rds restore-db-cluster-from-snapshot --db-cluster-identifier legacy-aurora-encrypted --snapshot-identifier legacy-aurora-pre-encryption --engine aurora-postgresql --kms-key-id KEY_ARN',
    );
    expect(f.remediation!.steps.join('\n')).not.toMatch(/copy-db-cluster-snapshot [^(]*--kms-key-id/);
  });

  it('AURORA.CLUSTER_ENCRYPTION: the default AWS owned key passes the baseline and fails strict, naming the default', () => {
    const pass = finding(run([newAurora]), 'AURORA.CLUSTER_ENCRYPTION', newAurora);
    expect(pass.status).toBe('pass');
    expect(pass.message).toContain('on or after 2026-02-18');
    const strict = finding(run([newAurora], STRICT_POLICY), 'AURORA.CLUSTER_ENCRYPTION', newAurora);
    // high, not medium: strict's purpose is customer managed keys (levelFailureSeverity: high).
    expect(strict).toMatchObject({ status: 'fail', severity: 'high' });
    expect(strict.message).toContain('AWS owned key (sse-rds)');
    expect(strict.message).toContain("Aurora's default for clusters created on or after 2026-02-18");
    expect(strict.message).toContain('cannot be changed in place');
  });

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
