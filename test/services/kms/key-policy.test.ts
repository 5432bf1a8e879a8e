import { describe, expect, it } from 'vitest';
import type { Json, KeyRecord } from '../../../src/model/inventory.js';
import type { Report } from '../../../src/model/report.js';
import { evaluate } from '../../../src/engine/engine.js';
import { crossAccountFromGrants, crossAccountFromPolicy, publicStatements } from '../../../src/services/kms/key-policy.js';
import { BASELINE_POLICY } from '../../../src/policy/built-in.js';
import { ACCOUNT } from '../../helpers/context.js';
import { readJson } from '../../helpers/fixtures.js';
import { bucket, key, keyInventory } from '../../helpers/inventory.js';

const policy = (name: string): Json => readJson(`fixtures/aws/kms/policies/${name}.json`);

function withPolicy(document: Json, overrides: Partial<KeyRecord> = {}): KeyRecord {
  return key('1234abcd-12ab-34cd-56ef-1234567890ab', {
    aliases: ['alias/app-data'],
    policy: { name: 'default', document, sizeBytes: JSON.stringify(document).length },
    grants: { count: 0, granteePrincipals: [], operations: [], issuingAccounts: [] },
    ...overrides,
  });
}

function findingFor(report: Report, ruleId: string) {
  const found = report.findings.filter((f) => f.ruleId === ruleId);
  expect(found).toHaveLength(1);
  return found[0]!;
}

const evaluateKey = (k: KeyRecord): Report => evaluate(keyInventory([k]), BASELINE_POLICY, { failOn: 'none' });

describe('public key policies (KMS.POLICY_PUBLIC)', () => {
  it('the default policy (account root and a role of the account) is not public', () => {
    expect(publicStatements(policy('default-account-root'))).toEqual([]);
    const f = findingFor(evaluateKey(withPolicy(policy('default-account-root'))), 'KMS.POLICY_PUBLIC');
    expect(f).toMatchObject({ status: 'pass', severity: 'critical' });
  });

  it('Principal "*" without a condition is public, and the message names the statement and actions', () => {
    const open = publicStatements(policy('public-star-no-condition'));
    expect(open).toEqual([{ label: 'Let anyone decrypt', actions: ['kms:Decrypt', 'kms:DescribeKey'], principal: 'Principal "*"', why: 'no condition' }]);
    const f = findingFor(evaluateKey(withPolicy(policy('public-star-no-condition'))), 'KMS.POLICY_PUBLIC');
    expect(f.status).toBe('fail');
    expect(f.severity).toBe('critical');
    expect(f.message).toContain('statement "Let anyone decrypt" allows kms:Decrypt, kms:DescribeKey to Principal "*"');
    expect(f.compliance.map((c) => ({ framework: c.framework, control: c.control }))).toEqual([
      { framework: 'aws-securityhub-fsbp', control: 'KMS.5' },
      { framework: 'aws-config', control: 'kms-key-policy-no-public-access' },
    ]);
    expect(f.remediation?.steps.join('\n')).toContain('"Let anyone decrypt"');
  });

  it('{"AWS": "*"} is as public as "*"', () => {
    const open = publicStatements(policy('public-aws-star-no-condition'));
    expect(open).toHaveLength(1);
    expect(open[0]!.principal).toBe('Principal {"AWS": "*"}');
    expect(open[0]!.label).toBe('AllowEveryoneToEncrypt');
  });

  it('"*" pinned to the organisation is not public', () => {
    expect(publicStatements(policy('public-star-org-condition'))).toEqual([]);
  });

  it('{"AWS": "*"} pinned by kms:CallerAccount and kms:ViaService (the AWS managed key pattern) is not public', () => {
    expect(publicStatements(policy('public-aws-star-caller-account'))).toEqual([]);
  });

  it('conditions that look restrictive but match anything do not count', () => {
    const wildcard = publicStatements(policy('public-star-wildcard-condition'));
    expect(wildcard).toHaveLength(1);
    expect(wildcard[0]!.why).toContain('aws:PrincipalAccount matches anything ("*")');
    expect(wildcard[0]!.why).toContain('aws:SecureTransport does not restrict who calls');
    const ifExists = publicStatements(policy('public-star-if-exists-condition'));
    expect(ifExists).toHaveLength(1);
    expect(ifExists[0]!.why).toContain('ArnLikeIfExists lets requests without aws:SourceArn through');
  });

  it('negative operators, policy variables and ForAllValues do not restrict; a fixed account does', () => {
    const statement = (condition: Json): Json => ({ Version: '2012-10-17', Statement: { Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: condition } });
    expect(publicStatements(statement({ StringNotEquals: { 'aws:PrincipalAccount': '444455556666' } }))).toHaveLength(1);
    expect(publicStatements(statement({ StringEquals: { 'aws:PrincipalArn': '${aws:username}' } }))).toHaveLength(1);
    expect(publicStatements(statement({ 'ForAllValues:StringEquals': { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }))).toHaveLength(1);
    expect(publicStatements(statement({ StringEquals: { 'aws:PrincipalAccount': 'everyone' } }))).toHaveLength(1);
    expect(publicStatements(statement({ StringEquals: { 'aws:PrincipalAccount': ACCOUNT } }))).toEqual([]);
    expect(publicStatements(statement({ StringEqualsIfExists: { 'kms:CallerAccount': ACCOUNT } }))).toEqual([]);
    expect(publicStatements(statement({ ArnLike: { 'aws:SourceArn': 'arn:aws:logs:us-east-1:111122223333:log-group:app' } }))).toEqual([]);
    expect(publicStatements(statement({ ArnLike: { 'aws:SourceArn': 'arn:aws:logs:us-east-1:*:log-group:*' } }))).toHaveLength(1);
    expect(publicStatements(statement({ 'ForAnyValue:StringEquals': { 'aws:SourceVpce': 'vpce-1a2b3c4d' } }))).toEqual([]);
  });

  it('kms:ViaService alone is public (issue 10.1): it names the service that calls, not whose principal', () => {
    const open = publicStatements(policy('public-star-via-service-only'));
    expect(open).toEqual([
      {
        label: 'Allow use through EBS',
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
        principal: 'Principal {"AWS": "*"}',
        why: 'no restricting condition: kms:ViaService names the service that calls, not whose principal',
      },
    ]);
    const report = evaluateKey(withPolicy(policy('public-star-via-service-only')));
    expect(findingFor(report, 'KMS.POLICY_PUBLIC')).toMatchObject({ status: 'fail', severity: 'critical' });
    // Not silent any more: every account can use the key.
    const cross = findingFor(report, 'KMS.CROSS_ACCOUNT');
    expect(cross).toMatchObject({ status: 'fail', severity: 'info' });
    expect(cross.message).toBe(
      'any AWS account can use the key: statement "Allow use through EBS" allows Principal {"AWS": "*"} (no restricting condition: kms:ViaService names the service that calls, not whose principal; see KMS.POLICY_PUBLIC)',
    );
    // Paired with kms:CallerAccount, as AWS's own aws/<service> keys do, it is not public, and names no other account.
    expect(findingFor(evaluateKey(withPolicy(policy('public-aws-star-caller-account'))), 'KMS.CROSS_ACCOUNT').status).toBe('pass');
  });

  it('only conditions that fix who calls restrict: each caller key with a fixed value, each of the others alone leaves the statement public', () => {
    const statement = (condition: Json): Json => ({ Statement: { Sid: 'S', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Condition: condition } });
    const restricting: Array<[string, string, string]> = [
      ['StringEquals', 'aws:PrincipalAccount', ACCOUNT],
      ['StringEquals', 'aws:PrincipalOrgID', 'o-a1b2c3d4e5'],
      ['StringEquals', 'aws:PrincipalOrgPaths', 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/'],
      ['ArnEquals', 'aws:PrincipalArn', `arn:aws:iam::${ACCOUNT}:role/app`],
      ['StringEquals', 'kms:CallerAccount', ACCOUNT],
      ['StringEquals', 'aws:SourceAccount', ACCOUNT],
      ['ArnEquals', 'aws:SourceArn', 'arn:aws:s3:::acme-app-data'],
      ['StringEquals', 'aws:SourceOrgID', 'o-a1b2c3d4e5'],
      ['StringEquals', 'aws:SourceOrgPaths', 'o-a1b2c3d4e5/r-ab12/'],
      ['StringEquals', 'aws:SourceOwner', ACCOUNT],
      ['StringEquals', 'aws:SourceVpc', 'vpc-91237329'],
      ['StringEquals', 'aws:SourceVpce', 'vpce-0a1b2c3d4e5f60718'],
    ];
    for (const [operator, key, value] of restricting) {
      expect(publicStatements(statement({ [operator]: { [key]: value } })), `${operator} ${key} ${value}`).toEqual([]);
    }
    const notRestricting: Array<[string, string, string | boolean]> = [
      ['StringEquals', 'kms:ViaService', 's3.us-east-1.amazonaws.com'],
      ['Bool', 'aws:SecureTransport', true],
      ['IpAddress', 'aws:SourceIp', '203.0.113.0/24'],
      ['StringEquals', 'kms:EncryptionContext:aws:s3:arn', 'arn:aws:s3:::acme-app-data'],
      ['StringEquals', 'aws:RequestedRegion', 'us-east-1'],
    ];
    for (const [operator, key, value] of notRestricting) {
      expect(publicStatements(statement({ [operator]: { [key]: value } as never })), `${operator} ${key}`).toHaveLength(1);
    }
    // Condition keys are case-insensitive in IAM.
    expect(publicStatements(statement({ StringEquals: { 'AWS:PRINCIPALACCOUNT': ACCOUNT } }))).toEqual([]);
  });

  it('a value with a wildcard anywhere is not fixed (KMS.5 passes only fixed values): vpc-*, a log-group pattern, an organisation path pattern', () => {
    const statement = (condition: Json): Json => ({ Statement: { Sid: 'S', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Condition: condition } });
    // Amazon S3's own example of a public policy ("The meaning of public").
    const vpc = publicStatements(statement({ StringLike: { 'aws:SourceVpc': 'vpc-*' } }));
    expect(vpc).toHaveLength(1);
    expect(vpc[0]!.why).toBe('no restricting condition: aws:SourceVpc is not a fixed value ("vpc-*"): wildcards, policy variables and malformed ids match more than one caller');
    expect(publicStatements(statement({ ArnLike: { 'aws:SourceArn': 'arn:aws:logs:us-east-1:111122223333:log-group:*' } }))).toHaveLength(1);
    expect(publicStatements(statement({ 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-a1b2c3d4e5/r-ab12/ou-ab12-1111111?/' } }))).toHaveLength(1);
    expect(publicStatements(statement({ StringEquals: { 'aws:SourceVpce': '${aws:SourceVpce}' } }))).toHaveLength(1);
    expect(publicStatements(statement({ StringEquals: { 'aws:SourceVpce': '' } }))).toHaveLength(1);
    // One loose value among fixed ones opens the condition.
    expect(publicStatements(statement({ StringEquals: { 'aws:PrincipalAccount': [ACCOUNT, '*'] } }))[0]!.why).toBe('no restricting condition: aws:PrincipalAccount matches anything ("*")');
    expect(publicStatements(statement({ StringEquals: { 'aws:PrincipalAccount': [] } }))[0]!.why).toBe('no restricting condition: aws:PrincipalAccount has no value');
  });

  it('aws:SourceVpce with a fixed endpoint is not public (AWS: a fixed VPC or endpoint makes a policy non-public), but it lets any account in through it', () => {
    const doc = policy('star-source-vpce');
    expect(publicStatements(doc)).toEqual([]);
    const report = evaluateKey(withPolicy(doc));
    expect(findingFor(report, 'KMS.POLICY_PUBLIC').status).toBe('pass');
    const cross = findingFor(report, 'KMS.CROSS_ACCOUNT');
    expect(cross).toMatchObject({ status: 'fail', severity: 'info' });
    expect(cross.message).toBe(
      'principals of any account whose requests come through StringEquals aws:SourceVpce vpce-0a1b2c3d4e5f60718 can use the key (statement "Allow use from the data VPC endpoint")',
    );
    // A caller condition beside it fixes who: then it is not an open door.
    const pinned: Json = { Statement: { Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d4e5f60718', 'aws:PrincipalAccount': ACCOUNT } } } };
    expect(findingFor(evaluateKey(withPolicy(pinned)), 'KMS.CROSS_ACCOUNT').status).toBe('pass');
  });

  it('Allow with NotPrincipal lets everyone else in; Deny with NotPrincipal restricts', () => {
    const allow = publicStatements(policy('not-principal-allow'));
    expect(allow).toHaveLength(1);
    expect(allow[0]!.principal).toContain('NotPrincipal');
    expect(publicStatements(policy('not-principal-deny'))).toEqual([]);
  });

  it('an unreadable or missing policy is unknown, never a pass', () => {
    const failed = withPolicy(null, { policy: { name: 'default', document: null, sizeBytes: null, error: { operation: 'GetKeyPolicy', code: 'AccessDeniedException', message: 'not authorized' } } });
    expect(findingFor(evaluateKey(failed), 'KMS.POLICY_PUBLIC')).toMatchObject({ status: 'unknown' });
    const absent = key('1234abcd-12ab-34cd-56ef-1234567890ab', { policy: undefined });
    expect(findingFor(evaluateKey(absent), 'KMS.POLICY_PUBLIC').status).toBe('unknown');
  });

  it('AWS managed keys are judged too (and pass with their own policy)', () => {
    const awsKey = withPolicy(policy('public-aws-star-caller-account'), { manager: 'AWS', aliases: ['alias/aws/s3'], level: 'aws-managed' });
    expect(findingFor(evaluateKey(awsKey), 'KMS.POLICY_PUBLIC').status).toBe('pass');
  });
});

describe('cross-account principals (KMS.CROSS_ACCOUNT)', () => {
  it('finds the other account\'s root principal in Allow statements, not in Deny statements', () => {
    expect(crossAccountFromPolicy(policy('cross-account-root'), ACCOUNT)).toEqual([
      { accountId: '444455556666', principal: 'arn:aws:iam::444455556666:root', source: 'policy', statement: 'Allow the analytics account to decrypt' },
    ]);
    expect(publicStatements(policy('cross-account-root'))).toEqual([]);
  });

  it('reports the accounts as information, with grants of other accounts too', () => {
    const k = withPolicy(policy('cross-account-root'), {
      grants: { count: 2, granteePrincipals: ['arn:aws:iam::444455556666:role/analytics-reader', 'rds.us-east-1.amazonaws.com'], operations: ['Decrypt'], issuingAccounts: [] },
    });
    const f = findingFor(evaluateKey(k), 'KMS.CROSS_ACCOUNT');
    expect(f.status).toBe('fail');
    expect(f.severity).toBe('info');
    expect(f.message).toBe(
      'account 444455556666 can use the key: policy principal arn:aws:iam::444455556666:root (statement "Allow the analytics account to decrypt"); grant to arn:aws:iam::444455556666:role/analytics-reader',
    );
  });

  it('information is fail/info (docs/services/kms.md): the default build passes, --fail-on info fails, scores are untouched, a waiver records the review', () => {
    const shared = withPolicy(policy('cross-account-root'));
    const inv = keyInventory([shared], [bucket('exports', { key: shared })]); // in use, so no KMS.UNUSED_KEY
    const run = (failOn: 'high' | 'info', waivers: typeof BASELINE_POLICY.waivers = []) => evaluate(inv, { ...BASELINE_POLICY, waivers }, { failOn });
    expect(run('high').findings.filter((f) => f.status === 'fail').map((f) => `${f.ruleId} ${f.severity}`)).toEqual(['KMS.CROSS_ACCOUNT info']);
    expect(run('high').outcome.exitCode).toBe(0);
    expect(run('info').outcome).toMatchObject({ exitCode: 1, reason: '1 failing finding(s) at or above info' });
    expect(run('info').scores!.account).toEqual({ score: 100, grade: 'A', resources: 2 });
    expect(run('info').summary.bySeverity.info).toBe(1);
    const reviewed = run('info', [{ rule: 'KMS.CROSS_ACCOUNT', resource: shared.arn, reason: 'analytics account 444455556666 reads exports (SEC-12)', owner: 'security@example.com', expires: '2027-06-30' }]);
    expect(reviewed.outcome.exitCode).toBe(0);
    expect(findingFor(reviewed, 'KMS.CROSS_ACCOUNT')).toMatchObject({ status: 'suppressed', waiver: { owner: 'security@example.com' } });
  });

  it('accounts named by kms:CallerAccount under a "*" principal are cross-account access', () => {
    const doc: Json = {
      Statement: [{ Sid: 'Partner', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:CallerAccount': ['111122223333', '444455556666'] } } }],
    };
    expect(crossAccountFromPolicy(doc, ACCOUNT)).toEqual([{ accountId: '444455556666', principal: 'kms:CallerAccount 444455556666', source: 'policy-condition', statement: 'Partner' }]);
    expect(publicStatements(doc)).toEqual([]);
  });

  it('bare account ids are principals of that account; service principals are not accounts', () => {
    const doc: Json = { Statement: [{ Effect: 'Allow', Principal: { AWS: ['444455556666'], Service: 'logs.us-east-1.amazonaws.com' }, Action: 'kms:*' }] };
    expect(crossAccountFromPolicy(doc, ACCOUNT).map((a) => a.accountId)).toEqual(['444455556666']);
    expect(crossAccountFromGrants(['logs.us-east-1.amazonaws.com', `arn:aws:iam::${ACCOUNT}:role/app`], ACCOUNT)).toEqual([]);
  });

  it('passes when only the key\'s own account is named; unknown when the grants could not be read', () => {
    expect(findingFor(evaluateKey(withPolicy(policy('default-account-root'))), 'KMS.CROSS_ACCOUNT').status).toBe('pass');
    const noGrants = withPolicy(policy('default-account-root'), {
      grants: { count: null, granteePrincipals: [], operations: [], issuingAccounts: [], error: { operation: 'ListGrants', code: 'AccessDeniedException', message: 'no' } },
    });
    expect(findingFor(evaluateKey(noGrants), 'KMS.CROSS_ACCOUNT')).toMatchObject({ status: 'unknown', message: expect.stringContaining('the grants could not be read') });
  });
});
