import { partitionOfRegion } from './region-names.js';

/** ARN helpers. ARNs are `arn:partition:service:region:account:resource`. */
export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

export function parseArn(arn: string): ParsedArn | null {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return null;
  const [, partition, service, region, accountId] = parts as [string, string, string, string, string];
  if (!partition || !service) return null;
  return { partition, service, region, accountId, resource: parts.slice(5).join(':') };
}


/**
 * The partition an ARN of a resource in `region` carries: the Region's own,
 * from the SDK's partition data (cn-north-1 → aws-cn, us-gov-west-1 →
 * aws-us-gov, eusc-de-east-1 → aws-eusc), else `fallback` (the scan's
 * partition) for a Region the data does not know (`unknown`, '').
 */
export function partitionFor(region: string, fallback: string): string {
  return (region ? partitionOfRegion(region) : null) ?? fallback;
}
