import { describe, expect, it } from 'vitest';
import type { KeyRecord } from '../../../src/model/inventory.js';
import { evaluate } from '../../../src/engine/engine.js';
import { BASELINE_POLICY } from '../../../src/policy/built-in.js';
import type { Policy } from '../../../src/model/policy.js';
import { bucket, key, keyInventory, keyResource, resource } from '../../helpers/inventory.js';
import { kmsRotationRule } from '../../../src/services/kms/rotation-rule.js';
import { kmsMatrix } from '../../../src/services/kms/matrix.js';
import type { Resource } from '../../../src/model/inventory.js';

/**
 * KMS.ROTATION across every kind of key. Only customer managed symmetric keys
 * with KMS-generated material can fail; imported, custom-key-store, asymmetric
 * and HMAC keys are not-applicable — even when a (wrong) rotation status says
 * rotation is off — and AWS managed keys get no finding at all.
 */
function rotation(k: KeyRecord, policy: Policy = BASELINE_POLICY) {
  const report = evaluate(keyInventory([k]), policy, { failOn: 'none' });
  return report.findings.filter((f) => f.ruleId === 'KMS.ROTATION');
}

const off = { applicable: true, reason: 'wrongly reported as applicable', enabled: false, periodDays: null };

describe('KMS.ROTATION across key types', () => {
  it('customer managed symmetric AWS_KMS key: on passes, off fails, period over the maximum fails', () => {
    expect(rotation(key('k1'))[0]).toMatchObject({ status: 'pass', message: 'automatic rotation is on every 365 days' });
    const offKey = key('k2', { rotation: { applicable: true, reason: 'x', enabled: false, periodDays: null } });
    expect(rotation(offKey)[0]).toMatchObject({ status: 'fail', severity: 'medium', message: 'automatic key rotation is off' });
    const slow = key('k3', { rotation: { applicable: true, reason: 'x', enabled: true, periodDays: 730 } });
    expect(rotation(slow)[0]).toMatchObject({ status: 'fail', message: 'rotates every 730 days; policy "baseline" allows at most 365' });
    // From the compliance data file (src/services/<service>/compliance.ts): KMS.4 is a Security Hub control outside FSBP; CIS 3.6 in v3.0 and v5.0.
    expect(rotation(slow)[0]!.compliance.map((c) => `${c.framework}:${c.control}`).sort()).toEqual([
      'aws-config:cmk-backing-key-rotation-enabled',
      'aws-securityhub:KMS.4',
      'cis-aws-3.0:3.6',
      'cis-aws-5.0:3.6',
    ]);
  });

  it('reports the rotation history when the inventory has it', () => {
    const k = key('k4', { rotations: { count: 3, automatic: 2, onDemand: 1, lastRotationDate: '2026-03-01T10:00:00.000Z', lastRotationType: 'AUTOMATIC' } });
    expect(rotation(k)[0]!.message).toBe('automatic rotation is on every 365 days; 3 rotation(s) so far (2 automatic, 1 on demand), last on 2026-03-01 (automatic)');
  });

  it('unknown rotation status is unknown, never a pass', () => {
    const k = key('k5', { rotation: { applicable: true, reason: 'GetKeyRotationStatus failed: AccessDeniedException: no', enabled: null, periodDays: null } });
    expect(rotation(k)[0]).toMatchObject({ status: 'unknown' });
  });

  it('imported key material: not applicable, with a note on on-demand rotation', () => {
    const k = key('imported', { origin: 'EXTERNAL', level: 'customer-managed-imported', rotation: off, rotations: { count: 1, automatic: 0, onDemand: 1, lastRotationDate: '2026-05-01T00:00:00.000Z', lastRotationType: 'ON_DEMAND' } });
    const [f] = rotation(k);
    expect(f!.status).toBe('not-applicable');
    expect(f!.message).toContain('imported key material cannot rotate automatically; rotate it on demand');
    expect(f!.message).toContain('RotateKeyOnDemand');
    expect(f!.message).toContain('1 on-demand rotation(s) so far');
  });

  it('CloudHSM and external key store keys: not applicable', () => {
    const hsm = key('hsm', { origin: 'AWS_CLOUDHSM', level: 'customer-managed-hsm', rotation: off, evidence: { CustomKeyStoreId: 'cks-1234567890abcdef0' } });
    expect(rotation(hsm)[0]).toMatchObject({ status: 'not-applicable', message: expect.stringContaining('an AWS CloudHSM key store') });
    const xks = key('xks', { origin: 'EXTERNAL_KEY_STORE', level: 'customer-managed-hsm', rotation: off, customKeyStore: { id: 'cks-0fedcba0987654321', type: 'EXTERNAL_KEY_STORE', name: 'on-prem-xks', connectionState: 'CONNECTED' } });
    expect(rotation(xks)[0]).toMatchObject({ status: 'not-applicable', message: expect.stringContaining('an external key store') });
  });

  it('asymmetric keys (RSA, ECC, ML-DSA) and HMAC keys: not applicable', () => {
    for (const spec of ['RSA_2048', 'RSA_4096', 'ECC_NIST_P256', 'ECC_SECG_P256K1', 'ML_DSA_65', 'SM2']) {
      const k = key(`asym-${spec}`, { spec, usage: 'SIGN_VERIFY', rotation: off });
      expect(rotation(k)[0], spec).toMatchObject({ status: 'not-applicable', message: expect.stringContaining(`${spec} is an asymmetric key`) });
    }
    for (const spec of ['HMAC_224', 'HMAC_256', 'HMAC_512']) {
      const k = key(`hmac-${spec}`, { spec, usage: 'GENERATE_VERIFY_MAC', rotation: off });
      expect(rotation(k)[0], spec).toMatchObject({ status: 'not-applicable', message: expect.stringContaining(`${spec} is an HMAC key`) });
    }
  });

  it('an asymmetric key with imported material is not applicable as asymmetric (no on-demand rotation either)', () => {
    const k = key('imported-rsa', { origin: 'EXTERNAL', spec: 'RSA_2048', usage: 'SIGN_VERIFY', rotation: off });
    expect(rotation(k)[0]!.message).toContain('RSA_2048 is an asymmetric key');
    expect(rotation(k)[0]!.message).not.toContain('RotateKeyOnDemand');
  });

  it('AWS managed keys get no rotation finding; keys pending deletion are not applicable', () => {
    expect(rotation(key('aws', { manager: 'AWS', level: 'aws-managed', aliases: ['alias/aws/ebs'] }))).toEqual([]);
    expect(rotation(key('gone', { state: 'PendingDeletion', rotation: off }))[0]!.status).toBe('not-applicable');
  });

  it('a policy that does not demand rotation makes the rule not applicable', () => {
    const lax: Policy = { ...BASELINE_POLICY, name: 'lax', rotation: { required: false, maxPeriodDays: 365 } };
    expect(rotation(key('k6', { rotation: { applicable: true, reason: 'x', enabled: false, periodDays: null } }), lax)[0]!.status).toBe('not-applicable');
  });
});

describe('KMS.ROTATION: verdicts at the edges', () => {
  const on = (periodDays: number | null) => ({ applicable: true, reason: 'customer managed symmetric key with KMS key material', enabled: true, periodDays });

  it('is a medium rule about customer managed keys of the scanned account, with the KMS fix', () => {
    expect(kmsRotationRule).toMatchObject({ id: 'KMS.ROTATION', title: 'Customer managed KMS key rotation', severity: 'medium', matrixFacts: ['remediationPath'] });
    expect(kmsRotationRule.rationale).toMatch(/^Rotating a key limits how much data one version of key material protects/);
    expect(kmsRotationRule.remediationSummary).toBe(kmsMatrix.remediation.summary);
    const k = keyResource(key('k'));
    expect(kmsRotationRule.appliesTo(k)).toBe(true);
    expect(kmsRotationRule.appliesTo({ ...k, attributes: { ...k.attributes, manager: 'AWS' } })).toBe(false);
    expect(kmsRotationRule.appliesTo({ ...k, attributes: { ...k.attributes, manager: 'unknown' } })).toBe(false);
    expect(kmsRotationRule.appliesTo({ ...k, type: 'alias' })).toBe(false);
    expect(kmsRotationRule.appliesTo({ ...k, service: 's3' } as Resource)).toBe(false);
  });

  it('a key resource whose key record is missing: unknown, never a pass', () => {
    const k = key('k');
    const report = evaluate({ ...keyInventory([k]), keys: [] }, BASELINE_POLICY, { failOn: 'none' });
    expect(report.findings.find((f) => f.ruleId === 'KMS.ROTATION')).toMatchObject({ status: 'unknown', message: 'the key record is missing from the inventory' });
  });

  it.each(['PendingDeletion', 'PendingReplicaDeletion'])('a key in %s: rotation does not apply', (state) => {
    expect(rotation(key('k', { state, rotation: off }))[0]).toMatchObject({ status: 'not-applicable', message: `the key is ${state}; rotation does not apply` });
  });

  it('exactly at the maximum period passes; one day over fails', () => {
    expect(rotation(key('k', { rotation: on(365) }))[0]).toMatchObject({ status: 'pass', message: 'automatic rotation is on every 365 days' });
    expect(rotation(key('k', { rotation: on(366) }))[0]).toMatchObject({ status: 'fail', message: 'rotates every 366 days; policy "baseline" allows at most 365' });
    expect(rotation(key('k', { rotation: on(null) }))[0]).toMatchObject({ status: 'pass', message: 'automatic rotation is on' });
  });

  it('the demand of the services that depend on the key tightens it, and the message says which', () => {
    const k = key('k', { rotation: on(365) });
    const tight: Policy = { ...BASELINE_POLICY, name: 'tight', rotation: { required: false, maxPeriodDays: 365 }, rotationByService: { s3: { required: true, maxPeriodDays: 90 } } };
    const report = evaluate(keyInventory([k], [bucket('exports', { key: k })]), tight, { failOn: 'none' });
    expect(report.findings.find((f) => f.ruleId === 'KMS.ROTATION')).toMatchObject({
      status: 'fail',
      message: 'rotates every 365 days; policy "tight" allows at most 90 (services.s3.rotation)',
    });
    const offKey = key('k', { rotation: off });
    const offReport = evaluate(keyInventory([offKey], [bucket('exports', { key: offKey })]), tight, { failOn: 'none' });
    expect(offReport.findings.find((f) => f.ruleId === 'KMS.ROTATION')!.message).toBe('automatic key rotation is off (services.s3.rotation)');
  });

  it('the key record decides, not the resource: a record that says AWS managed is not-applicable for AWS\'s own reason', () => {
    const record = key('k', { manager: 'AWS', level: 'aws-managed', rotation: { applicable: false, reason: 'recorded otherwise', enabled: true, periodDays: 365 } });
    const res = { ...keyResource(record), attributes: { ...keyResource(record).attributes, manager: 'CUSTOMER' } };
    const report = evaluate({ ...keyInventory([record]), resources: [res] }, BASELINE_POLICY, { failOn: 'none' });
    expect(report.findings.find((f) => f.ruleId === 'KMS.ROTATION')).toMatchObject({ status: 'not-applicable', message: 'automatic rotation does not apply: AWS managed keys are rotated by AWS every year' });
  });

  it('every service demand that tightened it is named', () => {
    const k = key('k', { rotation: on(365) });
    const tight: Policy = { ...BASELINE_POLICY, name: 'tight', rotationByService: { s3: { required: true, maxPeriodDays: 90 }, ebs: { required: true, maxPeriodDays: 180 } } };
    const report = evaluate(keyInventory([k], [bucket('exports', { key: k }), resource('ebs', 'volume', 'vol-1', { key: k })]), tight, { failOn: 'none' });
    expect(report.findings.find((f) => f.ruleId === 'KMS.ROTATION')!.message).toBe('rotates every 365 days; policy "tight" allows at most 90 (services.ebs.rotation; services.s3.rotation)');
  });

  it('not-applicable messages say why, for each kind of key that cannot rotate automatically', () => {
    expect(rotation(key('h', { spec: 'HMAC_256', rotation: off }))[0]!.message).toBe(
      'automatic rotation does not apply: HMAC_256 is an HMAC key: HMAC keys cannot rotate automatically or on demand; rotate it manually: create a new key and point the alias (and the applications) at it',
    );
    const imported = rotation(key('i', { origin: 'EXTERNAL', rotation: off }))[0]!;
    expect(imported.message).toBe(
      'automatic rotation does not apply: imported key material cannot rotate automatically; rotate it on demand: import new key material (ImportKeyMaterial, ImportType NEW_KEY_MATERIAL) and call RotateKeyOnDemand',
    );
    const none = rotation(key('i', { origin: 'EXTERNAL', rotation: off, rotations: { count: 0, automatic: 0, onDemand: 0, lastRotationDate: null, lastRotationType: null } }))[0]!;
    expect(none.message).toMatch(/RotateKeyOnDemand \(0 on-demand rotation\(s\) so far\)$/);
  });

  it('where the key\'s facts cannot tell, what KMS answered decides: not supported is not-applicable, an answer is judged', () => {
    const unsupported = key('u', { spec: 'unknown', rotation: { applicable: false, reason: 'the key spec is unknown; KMS says automatic rotation is not supported for this key', enabled: null, periodDays: null } });
    expect(rotation(unsupported)[0]).toMatchObject({ status: 'not-applicable', message: 'automatic rotation does not apply: the key spec is unknown; KMS says automatic rotation is not supported for this key' });
    const answered = key('a', { spec: 'unknown', rotation: { applicable: true, reason: 'KMS reports a rotation status', enabled: false, periodDays: null } });
    expect(rotation(answered)[0]).toMatchObject({ status: 'fail', message: 'automatic key rotation is off' });
  });

  it('an unknown status says why', () => {
    const k = key('k5', { rotation: { applicable: true, reason: 'GetKeyRotationStatus failed: AccessDeniedException: no', enabled: null, periodDays: null } });
    expect(rotation(k)[0]!.message).toBe('rotation status unknown: GetKeyRotationStatus failed: AccessDeniedException: no');
  });

  it('a policy that does not require rotation says so', () => {
    const lax: Policy = { ...BASELINE_POLICY, name: 'lax', rotation: { required: false, maxPeriodDays: 365 } };
    expect(rotation(key('k', { rotation: off }), lax)[0]!.message).toBe('policy "lax" does not require rotation');
  });

  it.each([
    [{ count: null, automatic: null, onDemand: null, lastRotationDate: null, lastRotationType: null }, ''],
    [{ count: 0, automatic: 0, onDemand: 0, lastRotationDate: null, lastRotationType: null }, '; never rotated yet'],
    [{ count: 2, automatic: null, onDemand: null, lastRotationDate: null, lastRotationType: null }, '; 2 rotation(s) so far (0 automatic, 0 on demand)'],
    [{ count: 1, automatic: 0, onDemand: 1, lastRotationDate: '2026-05-01T12:00:00.000Z', lastRotationType: 'ON_DEMAND' }, '; 1 rotation(s) so far (0 automatic, 1 on demand), last on 2026-05-01 (on-demand)'],
    [{ count: 1, automatic: 1, onDemand: 0, lastRotationDate: '2026-05-01T12:00:00.000Z', lastRotationType: null }, '; 1 rotation(s) so far (1 automatic, 0 on demand), last on 2026-05-01'],
  ])('the rotation history %j reads "%s"', (rotations, text) => {
    expect(rotation(key('k', { rotation: off, rotations }))[0]!.message).toBe(`automatic key rotation is off${text}`);
  });
});

describe('KMS.ROTATION: a key that rotates without a period', () => {
  it('rotation on with no RotationPeriodInDays (older answers, emulators) passes, and names no period', () => {
    const k = key('k-no-period', { rotation: { applicable: true, reason: 'x', enabled: true, periodDays: null } });
    expect(rotation(k)[0]).toMatchObject({ status: 'pass', message: 'automatic rotation is on' });
  });
});

/**
 * The rotation fix of a multi-Region key set is run on its primary: KMS
 * refuses EnableKeyRotation on a replica ("To enable or disable automatic
 * rotation of a set of related multi-Region keys, set the property on the
 * primary key", EnableKeyRotation API reference). The primary comes from the
 * KMS check's facts, else from DescribeKey's MultiRegionConfiguration
 * evidence (shaped as fixtures/aws/kms/describe-key-multi-region.json).
 */
describe('KMS.ROTATION: whose ARN the fix names', () => {
  const ID = 'mrk-0123456789abcdef0123456789abcdef';
  const PRIMARY = `arn:aws:kms:us-east-1:111122223333:key/${ID}`;
  const REPLICA = `arn:aws:kms:eu-west-1:111122223333:key/${ID}`;
  const ownFix = (k: KeyRecord) => `aws kms enable-key-rotation --key-id ${k.arn} --rotation-period-in-days 365`;
  const fixOf = (k: KeyRecord) => {
    const [finding] = rotation(k);
    expect(finding!.status).toBe('fail');
    return finding!.remediation!;
  };
  const replica = (overrides: Partial<KeyRecord>) => key(ID, { region: 'eu-west-1', multiRegion: true, rotation: off, ...overrides });

  it('a replica (KMS check facts): every step, the command and the guide page name the primary and its region', () => {
    const fix = fixOf(replica({ multiRegionConfiguration: { keyType: 'REPLICA', primary: { arn: PRIMARY, region: 'us-east-1' }, replicas: [] } }));
    const cli = `aws kms enable-key-rotation --key-id ${PRIMARY} --region us-east-1 --rotation-period-in-days 365`;
    expect(fix.cli).toBe(cli);
    expect(fix.steps).toEqual([
      `this key is a multi-Region replica: its rotation is set on the primary key ${PRIMARY} (us-east-1), and the replicas share the primary's key material and rotation`,
      'KMS console (us-east-1) › the primary key › Key rotation › Automatically rotate this KMS key',
      `or: ${cli}`,
    ]);
    expect(fix.docs).toBe('https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-manage.html#multi-region-rotate');
  });

  it('a primary, or a replica whose facts name no primary: the key\'s own fix', () => {
    const primary = key(ID, { multiRegion: true, rotation: off, multiRegionConfiguration: { keyType: 'PRIMARY', primary: { arn: PRIMARY, region: 'us-east-1' }, replicas: [{ arn: REPLICA, region: 'eu-west-1' }] } });
    expect(fixOf(primary).cli).toBe(ownFix(primary));
    const orphan = replica({ multiRegionConfiguration: { keyType: 'REPLICA', primary: null, replicas: [] } });
    expect(fixOf(orphan).cli).toBe(ownFix(orphan));
  });

  it('the KMS check facts win over the evidence', () => {
    const k = replica({
      multiRegionConfiguration: { keyType: 'PRIMARY', primary: { arn: REPLICA, region: 'eu-west-1' }, replicas: [] },
      evidence: { MultiRegionConfiguration: { MultiRegionKeyType: 'REPLICA', PrimaryKey: { Arn: PRIMARY, Region: 'us-east-1' }, ReplicaKeys: [] } },
    });
    expect(fixOf(k).cli).toBe(ownFix(k));
  });

  it('from the evidence alone: a replica names its primary; the region comes from the primary\'s ARN when DescribeKey gave none', () => {
    const withRegion = replica({ evidence: { MultiRegionConfiguration: { MultiRegionKeyType: 'REPLICA', PrimaryKey: { Arn: PRIMARY, Region: 'us-east-1' }, ReplicaKeys: [] } } });
    expect(fixOf(withRegion).cli).toBe(`aws kms enable-key-rotation --key-id ${PRIMARY} --region us-east-1 --rotation-period-in-days 365`);
    const noRegion = replica({ evidence: { MultiRegionConfiguration: { MultiRegionKeyType: 'REPLICA', PrimaryKey: { Arn: PRIMARY }, ReplicaKeys: [] } } });
    expect(fixOf(noRegion).cli).toBe(`aws kms enable-key-rotation --key-id ${PRIMARY} --region us-east-1 --rotation-period-in-days 365`);
    const oddRegion = replica({ evidence: { MultiRegionConfiguration: { MultiRegionKeyType: 'REPLICA', PrimaryKey: { Arn: PRIMARY, Region: 7 }, ReplicaKeys: [] } } });
    expect(fixOf(oddRegion).cli).toContain('--region us-east-1 ');
  });

  it('evidence that does not name a replica\'s primary (a primary, nothing, or malformed): the key\'s own fix, no crash', () => {
    const evidences: KeyRecord['evidence'][] = [
      { MultiRegionConfiguration: { MultiRegionKeyType: 'PRIMARY', PrimaryKey: { Arn: PRIMARY, Region: 'us-east-1' }, ReplicaKeys: [] } },
      { MultiRegionConfiguration: null },
      { MultiRegionConfiguration: [] },
      { MultiRegionConfiguration: 'REPLICA' },
      {},
      { MultiRegionConfiguration: { MultiRegionKeyType: 'REPLICA' } },
      { MultiRegionConfiguration: { MultiRegionKeyType: 'REPLICA', PrimaryKey: null } },
      { MultiRegionConfiguration: { MultiRegionKeyType: 'REPLICA', PrimaryKey: [PRIMARY] } },
      { MultiRegionConfiguration: { MultiRegionKeyType: 'REPLICA', PrimaryKey: PRIMARY } },
      { MultiRegionConfiguration: { MultiRegionKeyType: 'REPLICA', PrimaryKey: { Region: 'us-east-1' } } },
    ];
    for (const evidence of evidences) {
      const k = replica({ evidence });
      expect(fixOf(k).cli, JSON.stringify(evidence)).toBe(ownFix(k));
    }
  });
});
