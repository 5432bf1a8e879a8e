import { CMK_LEVELS, type ServiceMatrixEntry } from '../../model/matrix.js';

/** The AWS managed key EFS uses when a file system is created encrypted without naming a key. */
export const EFS_DEFAULT_KEY_ALIAS = 'alias/aws/elasticfilesystem';

/** How Amazon EFS does encryption at rest: its row of the matrix (`atrest matrix`), with the page each fact comes from. */
// Verified against https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html: "Once you create an EFS
// file system, you cannot change its encryption setting ... you need to create a new, encrypted file system";
// "When you create a new file system using the Amazon EFS console, encryption at rest is enabled by default"
// and "Encryption at rest is not enabled by default when creating a new file system using the AWS CLI, API, and
// SDKs". The key: CreateFileSystem (https://docs.aws.amazon.com/efs/latest/ug/API_CreateFileSystem.html) uses
// "the default KMS key for Amazon EFS, /aws/elasticfilesystem" when Encrypted is true and no KmsKeyId is given,
// and there is no call that changes KmsKeyId later. https://docs.aws.amazon.com/efs/latest/ug/EFSKMS.html: EFS
// accepts only symmetric KMS keys; file data is encrypted under the chosen key, file system metadata (file and
// directory names, directory contents) under aws/elasticfilesystem; aws/elasticfilesystem costs nothing to keep,
// KMS usage charges apply. The rebuild: DataSync (https://docs.aws.amazon.com/datasync/latest/userguide/create-efs-location.html),
// an AWS Backup restore to a new file system (StartRestoreJob metadata newFileSystem, Encrypted, KmsKeyId:
// https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-efs.html) or EFS replication to a new
// file system with the chosen key (https://docs.aws.amazon.com/efs/latest/ug/efs-replication.html).
export const efsMatrix: ServiceMatrixEntry = {
  service: 'efs',
  name: 'Amazon EFS',
  resourceTypes: ['file-system'],
  encryptedByDefault: 'optional',
  defaultSince: null,
  defaultLevel: 'none',
  defaultDescription:
    'file systems created through the API, CLI or SDKs are unencrypted unless Encrypted is set (the console preselects encryption); an encrypted file system with no key named uses the AWS managed key aws/elasticfilesystem. Encryption and the key are chosen at creation and can never be changed',
  // Only symmetric KMS keys: aws/elasticfilesystem or a customer managed key (no AWS owned key option).
  possibleLevels: ['none', 'aws-managed', ...CMK_LEVELS],
  granularity: 'file system (file data under its key; metadata such as file and directory names under aws/elasticfilesystem)',
  enableAfterCreation: false,
  changeKeyAfterCreation: false,
  remediationPath: 'rebuild-from-encrypted-copy',
  remediation: {
    summary:
      'create a new file system with --encrypted and the chosen key, copy the data into it (AWS DataSync, or restore an AWS Backup recovery point into the new file system), move mount targets, access points and clients over, delete the old one',
    steps: [
      'aws efs create-file-system --region REGION --encrypted --kms-key-id KEY_ARN --creation-token FS-encrypted --tags Key=Name,Value=FS-encrypted (same performance mode, throughput mode and, for One Zone, Availability Zone as FS)',
      'aws efs create-mount-target --region REGION --file-system-id NEW_FS --subnet-id SUBNET --security-groups SG, once per subnet FS has a mount target in (aws efs describe-mount-targets --region REGION --file-system-id FS lists them); recreate its access points (describe-access-points) and file system policy on NEW_FS',
      'copy the data: an AWS DataSync task from an EFS location for FS to one for NEW_FS (aws datasync create-location-efs, create-task, start-task-execution; run it again just before the cut-over for the changes); or restore a recovery point of FS: aws backup start-restore-job --recovery-point-arn RECOVERY_POINT --iam-role-arn ROLE --metadata newFileSystem=true,Encrypted=true,KmsKeyId=KEY_ARN,PerformanceMode=generalPurpose,CreationToken=FS-encrypted (this creates the encrypted file system itself, with the files under a recovery directory aws-backup-restore_<datetime> off its root: move them to where clients expect them, and create its mount targets as above)',
      'cut over: stop writers, run the final copy, mount NEW_FS where FS was mounted (fstab, ECS task definitions, EKS persistent volumes, Lambda file system configs), then start the writers again (downtime)',
      'aws efs delete-file-system --region REGION --file-system-id FS once nothing mounts it (delete its mount targets first); its backups stay unencrypted until they expire or are deleted',
    ],
    cli: 'aws efs create-file-system --region REGION --encrypted --kms-key-id KEY_ARN --creation-token FS-encrypted',
    terraform: 'resource "aws_efs_file_system" "this" {\n  encrypted  = true\n  kms_key_id = aws_kms_key.this.arn\n}',
    cloudformation: 'AWS::EFS::FileSystem:\n  Properties:\n    Encrypted: true\n    KmsKeyId: !GetAtt Key.Arn',
  },
  cost: 'no charge for EFS encryption itself; EFS calls KMS for either key (KMS request charges), and a customer managed key costs the usual KMS key charge',
  docs: 'https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html',
};
