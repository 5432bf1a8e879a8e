import { CMK_LEVELS, type ServiceMatrixEntry } from '../../model/matrix.js';

/** How Amazon EBS does encryption at rest: its row of the matrix (`atrest matrix`), with the page each fact comes from. */
export const ebsMatrix: ServiceMatrixEntry = {
  service: 'ebs',
  name: 'Amazon EBS',
  resourceTypes: ['volume', 'snapshot', 'ebs-encryption-by-default'],
  encryptedByDefault: 'optional',
  defaultSince: null,
  defaultLevel: 'none',
  defaultDescription:
    'volumes are unencrypted unless encryption is chosen at creation or the per-Region "EBS encryption by default" account setting (off unless turned on) is on; encrypted volumes use the Region default key (aws/ebs unless changed) when no key is named',
  // EBS uses KMS keys only (aws/ebs or a symmetric customer managed key); there is no AWS owned key option.
  possibleLevels: ['none', 'aws-managed', ...CMK_LEVELS],
  granularity: 'volume and snapshot; plus one account setting and one default key per Region',
  enableAfterCreation: false,
  changeKeyAfterCreation: false,
  remediationPath: 'rebuild-from-encrypted-copy',
  remediation: {
    summary: 'snapshot the volume, copy the snapshot with --encrypted and the chosen key, create a volume from the copy and swap it in (downtime); turn on encryption by default so new volumes are encrypted',
    steps: [
      'aws ec2 create-snapshot --region REGION --volume-id VOLUME',
      'aws ec2 copy-snapshot --region REGION --source-region REGION --source-snapshot-id SNAP --encrypted --kms-key-id KEY_ARN',
      'aws ec2 create-volume --region REGION --snapshot-id ENCRYPTED_SNAP --availability-zone AZ (create-volume --encrypted --kms-key-id KEY_ARN from the first snapshot does the same in one step)',
      'stop the instance, detach the old volume, attach the new one at the same device, start the instance (downtime); delete the old volume and its unencrypted snapshot afterwards',
      'aws ec2 enable-ebs-encryption-by-default --region REGION, so new volumes are encrypted (existing ones are not changed)',
    ],
    cli: 'aws ec2 copy-snapshot --region REGION --source-region REGION --source-snapshot-id SNAP --encrypted --kms-key-id KEY_ARN',
    terraform:
      'resource "aws_ebs_volume" "this" {\n  encrypted  = true\n  kms_key_id = aws_kms_key.this.arn\n}\nresource "aws_ebs_encryption_by_default" "this" { enabled = true }\nresource "aws_ebs_default_kms_key" "this" { key_arn = aws_kms_key.this.arn }',
    cloudformation: 'AWS::EC2::Volume:\n  Properties:\n    Encrypted: true\n    KmsKeyId: !GetAtt Key.Arn',
  },
  cost: 'no charge for EBS encryption itself; customer managed keys cost the usual KMS key charge',
  docs: 'https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html',
};
