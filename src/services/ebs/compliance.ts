import { encrypted, m, NO_CONTROL, type RuleCompliance } from '../../compliance/mapping.js';

/** The controls the ebs rules evidence, by rule id (frameworks and control definitions: src/compliance/frameworks.ts). */
export const EBS_COMPLIANCE: Readonly<Record<string, RuleCompliance>> = {
  'EBS.VOLUME_ENCRYPTION': {
    mappings: [m('aws-securityhub-fsbp', 'EC2.3', encrypted, 'attached-volume'), m('aws-config', 'encrypted-volumes', encrypted, 'attached-volume')],
    notMapped: [
      { framework: 'cis-aws-3.0', control: '2.2.1', why: 'CIS 2.2.1 is the regional encryption-by-default setting (EBS.DEFAULT_ENCRYPTION), not each volume' },
      { framework: 'cis-aws-5.0', control: '5.1.1', why: 'CIS 5.1.1 is the regional encryption-by-default setting (EBS.DEFAULT_ENCRYPTION), not each volume' },
    ],
    assumes: 'a level rule on resources of type volume; the volume records whether it is attached (attributes.attached, attributes.state / evidence.State "in-use", or attachments)',
  },
  'EBS.SNAPSHOT_ENCRYPTION': { mappings: [], none: NO_CONTROL('EBS snapshot encryption (EC2.1 is about public snapshots)') },
  'EBS.DEFAULT_ENCRYPTION': {
    mappings: [
      m('aws-securityhub-fsbp', 'EC2.7'),
      m('cis-aws-3.0', '2.2.1'),
      m('cis-aws-5.0', '5.1.1'),
      m('aws-config', 'ec2-ebs-encryption-by-default'),
    ],
    assumes: 'one finding per scanned region (resource type ebs-encryption-by-default) that fails exactly when EbsEncryptionByDefault is false',
  },
  'EBS.DEFAULT_KEY_LEVEL': { mappings: [], none: NO_CONTROL('which key EBS encryption by default uses') },
};
