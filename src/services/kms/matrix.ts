import { CMK_LEVELS, type ServiceMatrixEntry } from '../../model/matrix.js';

/** How AWS KMS does encryption at rest: its row of the matrix (`atrest matrix`), with the page each fact comes from. */
export const kmsMatrix: ServiceMatrixEntry = {
  service: 'kms',
  name: 'AWS KMS',
  resourceTypes: ['key'],
  encryptedByDefault: 'always',
  defaultSince: null,
  defaultLevel: 'aws-managed',
  defaultDescription: 'key material never leaves the FIPS-validated HSMs of KMS (or your custom key store) unencrypted',
  possibleLevels: ['aws-managed', ...CMK_LEVELS],
  granularity: 'key',
  enableAfterCreation: null,
  changeKeyAfterCreation: false,
  remediationPath: 'rotate-in-place',
  remediation: {
    summary: 'turn on automatic rotation in place (EnableKeyRotation); rotation keeps old material so existing data stays readable',
    steps: ['KMS console › key › Key rotation › Automatically rotate this KMS key'],
    cli: 'aws kms enable-key-rotation --key-id KEY_ARN --rotation-period-in-days 365',
    terraform: 'resource "aws_kms_key" "this" {\n  enable_key_rotation     = true\n  rotation_period_in_days = 365\n}',
    cloudformation: 'AWS::KMS::Key:\n  Properties:\n    EnableKeyRotation: true\n    RotationPeriodInDays: 365',
  },
  cost: 'USD 1 per customer managed key per month (each multi-Region primary and replica too), plus USD 1 for each of the first two rotations; AWS managed keys and keys pending deletion free; requests USD 0.03 per 10,000 beyond 20,000 free a month (see data/kms-prices.json)',
  docs: 'https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html',
};
