import { ebsMatrix } from './matrix.js';
import type { Resource } from '../../model/inventory.js';
import { isProtectionLevel, meetsMinimum } from '../../model/levels.js';
import { levelRule } from '../../rules/level-rule.js';
import { minimumLevelFor } from '../../policy/requirement.js';
import type { Rule } from '../../rules/rule.js';
import { fillPlaceholders, matrixFix, staticFix, withDetail } from '../../rules/rule-detail.js';

/**
 * EBS rules. Volume and snapshot encryption is fixed at creation, so their
 * fixes are rebuilds; the per-Region "encryption by default" setting and its
 * default key change in place but only affect volumes created afterwards.
 */

const EBS_DEFAULT_DOCS = 'https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html';

function attachmentText(resource: Resource): string {
  const attachments = Array.isArray(resource.attributes.attachments) ? resource.attributes.attachments : [];
  const parts = attachments
    .map((a) => (a && typeof a === 'object' && !Array.isArray(a) ? a : {}))
    .filter((a) => typeof a.instanceId === 'string')
    .map((a) => (typeof a.device === 'string' ? `${String(a.instanceId)} (${a.device})` : String(a.instanceId)));
  return parts.length > 0 ? `attached to ${parts.join(', ')}` : 'not attached to any instance';
}

export const ebsVolumeEncryptionRule: Rule = withDetail(
  levelRule({
    id: 'EBS.VOLUME_ENCRYPTION',
    matrix: ebsMatrix,
    types: ['volume'],
    title: 'EBS volume encryption below the policy minimum',
  }),
  {
    // Say what is affected: the instances a rebuild will interrupt.
    detail: (resource, _context, outcome) => (outcome.status === 'fail' ? attachmentText(resource) : null),
    ...matrixFix(ebsMatrix, (resource) => ({
      VOLUME: resource.id,
      REGION: resource.region,
      AZ: typeof resource.attributes.availabilityZone === 'string' ? resource.attributes.availabilityZone : null,
    })),
  },
);

const ebsSnapshotFix = staticFix('copy the snapshot with --encrypted and the chosen key, then delete the original once nothing needs it', (resource) =>
  fillPlaceholders(
    {
      path: 'rebuild-from-encrypted-copy',
      steps: [
        'aws ec2 copy-snapshot --region REGION --source-region REGION --source-snapshot-id SNAP --encrypted --kms-key-id KEY_ARN',
        'point whatever used the original (AMIs, launch templates, backup plans) at the copy; an AMI is encrypted with aws ec2 copy-image --encrypted --kms-key-id KEY_ARN',
        'aws ec2 delete-snapshot --region REGION --snapshot-id SNAP (deregister AMIs that use it first)',
      ],
      cli: 'aws ec2 copy-snapshot --region REGION --source-region REGION --source-snapshot-id SNAP --encrypted --kms-key-id KEY_ARN',
      docs: 'https://docs.aws.amazon.com/ebs/latest/userguide/ebs-copy-snapshot.html',
    },
    { SNAP: resource.id, REGION: resource.region },
  ),
);

export const ebsSnapshotEncryptionRule: Rule = withDetail(
  levelRule({
    id: 'EBS.SNAPSHOT_ENCRYPTION',
    matrix: ebsMatrix,
    types: ['snapshot'],
    title: 'EBS snapshot encryption below the policy minimum',
  }),
  {
    detail: (resource, _context, outcome) =>
      outcome.status === 'fail' && typeof resource.attributes.sourceVolumeId === 'string' ? `snapshot of ${resource.attributes.sourceVolumeId}` : null,
    ...ebsSnapshotFix,
  },
);

/** Unencrypted volumes of one account and Region in the inventory. */
function unencryptedVolumes(resources: readonly Resource[], accountId: string, region: string): Resource[] {
  return resources.filter((r) => r.service === 'ebs' && r.type === 'volume' && r.accountId === accountId && r.region === region && r.protection.level === 'none');
}

function listIds(resources: readonly Resource[], max = 5): string {
  const ids = resources.map((r) => r.id).sort();
  return ids.length > max ? `${ids.slice(0, max).join(', ')} and ${ids.length - max} more` : ids.join(', ');
}

function settingUnknownMessage(resource: Resource): string {
  const why = resource.error
    ? `${resource.error.operation} failed: ${resource.error.code}: ${resource.error.message}`
    : resource.protection.notes.join('; ') || 'the setting could not be read';
  return `whether EBS encryption by default is on in ${resource.region} is unknown: ${why}`;
}

export const ebsDefaultEncryptionRule: Rule = {
  id: 'EBS.DEFAULT_ENCRYPTION',
  title: 'EBS encryption by default is off in a Region',
  rationale:
    'With the Region setting off, every volume created without choosing encryption (by people, launch templates, Auto Scaling, other services) is stored unencrypted, and an existing unencrypted volume cannot be encrypted in place later. Turning the setting on is free and affects new volumes only.',
  severity: 'high',
  matrixFacts: ['encryptedByDefault', 'defaultLevel', 'enableAfterCreation'],
  appliesTo: (r) => r.service === 'ebs' && r.type === 'ebs-encryption-by-default',
  evaluate(resource, context) {
    const enabled = resource.attributes.enabled;
    if (enabled === true) return { status: 'pass', message: `EBS encryption by default is on in ${resource.region}` };
    if (enabled !== false) return { status: 'unknown', message: settingUnknownMessage(resource) };
    const plain = unencryptedVolumes(context.inventory.resources, resource.accountId, resource.region);
    if (plain.length > 0) {
      return {
        status: 'fail',
        severity: 'high',
        message: `EBS encryption by default is off in ${resource.region}, where ${plain.length} volume(s) are already unencrypted (${listIds(plain)}): new volumes will be unencrypted too unless encryption is chosen each time`,
      };
    }
    const listingFailed = context.inventory.scan.errors.some((e) => e.service === 'ebs' && e.region === resource.region && e.operation === 'DescribeVolumes');
    return {
      status: 'fail',
      severity: 'medium',
      message: `EBS encryption by default is off in ${resource.region}: new volumes are unencrypted unless encryption is chosen each time (${
        listingFailed ? 'the volumes of this Region could not be listed' : 'no unencrypted volume found in this Region'
      })`,
    };
  },
  ...staticFix('turn on EBS encryption by default in the Region (in place, free; new volumes only, existing volumes keep their encryption)', (resource) =>
    fillPlaceholders(
      {
        path: 'in-place',
        steps: [
          'aws ec2 enable-ebs-encryption-by-default --region REGION',
          'optionally choose the default key: aws ec2 modify-ebs-default-kms-key-id --region REGION --kms-key-id KEY_ARN (otherwise aws/ebs)',
          'check that every instance type launched in the Region supports EBS encryption (all current generation types do)',
          'existing unencrypted volumes still need rebuilding: see EBS.VOLUME_ENCRYPTION',
        ],
        cli: 'aws ec2 enable-ebs-encryption-by-default --region REGION',
        terraform: 'resource "aws_ebs_encryption_by_default" "this" {\n  enabled = true\n}',
        docs: EBS_DEFAULT_DOCS,
      },
      { REGION: resource.region },
    ),
  ),
};

export const ebsDefaultKeyLevelRule: Rule = {
  id: 'EBS.DEFAULT_KEY_LEVEL',
  title: 'EBS default encryption key below the policy minimum',
  rationale:
    'The Region default EBS key encrypts every new volume when encryption by default is on, and any volume created encrypted without naming a key. A volume keeps that key for life, so a default below the policy minimum produces volumes that can only be fixed by rebuilding them.',
  severity: 'medium',
  matrixFacts: ['possibleLevels', 'changeKeyAfterCreation'],
  appliesTo: (r) => r.service === 'ebs' && r.type === 'ebs-encryption-by-default',
  evaluate(resource, context) {
    const attributes = resource.attributes;
    const level = isProtectionLevel(attributes.defaultKeyLevel) ? attributes.defaultKeyLevel : 'unknown';
    const key = (typeof attributes.defaultKeyArn === 'string' && attributes.defaultKeyArn) || (typeof attributes.defaultKeyRef === 'string' && attributes.defaultKeyRef) || 'the default key';
    // The default key is judged against what the policy demands of volumes: it decides their level.
    const minimum = minimumLevelFor(context.policy, 'ebs', 'volume');
    if (level === 'unknown') {
      const notes = Array.isArray(attributes.defaultKeyNotes) ? attributes.defaultKeyNotes.filter((n): n is string => typeof n === 'string') : [];
      return { status: 'unknown', message: `the level of the default EBS key in ${resource.region} is unknown: ${notes.join('; ') || 'not resolved'}` };
    }
    const use =
      attributes.enabled === true
        ? 'encryption by default is on, so every new volume gets it'
        : 'encryption by default is not on, but any volume created encrypted without naming a key gets it';
    if (meetsMinimum(level, minimum)) {
      return { status: 'pass', message: `the default EBS key ${key} is ${level}, meeting the minimum ${minimum} (${use})` };
    }
    return {
      status: 'fail',
      message: `the default EBS key ${key} is ${level}; policy "${context.policy.name}" requires at least ${minimum} for EBS volumes (${use})`,
    };
  },
  ...staticFix('set a customer managed key as the Region default EBS key (in place; new volumes only)', (resource) =>
    fillPlaceholders(
      {
        path: 'in-place',
        steps: [
          'aws ec2 modify-ebs-default-kms-key-id --region REGION --kms-key-id KEY_ARN',
          'the key policy must let the principals and services that create volumes (EC2 Auto Scaling, …) use the key, or their launches fail',
          'volumes created before the change keep their key: rebuild them if the policy requires it (EBS.VOLUME_ENCRYPTION)',
        ],
        cli: 'aws ec2 modify-ebs-default-kms-key-id --region REGION --kms-key-id KEY_ARN',
        terraform: 'resource "aws_ebs_default_kms_key" "this" {\n  key_arn = aws_kms_key.ebs.arn\n}',
        docs: EBS_DEFAULT_DOCS,
      },
      { REGION: resource.region },
    ),
  ),
};

export const EBS_RULES: readonly Rule[] = [ebsVolumeEncryptionRule, ebsSnapshotEncryptionRule, ebsDefaultEncryptionRule, ebsDefaultKeyLevelRule];
