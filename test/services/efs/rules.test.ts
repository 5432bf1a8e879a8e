import { describe, expect, it } from 'vitest';
import { RULES } from '../../../src/engine/catalog.js';
import { evaluate } from '../../../src/engine/engine.js';
import type { Resource, ScanError } from '../../../src/model/inventory.js';
import type { ProtectionLevel } from '../../../src/model/levels.js';
import type { Policy } from '../../../src/model/policy.js';
import type { Finding } from '../../../src/model/report.js';
import { BASELINE_POLICY, STRICT_POLICY } from '../../../src/policy/built-in.js';
import { MATRIX } from '../../../src/services/list.js';
import { ACCOUNT } from '../../helpers/context.js';
import { inventory, key, policy, resource, type ResourceSpec } from '../../helpers/inventory.js';

const awsEfs = key('5e6f7a8b-1111-4c2d-9e3f-00000000e0f1', { manager: 'AWS', aliases: ['alias/aws/elasticfilesystem'] });
const cmk = key('0f1e2d3c-1111-4a5b-9c8d-000000000001', { aliases: ['alias/app-data'] });
const imported = key('0f1e2d3c-6666-4a5b-9c8d-000000000006', { origin: 'EXTERNAL', aliases: ['alias/byok'] });
const hsm = key('0f1e2d3c-5555-4a5b-9c8d-000000000005', { origin: 'AWS_CLOUDHSM', aliases: ['alias/ledger-hsm'] });
const disabled = key('0f1e2d3c-7777-4a5b-9c8d-000000000007', { state: 'Disabled', aliases: ['alias/old'], evidence: { KeyState: 'Disabled' } });
const KEYS = [awsEfs, cmk, imported, hsm, disabled];

/** A file system as the EFS check writes it (ARN arn:aws:elasticfilesystem:REGION:ACCOUNT:file-system/ID). */
function fileSystem(id: string, spec: ResourceSpec = {}): Resource {
  const region = spec.region ?? 'us-east-1';
  const level: ProtectionLevel = spec.level ?? spec.key?.level ?? 'none';
  return resource('efs', 'file-system', `arn:aws:elasticfilesystem:${region}:${ACCOUNT}:file-system/${id}`, {
    algorithm: null,
    notes: level === 'none' ? ['Encrypted=false'] : [],
    tags: {},
    attributes: { encrypted: level === 'unknown' ? null : level !== 'none', name: id, state: 'available', mountTargets: 2, createdAt: '2024-01-01T00:00:00.000Z', availabilityZone: null },
    ...spec,
    level,
  });
}

function run(resources: Resource[], use: Policy = BASELINE_POLICY, errors: ScanError[] = []): Finding[] {
  return evaluate(inventory({ keys: KEYS, resources, errors, services: ['efs'] }), use, { failOn: 'high' }).findings;
}

function finding(findings: Finding[], ruleId: string, r: Resource): Finding {
  const found = findings.find((f) => f.ruleId === ruleId && f.resourceArn === r.arn);
  if (!found) throw new Error(`no ${ruleId} finding for ${r.arn}: ${findings.map((f) => `${f.ruleId}/${f.resourceArn}`).join(', ')}`);
  return found;
}

const RULE = 'EFS.FILE_SYSTEM_ENCRYPTION';
const controls = (f: Finding): Record<string, string | undefined> => Object.fromEntries(f.compliance.map((c) => [`${c.framework} ${c.control}`, c.status]));

const plain = fileSystem('fs-0a1b2c3d4e5f60001', { level: 'none', attributes: { encrypted: false, mountTargets: 3 } });
const onAwsManaged = fileSystem('fs-0a1b2c3d4e5f60002', { key: awsEfs });
const onCmk = fileSystem('fs-0a1b2c3d4e5f60003', { key: cmk });

describe('EFS.FILE_SYSTEM_ENCRYPTION', () => {
  it('is in the catalogue, on the EFS matrix row, for file systems only', () => {
    const rule = RULES.find((r) => r.id === RULE)!;
    expect(rule).toBeDefined();
    expect(rule.appliesTo(plain)).toBe(true);
    expect(rule.appliesTo({ ...plain, type: 'access-point' })).toBe(false);
    expect(rule.appliesTo({ ...plain, service: 'ebs', type: 'file-system' })).toBe(false);
    expect(rule.rationale).toContain('Amazon EFS: ');
    expect(MATRIX.efs).toMatchObject({ enableAfterCreation: false, changeKeyAfterCreation: false, defaultLevel: 'none', remediationPath: 'rebuild-from-encrypted-copy' });
  });

  it('an unencrypted file system fails high, says it cannot be changed in place and what a rebuild interrupts', () => {
    const f = finding(run([plain]), RULE, plain);
    expect(f).toMatchObject({ status: 'fail', severity: 'high' });
    expect(f.message).toBe(
      'not encrypted; policy "baseline" requires at least aws-owned (cannot be changed in place); 3 mount target(s): every client mounted through them moves to the new file system',
    );
  });

  it('the fix is the rebuild runbook with the file system and Region filled in, and the IaC settings', () => {
    const fix = finding(run([plain]), RULE, plain).remediation!;
    expect(fix.path).toBe('rebuild-from-encrypted-copy');
    expect(fix.summary).toBe(MATRIX.efs.remediation.summary);
    expect(fix.cli).toBe('aws efs create-file-system --region us-east-1 --encrypted --kms-key-id KEY_ARN --creation-token fs-0a1b2c3d4e5f60001-encrypted');
    const steps = fix.steps.join('\n');
    expect(steps).toContain('aws efs describe-mount-targets --region us-east-1 --file-system-id fs-0a1b2c3d4e5f60001');
    expect(steps).toContain('aws datasync create-location-efs');
    expect(steps).toContain('aws backup start-restore-job --recovery-point-arn RECOVERY_POINT --iam-role-arn ROLE --metadata newFileSystem=true,Encrypted=true,KmsKeyId=KEY_ARN');
    expect(steps).toContain('aws efs delete-file-system --region us-east-1 --file-system-id fs-0a1b2c3d4e5f60001');
    // Placeholders that are not this file system's stay for the user to fill.
    expect(steps).toContain('NEW_FS');
    expect(fix.terraform).toBe('resource "aws_efs_file_system" "this" {\n  encrypted  = true\n  kms_key_id = aws_kms_key.this.arn\n}');
    expect(fix.cloudformation).toBe('AWS::EFS::FileSystem:\n  Properties:\n    Encrypted: true\n    KmsKeyId: !GetAtt Key.Arn');
    expect(fix.docs).toBe('https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html');
  });

  it('aws/elasticfilesystem passes the baseline; strict (EFS is a data store) fails it at high', () => {
    expect(finding(run([onAwsManaged]), RULE, onAwsManaged)).toMatchObject({ status: 'pass', message: `encrypted with AWS managed key ${awsEfs.arn} meets the minimum aws-owned` });
    const strict = finding(run([onAwsManaged], STRICT_POLICY), RULE, onAwsManaged);
    expect(strict).toMatchObject({ status: 'fail', severity: 'high' });
    expect(strict.message).toContain('policy "strict" requires at least customer-managed (cannot be changed in place)');
  });

  it('every customer managed level passes strict', () => {
    for (const k of [cmk, imported, hsm]) {
      const fs = fileSystem(`fs-${k.keyId.slice(-12)}`, { key: k });
      expect(finding(run([fs], STRICT_POLICY), RULE, fs), k.level).toMatchObject({ status: 'pass' });
    }
  });

  it('a file system whose protection could not be read is unknown with the reason, never a pass', () => {
    const unread = fileSystem('fs-0a1b2c3d4e5f60004', {
      level: 'unknown',
      notes: ['the file system is encrypted (Encrypted=true) but the response names no KmsKeyId, so its key and level are unknown'],
    });
    const f = finding(run([unread]), RULE, unread);
    expect(f.status).toBe('unknown');
    expect(f.message).toContain('protection unknown: the file system is encrypted (Encrypted=true) but the response names no KmsKeyId');
    // An unknown finding adds no mount-target sentence: that detail is for failures.
    expect(f.message).not.toContain('mount target');
  });

  it('a tag override that demands a customer managed key fails aws/elasticfilesystem at high, and says which override decided', () => {
    const restricted = fileSystem('fs-0a1b2c3d4e5f60005', { key: awsEfs, tags: { 'data-classification': 'restricted' } });
    const withOverride = policy({ tagOverrides: [{ name: 'restricted data', tags: { 'data-classification': 'restricted' }, minimumLevel: 'customer-managed' }] });
    const f = finding(run([restricted, onAwsManaged], withOverride), RULE, restricted);
    expect(f).toMatchObject({ status: 'fail', severity: 'high', requiredLevel: 'customer-managed' });
    expect(f.message).toContain('data-classification=restricted');
    expect(finding(run([restricted, onAwsManaged], withOverride), RULE, onAwsManaged).status).toBe('pass');
    // Tags that could not be read: the override might apply, so the result is unknown, not the default requirement's pass.
    const unreadTags = fileSystem('fs-0a1b2c3d4e5f60006', {
      key: awsEfs,
      tags: undefined,
      tagsError: { operation: 'DescribeFileSystems', code: 'MissingField', message: 'the response has no Tags for this file system' },
    });
    delete (unreadTags as { tags?: unknown }).tags;
    expect(finding(run([unreadTags], withOverride), RULE, unreadTags).status).toBe('unknown');
  });

  it('evidences Security Hub EFS.1, CIS 3.0 2.4.1, CIS 5.0 2.3.1 and Config efs-encrypted-check at their own thresholds', () => {
    const ids = ['aws-securityhub-fsbp EFS.1', 'cis-aws-3.0 2.4.1', 'cis-aws-5.0 2.3.1', 'aws-config efs-encrypted-check'];
    const fail = controls(finding(run([plain]), RULE, plain));
    expect(Object.keys(fail)).toEqual(ids);
    expect(Object.values(fail)).toEqual(['fail', 'fail', 'fail', 'fail']);
    // Under strict the rule fails aws/elasticfilesystem, but the controls only ask for encryption with a KMS key: they pass.
    const strict = finding(run([onAwsManaged], STRICT_POLICY), RULE, onAwsManaged);
    expect(strict.status).toBe('fail');
    expect(Object.values(controls(strict))).toEqual(['pass', 'pass', 'pass', 'pass']);
    const unread = fileSystem('fs-0a1b2c3d4e5f60007', { level: 'unknown' });
    expect(Object.values(controls(finding(run([unread]), RULE, unread)))).toEqual(['unknown', 'unknown', 'unknown', 'unknown']);
  });

  it('KMS.KEY_STATE covers EFS: a file system on a disabled key is critical', () => {
    const onDisabled = fileSystem('fs-0a1b2c3d4e5f60008', { key: disabled });
    const findings = run([onDisabled, onCmk]);
    expect(finding(findings, 'KMS.KEY_STATE', onDisabled)).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(finding(findings, 'KMS.KEY_STATE', onCmk).status).toBe('pass');
  });

  it('a denied listing is an unknown coverage finding for EFS in that Region that names the IAM action', () => {
    const denied: ScanError = { service: 'efs', region: 'eu-west-1', operation: 'DescribeFileSystems', code: 'AccessDeniedException', message: 'not authorized' };
    const report = evaluate(inventory({ keys: KEYS, resources: [], errors: [denied], services: ['efs'] }), BASELINE_POLICY, { failOn: 'high' });
    const coverage = report.findings.filter((f) => f.ruleId === 'SCAN.INCOMPLETE');
    expect(coverage).toHaveLength(1);
    expect(coverage[0]).toMatchObject({ status: 'unknown', service: 'efs', region: 'eu-west-1', message: 'efs:DescribeFileSystems failed in eu-west-1: AccessDeniedException: not authorized' });
    // The IAM prefix is not the service id.
    expect(coverage[0]!.remediation!.summary).toContain('allow elasticfilesystem:DescribeFileSystems');
    expect(report.outcome.exitCode).toBe(3);
  });
});
