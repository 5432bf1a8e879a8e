import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/report.js';
import { readInventories } from '../../src/inventory-file.js';
import { RULES } from '../../src/engine/catalog.js';
import { CONTROLS } from '../../src/compliance/frameworks.js';
import { mappingsFor } from '../../src/compliance/by-rule.js';
import { evaluate } from '../../src/engine/engine.js';
import { BASELINE_POLICY, STRICT_POLICY } from '../../src/policy/built-in.js';
import { buildRulesIndex } from '../../src/engine/rule-index.js';
import { SCAN_INCOMPLETE } from '../../src/rules/scan-coverage.js';
import { validator } from '../../src/schema.js';
import { key, keyInventory, policy } from '../helpers/inventory.js';

const index = buildRulesIndex();
const entry = (id: string) => index.rules.find((r) => r.id === id)!;

describe('the rules index (atrest rules)', () => {
  it('lists every rule of the catalog and SCAN.INCOMPLETE once, by id, valid against schema/rules.schema.json', () => {
    const ids = index.rules.map((r) => r.id);
    expect(ids).toEqual([...RULES.map((r) => r.id), SCAN_INCOMPLETE.id].sort());
    expect(new Set(ids).size).toBe(ids.length);
    const validate = validator('rules.schema.json');
    expect(validate(JSON.parse(JSON.stringify(index))), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(index).toMatchObject({ kind: 'atrest-rules', schemaVersion: '1.0', tool: { name: 'atrest' } });
  });

  it('carries each rule\'s own title, severity, rationale and matrix facts', () => {
    for (const rule of RULES) {
      expect(entry(rule.id), rule.id).toMatchObject({ title: rule.title, severity: rule.severity, rationale: rule.rationale, matrixFacts: rule.matrixFacts });
    }
    expect(entry('SCAN.INCOMPLETE')).toMatchObject({ title: SCAN_INCOMPLETE.title, severity: 'high', matrixFacts: [], remediation: null });
  });

  it('takes the controls from the compliance data file, with their titles and how each is judged', () => {
    for (const e of index.rules) {
      expect(e.compliance.map((c) => `${c.framework} ${c.control}`), e.id).toEqual(mappingsFor(e.id).map((m) => `${m.framework} ${m.control}`));
      for (const c of e.compliance) expect(c.title, `${e.id} ${c.control}`).toBe(CONTROLS[c.framework as keyof typeof CONTROLS][c.control]!.title);
    }
    // The ids the inline lists once had wrong: S3.17 and KMS.4 are Security Hub controls outside FSBP; CIS 5.0 rotation is 3.6.
    expect(entry('S3.ENCRYPTION_LEVEL').compliance).toEqual([
      {
        framework: 'aws-securityhub',
        control: 'S3.17',
        title: 'S3 general purpose buckets should be encrypted at rest with AWS KMS keys',
        source: 'https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-17',
        test: { kind: 'level-at-least', level: 'aws-managed' },
        scope: null,
      },
      {
        framework: 'aws-config',
        control: 's3-default-encryption-kms',
        title: 'S3 buckets are encrypted with AWS KMS',
        source: 'https://docs.aws.amazon.com/config/latest/developerguide/s3-default-encryption-kms.html',
        test: { kind: 'level-at-least', level: 'aws-managed' },
        scope: null,
      },
    ]);
    expect(entry('KMS.ROTATION').compliance.map((c) => [c.framework, c.control, c.test.kind])).toEqual([
      ['aws-securityhub', 'KMS.4', 'key-rotation-enabled'],
      ['cis-aws-3.0', '3.6', 'key-rotation-enabled'],
      ['cis-aws-5.0', '3.6', 'key-rotation-enabled'],
      ['aws-config', 'cmk-backing-key-rotation-enabled', 'key-rotation-enabled'],
    ]);
    expect(entry('EBS.VOLUME_ENCRYPTION').compliance.map((c) => c.scope)).toEqual(['attached-volume', 'attached-volume']);
    expect(entry('EBS.DEFAULT_ENCRYPTION').compliance.map((c) => c.test)).toEqual(Array(4).fill({ kind: 'rule-status' }));
  });

  it('says why a rule maps to no control', () => {
    expect(entry('S3.BUCKET_KEY')).toMatchObject({ compliance: [], notMapped: [], noControl: expect.stringContaining('S3 Bucket Keys') });
    const keyState = entry('KMS.KEY_STATE');
    expect(keyState.compliance).toEqual([]);
    expect(keyState.noControl).toBeNull();
    expect(keyState.notMapped.map((n) => `${n.framework} ${n.control}`)).toEqual(['aws-config kms-cmk-not-scheduled-for-deletion', 'aws-securityhub-fsbp KMS.3']);
    expect(keyState.notMapped[1]!.why).toContain('KMS.PENDING_DELETION evidences KMS.3');
    // A rule that maps controls has no noControl, even with related controls it does not map.
    expect(entry('EBS.VOLUME_ENCRYPTION')).toMatchObject({ noControl: null, notMapped: [expect.objectContaining({ control: '2.2.1' }), expect.objectContaining({ control: '5.1.1' })] });
  });
});

describe('a remediation summary in the index only where every finding carries exactly it', () => {
  /** Failing findings of the demo under three policies (the last fails every level rule and demands KMS-only bucket policies), and of an idle key. */
  function failing(): Finding[] {
    const demo = readInventories(['fixtures/demo']).inventory;
    const everything = policy({ minimumLevel: { default: 'customer-managed-hsm' }, bucketPolicyMustRequire: 'kms' });
    const idle = keyInventory([key('5555aaaa-55aa-55aa-55aa-5555aaaa5555')], [], { services: ['kms', 's3'] });
    return [
      ...[BASELINE_POLICY, STRICT_POLICY, everything].flatMap((p) => evaluate(demo, p, { failOn: 'none' }).findings),
      ...evaluate(idle, BASELINE_POLICY, { failOn: 'none' }).findings,
    ].filter((f) => f.status === 'fail');
  }

  it('each rule with a summary fails somewhere above, and every such failure carries that summary', () => {
    const findings = failing();
    const withSummary = RULES.filter((r) => r.remediationSummary);
    for (const rule of withSummary) {
      const mine = findings.filter((f) => f.ruleId === rule.id);
      expect(mine.length, `${rule.id} never fails in the test inventories`).toBeGreaterThan(0);
      expect([...new Set(mine.map((f) => f.remediation?.summary))], rule.id).toEqual([rule.remediationSummary]);
      expect(entry(rule.id).remediation).toBe(rule.remediationSummary);
    }
  });

  it('the rules whose fix depends on the resource have none (each finding carries its own)', () => {
    expect(index.rules.filter((r) => r.remediation === null).map((r) => r.id)).toEqual([
      'AURORA.AUTOMATED_BACKUP_ENCRYPTION', // fix the cluster, restore a retained backup, or (RDS) replicate again
      'AURORA.SNAPSHOT_ENCRYPTION', // copy, or restore for an unencrypted cluster snapshot
      'DYNAMODB.KEY_INACCESSIBLE', // restore the access, or restore an archived table
      'KMS.ALLOWED_KEYS', // the fix of the resource's own service
      'KMS.KEY_STATE', // enable, or cancel a deletion
      'RDS.AUTOMATED_BACKUP_ENCRYPTION', // the same, per what the backup is
      'RDS.SNAPSHOT_ENCRYPTION',
      'RDS.SNAPSHOT_SOURCE_MISMATCH', // re-encrypt the snapshot, or finish a migration
      'SCAN.INCOMPLETE', // names the permission that was missing
    ]);
    const keyState = failing().filter((f) => f.ruleId === 'KMS.KEY_STATE');
    expect(new Set(keyState.map((f) => f.remediation?.summary)).size).toBeGreaterThan(1);
  });
});
