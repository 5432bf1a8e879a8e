import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/model/report.js';
import { RULES } from '../../../src/engine/catalog.js';
import { evaluate } from '../../../src/engine/engine.js';
import { MATRIX } from '../../../src/services/list.js';
import { BASELINE_POLICY, STRICT_POLICY } from '../../../src/policy/built-in.js';
import { DEFAULT_SECRET_NAME_PATTERNS, secretLookingNames } from '../../../src/services/lambda/secret-names.js';
import type { Policy } from '../../../src/model/policy.js';
import { inventory, key, resource } from '../../helpers/inventory.js';

const one = (findings: Finding[], rule: string, arn: string): Finding => {
  const list = findings.filter((f) => f.ruleId === rule && f.resourceArn === arn);
  expect(list, `${rule} on ${arn}`).toHaveLength(1);
  return list[0]!;
};

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

  it('custom patterns from the policy decide what looks secret (LAMBDA.ENV_SECRETS)', () => {
    const fn = resource('lambda', 'function', 'f', {
      ...onAwsKey,
      attributes: { hasEnvironmentVariables: true, environmentVariableNames: ['DB_PASSWORD', 'PIN_CODE'], environmentSecretShapes: [] },
    });
    const policy: Policy = { ...BASELINE_POLICY, secretNamePatterns: ['pin'] };
    const f = one(evaluate(inventory({ keys: [awsLambda], resources: [fn] }), policy, { failOn: 'high' }).findings, 'LAMBDA.ENV_SECRETS', fn.arn);
    expect(f).toMatchObject({ status: 'fail', severity: 'medium' });
    expect(f.message).toContain('PIN_CODE (name)');
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
