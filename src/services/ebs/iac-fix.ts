import { cfnSet, keyCfn, liveId, target, tfKey, tfSet } from '../../iac/fix-helpers.js';
import { hcl, type FixBuilder, type HclEntry } from '../../iac/fix-model.js';
import { ebsMatrix } from './matrix.js';

/**
 * EBS fixes as code. A volume's encryption is fixed at creation: on an
 * existing volume the change makes Terraform or CloudFormation replace it
 * with a new, empty one, so the fix says so first and carries the migration
 * runbook (snapshot, encrypted copy, new volume, swap). The Region setting
 * and its default key change in place (new volumes only).
 */

function runbook(region: string, id: string, key: string): string[] {
  return ebsMatrix.remediation.steps.map((s) => s.replaceAll('REGION', region).replaceAll('VOLUME', id).replaceAll('KEY_ARN', key));
}

export const ebsSetKey: FixBuilder = (input) => {
  const { resource, key } = input;
  if (resource.type !== 'volume') return null;
  const t = target(resource, 'aws_ebs_volume');
  const { value, extra } = tfKey(key);
  const block = resource.source?.block ?? '';
  const kind = resource.source?.kind ?? 'aws_ebs_volume';
  // Launch templates spell encrypted as a string.
  const encrypted = kind === 'aws_launch_template' ? hcl.str('true') : hcl.bool(true);
  const entries: HclEntry[] = [['encrypted', encrypted], ['kms_key_id', value]];
  let path: string[] = [];
  if (kind === 'aws_instance') path = block.split('.');
  else if (kind === 'aws_launch_template') path = [...block.split('.'), 'ebs'];
  if (t.live) {
    entries.push(['availability_zone', hcl.str(typeof resource.attributes.availabilityZone === 'string' ? resource.attributes.availabilityZone : 'AZ')]);
    entries.push(['snapshot_id', hcl.str('ENCRYPTED_COPY_SNAPSHOT_ID')]);
  }
  const terraform = [...extra, tfSet(t, path, entries, path.length > 0 ? `${path.join('.')}.encrypted` : 'encrypted', t.live ? 'NEW_VOLUME_ID' : undefined)];
  // CloudFormation: the volume's own properties, or the block device mapping of the instance or template.
  const ebs = { Encrypted: true, KmsKeyId: keyCfn(key) };
  let properties: Record<string, unknown>;
  const device = typeof resource.evidence.DeviceName === 'string' ? resource.evidence.DeviceName : '/dev/xvda';
  if (kind === 'AWS::EC2::Instance') properties = { BlockDeviceMappings: [{ DeviceName: device, Ebs: ebs }] };
  else if (kind === 'AWS::EC2::LaunchTemplate') properties = { LaunchTemplateData: { BlockDeviceMappings: [{ DeviceName: device, Ebs: ebs }] } };
  else properties = { ...ebs, ...(t.live ? { AvailabilityZone: resource.attributes.availabilityZone ?? 'AZ', SnapshotId: 'ENCRYPTED_COPY_SNAPSHOT_ID' } : {}) };
  const replacement = t.exists;
  return {
    summary: `encrypt the volume with ${key.value} (encrypted = true, kms_key_id)${replacement ? ': EBS cannot encrypt an existing volume, so this replaces it with a new, empty volume; migrate the data first (runbook)' : ''}`,
    terraform,
    cloudformation: [cfnSet(resource, t, properties)],
    replacement,
    ...(replacement ? { runbook: runbook(resource.region, liveId(resource, 'VOLUME_ID'), key.value) } : {}),
  };
};

export const ebsRuleFix: FixBuilder = (input) => {
  const { finding, resource, key } = input;
  if (resource.type !== 'ebs-encryption-by-default') return null;
  const t = target(resource, 'aws_ebs_encryption_by_default');
  if (finding.ruleId === 'EBS.DEFAULT_ENCRYPTION') {
    const own = resource.source?.kind === 'aws_ebs_encryption_by_default';
    const change = own
      ? tfSet(t, [], [['enabled', hcl.bool(true)]], 'enabled')
      : { kind: 'aws_ebs_encryption_by_default', name: 'this', action: 'add-resource' as const, block: [], entries: [['enabled', hcl.bool(true)]] as HclEntry[], file: t.file, line: null, ...(t.live ? { importId: 'default' } : {}) };
    return {
      summary: `turn on EBS encryption by default in ${resource.region} (in place, new volumes only; CloudFormation has no resource for it: use Terraform or aws ec2 enable-ebs-encryption-by-default)`,
      terraform: [change],
      cloudformation: [],
      replacement: false,
    };
  }
  if (finding.ruleId === 'EBS.DEFAULT_KEY_LEVEL') {
    const { value, extra } = tfKey(key);
    const related = resource.source?.related?.find((r) => r.kind === 'aws_ebs_default_kms_key');
    const ownKey = resource.source?.kind === 'aws_ebs_default_kms_key';
    const change = ownKey
      ? tfSet(t, [], [['key_arn', value]], 'key_arn')
      : related
        ? { kind: 'aws_ebs_default_kms_key', name: related.address.replace(/^.*\./, ''), action: 'set' as const, block: [], entries: [['key_arn', value]] as HclEntry[], file: related.file, line: related.line }
        : { kind: 'aws_ebs_default_kms_key', name: 'this', action: 'add-resource' as const, block: [], entries: [['key_arn', value]] as HclEntry[], file: t.file, line: null, ...(t.live ? { importId: key.value } : {}) };
    return {
      summary: `make ${key.value} the Region default EBS key in ${resource.region} (in place; volumes created afterwards)`,
      terraform: [...extra, change],
      cloudformation: [],
      replacement: false,
    };
  }
  return null;
};
