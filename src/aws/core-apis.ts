import { sameNamedActions, type ServiceApi } from '../services/descriptor.js';

/**
 * The AWS APIs atrest calls for the scan itself rather than for one service:
 * who is scanning (STS GetCallerIdentity). With the services' own APIs
 * (their descriptors' `apis`) they make the least-privilege IAM policy.
 */
export const CORE_APIS: readonly ServiceApi[] = [
  { sdkPackage: '@aws-sdk/client-sts', serviceId: 'STS', iamPrefix: 'sts', operations: sameNamedActions('sts', ['GetCallerIdentity']) },
];

/**
 * The Resource Groups Tagging API: the tags of S3 buckets, DynamoDB tables
 * and KMS keys, one GetResources listing per Region and type
 * (src/collect/tag-index.ts). Declared by each of those services, whose
 * collectors use it.
 */
export const TAGGING_API: ServiceApi = {
  sdkPackage: '@aws-sdk/client-resource-groups-tagging-api',
  serviceId: 'Resource Groups Tagging API',
  iamPrefix: 'tag',
  operations: sameNamedActions('tag', ['GetResources']),
};
