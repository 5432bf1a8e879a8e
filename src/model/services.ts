/** The eight areas atrest audits. The strings are part of the JSON contract. */
export const SERVICES = ['s3', 'ebs', 'rds', 'aurora', 'dynamodb', 'lambda', 'redshift', 'kms'] as const;

export type ServiceName = (typeof SERVICES)[number];

export function isServiceName(value: unknown): value is ServiceName {
  return typeof value === 'string' && (SERVICES as readonly string[]).includes(value);
}
