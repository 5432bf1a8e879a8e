import type { ServiceName } from '../model/services.js';
import type { ServiceCheck } from './check.js';

/**
 * Which module checks which service. Modules are imported only when a scan
 * needs them, so `atrest --help` never loads an AWS SDK client. Adding a
 * service is one entry here and one module in this folder.
 */
interface CheckEntry {
  services: readonly ServiceName[];
  load: () => Promise<ServiceCheck>;
}

export const CHECKS: readonly CheckEntry[] = [
  { services: ['kms'], load: async () => (await import('../services/kms/check.js')).kmsCheck },
  { services: ['s3'], load: async () => (await import('../services/s3/check.js')).s3Check },
  { services: ['ebs'], load: async () => (await import('../services/ebs/check.js')).ebsCheck },
  // One module for both: the RDS API lists RDS and Aurora resources together.
  { services: ['rds', 'aurora'], load: async () => (await import('../services/rds/check.js')).rdsCheck },
  { services: ['dynamodb'], load: async () => (await import('../services/dynamodb/check.js')).dynamodbCheck },
  { services: ['lambda'], load: async () => (await import('../services/lambda/check.js')).lambdaCheck },
  { services: ['redshift'], load: async () => (await import('../services/redshift/check.js')).redshiftCheck },
];

/** Services for which a check exists, in registry order. */
export function implementedServices(): ServiceName[] {
  return CHECKS.flatMap((entry) => [...entry.services]);
}

/** The check modules needed for `services`, each once. */
export function checksFor(services: readonly ServiceName[]): CheckEntry[] {
  return CHECKS.filter((entry) => entry.services.some((s) => services.includes(s)));
}
