import { sameNamedActions, type ServiceDescriptor } from '../descriptor.js';
import { REDSHIFT_COMPLIANCE } from './compliance.js';
import { redshiftMatrix } from './matrix.js';
import { REDSHIFT_RULES } from './rules.js';

declare module '../../model/services.js' {
  interface ServiceIds {
    redshift: true;
  }
}

/** Amazon Redshift provisioned clusters, their snapshots, and Redshift Serverless namespaces and snapshots (two APIs). */
export const redshift: ServiceDescriptor<'redshift'> = {
  id: 'redshift',
  collector: { id: 'redshift', scope: 'regional', load: async () => (await import('./check.js')).redshiftCheck },
  matrix: redshiftMatrix,
  rules: REDSHIFT_RULES,
  compliance: REDSHIFT_COMPLIANCE,
  apis: [
    { sdkPackage: '@aws-sdk/client-redshift', serviceId: 'Redshift', iamPrefix: 'redshift', operations: sameNamedActions('redshift', ['DescribeClusters', 'DescribeClusterSnapshots']) },
    {
      // Redshift Serverless is its own API and its own IAM service.
      sdkPackage: '@aws-sdk/client-redshift-serverless',
      serviceId: 'Redshift Serverless',
      iamPrefix: 'redshift-serverless',
      operations: sameNamedActions('redshift-serverless', ['ListNamespaces', 'ListTagsForResource', 'ListSnapshots']),
    },
  ],
  tags: 'the Tags of DescribeClusters and DescribeClusterSnapshots; ListTagsForResource per serverless namespace; serverless snapshots carry none in the inventory',
  dataStore: true,
  exampleArns: (p) => [
    `arn:${p}:redshift:us-east-1:111122223333:cluster:example`,
    `arn:${p}:redshift:us-east-1:111122223333:snapshot:example/example-snapshot`,
    `arn:${p}:redshift-serverless:us-east-1:111122223333:namespace/example`,
    `arn:${p}:redshift-serverless:us-east-1:111122223333:snapshot/example`,
  ],
  docs: 'docs/services/redshift.md',
  iac: { load: async () => (await import('./iac.js')).redshiftIac },
};
