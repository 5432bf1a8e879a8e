import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/report.js';
import { RULES } from '../../src/engine/catalog.js';
import { evaluate } from '../../src/engine/engine.js';
import { MATRIX } from '../../src/services/list.js';
import { BASELINE_POLICY, STRICT_POLICY } from '../../src/policy/built-in.js';
import { DEFAULT_SECRET_NAME_PATTERNS, secretLookingNames } from '../../src/services/lambda/secret-names.js';
import type { Policy } from '../../src/model/policy.js';
import { inventory, key, resource } from '../helpers/inventory.js';
import { keyStateRule } from '../../src/rules/key-state-rule.js';
import { relatedKeys } from '../../src/keys/related-keys.js';
import type { KeyRecord, Resource } from '../../src/model/inventory.js';
import type { RuleContext } from '../../src/rules/rule.js';

const one = (findings: Finding[], rule: string, arn: string): Finding => {
  const list = findings.filter((f) => f.ruleId === rule && f.resourceArn === arn);
  expect(list, `${rule} on ${arn}`).toHaveLength(1);
  return list[0]!;
};

describe('KMS.KEY_STATE with related keys', () => {
  const main = key('cccc1111-2222-4333-8444-555566667777');
  const zip = key('dddd1111-2222-4333-8444-555566667777', { state: 'PendingDeletion', evidence: { DeletionDate: '2026-12-10T00:00:00.000Z' }, aliases: ['alias/zip'] });
  const fn = (related: unknown[]) =>
    resource('lambda', 'function', 'f', {
      key: main,
      algorithm: null,
      attributes: { hasEnvironmentVariables: false, relatedKeys: related as never },
    });

  it('fails on a related key pending deletion, and the fix names that key', () => {
    const r = fn([{ role: '.zip package', keyArn: zip.arn, keyRef: zip.arn, level: 'customer-managed' }]);
    const f = one(evaluate(inventory({ keys: [main, zip], resources: [r] }), BASELINE_POLICY, { failOn: 'high' }).findings, 'KMS.KEY_STATE', r.arn);
    expect(f).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(f.message).toBe(`.zip package key alias/zip (${zip.arn}) is scheduled for deletion on 2026-12-10T00:00:00.000Z: after that the data can never be decrypted`);
    expect(f.remediation!.cli).toBe(`aws kms cancel-key-deletion --key-id ${zip.arn}`);
  });

  it('an unresolvable related key makes the verdict unknown; malformed entries are ignored', () => {
    const r = fn([{ role: '.zip package', keyArn: null, keyRef: 'arn:aws:kms:us-east-1:444455556666:key/eeee1111-2222-4333-8444-555566667777', level: 'unknown' }, 'junk', { role: 'x' }]);
    const f = one(evaluate(inventory({ keys: [main], resources: [r] }), BASELINE_POLICY, { failOn: 'high' }).findings, 'KMS.KEY_STATE', r.arn);
    expect(f.status).toBe('unknown');
    expect(f.message).toContain('the .zip package key arn:aws:kms:us-east-1:444455556666:key/eeee1111');
  });

  it('applies to a resource on an AWS owned key when a related key exists', () => {
    const r = resource('lambda', 'function', 'g', { attributes: { relatedKeys: [{ role: '.zip package', keyArn: main.arn, keyRef: main.arn, level: 'customer-managed' }] } });
    const f = one(evaluate(inventory({ keys: [main], resources: [r] }), BASELINE_POLICY, { failOn: 'high' }).findings, 'KMS.KEY_STATE', r.arn);
    expect(f).toMatchObject({ status: 'pass', message: `.zip package key ${main.arn} is Enabled` });
  });
});

describe('KMS.KEY_STATE: the state of the key a resource depends on', () => {
  const ID = 'aaaa1111-2222-4333-8444-555566667777';
  const volumeOn = (k: KeyRecord, spec: Parameters<typeof resource>[3] = {}) => resource('ebs', 'volume', 'vol-0a1b2c3d4e5f60718', { key: k, ...spec });
  const judge = (keys: KeyRecord[], r: Resource) => one(evaluate(inventory({ keys, resources: [r] }), BASELINE_POLICY, { failOn: 'high' }).findings, 'KMS.KEY_STATE', r.arn);
  const named = (state: string, over: Partial<KeyRecord> = {}) => key(ID, { state, aliases: ['alias/orders'], ...over });
  const name = (k: KeyRecord) => `alias/orders (${k.arn})`;

  it('is a critical rule about every resource but keys themselves', () => {
    expect(keyStateRule).toMatchObject({ id: 'KMS.KEY_STATE', severity: 'critical', title: 'Resource depends on a KMS key that is not usable', matrixFacts: [] });
    expect(keyStateRule.rationale).toContain('A disabled key stops every read');
    const k = named('Enabled');
    expect(keyStateRule.appliesTo(volumeOn(k))).toBe(true);
    expect(keyStateRule.appliesTo({ ...volumeOn(k), service: 'kms' })).toBe(false);
  });

  it('applies only where the resource depends on a key: not unencrypted, not AWS owned, not without a key reference', () => {
    const k = named('Disabled');
    expect(keyStateRule.appliesTo(volumeOn(k, { level: 'none' }))).toBe(false);
    expect(keyStateRule.appliesTo(volumeOn(k, { level: 'aws-owned' }))).toBe(false);
    expect(keyStateRule.appliesTo(resource('ebs', 'volume', 'v', { level: 'customer-managed' }))).toBe(false);
    // A reference without a resolved ARN is still a dependency (judged unknown below).
    expect(keyStateRule.appliesTo(resource('ebs', 'volume', 'v', { level: 'unknown', keyRef: 'alias/x' }))).toBe(true);
  });

  it.each([
    ['Disabled', 'is disabled: the data cannot be decrypted until it is enabled again'],
    ['PendingDeletion', 'is scheduled for deletion: once it is deleted, the data can never be decrypted'],
    ['PendingImport', 'has no key material (PendingImport): the data cannot be decrypted'],
    ['Unavailable', 'is unavailable (its custom key store is disconnected): the data cannot be decrypted until it reconnects'],
    ['NotFound', 'does not exist: the data cannot be decrypted'],
  ])('a key that is %s: fail, critical, saying what that means for the data', (state, problem) => {
    const k = named(state, { evidence: {} });
    expect(judge([k], volumeOn(k))).toMatchObject({ status: 'fail', severity: 'critical', message: `key ${name(k)} ${problem}` });
  });

  it('a multi-Region primary waiting for its replicas to be deleted (PendingReplicaDeletion): fail, critical', () => {
    const k = named('PendingReplicaDeletion', { evidence: {} });
    const f = judge([k], volumeOn(k));
    expect(f).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(f.message).toMatch(/^key alias\/orders \(arn:aws:kms:us-east-1:111122223333:key\/aaaa1111-2222-4333-8444-555566667777\) \S/);
  });

  it('pending deletion with a known date: the date is in the message', () => {
    const k = named('PendingDeletion', { deletionDate: '2026-12-05T09:04:12.000Z' });
    expect(judge([k], volumeOn(k)).message).toBe(`key ${name(k)} is scheduled for deletion on 2026-12-05T09:04:12.000Z: after that the data can never be decrypted`);
  });

  it('the state decides, not a deletion date left in the record: a disabled key is disabled', () => {
    const k = named('Disabled', { deletionDate: '2026-12-05T09:04:12.000Z' });
    expect(judge([k], volumeOn(k)).message).toBe(`key ${name(k)} is disabled: the data cannot be decrypted until it is enabled again`);
  });

  it('every failing key is named, in order', () => {
    const main = named('Disabled');
    const zip = key('bbbb1111-2222-4333-8444-555566667777', { state: 'PendingImport' });
    const fn = resource('lambda', 'function', 'f', { key: main, attributes: { relatedKeys: [{ role: '.zip package', keyArn: zip.arn, keyRef: zip.arn, level: 'customer-managed-imported' }] as never } });
    expect(judge([main, zip], fn).message).toBe(
      `key ${name(main)} is disabled: the data cannot be decrypted until it is enabled again; .zip package key ${zip.arn} has no key material (PendingImport): the data cannot be decrypted`,
    );
  });

  it('a usable key: pass, naming its state; an unknown state: unknown with the reasons', () => {
    const ok = named('Enabled');
    expect(judge([ok], volumeOn(ok))).toMatchObject({ status: 'pass', message: `key ${name(ok)} is Enabled` });
    const creating = named('Creating');
    expect(judge([creating], volumeOn(creating))).toMatchObject({ status: 'pass', message: `key ${name(creating)} is Creating` });
    const unread = named('unknown', { notes: ['DescribeKey failed: ThrottlingException: Rate exceeded', 'second'] });
    expect(judge([unread], volumeOn(unread))).toMatchObject({
      status: 'unknown',
      message: `the state of key ${name(unread)} is unknown: DescribeKey failed: ThrottlingException: Rate exceeded; second`,
    });
  });

  it('no key record: an AWS managed key passes (it cannot be disabled); anything else is unknown, never a pass', () => {
    const awsManaged = resource('s3', 'bucket', 'arn:aws:s3:::b', { level: 'aws-managed', keyRef: 'alias/aws/s3' });
    expect(judge([], awsManaged)).toMatchObject({ status: 'pass', message: 'AWS managed key: it cannot be disabled or scheduled for deletion' });
    const byRef = resource('s3', 'bucket', 'arn:aws:s3:::c', { level: 'unknown', keyRef: 'alias/gone' });
    expect(judge([], byRef)).toMatchObject({ status: 'unknown', message: 'the key alias/gone could not be resolved, so its state is unknown' });
    const byArn = volumeOn(named('Enabled'));
    expect(judge([], byArn)).toMatchObject({ status: 'unknown', message: `the key ${byArn.protection.keyArn} could not be resolved, so its state is unknown` });
  });

  it('with related keys: a failing one wins over an unknown one, an unknown one over passes; all are named', () => {
    const main = named('Enabled');
    const zip = key('bbbb1111-2222-4333-8444-555566667777', { state: 'Disabled' });
    const lost = 'arn:aws:kms:us-east-1:111122223333:key/cccc1111-2222-4333-8444-555566667777';
    const fn = (related: unknown[]) => resource('lambda', 'function', 'f', { key: main, attributes: { relatedKeys: related as never } });
    const failing = judge([main, zip], fn([{ role: '.zip package', keyArn: zip.arn, keyRef: zip.arn, level: 'customer-managed' }, { role: 'logs', keyArn: lost, keyRef: lost, level: 'customer-managed' }]));
    expect(failing).toMatchObject({ status: 'fail', message: `.zip package key ${zip.arn} is disabled: the data cannot be decrypted until it is enabled again` });
    const unknown = judge([main], fn([{ role: 'logs', keyArn: lost, keyRef: null, level: 'customer-managed' }]));
    expect(unknown).toMatchObject({ status: 'unknown', message: `the logs key ${lost} could not be resolved, so its state is unknown` });
    const awsRelated = judge([main], fn([{ role: 'logs', keyArn: null, keyRef: 'alias/aws/lambda', level: 'aws-managed' }]));
    expect(awsRelated).toMatchObject({ status: 'pass', message: `key ${name(main)} is Enabled; logs key: AWS managed key: it cannot be disabled or scheduled for deletion` });
  });

  it('relatedKeys reads only well-formed entries: strings or null, and at least a key ARN or reference', () => {
    const r = (list: unknown) => resource('lambda', 'function', 'f', { attributes: { relatedKeys: list as never } });
    expect(relatedKeys(r(undefined))).toEqual([]);
    expect(relatedKeys(r({ role: 'x', keyArn: 'k' }))).toEqual([]);
    expect(relatedKeys(r([null, 7, 'k', ['k'], { role: 'x' }, { keyArn: '' }, { keyArn: 5, keyRef: 'alias/a', role: 9, level: 'aws-managed' }, { keyArn: 'arn:k' }]))).toEqual([
      { role: null, keyArn: null, keyRef: 'alias/a', level: 'aws-managed' },
      { role: null, keyArn: 'arn:k', keyRef: null, level: null },
    ]);
  });
});

describe('KMS.KEY_STATE remediation: what brings the key back depends on why it is unusable', () => {
  const ID = 'aaaa1111-2222-4333-8444-555566667777';
  const fixFor = (k: KeyRecord, r: Resource = resource('ebs', 'volume', 'vol-1', { key: k })) =>
    keyStateRule.remediation(r, { keyByArn: new Map([[k.arn, k]]) } as unknown as RuleContext)!;

  it('pending deletion: cancel it (the key is then Disabled), then enable it', () => {
    const k = key(ID, { state: 'PendingDeletion' });
    expect(fixFor(k)).toEqual({
      summary: `cancel the key deletion now: aws kms cancel-key-deletion --key-id ${k.arn}, then enable it`,
      path: 'in-place',
      steps: [`aws kms cancel-key-deletion --key-id ${k.arn} (the key is then Disabled)`, `aws kms enable-key --key-id ${k.arn}`],
      cli: `aws kms cancel-key-deletion --key-id ${k.arn}`,
      docs: 'https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html',
    });
  });

  it('a multi-Region primary in PendingReplicaDeletion is cancelled the same way (enable-key alone fails on it)', () => {
    const k = key(ID, { state: 'PendingReplicaDeletion' });
    expect(fixFor(k).cli).toBe(`aws kms cancel-key-deletion --key-id ${k.arn}`);
  });

  it('disabled: enable it', () => {
    const k = key(ID, { state: 'Disabled' });
    expect(fixFor(k)).toEqual({
      summary: `enable the key: aws kms enable-key --key-id ${k.arn}`,
      path: 'in-place',
      steps: [`aws kms enable-key --key-id ${k.arn}`],
      cli: `aws kms enable-key --key-id ${k.arn}`,
      docs: 'https://docs.aws.amazon.com/kms/latest/developerguide/enabling-keys.html',
    });
  });

  it('no key material (PendingImport): import the same material again, never enable-key', () => {
    const k = key(ID, { state: 'PendingImport', origin: 'EXTERNAL' });
    const fix = fixFor(k);
    expect(fix.summary).toBe('import the same key material again (a KMS key accepts no other): get-parameters-for-import, then import-key-material');
    expect(fix.cli).toBe(`aws kms get-parameters-for-import --key-id ${k.arn} --wrapping-algorithm RSAES_OAEP_SHA_256 --wrapping-key-spec RSA_4096`);
    expect(fix.path).toBe('in-place');
    expect(fix.steps).toHaveLength(3);
    expect(fix.steps[0]).toBe(fix.cli);
    expect(fix.steps[1]).toBe('wrap the copy of the key material you kept with the public key it returns (the material imported before: the key can use no other)');
    expect(fix.steps[2]).toBe(`aws kms import-key-material --key-id ${k.arn} --encrypted-key-material fileb://EncryptedKeyMaterial.bin --import-token fileb://ImportToken.bin --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE`);
    expect(fix.docs).toBe('https://docs.aws.amazon.com/kms/latest/developerguide/importing-keys.html#reimport-key-material');
    expect(JSON.stringify(fix)).not.toContain('enable-key');
  });

  it('unavailable: reconnect its custom key store, named from the key store record, else from the key metadata', () => {
    const recorded = key(ID, { state: 'Unavailable', origin: 'AWS_CLOUDHSM', customKeyStore: { id: 'cks-1234567890abcdef0', type: 'AWS_CLOUDHSM', name: 'ledger', connectionState: 'DISCONNECTED' } });
    expect(fixFor(recorded)).toEqual({
      summary: 'reconnect the custom key store: aws kms connect-custom-key-store --custom-key-store-id cks-1234567890abcdef0',
      path: 'in-place',
      steps: [
        'aws kms connect-custom-key-store --custom-key-store-id cks-1234567890abcdef0',
        'aws kms describe-custom-key-stores --custom-key-store-id cks-1234567890abcdef0 (until ConnectionState is CONNECTED; FAILED gives a ConnectionErrorCode to fix first)',
      ],
      cli: 'aws kms connect-custom-key-store --custom-key-store-id cks-1234567890abcdef0',
      docs: 'https://docs.aws.amazon.com/kms/latest/developerguide/disconnect-keystore.html',
    });
    const fromEvidence = key(ID, { state: 'Unavailable', origin: 'EXTERNAL_KEY_STORE', evidence: { CustomKeyStoreId: 'cks-0fedcba9876543210' } });
    expect(fixFor(fromEvidence).cli).toBe('aws kms connect-custom-key-store --custom-key-store-id cks-0fedcba9876543210');
    const unnamed = key(ID, { state: 'Unavailable', evidence: { CustomKeyStoreId: '' } });
    expect(fixFor(unnamed).cli).toBe('aws kms connect-custom-key-store --custom-key-store-id CUSTOM_KEY_STORE_ID');
    const odd = key(ID, { state: 'Unavailable', evidence: { CustomKeyStoreId: 7 } });
    expect(fixFor(odd).cli).toBe('aws kms connect-custom-key-store --custom-key-store-id CUSTOM_KEY_STORE_ID');
  });

  it('the key no longer exists: it cannot be recovered; restore from a readable copy', () => {
    const k = key(ID, { state: 'NotFound' });
    const fix = fixFor(k);
    expect(fix.path).toBe('rebuild-from-encrypted-copy');
    expect(fix.summary).toMatch(/^the key no longer exists and cannot be recovered/);
    expect(fix.cli).toBeUndefined();
    expect(fix.steps).toEqual([
      `check CloudTrail for the ScheduleKeyDeletion / DeleteImportedKeyMaterial of ${k.arn} to learn what else depended on it`,
      'restore the resource from a backup, snapshot or replica encrypted under a key that still exists, choosing a customer managed key for the new resource',
      'cut over to the restored resource and delete the unreadable one',
    ]);
    expect(fix.docs).toBe('https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html');
  });

  it('names the first failing key: the main key before related ones, a failing related key before a healthy main key', () => {
    const main = key(ID, { state: 'Enabled' });
    const zip = key('bbbb1111-2222-4333-8444-555566667777', { state: 'Disabled' });
    const doomed = key('cccc1111-2222-4333-8444-555566667777', { state: 'PendingDeletion' });
    const ctx = { keyByArn: new Map([main, zip, doomed].map((k) => [k.arn, k])) } as unknown as RuleContext;
    const fn = (m: KeyRecord, related: KeyRecord[]) =>
      resource('lambda', 'function', 'f', { key: m, attributes: { relatedKeys: related.map((k) => ({ role: '.zip package', keyArn: k.arn, keyRef: k.arn, level: 'customer-managed' })) as never } });
    expect(keyStateRule.remediation(fn(main, [zip]), ctx)!.cli).toBe(`aws kms enable-key --key-id ${zip.arn}`);
    expect(keyStateRule.remediation(fn(doomed, [zip]), ctx)!.cli).toBe(`aws kms cancel-key-deletion --key-id ${doomed.arn}`);
    // Nothing failing (asked anyway): the main key, or a placeholder when there is none.
    expect(keyStateRule.remediation(fn(main, []), ctx)!.cli).toBe(`aws kms enable-key --key-id ${main.arn}`);
    expect(keyStateRule.remediation(resource('ebs', 'volume', 'v', { level: 'customer-managed' }), ctx)!.cli).toBe('aws kms enable-key --key-id KEY_ARN');
  });
});
