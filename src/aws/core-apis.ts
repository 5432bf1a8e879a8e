import { sameNamedActions, type ServiceApi } from '../services/descriptor.js';

/**
 * The AWS APIs atrest calls for the scan itself rather than for one service.
 * With the services' own APIs (their descriptors' `apis`) they make the
 * least-privilege IAM policy.
 *
 * CORE_APIS are called by the principal that reads an account (the caller
 * for its own account, the assumed role in every other): who is scanning
 * (STS GetCallerIdentity) and which regions the account has enabled (EC2
 * DescribeRegions). They are in iam/atrest-readonly-policy.json.
 */
export const CORE_APIS: readonly ServiceApi[] = [
  { sdkPackage: '@aws-sdk/client-sts', serviceId: 'STS', iamPrefix: 'sts', operations: sameNamedActions('sts', ['GetCallerIdentity']) },
  { sdkPackage: '@aws-sdk/client-ec2', serviceId: 'EC2', iamPrefix: 'ec2', operations: sameNamedActions('ec2', ['DescribeRegions']) },
];

/**
 * CALLER_APIS are called only by the principal that runs atrest, to reach
 * other accounts: sts:AssumeRole into each account's scan role, and
 * organizations:ListAccounts for --org-role (from the management or a
 * delegated administrator account). They are in their own policy,
 * iam/atrest-assume-role-policy.json, for that principal alone; the
 * read-only policy of the scanned accounts never holds them.
 * sts:AssumeRole is the one call that is not a List, Describe or Get
 * (src/aws/caller-actions.ts says why it is still read-only in effect).
 */
export const CALLER_APIS: readonly ServiceApi[] = [
  { sdkPackage: '@aws-sdk/client-sts', serviceId: 'STS', iamPrefix: 'sts', operations: sameNamedActions('sts', ['AssumeRole']) },
  { sdkPackage: '@aws-sdk/client-organizations', serviceId: 'Organizations', iamPrefix: 'organizations', operations: sameNamedActions('organizations', ['ListAccounts']) },
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
