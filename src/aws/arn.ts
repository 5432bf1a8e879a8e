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

