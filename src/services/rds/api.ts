import { sameNamedActions, type CollectorEntry, type ServiceApi } from '../descriptor.js';

/**
 * The RDS API and its collector, shared by the rds and aurora descriptors:
 * one set of listings returns the resources of both, so the collector runs
 * once for the two services.
 */
export const RDS_API: ServiceApi = {
  sdkPackage: '@aws-sdk/client-rds',
  serviceId: 'RDS',
  iamPrefix: 'rds',
  operations: sameNamedActions('rds', [
    'DescribeDBInstances',
    'DescribeDBClusters',
    'DescribeDBSnapshots',
    'DescribeDBClusterSnapshots',
    'DescribeDBInstanceAutomatedBackups',
    'DescribeDBClusterAutomatedBackups',
  ]),
};

export const RDS_COLLECTOR: CollectorEntry = { id: 'rds', scope: 'regional', load: async () => (await import('./check.js')).rdsCheck };
