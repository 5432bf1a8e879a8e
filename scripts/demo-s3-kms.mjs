// One-off generator for fixtures/demo/s3-kms.json (kept so the demo can be regenerated and reviewed).
// Run from the repository root after scripts/demo-consistency.mjs: node scripts/demo-s3-kms.mjs
import { readFileSync, writeFileSync } from 'node:fs';
const A = '111122223333', O = '444455556666';
const keyArn = (r, id, acct = A) => `arn:aws:kms:${r}:${acct}:key/${id}`;
const ids = {
  awsS3: 'f2a3b4c5-d6e7-4f80-9b0c-1d2e3f4a5b6c', awsS3eu: '1c9a7b2f-3d4e-4f60-9b0c-1d2e3f4a5b6c',
  app: '2d0b8c3a-4e5f-4061-8c1d-2e3f4a5b6c7d', legacy: '3e1c9d4b-5f60-4172-9d2e-3f4a5b6c7d8e',
  byok: '4f2d0e5c-6071-4283-8e3f-4a5b6c7d8e9f', hsm: '5a3e1f6d-7182-4394-9f4a-5b6c7d8e9fa0',
  retired: '6b4f2a7e-8293-44a5-8a5b-6c7d8e9fa0b1', partner: '7c5a3b8f-93a4-45b6-9b6c-7d8e9fa0b1c2',
  signing: '8d6b4c9a-a4b5-46c7-8c7d-8e9fa0b1c2d3',
};
function key(r, id, o) {
  const arn = keyArn(r, id, o.account ?? A);
  const meta = o.meta === null ? null : { AWSAccountId: o.account ?? A, KeyId: id, Arn: arn, CreationDate: o.created ?? '2024-03-01T10:00:00.000Z', Enabled: o.state === 'Enabled', Description: o.description ?? '', KeyUsage: o.usage ?? 'ENCRYPT_DECRYPT', KeyState: o.state, Origin: o.origin ?? 'AWS_KMS', KeyManager: o.manager, KeySpec: o.spec ?? 'SYMMETRIC_DEFAULT', CustomerMasterKeySpec: o.spec ?? 'SYMMETRIC_DEFAULT', EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'], MultiRegion: false, ...(o.extra ?? {}) };
  return {
    arn, keyId: id, region: r, accountId: o.account ?? A, aliases: o.aliases ?? [], manager: o.manager ?? 'unknown',
    origin: meta ? meta.Origin : 'unknown', state: meta ? o.state : 'unknown', spec: meta ? meta.KeySpec : 'unknown', usage: meta ? meta.KeyUsage : 'unknown',
    multiRegion: meta ? false : null, rotation: o.rotation, level: o.level, describable: Boolean(meta), inScannedAccount: (o.account ?? A) === A,
    notes: o.notes ?? [],
    // Governance facts the KMS check reads for keys of the scanned account (GetKeyPolicy, ListGrants, ListResourceTags).
    ...(meta && (o.account ?? A) === A
      ? {
          policy: { name: 'default', document: { Version: '2012-10-17', Id: 'key-default-1', Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'kms:*', Resource: '*' }] }, sizeBytes: 167 },
          grants: { count: 0, granteePrincipals: [], operations: [], issuingAccounts: [] },
          tags: o.manager === 'CUSTOMER' ? { owner: 'platform-team' } : {},
        }
      : {}),
    evidence: meta ?? { DescribeKeyError: { code: 'AccessDeniedException', message: `User: arn:aws:sts::${A}:assumed-role/atrest-audit/atrest is not authorized to perform: kms:DescribeKey on resource: ${arn} because no resource-based policy allows the kms:DescribeKey action` } },
  };
}
// The demo files are parts of one account (test/demo/demo-files.test.ts): a key
// several files list is the same record in each, and an alias names one key
// per Region. The us-east-1 aws/s3 key is kms-governance.json's; this file
// copies its record and the KMS check's resource for it.
const governance = JSON.parse(readFileSync(new URL('../fixtures/demo/kms-governance.json', import.meta.url), 'utf8'));
const sharedKey = governance.keys.find((k) => k.keyId === ids.awsS3);
const sharedKeyResource = governance.resources.find((r) => r.service === 'kms' && r.type === 'key' && r.id === ids.awsS3);
if (!sharedKey || !sharedKeyResource) throw new Error(`kms-governance.json has no key ${ids.awsS3}`);
const awsRot = { applicable: false, reason: 'AWS managed keys are rotated by AWS every year', enabled: true, periodDays: 365 };
const keys = [
  sharedKey,
  key('eu-west-1', ids.awsS3eu, { manager: 'AWS', state: 'Enabled', level: 'aws-managed', aliases: ['alias/aws/s3'], rotation: awsRot, description: 'Default key that protects my S3 objects when no other key is defined' }),
  key('us-east-1', ids.app, { manager: 'CUSTOMER', state: 'Enabled', level: 'customer-managed', aliases: ['alias/app-uploads'], rotation: { applicable: true, reason: 'customer managed symmetric key with KMS key material', enabled: true, periodDays: 365 }, description: 'Application uploads' }),
  key('us-east-1', ids.legacy, { manager: 'CUSTOMER', state: 'Enabled', level: 'customer-managed', aliases: ['alias/legacy-logs'], created: '2019-06-12T08:30:00.000Z', rotation: { applicable: true, reason: 'customer managed symmetric key with KMS key material', enabled: false, periodDays: null }, description: 'Log archive (created before rotation was policy)' }),
  key('eu-west-1', ids.byok, { manager: 'CUSTOMER', state: 'Enabled', level: 'customer-managed-imported', origin: 'EXTERNAL', aliases: ['alias/byok-payments'], rotation: { applicable: false, reason: 'imported key material cannot rotate automatically; rotate it on demand (RotateKeyOnDemand after importing new material)', enabled: null, periodDays: null }, extra: { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: '2027-06-30T00:00:00.000Z' }, description: 'Payments BYOK' }),
  key('eu-west-1', ids.hsm, { manager: 'CUSTOMER', state: 'Enabled', level: 'customer-managed-hsm', origin: 'AWS_CLOUDHSM', aliases: ['alias/hsm-vault'], rotation: { applicable: false, reason: 'keys in a custom key store cannot rotate automatically', enabled: null, periodDays: null }, extra: { CustomKeyStoreId: 'cks-1234567890abcdef0', CloudHsmClusterId: 'cluster-1a23b4cdefg' }, description: 'Vault (CloudHSM key store)' }),
  key('us-east-1', ids.retired, { manager: 'CUSTOMER', state: 'PendingDeletion', level: 'customer-managed', aliases: ['alias/retired-archive'], rotation: { applicable: true, reason: 'GetKeyRotationStatus failed: KMSInvalidStateException: arn is pending deletion.', enabled: null, periodDays: null }, extra: { DeletionDate: '2026-12-05T00:00:00.000Z', PendingDeletionWindowInDays: 7 }, description: 'Old archive key' }),
  key('us-east-1', ids.signing, { manager: 'CUSTOMER', state: 'Enabled', level: 'customer-managed', usage: 'SIGN_VERIFY', spec: 'RSA_2048', aliases: ['alias/artifact-signing'], rotation: { applicable: false, reason: 'automatic rotation exists only for symmetric encryption keys, not RSA_2048', enabled: null, periodDays: null }, extra: { EncryptionAlgorithms: undefined, SigningAlgorithms: ['RSASSA_PSS_SHA_256'] }, description: 'Build artifact signing' }),
  key('eu-west-1', ids.partner, { account: O, meta: null, manager: 'CUSTOMER', level: 'customer-managed', rotation: { applicable: false, reason: 'the key could not be described', enabled: null, periodDays: null }, notes: [`DescribeKey failed: AccessDeniedException: not authorized to perform kms:DescribeKey`, `key in another account (${O}): customer managed by inference; origin, state and rotation unknown`] }),
];
const keyResources = keys.filter((k) => k.inScannedAccount).map((k) => k === sharedKey ? sharedKeyResource : ({
  arn: k.arn, id: k.keyId, service: 'kms', type: 'key', region: k.region, accountId: A,
  protection: { level: k.level, keyArn: k.arn, keyRef: k.arn, algorithm: k.spec, notes: [...k.notes] },
  attributes: { manager: k.manager, origin: k.origin, state: k.state, aliases: k.aliases }, evidence: k.evidence,
}));
// The bucket policy the S3 check keeps as evidence: AWS's "require SSE-KMS" example.
const kmsOnlyPolicy = (name) => ({
  Version: '2012-10-17',
  Statement: [{ Sid: 'DenyNonKmsUploads', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${name}/*`, Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } } }],
});
function bucket(name, region, o) {
  const rule = o.algorithm ? { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: o.algorithm, ...(o.keyRef ? { KMSMasterKeyID: o.keyRef } : {}) }, BucketKeyEnabled: o.bucketKey ?? false, ...(o.sseCBlocked ? { BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] } } : {}) } : null;
  const r = {
    arn: `arn:aws:s3:::${name}`, id: name, service: 's3', type: 'bucket', region, accountId: A,
    protection: o.protection,
    attributes: o.error ? {} : { defaultEncryptionConfigured: Boolean(rule), sseAlgorithm: o.algorithm ?? null, bucketKeyEnabled: o.bucketKey ?? false, dsse: o.algorithm === 'aws:kms:dsse', blockedEncryptionTypes: o.sseCBlocked ? ['SSE-C'] : [], sseCBlocked: Boolean(o.sseCBlocked), ...(o.algorithm?.startsWith('aws:kms') ? { defaultKeyResolvedInRequesterAccount: Boolean(o.keyRef) && !o.keyRef.startsWith('arn:') } : {}), policyDeniesUnencryptedUploads: o.denies ?? false, policyRequiresKms: o.requiresKms ?? false },
    evidence: { CreationDate: o.created ?? '2023-04-18T12:00:00.000Z', BucketRegion: region, ...(o.error ? {} : rule ? { ServerSideEncryptionConfiguration: { Rules: [rule] } } : { GetBucketEncryption: 'ServerSideEncryptionConfigurationNotFoundError' }), ...(o.error ? {} : { BucketPolicy: o.requiresKms ? kmsOnlyPolicy(name) : null }) },
  };
  if (o.error) r.error = o.error;
  // Tags as the S3 check records them (GetBucketTagging; NoSuchTagSet is {}). A bucket whose
  // encryption could not be read is not asked for its tags; a refused GetBucketTagging leaves
  // tagsError, an evidence note and a scan error instead.
  if (o.tagsError) {
    r.tagsError = { operation: 'GetBucketTagging', ...o.tagsError };
    r.evidence.GetBucketTaggingError = { ...o.tagsError };
  } else if (!o.error) {
    r.tags = o.tags ?? {};
  }
  return r;
}
const cmk = (arn, ref, algo, notes = []) => ({ level: 'customer-managed', keyArn: arn, keyRef: ref, algorithm: algo, notes });
const deniedMsg = `User: arn:aws:sts::${A}:assumed-role/atrest-audit/atrest is not authorized to perform: s3:GetEncryptionConfiguration on resource: "arn:aws:s3:::acme-hr-restricted" with an explicit deny in a resource-based policy`;
const taggingDenied = { code: 'AccessDenied', message: `User: arn:aws:sts::${A}:assumed-role/atrest-audit/atrest is not authorized to perform: s3:GetBucketTagging on resource: "arn:aws:s3:::acme-web-logs" because no identity-based policy allows the s3:GetBucketTagging action` };
const resources = [
  bucket('acme-public-assets', 'us-east-1', { tags: { 'data-classification': 'public', team: 'web' }, protection: { level: 'aws-owned', keyArn: null, keyRef: null, algorithm: 'AES256', notes: ['no default encryption configuration: S3 has encrypted every new object with SSE-S3 since 2023-01-05'] }, created: '2021-02-03T09:15:00.000Z' }),
  bucket('acme-web-logs', 'us-east-1', { tagsError: taggingDenied, algorithm: 'AES256', sseCBlocked: true, protection: { level: 'aws-owned', keyArn: null, keyRef: null, algorithm: 'AES256', notes: ['SSE-S3: keys owned and managed by S3'] } }),
  bucket('acme-app-uploads', 'us-east-1', { tags: { 'data-classification': 'internal', team: 'app' }, algorithm: 'aws:kms', keyRef: 'alias/app-uploads', bucketKey: true, sseCBlocked: true, denies: true, requiresKms: true, protection: cmk(keyArn('us-east-1', ids.app), 'alias/app-uploads', 'aws:kms') }),
  bucket('acme-log-archive', 'us-east-1', { tags: { 'data-classification': 'internal', team: 'platform' }, algorithm: 'aws:kms', keyRef: keyArn('us-east-1', ids.legacy), bucketKey: false, protection: cmk(keyArn('us-east-1', ids.legacy), keyArn('us-east-1', ids.legacy), 'aws:kms') }),
  bucket('acme-analytics', 'us-east-1', { tags: { 'data-classification': 'restricted', team: 'data' }, algorithm: 'aws:kms', bucketKey: true, sseCBlocked: true, protection: { level: 'aws-managed', keyArn: keyArn('us-east-1', ids.awsS3), keyRef: null, algorithm: 'aws:kms', notes: ['SSE-KMS with no key id: S3 uses the AWS managed key aws/s3'] } }),
  bucket('acme-old-backups', 'us-east-1', { algorithm: 'aws:kms', keyRef: ids.retired, bucketKey: true, created: '2020-01-10T00:00:00.000Z', protection: cmk(keyArn('us-east-1', ids.retired), ids.retired, 'aws:kms') }),
  bucket('acme-hr-restricted', 'us-east-1', { error: { operation: 'GetBucketEncryption', code: 'AccessDenied', message: deniedMsg }, protection: { level: 'unknown', keyArn: null, keyRef: null, algorithm: null, notes: [`GetBucketEncryption failed: AccessDenied: ${deniedMsg}`] } }),
  bucket('acme-payments-eu', 'eu-west-1', { tags: { 'data-classification': 'restricted', team: 'payments' }, algorithm: 'aws:kms:dsse', keyRef: `arn:aws:kms:eu-west-1:${A}:alias/byok-payments`, sseCBlocked: true, denies: true, requiresKms: true, protection: { level: 'customer-managed-imported', keyArn: keyArn('eu-west-1', ids.byok), keyRef: `arn:aws:kms:eu-west-1:${A}:alias/byok-payments`, algorithm: 'aws:kms:dsse', notes: ['DSSE-KMS: two independent layers of encryption'] } }),
  bucket('acme-vault-eu', 'eu-west-1', { tags: { 'data-classification': 'restricted', team: 'security' }, algorithm: 'aws:kms', keyRef: keyArn('eu-west-1', ids.hsm), bucketKey: true, sseCBlocked: true, protection: { level: 'customer-managed-hsm', keyArn: keyArn('eu-west-1', ids.hsm), keyRef: keyArn('eu-west-1', ids.hsm), algorithm: 'aws:kms', notes: [] } }),
  bucket('acme-partner-exchange-eu', 'eu-west-1', { tags: { team: 'partnerships' }, algorithm: 'aws:kms', keyRef: keyArn('eu-west-1', ids.partner, O), bucketKey: true, sseCBlocked: true, protection: cmk(keyArn('eu-west-1', ids.partner, O), keyArn('eu-west-1', ids.partner, O), 'aws:kms', keys.at(-1).notes) }),
  bucket('acme-eu-reports', 'eu-west-1', { algorithm: 'AES256', protection: { level: 'aws-owned', keyArn: null, keyRef: null, algorithm: 'AES256', notes: ['SSE-S3: keys owned and managed by S3'] } }),
];
// Directory buckets (S3 Express One Zone), as src/services/s3/directory-buckets.ts records them.
function directoryBucket(name, region, o) {
  const arn = `arn:aws:s3express:${region}:${A}:bucket/${name}`;
  const rule = o.algorithm ? { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: o.algorithm, ...(o.keyRef ? { KMSMasterKeyID: o.keyRef } : {}) }, BucketKeyEnabled: o.algorithm === 'aws:kms' } : null;
  const r = {
    arn, id: name, service: 's3', type: 'directory-bucket', region, accountId: A,
    protection: o.protection,
    attributes: { zoneId: /--([a-z0-9-]+?)--x-s3$/.exec(name)[1], ...(o.error ? {} : { sseAlgorithm: o.algorithm ?? null, bucketKeyEnabled: rule ? rule.BucketKeyEnabled : null }) },
    evidence: { Name: name, BucketRegion: region, BucketArn: arn, CreationDate: o.created ?? '2025-06-02T14:05:11.000Z', ...(o.error ? {} : { ServerSideEncryptionConfiguration: { Rules: [rule] } }) },
  };
  if (o.error) r.error = o.error;
  return r;
}
const dirDenied = `User: arn:aws:sts::${A}:assumed-role/atrest-audit/atrest is not authorized to perform: s3express:GetEncryptionConfiguration on resource: "arn:aws:s3express:eu-west-1:${A}:bucket/acme-eu-scratch--euw1-az1--x-s3" because no identity-based policy allows the s3express:GetEncryptionConfiguration action`;
resources.push(
  directoryBucket('acme-ml-features--use1-az4--x-s3', 'us-east-1', { algorithm: 'aws:kms', keyRef: keyArn('us-east-1', ids.app), protection: cmk(keyArn('us-east-1', ids.app), keyArn('us-east-1', ids.app), 'aws:kms') }),
  directoryBucket('acme-shuffle--use1-az5--x-s3', 'us-east-1', { algorithm: 'AES256', created: '2025-09-18T08:41:27.000Z', protection: { level: 'aws-owned', keyArn: null, keyRef: null, algorithm: 'AES256', notes: ['SSE-S3: keys owned and managed by S3'] } }),
  directoryBucket('acme-eu-scratch--euw1-az1--x-s3', 'eu-west-1', { error: { operation: 'GetBucketEncryption', code: 'AccessDenied', message: dirDenied }, protection: { level: 'unknown', keyArn: null, keyRef: null, algorithm: null, notes: [`GetBucketEncryption failed: AccessDenied: ${dirDenied}`] } }),
);
const inv = {
  kind: 'atrest-inventory', schemaVersion: '1', tool: { name: 'atrest', version: '0.1.0' },
  scan: { accountId: A, principalArn: `arn:aws:sts::${A}:assumed-role/atrest-audit/atrest`, partition: 'aws', regions: ['eu-west-1', 'us-east-1'], services: ['kms', 's3'], startedAt: '2026-11-28T09:00:00.000Z', finishedAt: '2026-11-28T09:04:12.000Z',
    errors: [
      { service: 'kms', region: 'eu-west-1', operation: 'DescribeKey', code: 'AccessDeniedException', message: 'not authorized to perform kms:DescribeKey', resourceArn: keyArn('eu-west-1', ids.partner, O) },
      { service: 's3', region: 'us-east-1', operation: 'GetBucketEncryption', code: 'AccessDenied', message: deniedMsg, resourceArn: 'arn:aws:s3:::acme-hr-restricted' },
      { service: 's3', region: 'us-east-1', operation: 'GetBucketTagging', code: 'AccessDenied', message: taggingDenied.message, resourceArn: 'arn:aws:s3:::acme-web-logs' },
      { service: 's3', region: 'eu-west-1', operation: 'GetBucketEncryption', code: 'AccessDenied', message: dirDenied, resourceArn: `arn:aws:s3express:eu-west-1:${A}:bucket/acme-eu-scratch--euw1-az1--x-s3` },
    ].sort((a, b) => [a.service, a.region, a.operation, a.resourceArn ?? ''].join('\0') < [b.service, b.region, b.operation, b.resourceArn ?? ''].join('\0') ? -1 : 1) },
  keys: keys.sort((a, b) => (a.arn < b.arn ? -1 : 1)),
  resources: [...keyResources, ...resources].sort((a, b) => [a.service, a.type, a.region, a.arn].join('\0') < [b.service, b.type, b.region, b.arn].join('\0') ? -1 : 1),
};
writeFileSync(new URL('../fixtures/demo/s3-kms.json', import.meta.url), JSON.stringify(inv, null, 2) + '\n');
