import { sameNamedActions, type ServiceDescriptor } from '../descriptor.js';
import { EFS_COMPLIANCE } from './compliance.js';
import { efsMatrix } from './matrix.js';
import { EFS_RULES } from './rules.js';

declare module '../../model/services.js' {
  interface ServiceIds {
    efs: true;
  }
}

/**
 * Amazon EFS file systems. The SDK package is client-efs and the client's
 * serviceId is "EFS", but IAM knows the service as `elasticfilesystem`
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticfilesystem.html),
 * and so do the file systems' ARNs.
 */
export const efs: ServiceDescriptor<'efs'> = {
  id: 'efs',
  collector: { id: 'efs', scope: 'regional', load: async () => (await import('./check.js')).efsCheck },
  matrix: efsMatrix,
  rules: EFS_RULES,
  compliance: EFS_COMPLIANCE,
  apis: [
    {
      sdkPackage: '@aws-sdk/client-efs',
      serviceId: 'EFS',
      iamPrefix: 'elasticfilesystem',
      operations: sameNamedActions('elasticfilesystem', ['DescribeFileSystems']),
    },
  ],
  tags: 'the Tags of DescribeFileSystems (no extra call)',
  dataStore: true,
  exampleArns: (p) => [`arn:${p}:elasticfilesystem:us-east-1:111122223333:file-system/fs-0123456789abcdef0`],
  docs: 'docs/services/efs.md',
  iac: { load: async () => (await import('./iac.js')).efsIac },
};
