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
import { AWS_EBS, awsEbs, awsVolume, CMK, cmk, cmkVolume, doomed, doomedVolume, finding, KEYS, plainVolume, res, run, setting } from '../../helpers/ebs-rds-rules.js';

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
