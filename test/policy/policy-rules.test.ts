import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/report.js';
import { evaluate } from '../../src/engine/engine.js';
import { requirementFor, rotationDemandFor } from '../../src/policy/requirement.js';
import { globMatch } from '../../src/util/glob.js';
import { bucket, inventory, key, keyResource, policy, resource } from '../helpers/inventory.js';

const find = (findings: Finding[], ruleId: string, arn: string): Finding => {
  const f = findings.find((x) => x.ruleId === ruleId && x.resourceArn === arn);
  if (!f) throw new Error(`no ${ruleId} finding for ${arn}`);
  return f;
};

const appKey = key('1234abcd-12ab-34cd-56ef-1234567890ab', { aliases: ['alias/app-data'] });
const otherKey = key('5678efgh-56ef-78ab-90cd-567890abcdef', { aliases: ['alias/other', 'alias/other-2'], region: 'eu-west-1' });
const awsS3Key = key('0000aaaa-00aa-11bb-22cc-000000000000', { aliases: ['alias/aws/s3'], manager: 'AWS' });

describe('tag overrides', () => {
  const restricted = bucket('restricted-data', { level: 'aws-managed', key: awsS3Key, tags: { 'data-classification': 'restricted', env: 'prod' } });
  const sandbox = bucket('sandbox-data', { level: 'aws-owned', tags: { env: 'sandbox-42' } });
  const plain = bucket('plain', { level: 'aws-owned', tags: {} });
  const untagged = bucket('untagged', { level: 'aws-owned' });
  const p = policy({
    tagOverrides: [
      { name: 'restricted', tags: { 'data-classification': 'restricted' }, minimumLevel: 'customer-managed', source: 'p.yaml:3:5' },
      { name: 'prod', tags: { env: 'prod' }, minimumLevel: 'customer-managed-hsm' },
      { name: 'sandbox', tags: { env: 'sandbox-*' }, minimumLevel: 'aws-managed', services: ['s3'] },
      { name: 'rds-only', tags: { env: 'sandbox-*' }, minimumLevel: 'none', services: ['rds'] },
    ],
  });
  const report = evaluate(inventory({ resources: [restricted, sandbox, plain, untagged], keys: [awsS3Key] }), p, { failOn: 'high' });

  it('the first matching override wins and the finding says which one decided', () => {
    const f = find(report.findings, 'S3.ENCRYPTION_LEVEL', restricted.arn);
    expect(f.status).toBe('fail');
    expect(f.requiredLevel).toBe('customer-managed'); // not the later, stricter "prod" override
    expect(f.override).toEqual({ name: 'restricted', index: 0, tags: { 'data-classification': 'restricted' }, source: 'p.yaml:3:5' });
    expect(f.message).toContain('tag override "restricted" (data-classification=restricted)');
  });

  it('tag values are globs, and an override can be limited to services', () => {
    const f = find(report.findings, 'S3.ENCRYPTION_LEVEL', sandbox.arn);
    expect(f.override?.name).toBe('sandbox');
    expect(f.requiredLevel).toBe('aws-managed');
    expect(f.status).toBe('fail');
  });

  it('no match: the service minimum applies and no override is reported', () => {
    const f = find(report.findings, 'S3.ENCRYPTION_LEVEL', plain.arn);
    expect(f.status).toBe('pass');
    expect(f.override).toBeUndefined();
    expect(f.requiredLevel).toBe('aws-owned');
  });

  it('a resource without tag data says overrides could not apply', () => {
    const f = find(report.findings, 'S3.ENCRYPTION_LEVEL', untagged.arn);
    expect(f.status).toBe('pass');
    expect(f.message).toContain('no tags in the inventory for this resource');
  });

  it('overrides fall back to the service settings for fields they do not set', () => {
    const q = policy({
      allowedKeys: { s3: ['alias/app-data'] },
      tagOverrides: [{ name: 'gold', tags: { tier: 'gold' }, minimumLevel: 'customer-managed' }],
    });
    const r = requirementFor(q, bucket('g', { level: 'aws-owned', tags: { tier: 'gold' } }));
    expect(r).toMatchObject({ minimumLevel: 'customer-managed', allowedKeys: ['alias/app-data'], override: { name: 'gold' } });
  });
});

describe('KMS.ALLOWED_KEYS', () => {
  const byAlias = bucket('by-alias', { level: 'customer-managed', key: appKey });
  const byArn = bucket('by-arn', { level: 'customer-managed', key: otherKey, region: 'eu-west-1' });
  const sseS3 = bucket('sse-s3', { level: 'aws-owned' });
  const managed = bucket('aws-managed', { level: 'aws-managed', key: awsS3Key });
  const unreadable = bucket('unreadable', { level: 'unknown' });
  const keys = [appKey, otherKey, awsS3Key];

  function run(allowed: string[]) {
    return evaluate(inventory({ resources: [byAlias, byArn, sseS3, managed, unreadable], keys }), policy({ allowedKeys: { s3: allowed } }), { failOn: 'high' }).findings;
  }

  it('matches by alias name and by key ARN', () => {
    const findings = run(['alias/app-data', otherKey.arn]);
    expect(find(findings, 'KMS.ALLOWED_KEYS', byAlias.arn)).toMatchObject({ status: 'pass', message: `key alias/app-data (${appKey.arn}) is allowed (alias/app-data)` });
    expect(find(findings, 'KMS.ALLOWED_KEYS', byArn.arn)).toMatchObject({ status: 'pass' });
    expect(find(findings, 'KMS.ALLOWED_KEYS', byArn.arn).message).toContain(`allowed (${otherKey.arn})`);
    expect(find(findings, 'KMS.ALLOWED_KEYS', managed.arn)).toMatchObject({ status: 'fail', severity: 'medium' });
  });

  it('matches by key id, by alias ARN, by any alias of the key and by glob', () => {
    expect(find(run([appKey.keyId]), 'KMS.ALLOWED_KEYS', byAlias.arn).status).toBe('pass');
    expect(find(run([`arn:aws:kms:us-east-1:111122223333:alias/app-data`]), 'KMS.ALLOWED_KEYS', byAlias.arn).status).toBe('pass');
    // An alias ARN in another region names another key.
    expect(find(run([`arn:aws:kms:eu-west-1:111122223333:alias/app-data`]), 'KMS.ALLOWED_KEYS', byAlias.arn).status).toBe('fail');
    expect(find(run(['alias/other-2']), 'KMS.ALLOWED_KEYS', byArn.arn).status).toBe('pass');
    expect(find(run(['alias/aws/*']), 'KMS.ALLOWED_KEYS', managed.arn).status).toBe('pass');
    expect(find(run(['alias/aws/*']), 'KMS.ALLOWED_KEYS', byAlias.arn).status).toBe('fail');
  });

  it('a key not in the list fails; AWS owned encryption fails; unreadable is unknown', () => {
    const findings = run(['alias/app-data']);
    expect(find(findings, 'KMS.ALLOWED_KEYS', byArn.arn)).toMatchObject({ status: 'fail' });
    expect(find(findings, 'KMS.ALLOWED_KEYS', byArn.arn).message).toContain('is not one of the allowed keys alias/app-data');
    expect(find(findings, 'KMS.ALLOWED_KEYS', sseS3.arn)).toMatchObject({ status: 'fail' });
    expect(find(findings, 'KMS.ALLOWED_KEYS', sseS3.arn).message).toContain('AWS owned key');
    expect(find(findings, 'KMS.ALLOWED_KEYS', unreadable.arn).status).toBe('unknown');
    expect(find(findings, 'KMS.ALLOWED_KEYS', byAlias.arn).remediation).toBeNull();
    expect(find(findings, 'KMS.ALLOWED_KEYS', byArn.arn).remediation?.path).toBe('new-objects-only');
  });

  it('not-applicable without a list; the narrowest list (service:type, service, default) applies', () => {
    const none = evaluate(inventory({ resources: [byAlias], keys }), policy(), { failOn: 'high' }).findings;
    expect(find(none, 'KMS.ALLOWED_KEYS', byAlias.arn).status).toBe('not-applicable');
    const narrow = evaluate(inventory({ resources: [byAlias], keys }), policy({ allowedKeys: { default: ['alias/nothing'], 's3:bucket': ['alias/app-data'] } }), { failOn: 'high' }).findings;
    expect(find(narrow, 'KMS.ALLOWED_KEYS', byAlias.arn).status).toBe('pass');
    const fallback = evaluate(inventory({ resources: [byAlias], keys }), policy({ allowedKeys: { default: ['alias/nothing'] } }), { failOn: 'high' }).findings;
    expect(find(fallback, 'KMS.ALLOWED_KEYS', byAlias.arn).status).toBe('fail');
  });

  it('a tag override can name its own keys, and the finding says so', () => {
    const tagged = bucket('tagged', { level: 'customer-managed', key: otherKey, tags: { team: 'finance' } });
    const findings = evaluate(
      inventory({ resources: [tagged], keys }),
      policy({ allowedKeys: { s3: ['alias/app-data'] }, tagOverrides: [{ name: 'finance', tags: { team: 'finance' }, allowedKeys: ['alias/other'] }] }),
      { failOn: 'high' },
    ).findings;
    const f = find(findings, 'KMS.ALLOWED_KEYS', tagged.arn);
    expect(f.status).toBe('pass');
    expect(f.override?.name).toBe('finance');
  });

  it('does not judge KMS keys themselves', () => {
    const findings = evaluate(inventory({ resources: [keyResource(appKey)], keys }), policy({ allowedKeys: { default: ['alias/x'] } }), { failOn: 'high' }).findings;
    expect(findings.filter((f) => f.ruleId === 'KMS.ALLOWED_KEYS')).toEqual([]);
  });
});

describe('rotation per service', () => {
  const dbKey = key('aaaa1111-11aa-22bb-33cc-444444444444', { rotation: { applicable: true, reason: 'symmetric', enabled: true, periodDays: 365 } });
  const keyRes = keyResource(dbKey);
  const db = resource('rds', 'db-instance', 'arn:aws:rds:us-east-1:111122223333:db:orders', { key: dbKey });

  it('a service whose resources depend on a key tightens the key\'s maximum period', () => {
    const p = policy({ rotationByService: { rds: { maxPeriodDays: 180 } } });
    const f = find(evaluate(inventory({ resources: [keyRes, db], keys: [dbKey] }), p, { failOn: 'high' }).findings, 'KMS.ROTATION', dbKey.arn);
    expect(f.status).toBe('fail');
    expect(f.message).toBe('rotates every 365 days; policy "test" allows at most 180 (services.rds.rotation)');
    expect(rotationDemandFor(p, keyRes, []).maxPeriodDays).toBe(365); // no RDS dependant: the policy default
  });

  it('a service can require rotation the policy does not, but cannot relax it', () => {
    const relaxed = policy({ rotation: { required: false, maxPeriodDays: 365 } });
    const off = find(evaluate(inventory({ resources: [keyRes, db], keys: [dbKey] }), relaxed, { failOn: 'high' }).findings, 'KMS.ROTATION', dbKey.arn);
    expect(off.status).toBe('not-applicable');
    const demanded = policy({ rotation: { required: false, maxPeriodDays: 365 }, rotationByService: { rds: { required: true } } });
    const noRotation = key(dbKey.keyId, { rotation: { applicable: true, reason: 'symmetric', enabled: false, periodDays: null } });
    const on = find(evaluate(inventory({ resources: [keyResource(noRotation), db], keys: [noRotation] }), demanded, { failOn: 'high' }).findings, 'KMS.ROTATION', dbKey.arn);
    expect(on).toMatchObject({ status: 'fail', message: 'automatic key rotation is off (services.rds.rotation)' });
    const cannotRelax = policy({ rotationByService: { rds: { required: false } } });
    expect(rotationDemandFor(cannotRelax, keyRes, [db]).required).toBe(true);
  });
});

describe('scope', () => {
  const a = bucket('prod-a', { level: 'aws-owned', attributes: { sseCBlocked: false } });
  const scratch = bucket('prod-scratch', { level: 'aws-owned', attributes: { sseCBlocked: false } });
  const dev = bucket('dev-a', { level: 'aws-owned', attributes: { sseCBlocked: false } });
  const eu = bucket('prod-eu', { level: 'aws-owned', region: 'eu-west-1', attributes: { sseCBlocked: false } });
  const inv = inventory({ resources: [a, scratch, dev, eu], errors: [
    { service: 's3', region: 'us-east-1', operation: 'ListBuckets', code: 'AccessDenied', message: 'denied' },
    { service: 'kms', region: 'us-east-1', operation: 'ListKeys', code: 'AccessDenied', message: 'denied' },
  ] });

  it('include and exclude globs, regions and services decide what is evaluated', () => {
    const report = evaluate(inv, policy({ scope: { services: ['s3'], regions: ['us-east-1'], include: ['arn:aws:s3:::prod-*'], exclude: ['arn:aws:s3:::*-scratch'] } }), { failOn: 'high' });
    expect(report.resources.map((r) => r.id)).toEqual(['prod-a']);
    expect(new Set(report.findings.map((f) => f.resourceArn))).toEqual(new Set([a.arn, 'arn:aws:s3:us-east-1:111122223333:*']));
    expect(report.policy.scope).toMatchObject({ excludedResources: 3 });
    // The unread S3 service-region stays (it may hide in-scope buckets); the KMS one is out of scope.
    expect(report.findings.filter((f) => f.ruleId === 'SCAN.INCOMPLETE').map((f) => f.service)).toEqual(['s3']);
    expect(report.summary.byService.s3?.resources).toBe(1);
  });

  it('glob semantics: * spans any characters including : and /, ? is one character, the rest is literal', () => {
    expect(globMatch('arn:aws:s3:::prod-*', 'arn:aws:s3:::prod-a/b:c')).toBe(true);
    expect(globMatch('arn:aws:s3:::prod-*', 'arn:aws:s3:::app-prod-a')).toBe(false);
    expect(globMatch('arn:aws:s3:::logs-202?', 'arn:aws:s3:::logs-2024')).toBe(true);
    expect(globMatch('arn:aws:s3:::logs-202?', 'arn:aws:s3:::logs-20245')).toBe(false);
    expect(globMatch('arn:aws:s3:::a.b', 'arn:aws:s3:::aXb')).toBe(false);
    expect(globMatch('arn:aws:s3:::a+(b)', 'arn:aws:s3:::a+(b)')).toBe(true);
    expect(globMatch('arn:aws:s3:::Prod', 'arn:aws:s3:::prod')).toBe(false);
    expect(globMatch('*', '')).toBe(true);
  });
});

describe('severity overrides and disabled rules are evidence in the JSON', () => {
  it('reports disabled rules with their reason and overridden severities', () => {
    const b = bucket('b', { level: 'aws-owned', attributes: { sseCBlocked: false, bucketKeyEnabled: false } });
    const report = evaluate(
      inventory({ resources: [b] }),
      policy({ severity: { 'S3.SSE_C_BLOCKED': 'critical' }, disabledRules: ['S3.BUCKET_KEY'], disabledRuleReasons: { 'S3.BUCKET_KEY': 'cost is accepted' } }),
      { failOn: 'high' },
    );
    expect(report.policy.disabledRules).toEqual([{ ruleId: 'S3.BUCKET_KEY', reason: 'cost is accepted' }]);
    expect(report.policy.severity).toEqual({ 'S3.SSE_C_BLOCKED': 'critical' });
    expect(report.findings.some((f) => f.ruleId === 'S3.BUCKET_KEY')).toBe(false);
    expect(find(report.findings, 'S3.SSE_C_BLOCKED', b.arn).severity).toBe('critical');
    expect(report.outcome.exitCode).toBe(1);
  });
});
