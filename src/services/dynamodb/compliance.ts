import { encrypted, kmsKey, m, NO_CONTROL, type RuleCompliance } from '../../compliance/mapping.js';

/** The controls the dynamodb rules evidence, by rule id (frameworks and control definitions: src/compliance/frameworks.ts). */
export const DYNAMODB_COMPLIANCE: Readonly<Record<string, RuleCompliance>> = {
  'DYNAMODB.TABLE_ENCRYPTION': {
    mappings: [m('aws-config', 'dynamodb-table-encrypted-kms', kmsKey)],
    // Security Hub has no control for DynamoDB table encryption (DynamoDB.3 is about DAX clusters).
    assumes: 'a level rule on tables; the AWS owned default is aws-owned, aws/dynamodb aws-managed',
  },
  'DYNAMODB.BACKUP_ENCRYPTION': { mappings: [], none: NO_CONTROL('DynamoDB on-demand backup encryption') },
  'DYNAMODB.KEY_INACCESSIBLE': { mappings: [], none: NO_CONTROL('tables whose KMS key became inaccessible') },
  'DYNAMODB.DAX_ENCRYPTION': {
    mappings: [m('aws-securityhub-fsbp', 'DynamoDB.3', encrypted), m('aws-config', 'dax-encryption-enabled', encrypted)],
    assumes: 'a level rule on DAX clusters (type dax-cluster): SSEDescription.Status ENABLED (or ENABLING) is aws-managed, DISABLED none',
  },
};
