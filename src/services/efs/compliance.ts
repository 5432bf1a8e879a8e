import { encrypted, kmsKey, m, type RuleCompliance } from '../../compliance/mapping.js';

/**
 * The controls the efs rules evidence, by rule id (frameworks and control
 * definitions: src/compliance/frameworks.ts). Numbers as the frameworks give
 * them: Security Hub lists EFS.1 in the FSBP standard, with the related
 * requirements "CIS AWS Foundations Benchmark v5.0.0/2.3.1" and "v3.0.0/2.4.1"
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/efs-controls.html#efs-1);
 * the benchmarks' item lists give the same numbers (v3.0.0 section 2.4 and
 * v5.0.0 section 2.3, Elastic File System: "Ensure that encryption is enabled
 * for EFS file systems").
 */
export const EFS_COMPLIANCE: Readonly<Record<string, RuleCompliance>> = {
  'EFS.FILE_SYSTEM_ENCRYPTION': {
    mappings: [
      // EFS.1 and efs-encrypted-check (without its KmsKeyId parameter) fail
      // exactly when Encrypted is false; every encrypted file system is under
      // a KMS key (EFS has no AWS owned key), so "a KMS key" is "encrypted".
      m('aws-securityhub-fsbp', 'EFS.1', kmsKey),
      m('cis-aws-3.0', '2.4.1', encrypted),
      m('cis-aws-5.0', '2.3.1', encrypted),
      m('aws-config', 'efs-encrypted-check', kmsKey),
    ],
    assumes:
      'a level rule on file systems (type file-system); Encrypted=false is none, Encrypted=true the level of the resolved key (aws/elasticfilesystem aws-managed), and unknown when the key could not be named or described',
  },
};
