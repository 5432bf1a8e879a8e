import { TAGGING_API } from '../../aws/core-apis.js';
import { sameNamedActions, type ServiceDescriptor } from '../descriptor.js';
import { KMS_COMPLIANCE } from './compliance.js';
import { kmsMatrix } from './matrix.js';
import { KMS_RULES } from './rules.js';

declare module '../../model/services.js' {
  interface ServiceIds {
    kms: true;
  }
}

/**
 * AWS KMS keys as resources of their own: state, rotation, policy, grants,
 * imported material, custom key stores. Every other service names keys; the
 * shared resolver (src/keys/resolver.ts) describes each once per scan, through
 * the same API, so its operations are listed here too.
 */
export const kms: ServiceDescriptor<'kms'> = {
  id: 'kms',
  collector: { id: 'kms', scope: 'regional', load: async () => (await import('./check.js')).kmsCheck },
  matrix: kmsMatrix,
  rules: KMS_RULES,
  compliance: KMS_COMPLIANCE,
  apis: [
    {
      sdkPackage: '@aws-sdk/client-kms',
      serviceId: 'KMS',
      iamPrefix: 'kms',
      operations: sameNamedActions('kms', [
        // the key resolver
        'DescribeKey',
        'ListAliases',
        'GetKeyRotationStatus',
        // the KMS check
        'ListKeys',
        'GetKeyPolicy',
        'ListGrants',
        'ListKeyRotations',
        'DescribeCustomKeyStores',
        'GetKeyLastUsage',
      ]),
    },
    // Tags in bulk (src/collect/tag-index.ts).
    TAGGING_API,
    // --usage (src/services/kms/usage/): KMS usage metrics, request quotas, and whether S3 buckets count their requests.
    { sdkPackage: '@aws-sdk/client-cloudwatch', serviceId: 'CloudWatch', iamPrefix: 'cloudwatch', operations: sameNamedActions('cloudwatch', ['GetMetricData']) },
    { sdkPackage: '@aws-sdk/client-service-quotas', serviceId: 'Service Quotas', iamPrefix: 'servicequotas', operations: sameNamedActions('servicequotas', ['ListServiceQuotas']) },
    // An S3 operation the S3 check does not call: IAM names it s3:GetMetricsConfiguration.
    { sdkPackage: '@aws-sdk/client-s3', serviceId: 'S3', iamPrefix: 's3', operations: { ListBucketMetricsConfigurations: 's3:GetMetricsConfiguration' } },
  ],
  tags: 'the Resource Groups Tagging API (GetResources), one listing per Region, for customer managed keys (AWS managed keys carry none)',
  // Keys protect data; they are not where it is stored.
  dataStore: false,
  exampleArns: (p) => [`arn:${p}:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
  docs: 'docs/services/kms.md',
  iac: { load: async () => (await import('./iac.js')).kmsIac },
};
