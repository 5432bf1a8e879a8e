import { kmsMatrix } from './matrix.js';
import type { KeyRecord, Resource } from '../../model/inventory.js';
import { automaticRotationApplies, rotationCapability } from '../../keys/rotation.js';
import { PENDING_DELETION_STATES } from '../../keys/states.js';
import { rotationDemandFor } from '../../policy/requirement.js';
import type { Rule } from '../../rules/rule.js';
import { matrixRemediation } from '../../rules/remediation.js';
import { fillPlaceholders } from '../../rules/rule-detail.js';

/**
 * Customer managed keys must rotate where automatic rotation exists: symmetric
 * encryption keys with KMS-generated material outside custom key stores.
 * Imported, custom-key-store, asymmetric and HMAC keys are `not-applicable`,
 * never failures — decided from the key's own facts by rotationCapability
 * (src/keys/rotation.ts), the one place that decides it, so a key that cannot
 * rotate can never fail for not rotating.
 */
export const kmsRotationRule: Rule = {
  id: 'KMS.ROTATION',
  title: 'Customer managed KMS key rotation',
  rationale:
    'Rotating a key limits how much data one version of key material protects. KMS keeps every old version, so rotation never makes existing data unreadable. Automatic rotation exists only for symmetric encryption keys whose material KMS generated; other keys rotate on demand (imported material) or by moving an alias to a new key.',
  severity: 'medium',
  matrixFacts: ['remediationPath'],
  appliesTo: (r: Resource) => r.service === 'kms' && r.type === 'key' && r.attributes.manager === 'CUSTOMER',
  evaluate(resource, context) {
    const key = context.keyByArn.get(resource.arn);
    if (!key) return { status: 'unknown', message: 'the key record is missing from the inventory' };
    if (PENDING_DELETION_STATES.has(key.state)) {
      return { status: 'not-applicable', message: `the key is ${key.state}; rotation does not apply` };
    }
    // Decided from the key's own facts (src/keys/rotation.ts), not from what a rotation status call said.
    const capability = rotationCapability(key);
    if (capability.kind === 'none' || capability.kind === 'aws') {
      return { status: 'not-applicable', message: `automatic rotation does not apply: ${capability.reason}` };
    }
    if (capability.kind === 'on-demand') {
      const done = key.rotations?.onDemand != null ? ` (${key.rotations.onDemand} on-demand rotation(s) so far)` : '';
      return { status: 'not-applicable', message: `automatic rotation does not apply: ${capability.reason}${done}` };
    }
    if (!automaticRotationApplies(key)) {
      return { status: 'not-applicable', message: `automatic rotation does not apply: ${key.rotation.reason}` };
    }
    // The key's own demand, tightened by the services whose resources depend on it (docs/policy.md).
    const demand = rotationDemandFor(context.policy, resource, context.dependentsByKey.get(resource.arn) ?? []);
    const by = demand.decidedBy.length > 0 ? ` (${demand.decidedBy.join('; ')})` : '';
    if (!demand.required) {
      return { status: 'not-applicable', message: `policy "${context.policy.name}" does not require rotation` };
    }
    if (key.rotation.enabled === null) {
      return { status: 'unknown', message: `rotation status unknown: ${key.rotation.reason}` };
    }
    const history = rotationHistory(key);
    if (!key.rotation.enabled) {
      return { status: 'fail', message: `automatic key rotation is off${by}${history}` };
    }
    const max = demand.maxPeriodDays;
    if (key.rotation.periodDays !== null && key.rotation.periodDays > max) {
      return {
        status: 'fail',
        message: `rotates every ${key.rotation.periodDays} days; policy "${context.policy.name}" allows at most ${max}${by}${history}`,
      };
    }
    const period = key.rotation.periodDays !== null ? ` every ${key.rotation.periodDays} days` : '';
    return { status: 'pass', message: `automatic rotation is on${period}${history}` };
  },
  remediationSummary: kmsMatrix.remediation.summary,
  remediation(resource, context) {
    const fix = fillPlaceholders(matrixRemediation(kmsMatrix), { KEY_ARN: resource.arn });
    const primary = replicaPrimary(context.keyByArn.get(resource.arn));
    if (!primary) return fix;
    // Rotation of a multi-Region key set is a property of its primary: KMS
    // refuses EnableKeyRotation on a replica ("To enable or disable automatic
    // rotation of a set of related multi-Region keys, set the property on the
    // primary key", EnableKeyRotation API reference). The summary stays the
    // rule's (atrest rules lists it); the steps name the primary.
    const cli = `aws kms enable-key-rotation --key-id ${primary.arn} --region ${primary.region} --rotation-period-in-days 365`;
    return {
      ...fix,
      steps: [
        `this key is a multi-Region replica: its rotation is set on the primary key ${primary.arn} (${primary.region}), and the replicas share the primary's key material and rotation`,
        `KMS console (${primary.region}) › the primary key › Key rotation › Automatically rotate this KMS key`,
        `or: ${cli}`,
      ],
      cli,
      docs: 'https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-manage.html#multi-region-rotate',
    };
  },
};

/** The primary of a multi-Region replica key, from its MultiRegionConfiguration (the KMS check's facts, else DescribeKey's evidence); null for any other key. */
function replicaPrimary(key: KeyRecord | undefined): { arn: string; region: string } | null {
  if (!key) return null;
  const facts = key.multiRegionConfiguration;
  if (facts) return facts.keyType === 'REPLICA' && facts.primary ? facts.primary : null;
  const raw = key.evidence.MultiRegionConfiguration;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw) || raw.MultiRegionKeyType !== 'REPLICA') return null;
  const primary = raw.PrimaryKey;
  if (!primary || typeof primary !== 'object' || Array.isArray(primary) || typeof primary.Arn !== 'string') return null;
  return { arn: primary.Arn, region: typeof primary.Region === 'string' ? primary.Region : (primary.Arn.split(':')[3] ?? 'unknown') };
}

function rotationHistory(key: KeyRecord): string {
  const r = key.rotations;
  if (!r || r.count === null) return '';
  if (r.count === 0) return '; never rotated yet';
  const last = r.lastRotationDate ? `, last on ${r.lastRotationDate.slice(0, 10)}${r.lastRotationType ? ` (${r.lastRotationType.toLowerCase().replace('_', '-')})` : ''}` : '';
  return `; ${r.count} rotation(s) so far (${r.automatic ?? 0} automatic, ${r.onDemand ?? 0} on demand)${last}`;
}
