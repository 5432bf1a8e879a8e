import type { Resource, ScanError } from '../../src/model/inventory.js';
import type { ProtectionLevel } from '../../src/model/levels.js';
import type { Policy } from '../../src/model/policy.js';
import type { Finding } from '../../src/model/report.js';
import type { ServiceName } from '../../src/model/services.js';
import { evaluate } from '../../src/engine/engine.js';
import { BASELINE_POLICY } from '../../src/policy/built-in.js';
import { ACCOUNT } from './context.js';
import { inventory, key, resource, type ResourceSpec } from './inventory.js';

/**
 * The keys, resources and helpers the EBS, RDS and Aurora rule tests share
 * (test/services/{ebs,rds,aurora}/rules.test.ts): one account with a customer
 * managed key, a key pending deletion and aws/ebs.
 */

export const cmk = key('0f1e2d3c-1111-4a5b-9c8d-000000000001', { aliases: ['alias/app-data'] });
export const doomed = key('0f1e2d3c-4444-4a5b-9c8d-000000000004', {
  aliases: ['alias/batch-old'],
  state: 'PendingDeletion',
  evidence: { KeyState: 'PendingDeletion', DeletionDate: '2026-12-05T00:00:00.000Z' },
});
export const awsEbs = key('0f1e2d3c-2222-4a5b-9c8d-000000000002', { manager: 'AWS', aliases: ['alias/aws/ebs'] });
export const KEYS = [cmk, doomed, awsEbs];
export const CMK = cmk.arn;
export const AWS_EBS = awsEbs.arn;

/** An EBS, RDS or Aurora resource; at level aws-owned its algorithm is sse-rds, as the RDS check writes it. */
export function res(service: ServiceName, type: string, id: string, spec: ResourceSpec = {}): Resource {
  const awsOwned = (spec.level ?? spec.key?.level ?? 'aws-owned') === 'aws-owned';
  return resource(service, type, id, { ...(awsOwned ? { algorithm: 'sse-rds' } : {}), ...spec });
}

export function run(resources: Resource[], policy: Policy = BASELINE_POLICY, errors: ScanError[] = []): Finding[] {
  return evaluate(inventory({ keys: KEYS, resources, errors, services: ['ebs', 'rds', 'aurora'] }), policy, { failOn: 'high' }).findings;
}

export function finding(findings: Finding[], ruleId: string, resource: Resource): Finding {
  const found = findings.find((f) => f.ruleId === ruleId && f.resourceArn === resource.arn);
  if (!found) throw new Error(`no ${ruleId} finding for ${resource.arn}: ${findings.map((f) => `${f.ruleId}/${f.resourceArn}`).join(', ')}`);
  return found;
}

// ----- resources used across tests -------------------------------------------

export const plainVolume = res('ebs', 'volume', 'vol-plain', {
  level: 'none',
  attributes: {
    availabilityZone: 'us-east-1a',
    attachments: [{ instanceId: 'i-0fedcba9876543210', device: '/dev/sdf', state: 'attached' }],
  },
});
export const cmkVolume = res('ebs', 'volume', 'vol-cmk', { level: 'customer-managed', key: cmk });
export const awsVolume = res('ebs', 'volume', 'vol-aws', { level: 'aws-managed', key: awsEbs, attributes: { attachments: [] } });
export const doomedVolume = res('ebs', 'volume', 'vol-doomed', { level: 'customer-managed', key: doomed });

/** The per-Region "encryption by default" resource the EBS check writes (id ACCOUNT:REGION), on or off, with its default key. */
export function setting(region: string, enabled: boolean | null, defaultKeyLevel: ProtectionLevel, extra: ResourceSpec = {}): Resource {
  const defaultKey = defaultKeyLevel === 'aws-managed' ? awsEbs : cmk;
  const spec: ResourceSpec = {
    level: enabled === false ? 'none' : enabled === null ? 'unknown' : defaultKeyLevel,
    ...(enabled ? { key: defaultKey } : {}),
    attributes: {
      enabled,
      defaultKeyRef: 'alias/aws/ebs',
      defaultKeyArn: defaultKey.arn,
      defaultKeyLevel,
      defaultKeyNotes: defaultKeyLevel === 'unknown' ? ['GetEbsDefaultKmsKeyId failed: UnauthorizedOperation: no'] : [],
    },
    ...extra,
  };
  return { ...res('ebs', 'ebs-encryption-by-default', `arn:aws:ec2:${region}:${ACCOUNT}:ebs-encryption-by-default`, spec), id: `${ACCOUNT}:${region}` };
}
