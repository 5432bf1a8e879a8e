import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine/engine.js';
import type { Finding } from '../../src/model/report.js';
import { BASELINE_POLICY } from '../../src/policy/built-in.js';
import { ROOT } from '../helpers/fixtures.js';
import { bucket, inventory, key, keyInventory } from '../helpers/inventory.js';

/**
 * Message texts that said something AWS does not (issue 10, item 8). Each
 * assertion failed on the text before the fix.
 */
const one = (findings: Finding[], rule: string, arn: string): Finding => {
  const list = findings.filter((f) => f.ruleId === rule && f.resourceArn === arn);
  expect(list, `${rule} on ${arn}`).toHaveLength(1);
  return list[0]!;
};

describe('PendingReplicaDeletion is a multi-Region primary waiting for its replicas', () => {
  it('KMS.KEY_STATE says so, and the fix cancels the deletion', () => {
    const primary = key('mrk-0123456789abcdef0123456789abcdef', { state: 'PendingReplicaDeletion', multiRegion: true, aliases: ['alias/global'] });
    const b = bucket('on-primary', { key: primary });
    const f = one(evaluate(inventory({ keys: [primary], resources: [b] }), BASELINE_POLICY, { failOn: 'high' }).findings, 'KMS.KEY_STATE', b.arn);
    expect(f.status).toBe('fail');
    expect(f.message).toContain('is a multi-Region primary key scheduled for deletion');
    expect(f.message).toContain('once its replica keys are deleted');
    expect(f.message).not.toContain('replica scheduled for deletion');
    expect(f.remediation!.cli).toBe(`aws kms cancel-key-deletion --key-id ${primary.arn}`);
  });
});

describe('S3 default key named by alias name or key id', () => {
  it('S3.ENCRYPTION_LEVEL says that S3 resolves it in the requester\'s account', () => {
    const k = key('1234abcd-12ab-34cd-56ef-1234567890ab', { aliases: ['alias/app-data'] });
    const byAlias = bucket('by-alias', { key: k, keyRef: 'alias/app-data', attributes: { defaultKeyResolvedInRequesterAccount: true } });
    const byArn = bucket('by-arn', { key: k, attributes: { defaultKeyResolvedInRequesterAccount: false } });
    const findings = evaluate(inventory({ keys: [k], resources: [byAlias, byArn] }), BASELINE_POLICY, { failOn: 'high' }).findings;
    const alias = one(findings, 'S3.ENCRYPTION_LEVEL', byAlias.arn);
    expect(alias.status).toBe('pass');
    expect(alias.message).toContain('the default key is named "alias/app-data", not by its ARN');
    expect(alias.message).toContain("in the requester's account");
    expect(one(findings, 'S3.ENCRYPTION_LEVEL', byArn.arn).message).not.toContain("requester's account");
  });
});

describe('the rotation fix of a multi-Region replica runs on the primary', () => {
  it('KMS.ROTATION names the primary key and its region', () => {
    const primaryArn = 'arn:aws:kms:us-east-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef';
    const replica = key('mrk-0123456789abcdef0123456789abcdef', {
      region: 'eu-west-1',
      multiRegion: true,
      rotation: { applicable: true, reason: 'x', enabled: false, periodDays: null },
      multiRegionConfiguration: { keyType: 'REPLICA', primary: { arn: primaryArn, region: 'us-east-1' }, replicas: [] },
    });
    const f = one(evaluate(keyInventory([replica]), BASELINE_POLICY, { failOn: 'none' }).findings, 'KMS.ROTATION', replica.arn);
    expect(f.status).toBe('fail');
    expect(f.remediation!.cli).toBe(`aws kms enable-key-rotation --key-id ${primaryArn} --region us-east-1 --rotation-period-in-days 365`);
    expect(f.remediation!.steps[0]).toContain('multi-Region replica');
    // The summary is the rule's one line, the same for every key (atrest rules).
    expect(f.remediation!.summary).toContain('EnableKeyRotation');
  });

  it('also from the DescribeKey evidence when the KMS check facts are absent; a single-Region key keeps its own ARN', () => {
    const primaryArn = 'arn:aws:kms:us-east-1:111122223333:key/mrk-11111111111111111111111111111111';
    const replica = key('mrk-11111111111111111111111111111111', {
      region: 'eu-west-1',
      rotation: { applicable: true, reason: 'x', enabled: false, periodDays: null },
      evidence: { MultiRegionConfiguration: { MultiRegionKeyType: 'REPLICA', PrimaryKey: { Arn: primaryArn, Region: 'us-east-1' }, ReplicaKeys: [] } },
    });
    const single = key('cccc1111-2222-4333-8444-555566667777', { rotation: { applicable: true, reason: 'x', enabled: false, periodDays: null } });
    const findings = evaluate(keyInventory([replica, single]), BASELINE_POLICY, { failOn: 'none' }).findings;
    expect(one(findings, 'KMS.ROTATION', replica.arn).remediation!.cli).toContain(primaryArn);
    expect(one(findings, 'KMS.ROTATION', single.arn).remediation!.cli).toBe(`aws kms enable-key-rotation --key-id ${single.arn} --rotation-period-in-days 365`);
  });
});

describe('docs/services/kms.md', () => {
  it('gives the CIS 5.0 item the code maps KMS.ROTATION to (3.6)', () => {
    const row = readFileSync(`${ROOT}/docs/services/kms.md`, 'utf8').split('\n').find((l) => l.startsWith('| `KMS.ROTATION`'))!;
    expect(row).toContain('CIS 5.0 3.6');
    expect(row).not.toContain('4.6');
  });
});
