import { customerKey, encrypted, m, NO_CONTROL, type RuleCompliance } from '../../compliance/mapping.js';

/** The controls the redshift rules evidence, by rule id (frameworks and control definitions: src/compliance/frameworks.ts). */
export const REDSHIFT_COMPLIANCE: Readonly<Record<string, RuleCompliance>> = {
  'REDSHIFT.CLUSTER_ENCRYPTION': {
    mappings: [m('aws-securityhub-fsbp', 'Redshift.10', encrypted), m('aws-config', 'redshift-cluster-kms-enabled', encrypted)],
    assumes: 'a level rule on provisioned clusters (type cluster)',
  },
  'REDSHIFT.SNAPSHOT_ENCRYPTION': { mappings: [], none: NO_CONTROL('Redshift cluster snapshot encryption') },
  'REDSHIFT.SERVERLESS_SNAPSHOT_ENCRYPTION': { mappings: [], none: NO_CONTROL('Redshift Serverless snapshot encryption') },
  'REDSHIFT.SERVERLESS_ENCRYPTION': {
    mappings: [
      m('aws-securityhub', 'RedshiftServerless.4', customerKey),
      m('aws-config', 'redshift-serverless-namespace-cmk-encryption', customerKey),
    ],
    assumes: 'a level rule on Redshift Serverless namespaces (type serverless-namespace)',
  },
};
