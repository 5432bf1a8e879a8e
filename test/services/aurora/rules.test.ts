import { describe, expect, it } from 'vitest';
import type { KeyRecord, Resource, ScanError } from '../../../src/model/inventory.js';
import type { ProtectionLevel } from '../../../src/model/levels.js';
import type { ServiceName } from '../../../src/model/services.js';
import type { Finding } from '../../../src/model/report.js';
import { RULES } from '../../../src/engine/catalog.js';
import { mappingsFor } from '../../../src/compliance/by-rule.js';
import { evaluate } from '../../../src/engine/engine.js';
import { MATRIX } from '../../../src/services/list.js';
import { BASELINE_POLICY, STRICT_POLICY } from '../../../src/policy/built-in.js';
import type { Policy } from '../../../src/model/policy.js';
import { ACCOUNT } from '../../helpers/context.js';
import { inventory, key, resource, type ResourceSpec } from '../../helpers/inventory.js';

const cmk = key('0f1e2d3c-1111-4a5b-9c8d-000000000001', { aliases: ['alias/app-data'] });
const doomed = key('0f1e2d3c-4444-4a5b-9c8d-000000000004', {
  aliases: ['alias/batch-old'],
  state: 'PendingDeletion',
  evidence: { KeyState: 'PendingDeletion', DeletionDate: '2026-12-05T00:00:00.000Z' },
});
const awsEbs = key('0f1e2d3c-2222-4a5b-9c8d-000000000002', { manager: 'AWS', aliases: ['alias/aws/ebs'] });
const KEYS = [cmk, doomed, awsEbs];
const CMK = cmk.arn;
const AWS_EBS = awsEbs.arn;

/** An EBS, RDS or Aurora resource; at level aws-owned its algorithm is sse-rds, as the RDS check writes it. */
function res(service: ServiceName, type: string, id: string, spec: ResourceSpec = {}): Resource {
  const awsOwned = (spec.level ?? spec.key?.level ?? 'aws-owned') === 'aws-owned';
  return resource(service, type, id, { ...(awsOwned ? { algorithm: 'sse-rds' } : {}), ...spec });
}

function run(resources: Resource[], policy: Policy = BASELINE_POLICY, errors: ScanError[] = []): Finding[] {
  return evaluate(inventory({ keys: KEYS, resources, errors, services: ['ebs', 'rds', 'aurora'] }), policy, { failOn: 'high' }).findings;
}

function finding(findings: Finding[], ruleId: string, resource: Resource): Finding {
  const found = findings.find((f) => f.ruleId === ruleId && f.resourceArn === resource.arn);
  if (!found) throw new Error(`no ${ruleId} finding for ${resource.arn}: ${findings.map((f) => `${f.ruleId}/${f.resourceArn}`).join(', ')}`);
  return found;
}

// ----- resources used across tests -------------------------------------------

const plainVolume = res('ebs', 'volume', 'vol-plain', {
  level: 'none',
  attributes: {
    availabilityZone: 'us-east-1a',
    attachments: [{ instanceId: 'i-0fedcba9876543210', device: '/dev/sdf', state: 'attached' }],
  },
});
const cmkVolume = res('ebs', 'volume', 'vol-cmk', { level: 'customer-managed', key: cmk });
const awsVolume = res('ebs', 'volume', 'vol-aws', { level: 'aws-managed', key: awsEbs, attributes: { attachments: [] } });
const doomedVolume = res('ebs', 'volume', 'vol-doomed', { level: 'customer-managed', key: doomed });

/** The per-Region "encryption by default" resource the EBS check writes (id ACCOUNT:REGION), on or off, with its default key. */
function setting(region: string, enabled: boolean | null, defaultKeyLevel: ProtectionLevel, extra: ResourceSpec = {}): Resource {
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

describe('Aurora rules', () => {
  const legacyAurora = res('aurora', 'db-cluster', 'legacy-aurora', { level: 'none', attributes: { engine: 'aurora-postgresql', createdAt: '2021-04-02T08:00:00.000Z', members: ['legacy-aurora-1'] } });
  const newAurora = res('aurora', 'db-cluster', 'orders-aurora', { level: 'aws-owned', attributes: { engine: 'aurora-mysql', createdAt: '2026-03-10T14:22:00.000Z', members: ['orders-aurora-1', 'orders-aurora-2'] } });

  it('AURORA.CLUSTER_ENCRYPTION: an unencrypted cluster created before 2026-02-18 says the default does not reach it', () => {
    const f = finding(run([legacyAurora]), 'AURORA.CLUSTER_ENCRYPTION', legacyAurora);
    expect(f).toMatchObject({ status: 'fail', severity: 'high' });
    expect(f.message).toContain('created 2021-04-02, before Aurora began encrypting new clusters by default on 2026-02-18');
    expect(f.message).toContain('covers member instance(s) legacy-aurora-1');
    expect(f.remediation!.cli).toBe(
      'aws rds restore-db-cluster-from-snapshot --db-cluster-identifier legacy-aurora-encrypted --snapshot-identifier legacy-aurora-pre-encryption --engine aurora-postgresql --kms-key-id KEY_ARN',
    );
    expect(f.remediation!.steps.join('\n')).not.toMatch(/copy-db-cluster-snapshot [^(]*--kms-key-id/);
  });

  it('AURORA.CLUSTER_ENCRYPTION: the default AWS owned key passes the baseline and fails strict, naming the default', () => {
    const pass = finding(run([newAurora]), 'AURORA.CLUSTER_ENCRYPTION', newAurora);
    expect(pass.status).toBe('pass');
    expect(pass.message).toContain('on or after 2026-02-18');
    const strict = finding(run([newAurora], STRICT_POLICY), 'AURORA.CLUSTER_ENCRYPTION', newAurora);
    // high, not medium: strict's purpose is customer managed keys (levelFailureSeverity: high).
    expect(strict).toMatchObject({ status: 'fail', severity: 'high' });
    expect(strict.message).toContain('AWS owned key (sse-rds)');
    expect(strict.message).toContain("Aurora's default for clusters created on or after 2026-02-18");
    expect(strict.message).toContain('cannot be changed in place');
  });
});
