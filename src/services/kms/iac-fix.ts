import { cfnSet, target, tfSet } from '../../iac/fix-helpers.js';
import { hcl, tagged, type FixBuilder } from '../../iac/fix-model.js';

/** KMS fixes as code: rotation on (with a period the policy allows), a key policy condition, a key enabled again. */
export const kmsRuleFix: FixBuilder = (input) => {
  const { finding, resource, policy } = input;
  if (resource.type !== 'key') return null;
  const t = target(resource, 'aws_kms_key');
  if (finding.ruleId === 'KMS.ROTATION') {
    const period = Math.min(365, policy.rotation.maxPeriodDays);
    return {
      summary: `turn on automatic rotation every ${period} days (in place; old key material stays, so existing data stays readable)`,
      terraform: [tfSet(t, [], [['enable_key_rotation', hcl.bool(true)], ['rotation_period_in_days', hcl.num(period)]], 'enable_key_rotation', resource.id)],
      cloudformation: [cfnSet(resource, t, { EnableKeyRotation: true, RotationPeriodInDays: period })],
      replacement: false,
    };
  }
  if (finding.ruleId === 'KMS.POLICY_PUBLIC') {
    const account = resource.accountId && /^\d{12}$/.test(resource.accountId) ? hcl.str(resource.accountId) : hcl.expr('data.aws_caller_identity.current.account_id');
    const labels = finding.message.match(/statement "([^"]+)"/g)?.map((m) => m.slice(11, -1)) ?? [];
    return {
      summary: `in the key policy statement(s) ${labels.join(', ') || 'that allow "*"'}, name the principals or add a Condition that pins the caller to your account or organisation (shown: aws:PrincipalAccount)`,
      terraform: [tfSet(t, [], [['Condition', hcl.block([['StringEquals', hcl.block([['"aws:PrincipalAccount"', account]])]])]], 'policy', resource.id)],
      cloudformation: [cfnSet(resource, t, { KeyPolicy: { Statement: [{ Sid: labels[0] ?? 'the open statement', Condition: { StringEquals: { 'aws:PrincipalAccount': tagged('!Ref', 'AWS::AccountId') } } }] } })],
      replacement: false,
    };
  }
  return null;
};

/** A key the code creates disabled: enable it. */
export const kmsEnableKey: FixBuilder = (input) => {
  const { resource } = input;
  const t = target(resource, 'aws_kms_key');
  const field = resource.source?.kind === 'aws_kms_external_key' ? 'enabled' : 'is_enabled';
  return {
    summary: `enable the key ${resource.id} (${field} = true): every resource encrypted under it is unreadable while it is disabled`,
    terraform: [tfSet(t, [], [[field, hcl.bool(true)]], field, resource.id)],
    cloudformation: [cfnSet(resource, t, { Enabled: true })],
    replacement: false,
  };
};

