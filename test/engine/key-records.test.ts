import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine/engine.js';
import { mergeInventories, readInventories } from '../../src/inventory-file.js';
import type { Finding } from '../../src/model/report.js';
import { BASELINE_POLICY } from '../../src/policy/built-in.js';
import { renderTable } from '../../src/report/table.js';
import { makeStyle } from '../../src/report/style.js';
import { validator } from '../../src/schema.js';
import { ACCOUNT } from '../helpers/context.js';
import { ROOT } from '../helpers/fixtures.js';
import { bucket, inventory, key, keyInventory, keyResource } from '../helpers/inventory.js';

/**
 * Every key record of a scanned account is judged, wherever it was read
 * (issue 10, item 5): a key that reached the inventory only as the key of a
 * resource (a scan without kms, or one file of a merged set) gets its key
 * findings too; a fact it lacks is unknown (kms was scanned there) or not
 * asked (kms was not), never silence. The merged header says what was scanned
 * where.
 */
const of = (findings: Finding[], arn: string) => findings.filter((f) => f.resourceArn === arn);

describe('key records without a KMS check resource', () => {
  const doomed = key('b7e1c2d4-6a1f-4c8e-9d2a-3f5e7a9b1c04', {
    aliases: ['alias/batch-old'],
    state: 'PendingDeletion',
    evidence: { KeyState: 'PendingDeletion', DeletionDate: '2026-12-05T00:00:00.000Z' },
    policy: undefined,
    grants: undefined,
    tags: undefined,
  });
  const volume = bucket('batch-data', { key: doomed });

  it('the fixture demo: alias/batch-old (pending deletion, a dependant) is critical; every key of the account has findings', () => {
    const { inventory: merged } = readInventories([`${ROOT}/fixtures/demo`]);
    const report = evaluate(merged, BASELINE_POLICY, { failOn: 'high' });
    const judged = new Set(report.findings.filter((f) => f.service === 'kms').map((f) => f.resourceArn));
    expect(merged.keys.filter((k) => k.inScannedAccount && !judged.has(k.arn)).map((k) => k.arn)).toEqual([]);
    const batchOld = merged.keys.find((k) => k.aliases.includes('alias/batch-old'))!;
    const pending = of(report.findings, batchOld.arn).find((f) => f.ruleId === 'KMS.PENDING_DELETION')!;
    expect(pending).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(pending.message).toContain('is scheduled for deletion on 2026-12-05');
    // kms was scanned in that account and Region (by another file), but not for this key: unknown, with why.
    const exposed = of(report.findings, batchOld.arn).find((f) => f.ruleId === 'KMS.POLICY_PUBLIC')!;
    expect(exposed.status).toBe('unknown');
    expect(exposed.message).toContain('kms was scanned in 111122223333 us-east-1, but the KMS check did not read this key');
  });

  it('a scan without kms: the key is judged on what DescribeKey said; governance the scan did not ask for is not-applicable, not unknown', () => {
    const report = evaluate(inventory({ services: ['s3'], keys: [doomed], resources: [volume] }), BASELINE_POLICY, { failOn: 'high' });
    const findings = of(report.findings, doomed.arn);
    expect(findings.find((f) => f.ruleId === 'KMS.PENDING_DELETION')).toMatchObject({ status: 'fail', severity: 'critical' });
    const policy = findings.find((f) => f.ruleId === 'KMS.POLICY_PUBLIC')!;
    expect(policy.status).toBe('not-applicable');
    expect(policy.message).toContain('kms was not among the services scanned in 111122223333 us-east-1');
    expect(findings.find((f) => f.ruleId === 'KMS.CROSS_ACCOUNT')!.status).toBe('not-applicable');
    // The key is a resource of the report too, said to be the resolver's record.
    const resource = report.resources.find((r) => r.arn === doomed.arn)!;
    expect(resource).toMatchObject({ service: 'kms', type: 'key', attributes: { listedByKmsCheck: false } });
    expect(validator('report.schema.json')(JSON.parse(JSON.stringify(report)))).toBe(true);
  });

  it('keys of other accounts are their owner\'s to judge; keys the KMS check listed are not doubled', () => {
    const foreign = key('cccc1111-2222-4333-8444-555566667777', { accountId: '444455556666' });
    const listed = key('dddd1111-2222-4333-8444-555566667777');
    const report = evaluate(inventory({ keys: [foreign, listed], resources: [keyResource(listed), bucket('b', { key: foreign })] }), BASELINE_POLICY, { failOn: 'high' });
    expect(of(report.findings, foreign.arn)).toEqual([]);
    expect(report.resources.filter((r) => r.arn === listed.arn)).toHaveLength(1);
    expect(of(report.findings, listed.arn).filter((f) => f.ruleId === 'KMS.POLICY_PUBLIC')).toHaveLength(1);
  });
});

describe('the merged header', () => {
  const a = keyInventory([key('aaaa1111-2222-4333-8444-555566667777')], [], { services: ['kms', 's3'], regions: ['us-east-1'] });
  const b = inventory({ services: ['ebs'], regions: ['eu-west-1'] });

  it('does not claim kms for a Region where it was not scanned: coverage says what was scanned where', () => {
    const { inventory: merged } = mergeInventories([a, b]);
    expect(merged.scan.services).toEqual(['ebs', 'kms', 's3']);
    expect(merged.scan.coverage).toEqual([
      { accountId: ACCOUNT, region: 'eu-west-1', services: ['ebs'] },
      { accountId: ACCOUNT, region: 'us-east-1', services: ['kms', 's3'] },
    ]);
    expect(validator('inventory.schema.json')(merged)).toBe(true);
    const table = renderTable(evaluate(merged, BASELINE_POLICY, { failOn: 'high' }), { style: makeStyle(false), width: 200 });
    expect(table).toContain('services ebs, kms, s3 (not everywhere, see below)');
    expect(table).toContain(`scanned in ${ACCOUNT} eu-west-1: ebs`);
  });

  it('merging scans that cover the same grid writes no coverage; coverage of merged files merges again', () => {
    expect(mergeInventories([a, { ...a, scan: { ...a.scan, finishedAt: '2026-11-28T09:05:00.000Z' } }]).inventory.scan.coverage).toBeUndefined();
    const { inventory: ab } = mergeInventories([a, b]);
    const c = inventory({ services: ['rds'], regions: ['eu-west-1'] });
    expect(mergeInventories([ab, c]).inventory.scan.coverage).toContainEqual({ accountId: ACCOUNT, region: 'eu-west-1', services: ['ebs', 'rds'] });
  });
});
