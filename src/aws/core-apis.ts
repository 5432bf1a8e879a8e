import { sameNamedActions, type ServiceApi } from '../services/descriptor.js';

/**
 * The AWS APIs atrest calls for the scan itself rather than for one service:
 * who is scanning (STS GetCallerIdentity). With the services' own APIs
 * (their descriptors' `apis`) they make the least-privilege IAM policy.
 */
export const CORE_APIS: readonly ServiceApi[] = [
  { sdkPackage: '@aws-sdk/client-sts', serviceId: 'STS', iamPrefix: 'sts', operations: sameNamedActions('sts', ['GetCallerIdentity']) },
];
