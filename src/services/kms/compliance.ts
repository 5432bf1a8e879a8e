import { m, NO_CONTROL, type RuleCompliance } from '../../compliance/mapping.js';

/** The controls the kms rules evidence, by rule id (frameworks and control definitions: src/compliance/frameworks.ts). */
export const KMS_COMPLIANCE: Readonly<Record<string, RuleCompliance>> = {
  'KMS.ROTATION': {
    mappings: [
      m('aws-securityhub', 'KMS.4', { kind: 'key-rotation-enabled' }),
      m('cis-aws-3.0', '3.6', { kind: 'key-rotation-enabled' }),
      m('cis-aws-5.0', '3.6', { kind: 'key-rotation-enabled' }),
      m('aws-config', 'cmk-backing-key-rotation-enabled', { kind: 'key-rotation-enabled' }),
    ],
  },
  'KMS.PENDING_DELETION': {
    mappings: [m('aws-securityhub-fsbp', 'KMS.3'), m('aws-config', 'kms-cmk-not-scheduled-for-deletion')],
    assumes: 'fails for every customer managed key in PendingDeletion (or PendingReplicaDeletion), with or without dependants (severity may vary), passes otherwise',
  },
  'KMS.POLICY_PUBLIC': {
    mappings: [m('aws-securityhub-fsbp', 'KMS.5'), m('aws-config', 'kms-key-policy-no-public-access')],
    assumes:
      'fails when the key policy allows a * principal without a restricting condition; KMS.5 also counts a condition whose values contain wildcards or policy variables as not restricting, so the rule must do the same for the mapping to stay exact',
  },
  'KMS.CROSS_ACCOUNT': { mappings: [], notMapped: [{ framework: 'aws-securityhub-fsbp', control: 'KMS.5', why: 'cross-account principals are information, not public access' }] },
  'KMS.IMPORTED_MATERIAL_EXPIRY': { mappings: [], none: NO_CONTROL('the expiry of imported key material') },
  'KMS.PENDING_IMPORT': { mappings: [], none: NO_CONTROL('keys waiting for imported material') },
  'KMS.UNUSED_KEY': { mappings: [], none: NO_CONTROL('unused keys (a cost finding)') },
  'KMS.QUOTA_HEADROOM': {
    mappings: [],
    none: NO_CONTROL('KMS request-rate headroom: an availability and cost fact about the account, not an encryption setting (Security Hub has no KMS quota control)'),
  },
  'KMS.DISABLED_KEY_IN_USE': { mappings: [], none: NO_CONTROL('disabled keys that resources still depend on (KMS.3 covers scheduled deletion only)') },
};
