import { type RuleCompliance } from '../compliance/mapping.js';

/** The controls the rules every service shares evidence, by rule id (frameworks and control definitions: src/compliance/frameworks.ts). */
export const SHARED_RULE_COMPLIANCE: Readonly<Record<string, RuleCompliance>> = {
  'KMS.KEY_STATE': {
    mappings: [],
    notMapped: [
      {
        framework: 'aws-securityhub-fsbp',
        control: 'KMS.3',
        why: 'KMS.3 judges each key (any key pending deletion fails, used or not); this rule judges the resources that depend on a key and also fails for Disabled, PendingImport and Unavailable keys. KMS.PENDING_DELETION evidences KMS.3.',
      },
      {
        framework: 'aws-config',
        control: 'kms-cmk-not-scheduled-for-deletion',
        why: 'as for KMS.3: the Config rule evaluates keys, this rule evaluates dependent resources; KMS.PENDING_DELETION evidences it',
      },
    ],
  },
  'KMS.ALLOWED_KEYS': {
    mappings: [],
    none:
      'the AWS Config rules check allowed keys only when given a kmsKeyArns/kmsId parameter, and then also fail unencrypted resources; the unparameterised rules are evidenced by the level rules, and the allowed-keys list is the policy\'s own',
  },
  'SCAN.INCOMPLETE': {
    mappings: [],
    none: 'not a control: an unread service-region makes the controls of that service unknown in the per-control summary',
  },
};
