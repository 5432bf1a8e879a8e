import { describe, expect, it, vi } from 'vitest';
import type { KeyRecord, Resource, ScanError } from '../../../src/model/inventory.js';
import type { Finding } from '../../../src/model/report.js';
import { evaluate } from '../../../src/engine/engine.js';
import { BASELINE_POLICY } from '../../../src/policy/built-in.js';
import type { Policy } from '../../../src/model/policy.js';
import { ACCOUNT } from '../../helpers/context.js';
import { key, keyInventory, resource } from '../../helpers/inventory.js';

const VOLUME = `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/vol-0a1b2c3d4e5f67890`;
const BUCKET = 'arn:aws:s3:::orders-archive-111122223333';
const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`;

/** The services the scan read (KMS.UNUSED_KEY names them). */
const SCANNED = ['dynamodb', 'ebs', 'kms', 's3'] as const;

function findings(keys: KeyRecord[], others: Resource[] = [], ruleId: string, options: { policy?: Policy; errors?: ScanError[] } = {}): Finding[] {
  const report = evaluate(keyInventory(keys, others, { services: [...SCANNED], errors: options.errors ?? [] }), options.policy ?? BASELINE_POLICY, { failOn: 'none' });
  return report.findings.filter((f) => f.ruleId === ruleId);
}

const one = (list: Finding[]): Finding => {
  expect(list).toHaveLength(1);
  return list[0]!;
};

describe('KMS.PENDING_DELETION', () => {
  const pending = key('doomed', { aliases: ['alias/old-orders'], state: 'PendingDeletion', deletionDate: '2026-12-05T09:04:12.000Z', pendingDeletionWindowInDays: 7 });

  it('critical when resources depend on the key; the message names the date and the dependants', () => {
    const f = one(findings([pending], [resource('ebs', 'volume', VOLUME, { key: pending }), resource('s3', 'bucket', BUCKET, { key: pending })], 'KMS.PENDING_DELETION'));
    expect(f.status).toBe('fail');
    expect(f.severity).toBe('critical');
    expect(f.message).toBe(
      `key alias/old-orders (${pending.arn}) is scheduled for deletion on 2026-12-05T09:04:12.000Z (in 7 days); 2 resources depend on it (ebs 1, s3 1): ${VOLUME}, ${BUCKET}`,
    );
    expect(f.compliance).toContainEqual(expect.objectContaining({ framework: 'aws-securityhub-fsbp', control: 'KMS.3' }));
    expect(f.remediation?.steps[0]).toBe(`aws kms cancel-key-deletion --key-id ${pending.arn}`);
  });

  it('high when nothing in the scanned services depends on it', () => {
    const f = one(findings([pending], [], 'KMS.PENDING_DELETION'));
    expect(f).toMatchObject({ status: 'fail', severity: 'high' });
    expect(f.message).toContain('no resource in the scanned services depends on it');
  });

  it('falls back to the DeletionDate evidence, and handles PendingReplicaDeletion', () => {
    const old = key('old', { state: 'PendingDeletion', evidence: { DeletionDate: '2026-12-20T00:00:00.000Z' } });
    expect(one(findings([old], [], 'KMS.PENDING_DELETION')).message).toContain('on 2026-12-20T00:00:00.000Z (in 22 days)');
    const primary = key('mrk-00000000000000000000000000000001', { state: 'PendingReplicaDeletion' });
    expect(one(findings([primary], [], 'KMS.PENDING_DELETION')).message).toContain('multi-Region primary key scheduled for deletion once its replicas are deleted');
  });

  it('passes enabled keys; unknown when the key could not be described', () => {
    expect(one(findings([key('fine')], [], 'KMS.PENDING_DELETION')).status).toBe('pass');
    const hidden = key('hidden', { describable: false, state: 'unknown', notes: ['DescribeKey failed: AccessDeniedException: no'] });
    expect(one(findings([hidden], [], 'KMS.PENDING_DELETION')).status).toBe('unknown');
  });
});

describe('KMS.DISABLED_KEY_IN_USE', () => {
  it('critical for a disabled key with dependants, pass without', () => {
    const disabled = key('off', { state: 'Disabled' });
    const f = one(findings([disabled], [resource('dynamodb', 'table', TABLE, { key: disabled })], 'KMS.DISABLED_KEY_IN_USE'));
    expect(f).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(f.message).toContain(`is disabled but 1 resource depends on it (dynamodb 1): ${TABLE}`);
    expect(one(findings([disabled], [], 'KMS.DISABLED_KEY_IN_USE')).status).toBe('pass');
    expect(one(findings([key('on')], [], 'KMS.DISABLED_KEY_IN_USE')).status).toBe('pass');
  });
});

describe('KMS.IMPORTED_MATERIAL_EXPIRY', () => {
  const imported = (validTo: string | null, extra: Partial<KeyRecord> = {}): KeyRecord =>
    key('byok', { origin: 'EXTERNAL', level: 'customer-managed-imported', importedMaterial: { validTo, expirationModel: validTo ? 'KEY_MATERIAL_EXPIRES' : 'KEY_MATERIAL_DOES_NOT_EXPIRE' }, ...extra });

  it('material that expired before the scan fails (critical with dependants)', () => {
    const k = imported('2026-11-20T00:00:00.000Z', { state: 'PendingImport' });
    const f = one(findings([k], [resource('s3', 'bucket', BUCKET, { key: k })], 'KMS.IMPORTED_MATERIAL_EXPIRY'));
    expect(f).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(f.message).toContain('the current key material of');
    expect(f.message).toContain('expired on 2026-11-20T00:00:00.000Z (8 days before the scan)');
    expect(one(findings([k], [], 'KMS.IMPORTED_MATERIAL_EXPIRY')).severity).toBe('high');
  });

  it('material expiring in 10 days fails against the default 30-day warning', () => {
    const k = imported('2026-12-08T09:04:12.000Z');
    const f = one(findings([k], [], 'KMS.IMPORTED_MATERIAL_EXPIRY'));
    expect(f).toMatchObject({ status: 'fail', severity: 'medium' });
    expect(f.message).toContain('expires on 2026-12-08T09:04:12.000Z (in 10 days), within the 30-day warning of policy "baseline"');
  });

  it('the warning window comes from the policy', () => {
    const k = imported('2026-12-08T09:04:12.000Z');
    const short: Policy = { ...BASELINE_POLICY, name: 'short', importedMaterialExpiryDays: 7 };
    expect(one(findings([k], [], 'KMS.IMPORTED_MATERIAL_EXPIRY', { policy: short })).status).toBe('pass');
  });

  it('material that never expires passes; far-off expiry passes', () => {
    expect(one(findings([imported(null)], [], 'KMS.IMPORTED_MATERIAL_EXPIRY'))).toMatchObject({ status: 'pass', message: 'the imported key material does not expire' });
    expect(one(findings([imported('2027-06-01T00:00:00.000Z')], [], 'KMS.IMPORTED_MATERIAL_EXPIRY')).status).toBe('pass');
  });

  it('a non-current material that expires first is the one reported', () => {
    const k = imported('2027-06-01T00:00:00.000Z');
    k.importedMaterial!.materials = [
      { keyMaterialId: 'aaa1', importState: 'IMPORTED', keyMaterialState: 'NON_CURRENT', expirationModel: 'KEY_MATERIAL_EXPIRES', validTo: '2026-12-01T00:00:00.000Z' },
      { keyMaterialId: 'bbb2', importState: 'IMPORTED', keyMaterialState: 'CURRENT', expirationModel: 'KEY_MATERIAL_EXPIRES', validTo: '2027-06-01T00:00:00.000Z' },
    ];
    const f = one(findings([k], [], 'KMS.IMPORTED_MATERIAL_EXPIRY'));
    expect(f.status).toBe('fail');
    expect(f.message).toContain('key material aaa1 (non_current)');
  });

  it('only imported keys are judged; unknown when the expiry is not in the inventory', () => {
    expect(findings([key('kms-made')], [], 'KMS.IMPORTED_MATERIAL_EXPIRY')).toEqual([]);
    const bare = key('byok2', { origin: 'EXTERNAL' });
    expect(one(findings([bare], [], 'KMS.IMPORTED_MATERIAL_EXPIRY')).status).toBe('unknown');
  });
});

describe('KMS.PENDING_IMPORT', () => {
  it('fails a key without material, says why, and is critical when resources depend on it', () => {
    const expired = key('byok', { origin: 'EXTERNAL', state: 'PendingImport', importedMaterial: { validTo: '2026-11-20T00:00:00.000Z', expirationModel: 'KEY_MATERIAL_EXPIRES' } });
    const f = one(findings([expired], [resource('ebs', 'volume', VOLUME, { key: expired })], 'KMS.PENDING_IMPORT'));
    expect(f).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(f.message).toContain('its imported material expired on 2026-11-20T00:00:00.000Z');
    const fresh = key('new-byok', { origin: 'EXTERNAL', state: 'PendingImport', importedMaterial: { validTo: null, expirationModel: null } });
    expect(one(findings([fresh], [], 'KMS.PENDING_IMPORT'))).toMatchObject({ severity: 'medium', message: expect.stringContaining('no key material is imported') });
    expect(one(findings([key('ok', { origin: 'EXTERNAL' })], [], 'KMS.PENDING_IMPORT')).status).toBe('pass');
  });
});

describe('KMS.UNUSED_KEY', () => {
  const idle = key('idle', { aliases: ['alias/legacy-reports'], rotations: { count: 0, automatic: 0, onDemand: 0, lastRotationDate: null, lastRotationType: null } });

  it('a key nothing depends on is a low cost finding that never says "delete this"', () => {
    const f = one(findings([idle], [], 'KMS.UNUSED_KEY'));
    expect(f).toMatchObject({ status: 'fail', severity: 'low' });
    expect(f.message).toBe(
      'no resource in the scanned services (dynamodb, ebs, s3) depends on this key; it costs about $1.00 a month; its use by other services and applications was not checked (scan with --key-usage)',
    );
    const words = `${f.message}\n${f.remediation?.summary}\n${f.remediation?.steps.join('\n')}`;
    expect(words).not.toMatch(/delete this/i);
    expect(f.message).not.toMatch(/delet/i);
    expect(f.remediation?.summary).toContain('disable it');
  });

  it('passes when a resource depends on it', () => {
    const f = one(findings([idle], [resource('s3', 'bucket', BUCKET, { key: idle })], 'KMS.UNUSED_KEY'));
    expect(f.status).toBe('pass');
  });

  it('is unknown when resources of the key\'s region could not be read or a list failed', () => {
    const unreadable = resource('ebs', 'volume', VOLUME, { level: 'unknown', error: { operation: 'DescribeVolumes', code: 'AccessDenied', message: 'no' } });
    expect(one(findings([idle], [unreadable], 'KMS.UNUSED_KEY'))).toMatchObject({
      status: 'unknown',
      message: expect.stringContaining('1 resource(s) in us-east-1 could not be read and may use it: ebs vol-0a1b2c3d4e5f67890 (DescribeVolumes failed: AccessDenied)'),
    });
    const listFailed: ScanError = { service: 'dynamodb', region: 'us-east-1', operation: 'ListTables', code: 'AccessDeniedException', message: 'no' };
    expect(one(findings([idle], [], 'KMS.UNUSED_KEY', { errors: [listFailed] })).status).toBe('unknown');
    // A failure in another region says nothing about this key.
    expect(one(findings([idle], [], 'KMS.UNUSED_KEY', { errors: [{ ...listFailed, region: 'eu-west-1' }] })).status).toBe('fail');
  });

  it('a bucket that was read but names no key reference is no blind spot (issue 10, item 4)', () => {
    // S3 accepts KMSMasterKeyID "12345678" without checking: the bucket is read fine, its own key is unknown,
    // but whatever it names cannot be a KMS key, so the unused key in its region is still judged.
    const garbage = resource('s3', 'bucket', 'arn:aws:s3:::odd-default', { level: 'unknown', keyRef: '12345678', algorithm: 'aws:kms', region: 'us-east-1', notes: ['"12345678" is not a KMS key id, key ARN, alias name or alias ARN'] });
    const f = one(findings([idle], [garbage], 'KMS.UNUSED_KEY'));
    expect(f.status).toBe('fail');
    expect(f.message).not.toContain('could not be read');
  });

  it('many hidden dependants: counted, the first five by ARN named whatever the inventory order, a reference to another key id left out', () => {
    const unread = (n: string, region = 'us-east-1') =>
      resource('ebs', 'volume', `arn:aws:ec2:${region}:${ACCOUNT}:volume/vol-${n}`, { level: 'unknown', error: { operation: 'DescribeVolumes', code: 'AccessDenied', message: 'no' } });
    const byKeyId = (n: string, keyId: string) =>
      resource('s3', 'bucket', `arn:aws:s3:::b-${n}`, { level: 'unknown', keyRef: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${keyId}`, algorithm: 'aws:kms', region: 'us-east-1' });
    // Seven unread volumes (one in region "unknown", which may be any region's: its ARN sorts first), out of order.
    const volumes = ['07', '03', '06', '01', '05', '02'].map((n) => unread(n)).concat(unread('04', 'unknown'));
    const byAlias = resource('s3', 'bucket', 'arn:aws:s3:::b-alias', { level: 'unknown', keyRef: 'alias/nowhere', algorithm: 'aws:kms', region: 'us-east-1' });
    const others = [...volumes, byAlias, byKeyId('theirs', '00000000-0000-0000-0000-000000000000'), unread('00', 'eu-west-1')];
    const messages = [others, [...others].reverse()].map((list) => one(findings([idle], list, 'KMS.UNUSED_KEY')).message);
    expect(messages[0]).toBe(messages[1]);
    expect(messages[0]).toContain(
      '7 resource(s) in us-east-1 could not be read and may use it: ebs vol-04 (DescribeVolumes failed: AccessDenied), ebs vol-01 (DescribeVolumes failed: AccessDenied), ebs vol-02 (DescribeVolumes failed: AccessDenied), ebs vol-03 (DescribeVolumes failed: AccessDenied), ebs vol-05 (DescribeVolumes failed: AccessDenied) and 2 more',
    );
    expect(messages[0]).toContain('1 resource(s) in us-east-1 name a key that could not be resolved and may be this one: s3 b-alias (names key alias/nowhere, which could not be resolved)');
    expect(messages[0]).not.toContain('b-theirs');
    expect(messages[0]).not.toContain('vol-00');
  });

  it('a resource naming a key reference that could not be resolved is a blind spot, said as such', () => {
    const unresolved = resource('s3', 'bucket', 'arn:aws:s3:::by-alias', { level: 'unknown', keyRef: 'alias/legacy-reports', algorithm: 'aws:kms', region: 'us-east-1' });
    const f = one(findings([idle], [unresolved], 'KMS.UNUSED_KEY'));
    expect(f.status).toBe('unknown');
    expect(f.message).toContain('1 resource(s) in us-east-1 name a key that could not be resolved and may be this one: s3 by-alias (names key alias/legacy-reports, which could not be resolved)');
    // A reference to another key id, or to a key of another account, cannot hide this key.
    const otherKey = resource('s3', 'bucket', 'arn:aws:s3:::other-key', { level: 'unknown', keyRef: 'arn:aws:kms:us-east-1:444455556666:alias/x', algorithm: 'aws:kms' });
    expect(one(findings([idle], [otherKey], 'KMS.UNUSED_KEY')).status).toBe('fail');
  });

  it('with --key-usage: recent use passes, old use fails, never used since an old creation fails', () => {
    const used = (lastUsedAt: string): KeyRecord => ({ ...idle, lastUsage: { status: 'used', lastUsedAt, operation: 'Decrypt', trackingStartDate: '2026-01-15T00:00:00.000Z', keyCreationDate: '2024-03-01T10:00:00.000Z' } });
    expect(one(findings([used('2026-11-20T00:00:00.000Z')], [], 'KMS.UNUSED_KEY'))).toMatchObject({ status: 'pass', message: expect.stringContaining('(Decrypt)') });
    expect(one(findings([used('2026-05-01T00:00:00.000Z')], [], 'KMS.UNUSED_KEY'))).toMatchObject({ status: 'fail', message: expect.stringContaining('over 90 days before the scan') });
    const never = { ...idle, lastUsage: { status: 'never-used' as const, lastUsedAt: null, operation: null, trackingStartDate: '2026-01-15T00:00:00.000Z', keyCreationDate: '2026-02-03T15:00:00.000Z' } };
    expect(one(findings([never], [], 'KMS.UNUSED_KEY'))).toMatchObject({ status: 'fail', message: expect.stringContaining('never been used since it was created on 2026-02-03') });
    const young = { ...never, lastUsage: { ...never.lastUsage, keyCreationDate: '2026-11-01T00:00:00.000Z' } };
    expect(one(findings([young], [], 'KMS.UNUSED_KEY')).status).toBe('pass');
  });

  it('with --key-usage: no use since tracking began is unknown until tracking covers 90 days', () => {
    const lastUsage = { status: 'no-use-since-tracking-start' as const, lastUsedAt: null, operation: null, trackingStartDate: '2026-10-01T00:00:00.000Z', keyCreationDate: '2024-03-01T10:00:00.000Z' };
    expect(one(findings([{ ...idle, lastUsage }], [], 'KMS.UNUSED_KEY'))).toMatchObject({ status: 'unknown', message: expect.stringContaining('use before that is unknown') });
    const longTracked = { ...lastUsage, trackingStartDate: '2026-01-15T00:00:00.000Z' };
    expect(one(findings([{ ...idle, lastUsage: longTracked }], [], 'KMS.UNUSED_KEY'))).toMatchObject({ status: 'fail', message: expect.stringContaining('; use before that is unknown; it costs about $1.00 a month') });
    const failed = { ...idle, lastUsage: { status: 'unknown' as const, lastUsedAt: null, operation: null, trackingStartDate: null, keyCreationDate: null, error: { operation: 'GetKeyLastUsage', code: 'ThrottlingException', message: 'Rate exceeded' } } };
    expect(one(findings([failed], [], 'KMS.UNUSED_KEY')).status).toBe('unknown');
  });

  it('keys pending deletion are not billed: not applicable; AWS managed keys are not judged', () => {
    expect(one(findings([{ ...idle, state: 'PendingDeletion' }], [], 'KMS.UNUSED_KEY')).status).toBe('not-applicable');
    expect(findings([key('aws', { manager: 'AWS', level: 'aws-managed' })], [], 'KMS.UNUSED_KEY')).toEqual([]);
  });
});

describe('dates come from the scan, not the clock', () => {
  it('the same inventory gives the same findings whatever the date today', () => {
    const k = key('byok', { origin: 'EXTERNAL', importedMaterial: { validTo: '2026-12-08T09:04:12.000Z', expirationModel: 'KEY_MATERIAL_EXPIRES' } });
    const a = findings([k], [], 'KMS.IMPORTED_MATERIAL_EXPIRY');
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2030-01-01T00:00:00.000Z'));
      expect(findings([k], [], 'KMS.IMPORTED_MATERIAL_EXPIRY')).toEqual(a);
      expect(a[0]!.message).toContain('(in 10 days)');
    } finally {
      vi.useRealTimers();
    }
  });
});
