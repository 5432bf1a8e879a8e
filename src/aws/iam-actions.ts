import type { ScanError } from '../model/inventory.js';

/**
 * The IAM action that allows an API operation. Most are `<prefix>:<operation>`;
 * the exceptions are listed, because a fix that names an action IAM does not
 * know (s3:ListBuckets, s3:GetBucketEncryption) sends the user in circles.
 * The read-only contract test checks this mapping against every SDK call the
 * source makes and against iam/atrest-readonly-policy.json.
 */

/** IAM prefix of each atrest service's API (EBS is EC2's, Aurora is RDS's). */
const PREFIX: Record<ScanError['service'], string> = {
  s3: 's3',
  ebs: 'ec2',
  rds: 'rds',
  aurora: 'rds',
  dynamodb: 'dynamodb',
  lambda: 'lambda',
  redshift: 'redshift',
  kms: 'kms',
  sts: 'sts',
  ec2: 'ec2',
  organizations: 'organizations',
};

/** Operations of another API than the service's main one (Redshift Serverless is its own IAM service). */
const OTHER_API: Record<string, string> = {
  'redshift:ListNamespaces': 'redshift-serverless',
  'redshift:ListTagsForResource': 'redshift-serverless',
};

/** Operations whose IAM action has another name. Keyed by IAM prefix. */
const RENAMED: Record<string, string> = {
  's3:ListBuckets': 's3:ListAllMyBuckets',
  's3:GetBucketEncryption': 's3:GetEncryptionConfiguration',
};

/** The action for an operation of an SDK client package (`client-<prefix>`), e.g. ('s3', 'ListBuckets') → s3:ListAllMyBuckets. */
export function iamActionForApi(apiPrefix: string, operation: string): string {
  const key = `${apiPrefix}:${operation}`;
  return RENAMED[key] ?? key;
}

/** The action a failed call needed, from the atrest service and operation a ScanError records. */
export function iamActionFor(service: ScanError['service'], operation: string): string {
  const prefix = OTHER_API[`${service}:${operation}`] ?? PREFIX[service] ?? service;
  return iamActionForApi(prefix, operation);
}
