import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../../src/engine/engine.js';
import type { Inventory } from '../../../../src/model/inventory.js';
import type { KmsRegionUsage } from '../../../../src/model/usage.js';
import { validator } from '../../../../src/schema.js';
import { buildKeysReport } from '../../../../src/engine/keys-view.js';
import { bucket, inventory, policy } from '../../../helpers/inventory.js';
import { ACCOUNT } from '../../../helpers/context.js';
import { quota, regionUsage, series } from '../../../helpers/usage.js';

const SYMMETRIC = 'Cryptographic operations (symmetric) request rate';
const ARN = `arn:aws:servicequotas:us-east-1:${ACCOUNT}:kms/L-6E3AF000`;

/** us-east-1 with a symmetric quota of 10,000 per second whose busiest minute averaged `peak` per second. */
function withPeak(peak: number | null, complete = true, extra: Partial<KmsRegionUsage> = {}): Inventory {
  const region = regionUsage('us-east-1', [quota(SYMMETRIC, 'CryptographicOperationsSymmetric', 10_000, 'L-6E3AF000')], [series('CryptographicOperationsSymmetric', peak === null ? 0 : 1_000_000, peak, complete)], extra);
  return { ...inventory({ regions: ['us-east-1'], services: ['kms', 's3'] }), usage: { regions: [region] } };
}

function finding(inv: Inventory, over = {}) {
  const report = evaluate(inv, policy(over), { failOn: 'high' });
  return report.findings.filter((f) => f.ruleId === 'KMS.QUOTA_HEADROOM');
}

describe('KMS.QUOTA_HEADROOM at its thresholds', () => {
  it('below the policy share passes; at 80% fails medium; at 100% still medium; over 100% (throttled) high', () => {
    expect(finding(withPeak(7_999))[0]).toMatchObject({ status: 'pass', resourceArn: ARN, service: 'kms', resourceType: 'request-quota', region: 'us-east-1' });
    const at80 = finding(withPeak(8_000))[0]!;
    expect(at80).toMatchObject({ status: 'fail', severity: 'medium' });
    expect(at80.message).toContain('80% of the applied quota of 10,000 per second in us-east-1');
    expect(at80.message).toContain('the last 14 days (2026-11-14T09:00:00.000Z to 2026-11-28T09:00:00.000Z, one-minute averages)');
    expect(at80.remediation?.steps.join('\n')).toContain('--service-code kms --quota-code L-6E3AF000');
    expect(finding(withPeak(10_000))[0]).toMatchObject({ status: 'fail', severity: 'medium' });
    const over = finding(withPeak(10_001))[0]!;
    expect(over).toMatchObject({ status: 'fail', severity: 'high' });
    expect(over.message).toContain('over the quota, so KMS throttled requests');
  });

  it('the policy sets the share', () => {
    expect(finding(withPeak(8_500), { quotaHeadroomPercent: 90 })[0]).toMatchObject({ status: 'pass' });
    expect(finding(withPeak(9_000), { quotaHeadroomPercent: 90 })[0]).toMatchObject({ status: 'fail', severity: 'medium', message: expect.stringContaining('the 90% the policy "test" allows') });
  });

  it('no call in the window passes; partial data is unknown unless it already fails; unreadable metrics are one unknown per Region', () => {
    expect(finding(withPeak(null))[0]).toMatchObject({ status: 'pass', message: expect.stringContaining('no call counted against') });
    expect(finding(withPeak(100, false))[0]).toMatchObject({ status: 'unknown' });
    expect(finding(withPeak(9_000, false))[0]).toMatchObject({ status: 'fail', message: expect.stringContaining('lower bound') });
    const denied = withPeak(null, true, { metrics: { status: 'unknown', calls: 0, series: [], error: { operation: 'GetMetricData', code: 'AccessDenied', message: 'no' } } });
    denied.usage!.regions[0]!.quotas.items.push(quota('DescribeKey request rate', 'DescribeKey', 2000, 'L-FAE8F084'));
    const found = finding(denied);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ status: 'unknown', resourceArn: ARN, message: expect.stringContaining('GetMetricData AccessDenied: no') });
  });

  it('quotas are judged, not counted: no resource, no score, and the keys view lists the finding', () => {
    const inv = withPeak(10_500);
    inv.resources.push(bucket('acme-log-archive'));
    const report = evaluate(inv, policy(), { failOn: 'high' });
    expect(report.resources.map((r) => r.type)).toEqual(['bucket']);
    expect(report.scores!.resources.map((r) => r.resourceType)).toEqual(['bucket']);
    expect(report.outcome.exitCode).toBe(1);
    const keys = buildKeysReport(report, 'high');
    expect(keys.findings.map((f) => f.ruleId)).toContain('KMS.QUOTA_HEADROOM');
    expect(keys.outcome.exitCode).toBe(1);
    const validate = validator('report.schema.json');
    expect(validate(JSON.parse(JSON.stringify(report))), JSON.stringify(validate.errors)).toBe(true);
    const validateKeys = validator('keys.schema.json');
    expect(validateKeys(JSON.parse(JSON.stringify(keys))), JSON.stringify(validateKeys.errors)).toBe(true);
    expect(report.cost.requests.byRegion[0]!.headroom[0]).toMatchObject({ quota: SYMMETRIC, sharePercent: 105, peakPerSecond: 10_500, status: 'measured' });
  });

  it('a waiver can accept it, and the policy scope limits it to its regions', () => {
    const waived = finding(withPeak(9_000), { waivers: [{ rule: 'KMS.QUOTA_HEADROOM', resource: ARN, reason: 'quota increase requested', owner: 'platform', expires: '2027-01-31' }] });
    expect(waived[0]).toMatchObject({ status: 'suppressed' });
    expect(finding(withPeak(9_000), { scope: { regions: ['eu-west-1'] } })).toEqual([]);
  });
});
