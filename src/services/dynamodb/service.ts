import { TAGGING_API } from '../../aws/core-apis.js';
import { sameNamedActions, type ServiceDescriptor } from '../descriptor.js';
import { DYNAMODB_COMPLIANCE } from './compliance.js';
import { daxMatrix, dynamodbMatrix } from './matrix.js';
import { DYNAMODB_RULES } from './rules.js';

declare module '../../model/services.js' {
  interface ServiceIds {
    dynamodb: true;
  }
}

/** Amazon DynamoDB tables, on-demand backups and DynamoDB Accelerator (DAX) clusters. */
export const dynamodb: ServiceDescriptor<'dynamodb'> = {
  id: 'dynamodb',
  collector: { id: 'dynamodb', scope: 'regional', load: async () => (await import('./check.js')).dynamodbCheck },
  matrix: dynamodbMatrix,
  moreMatrixRows: [daxMatrix],
  rules: DYNAMODB_RULES,
  compliance: DYNAMODB_COMPLIANCE,
  apis: [
    {
      sdkPackage: '@aws-sdk/client-dynamodb',
      serviceId: 'DynamoDB',
      iamPrefix: 'dynamodb',
      operations: sameNamedActions('dynamodb', ['ListTables', 'DescribeTable', 'ListBackups', 'DescribeBackup']),
    },
    // DynamoDB Accelerator: its own API and IAM service (dax:DescribeClusters, dax:ListTags).
    { sdkPackage: '@aws-sdk/client-dax', serviceId: 'DAX', iamPrefix: 'dax', operations: sameNamedActions('dax', ['DescribeClusters', 'ListTags']) },
    // Tags in bulk (src/collect/tag-index.ts).
    TAGGING_API,
  ],
  tags: 'the Resource Groups Tagging API (GetResources), one listing per Region, not one ListTagsOfResource per table (AWS allows 10 a second); dax:ListTags per DAX cluster; on-demand backups carry no tags',
  dataStore: true,
  exampleArns: (p) => [`arn:${p}:dax:us-east-1:111122223333:cache/example`, `arn:${p}:dynamodb:us-east-1:111122223333:table/example`, `arn:${p}:dynamodb:us-east-1:111122223333:table/example/backup/01234567890123-abcdef12`],
  docs: 'docs/services/dynamodb.md',
  iac: { load: async () => (await import('./iac.js')).dynamodbIac },
};
