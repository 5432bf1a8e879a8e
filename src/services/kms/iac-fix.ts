import { cfnSet, target, tfSet } from '../../iac/fix-helpers.js';
import { hcl, jsonCfn, jsonHcl, type FixBuilder } from '../../iac/fix-model.js';
import { hclExpression } from '../../iac/fix-render.js';
import type { Json } from '../../model/inventory.js';
import { publicStatements } from './key-policy.js';

function renderJson(value: Json): string {
  return hclExpression(jsonHcl(value), '  ');
}

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
    const key = input.keys.get(resource.arn);
    const document = key?.policy?.document;
    if (!document || typeof document !== 'object' || Array.isArray(document)) return null;
    const open = new Set(publicStatements(document).map((st) => st.label));
    const account = /^\d{12}$/.test(resource.accountId) ? resource.accountId : '${AWS::AccountId}';
    // The key's own policy, each open statement pinned to the account (or name the principals instead).
    const statements = Array.isArray(document.Statement) ? document.Statement : document.Statement ? [document.Statement] : [];
    const fixed = {
      ...document,
      Statement: statements.map((st, index) => {
        if (!st || typeof st !== 'object' || Array.isArray(st)) return st;
        const label = typeof st.Sid === 'string' && st.Sid ? st.Sid : `#${index}`;
        if (!open.has(label)) return st;
        const condition = st.Condition && typeof st.Condition === 'object' && !Array.isArray(st.Condition) ? st.Condition : {};
        const equals = condition.StringEquals && typeof condition.StringEquals === 'object' && !Array.isArray(condition.StringEquals) ? condition.StringEquals : {};
        return { ...st, Condition: { ...condition, StringEquals: { ...equals, 'aws:PrincipalAccount': account } } };
      }),
    };
    const labels = [...open].join(', ');
    return {
      summary: `in the key policy, pin statement(s) ${labels} to the account with a Condition on aws:PrincipalAccount (or name the principals); the rest of the policy is kept as it is`,
      terraform: [tfSet(t, [], [['policy', hcl.expr(`jsonencode(${renderJson(fixed)})`)]], 'policy', resource.id)],
      cloudformation: [cfnSet(resource, t, { KeyPolicy: jsonCfn(fixed) })],
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

