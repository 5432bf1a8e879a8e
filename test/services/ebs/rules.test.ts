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
