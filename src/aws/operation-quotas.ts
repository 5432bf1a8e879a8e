/**
 * Request quotas AWS publishes for the read calls atrest makes, where they
 * are low enough to matter: the call gates pace these operations to the
 * quota before they take a concurrency slot, so a paced call never holds a
 * slot while it waits. Everything else is bounded by --concurrency and slowed
 * only by throttling (see call-gate.ts).
 *
 * Keyed by SDK client name (without "Client") and operation. `scope` is what
 * the quota is counted over: `region` (per account and Region) or `account`
 * (per account, every Region together).
 */
export interface OperationQuota {
  ratePerSecond: number;
  /** Requests the quota lets through at once after a quiet spell (AWS's bucket size). */
  burst: number;
  scope: 'region' | 'account';
  /** Several operations that share one quota name the same pool. */
  pool?: string;
  /** The AWS documentation page the figure comes from. */
  source: string;
}

const EC2_THROTTLING = 'https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html';

/**
 * EC2: "non-mutating actions" (Describe*, Get*) have a bucket of 100 tokens
 * refilled at 20 per second, per account and Region, for each API action.
 */
const ec2NonMutating = (): OperationQuota => ({ ratePerSecond: 20, burst: 100, scope: 'region', source: EC2_THROTTLING });

export const OPERATION_QUOTAS: Readonly<Record<string, Readonly<Record<string, OperationQuota>>>> = {
  EC2: {
    DescribeVolumes: ec2NonMutating(),
    DescribeSnapshots: ec2NonMutating(),
    DescribeRegions: ec2NonMutating(),
    GetEbsEncryptionByDefault: ec2NonMutating(),
    GetEbsDefaultKmsKeyId: ec2NonMutating(),
  },
  DynamoDB: {
    // "You can call ListTagsOfResource up to 10 times per second, per account."
    ListTagsOfResource: {
      ratePerSecond: 10,
      burst: 1,
      scope: 'account',
      source: 'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTagsOfResource.html',
    },
  },
  KMS: {
    // GetKeyLastUsage: 5 requests per second per account and Region (KMS request quotas).
    GetKeyLastUsage: { ratePerSecond: 5, burst: 1, scope: 'region', source: 'https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html' },
  },
};

export function quotaFor(service: string, operation: string): OperationQuota | undefined {
  return OPERATION_QUOTAS[service]?.[operation];
}
