import type { Resource } from '../model/inventory.js';
import { rotationDemandFor } from './policy.js';
import { matrixRemediation } from './remediation.js';
import { awsConfig, fsbp, type Rule } from './rule.js';

/**
 * Customer managed keys must rotate where rotation exists. Automatic
 * rotation exists only for symmetric encryption keys with KMS-generated
 * material: imported, custom-key-store, asymmetric and HMAC keys are
 * `not-applicable`, never failures.
 */
export const kmsRotationRule: Rule = {
  id: 'KMS.ROTATION',
  title: 'Customer managed KMS key rotation',
  rationale:
    'Rotating a key limits how much data one version of key material protects. KMS keeps every old version, so rotation never makes existing data unreadable.',
  severity: 'medium',
  matrixFacts: ['remediationPath'],
  compliance: [fsbp('KMS.4'), awsConfig('cmk-backing-key-rotation-enabled')],
  appliesTo: (r: Resource) => r.service === 'kms' && r.type === 'key' && r.attributes.manager === 'CUSTOMER',
  evaluate(resource, context) {
    const key = context.keyByArn.get(resource.arn);
    if (!key) return { status: 'unknown', message: 'the key record is missing from the inventory' };
    if (key.state === 'PendingDeletion' || key.state === 'PendingReplicaDeletion') {
      return { status: 'not-applicable', message: `the key is ${key.state}; rotation does not apply` };
    }
    if (!key.rotation.applicable) {
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
    if (!key.rotation.enabled) {
      return { status: 'fail', message: `automatic key rotation is off${by}` };
    }
    const max = demand.maxPeriodDays;
    if (key.rotation.periodDays !== null && key.rotation.periodDays > max) {
      return {
        status: 'fail',
        message: `rotates every ${key.rotation.periodDays} days; policy "${context.policy.name}" allows at most ${max}${by}`,
      };
    }
    const period = key.rotation.periodDays !== null ? ` every ${key.rotation.periodDays} days` : '';
    return { status: 'pass', message: `automatic rotation is on${period}` };
  },
  remediation: () => matrixRemediation('kms'),
};
