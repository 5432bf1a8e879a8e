import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/report.js';
import { RULES } from '../../src/engine/catalog.js';
import { evaluate } from '../../src/engine/engine.js';
import { MATRIX } from '../../src/services/list.js';
import { BASELINE_POLICY, STRICT_POLICY } from '../../src/policy/built-in.js';
import { DEFAULT_SECRET_NAME_PATTERNS, secretLookingNames } from '../../src/services/lambda/secret-names.js';
import type { Policy } from '../../src/model/policy.js';
import { inventory, key, resource } from '../helpers/inventory.js';

const one = (findings: Finding[], rule: string, arn: string): Finding => {
  const list = findings.filter((f) => f.ruleId === rule && f.resourceArn === arn);
  expect(list, `${rule} on ${arn}`).toHaveLength(1);
  return list[0]!;
};

describe('the catalog', () => {
  it('has each new rule id exactly once', () => {
    const ids = RULES.map((r) => r.id);
    for (const id of [
      'DYNAMODB.TABLE_ENCRYPTION',
      'DYNAMODB.BACKUP_ENCRYPTION',
      'DYNAMODB.KEY_INACCESSIBLE',
      'LAMBDA.ENV_ENCRYPTION',
      'REDSHIFT.CLUSTER_ENCRYPTION',
      'REDSHIFT.SNAPSHOT_ENCRYPTION',
      'REDSHIFT.SERVERLESS_ENCRYPTION',
    ]) {
      expect(ids.filter((x) => x === id), id).toHaveLength(1);
    }
  });
});

describe('the matrix entries checked against the AWS docs', () => {
  it('Redshift: encrypted by default since 2025-01-10 with an AWS owned key; changed in place with a migration', () => {
    expect(MATRIX.redshift).toMatchObject({
      encryptedByDefault: 'default',
      defaultSince: '2025-01-10',
      defaultLevel: 'aws-owned',
      enableAfterCreation: true,
      changeKeyAfterCreation: true,
      remediationPath: 'modify-in-place-with-migration',
      docs: 'https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html',
    });
    expect(MATRIX.redshift.possibleLevels).toContain('none');
  });

  it('DynamoDB always encrypted (AWS owned by default), key switchable in place; Lambda env vars on aws/lambda by default', () => {
    expect(MATRIX.dynamodb).toMatchObject({ encryptedByDefault: 'always', defaultLevel: 'aws-owned', changeKeyAfterCreation: true, remediationPath: 'in-place' });
    expect(MATRIX.dynamodb.possibleLevels).not.toContain('none');
    expect(MATRIX.lambda).toMatchObject({ encryptedByDefault: 'always', defaultLevel: 'aws-managed', remediationPath: 'in-place' });
  });
});

describe('secret-looking names', () => {
  it('match case-insensitively anywhere in the name, sorted and unique', () => {
    expect(secretLookingNames(['db_password', 'StripeApiKey', 'GITHUB_TOKEN', 'LOG_LEVEL', 'CACHE_KEY_PREFIX', 'AWS_SECRET_ACCESS_KEY'], DEFAULT_SECRET_NAME_PATTERNS)).toEqual([
      'AWS_SECRET_ACCESS_KEY',
      'GITHUB_TOKEN',
      'StripeApiKey',
      'db_password',
    ]);
  });

  it('a pattern with * or ? is a glob over the whole name, case-insensitive; any other stays a substring', () => {
    const names = ['GITHUB_TOKEN', 'github_token', 'TOKEN_URL', 'MY_TOKENS', 'DB_PASS1', 'DB_PASS12'];
    expect(secretLookingNames(names, ['*_TOKEN'])).toEqual(['GITHUB_TOKEN', 'github_token']);
    expect(secretLookingNames(names, ['*_token'])).toEqual(['GITHUB_TOKEN', 'github_token']);
    expect(secretLookingNames(names, ['db_pass?'])).toEqual(['DB_PASS1']);
    expect(secretLookingNames(names, ['TOKEN'])).toEqual(['GITHUB_TOKEN', 'MY_TOKENS', 'TOKEN_URL', 'github_token']);
    // The example docs/policy.md shows catches tokens (it used to match nothing but PASSWORD and SECRET names).
    expect(secretLookingNames(['GITHUB_TOKEN', 'DB_PASSWORD', 'LOG_LEVEL'], ['PASSWORD', 'SECRET', '*_TOKEN'])).toEqual(['DB_PASSWORD', 'GITHUB_TOKEN']);
  });

  it('an empty list turns the heuristic off; the built-in policies carry the documented default', () => {
    expect(secretLookingNames(['DB_PASSWORD'], [])).toEqual([]);
    expect(secretLookingNames(['DB_PASSWORD'], ['  '])).toEqual([]);
    expect(BASELINE_POLICY.secretNamePatterns).toEqual([...DEFAULT_SECRET_NAME_PATTERNS]);
    expect(STRICT_POLICY.secretNamePatterns).toEqual([...DEFAULT_SECRET_NAME_PATTERNS]);
    for (const p of ['PASSWORD', 'PASSWD', 'SECRET', 'TOKEN', 'API_KEY', 'APIKEY', 'PRIVATE_KEY', 'CREDENTIAL', 'ACCESS_KEY']) {
      expect(DEFAULT_SECRET_NAME_PATTERNS).toContain(p);
    }
  });
});

describe('DYNAMODB.KEY_INACCESSIBLE', () => {
  const k = key('aaaa1111-2222-4333-8444-555566667777');
  const cmk = { key: k, algorithm: 'KMS' };

  it('an archived table names its archival backup, and the fix restores from it', () => {
    const t = resource('dynamodb', 'table', 'archived', {
      ...cmk,
      attributes: {
        tableStatus: 'ARCHIVED',
        keyInaccessible: true,
        inaccessibleEncryptionDateTime: '2026-11-01T00:00:00.000Z',
        archivalReason: 'INACCESSIBLE_ENCRYPTION_CREDENTIALS',
        archivalBackupArn: 'arn:aws:dynamodb:us-east-1:111122223333:table/archived/backup/01761955200000-0a1b2c3d',
        replicas: [],
      },
    });
    const f = one(evaluate(inventory({ keys: [k], resources: [t] }), BASELINE_POLICY, { failOn: 'high' }).findings, 'DYNAMODB.KEY_INACCESSIBLE', t.arn);
    expect(f).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(f.message).toContain('has been archived to backup arn:aws:dynamodb:us-east-1:111122223333:table/archived/backup/');
    expect(f.remediation!.steps.join('\n')).toContain('restore-table-from-backup');
  });

  it('unknown when the inventory does not say (an older or hand-written inventory), never a pass', () => {
    const t = resource('dynamodb', 'table', 'silent', { ...cmk, attributes: {} });
    const f = one(evaluate(inventory({ keys: [k], resources: [t] }), BASELINE_POLICY, { failOn: 'high' }).findings, 'DYNAMODB.KEY_INACCESSIBLE', t.arn);
    expect(f.status).toBe('unknown');
  });

  it('does not judge backups', () => {
    const b = resource('dynamodb', 'backup', 'b1', { attributes: { keyInaccessible: true } });
    const r = evaluate(inventory({ resources: [b] }), BASELINE_POLICY, { failOn: 'high' });
    expect(r.findings.filter((f) => f.ruleId === 'DYNAMODB.KEY_INACCESSIBLE')).toEqual([]);
  });
});

describe('LAMBDA.ENV_ENCRYPTION', () => {
  const awsLambda = key('bbbb1111-2222-4333-8444-555566667777', { manager: 'AWS', level: 'aws-managed', aliases: ['alias/aws/lambda'] });
  const onAwsKey = { key: awsLambda, keyRef: null, algorithm: null };
  const cmPolicy: Policy = { ...BASELINE_POLICY, minimumLevel: { default: 'aws-owned', lambda: 'customer-managed' } };

  it('variables Lambda could not decrypt: still judged on the key, and the message says the names are unreadable', () => {
    const fn = resource('lambda', 'function', 'locked', {
      ...onAwsKey,
      attributes: { hasEnvironmentVariables: true, environmentVariableNames: null, environmentError: 'KMSAccessDeniedException: Lambda was unable to decrypt' },
    });
    const f = one(evaluate(inventory({ keys: [awsLambda], resources: [fn] }), cmPolicy, { failOn: 'high' }).findings, 'LAMBDA.ENV_ENCRYPTION', fn.arn);
    expect(f).toMatchObject({ status: 'fail', severity: 'medium' });
    expect(f.message).toContain('variable names unreadable: Lambda reported KMSAccessDeniedException');
  });

  it('custom patterns from the policy decide what looks secret', () => {
    const fn = resource('lambda', 'function', 'f', {
      ...onAwsKey,
      attributes: { hasEnvironmentVariables: true, environmentVariableNames: ['DB_PASSWORD', 'PIN_CODE'] },
    });
    const policy: Policy = { ...cmPolicy, secretNamePatterns: ['pin'] };
    const f = one(evaluate(inventory({ keys: [awsLambda], resources: [fn] }), policy, { failOn: 'high' }).findings, 'LAMBDA.ENV_ENCRYPTION', fn.arn);
    expect(f).toMatchObject({ status: 'fail', severity: 'high' });
    expect(f.message).toContain(': PIN_CODE');
    expect(f.message).not.toContain('DB_PASSWORD');
  });

  it('an unknown protection stays unknown, secrets or not', () => {
    const fn = resource('lambda', 'function', 'u', {
      level: 'unknown',
      notes: ['the key could not be resolved'],
      attributes: { hasEnvironmentVariables: true, environmentVariableNames: ['API_TOKEN'] },
    });
    const f = one(evaluate(inventory({ resources: [fn] }), cmPolicy, { failOn: 'high' }).findings, 'LAMBDA.ENV_ENCRYPTION', fn.arn);
    expect(f.status).toBe('unknown');
    expect(f.message).not.toContain('API_TOKEN');
  });
});

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
