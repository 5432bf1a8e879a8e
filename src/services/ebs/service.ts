import { sameNamedActions, type ServiceDescriptor } from '../descriptor.js';
import { EBS_COMPLIANCE } from './compliance.js';
import { ebsMatrix } from './matrix.js';
import { EBS_RULES } from './rules.js';

declare module '../../model/services.js' {
  interface ServiceIds {
    ebs: true;
  }
}

/** Amazon EBS volumes, snapshots and the per-Region encryption-by-default setting (the EC2 API). */
export const ebs: ServiceDescriptor<'ebs'> = {
  id: 'ebs',
  collector: { id: 'ebs', scope: 'regional', load: async () => (await import('./check.js')).ebsCheck },
  matrix: ebsMatrix,
  rules: EBS_RULES,
  compliance: EBS_COMPLIANCE,
  apis: [
    {
      sdkPackage: '@aws-sdk/client-ec2',
      serviceId: 'EC2',
      iamPrefix: 'ec2',
      operations: sameNamedActions('ec2', ['DescribeVolumes', 'DescribeSnapshots', 'GetEbsEncryptionByDefault', 'GetEbsDefaultKmsKeyId']),
    },
  ],
  tags: 'the Tags of DescribeVolumes and DescribeSnapshots (no extra call)',
  dataStore: true,
  exampleArns: (p) => [`arn:${p}:ec2:us-east-1:111122223333:volume/vol-0123456789abcdef0`, `arn:${p}:ec2:us-east-1::snapshot/snap-0123456789abcdef0`],
  docs: 'docs/services/ebs.md',
  iac: { load: async () => (await import('./iac.js')).ebsIac },
};
