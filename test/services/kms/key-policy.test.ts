import { describe, expect, it } from 'vitest';
import type { Json, KeyRecord } from '../../../src/model/inventory.js';
import type { Report } from '../../../src/model/report.js';
import { evaluate } from '../../../src/engine/engine.js';
import { accountsOf, crossAccountFromGrants, crossAccountFromPolicy, networkBoundStatements, policyStatements, principalAccount, publicStatements, restrictingCondition } from '../../../src/services/kms/key-policy.js';
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
    expect(publicStatements(statement({ StringEquals: { 'aws:PrincipalAccount': ['**', '?'] } }))[0]!.why).toBe('no restricting condition: aws:PrincipalAccount matches anything ("**", "?")');
    expect(publicStatements(statement({ StringLike: { 'aws:SourceVpc': ['*', 'vpc-*'] } }))[0]!.why).toBe(
      'no restricting condition: aws:SourceVpc is not a fixed value ("*", "vpc-*"): wildcards, policy variables and malformed ids match more than one caller',
    );
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

describe('reading a policy document', () => {
  it('normalises statements: a single object or a list, labels, effects, actions, conditions', () => {
    expect(policyStatements({ Statement: { Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt' } })).toEqual([
      { label: '#0', effect: 'Allow', principal: '*', notPrincipal: undefined, actions: ['kms:Decrypt'], condition: {} },
    ]);
    const list = policyStatements({
      Statement: [
        null,
        'text',
        ['nested'],
        { Sid: '', Effect: 7, NotAction: ['kms:ScheduleKeyDeletion', 'kms:Delete*'], Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT }, Bool: 'true', Null: ['x'] } },
        { Sid: 'Named', Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' } },
        { Effect: 'Allow', Condition: ['not', 'a', 'map'] },
      ],
    });
    expect(list).toEqual([
      {
        label: '#3',
        effect: '',
        principal: undefined,
        notPrincipal: undefined,
        actions: ['every action except kms:ScheduleKeyDeletion, kms:Delete*'],
        condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } },
      },
      { label: 'Named', effect: 'Deny', principal: undefined, notPrincipal: { AWS: 'arn:aws:iam::111122223333:root' }, actions: [], condition: {} },
      { label: '#5', effect: 'Allow', principal: undefined, notPrincipal: undefined, actions: [], condition: {} },
    ]);
  });

  it('a Sid that is not a string, or a Condition that is null, are read as absent', () => {
    expect(policyStatements({ Statement: [{ Sid: 7, Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Condition: null }] })).toEqual([
      { label: '#0', effect: 'Allow', principal: '*', notPrincipal: undefined, actions: ['kms:Decrypt'], condition: {} },
    ]);
    expect(policyStatements({ Statement: [{ Effect: 'Allow', Condition: { StringEquals: null, Bool: 'true' } }] })[0]!.condition).toEqual({});
  });

  it('a document that is not a policy has no statements', () => {
    for (const doc of [null, undefined, 'policy', ['Statement'], {}, { Statement: 'x' }, { Statement: 7 }]) {
      expect(policyStatements(doc as Json), JSON.stringify(doc)).toEqual([]);
    }
  });

  it('everyone, in each way a principal can say it; specific principals are not everyone', () => {
    const allow = (principal: Json, extra: object = {}): Json => ({ Statement: { Sid: 'S', Effect: 'Allow', Principal: principal, Action: 'kms:Decrypt', ...extra } });
    expect(publicStatements(allow('*'))[0]!.principal).toBe('Principal "*"');
    expect(publicStatements(allow({ AWS: ['arn:aws:iam::111122223333:root', '*'] }))[0]!.principal).toBe('Principal {"AWS": "*"}');
    expect(publicStatements(allow({ Service: 'logs.amazonaws.com', CanonicalUser: '*' }))[0]!.principal).toBe('Principal {"CanonicalUser": "*"}');
    expect(publicStatements({ Statement: { Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*' } })[0]!.principal).toBe(
      'NotPrincipal {"AWS":"arn:aws:iam::111122223333:root"} (everyone except those named)',
    );
    for (const principal of [{ AWS: 'arn:aws:iam::444455556666:root' }, { AWS: ['111122223333'] }, { Service: 'logs.us-east-1.amazonaws.com' }, ['*'], 'arn:aws:iam::111122223333:root', 'arn:aws:iam::111122223333:role/*', null]) {
      expect(publicStatements(allow(principal as Json)), JSON.stringify(principal)).toEqual([]);
    }
    // Only Allow statements open anything.
    expect(publicStatements({ Statement: { Effect: 'Deny', Principal: '*', Action: 'kms:*' } })).toEqual([]);
    expect(publicStatements({ Statement: { Effect: 'allow', Principal: '*', Action: 'kms:*' } })).toEqual([]);
  });

  it('operators: case does not matter; ForAnyValue and IfExists are read off; only positive matches restrict', () => {
    const c = (operator: string, key = 'aws:PrincipalOrgID', value: Json = 'o-a1b2c3d4e5') => restrictingCondition({ [operator]: { [key]: value } });
    for (const operator of ['StringEquals', 'stringequals', 'StringEqualsIgnoreCase', 'StringLike', 'ForAnyValue:StringEquals', 'ForAnyValue:StringLike']) {
      expect(c(operator), operator).toEqual({ restricts: true, why: `${operator} aws:PrincipalOrgID o-a1b2c3d4e5`, by: 'caller' });
    }
    for (const operator of ['ArnEquals', 'ArnLike']) expect(c(operator, 'aws:PrincipalArn', 'arn:aws:iam::111122223333:role/app').restricts, operator).toBe(true);
    for (const operator of ['StringNotEquals', 'StringNotLike', 'StringNotEqualsIgnoreCase', 'ArnNotEquals', 'ArnNotLike', 'ForAllValues:StringEquals', 'ForAllValues:StringLike', 'Bool', 'Null']) {
      expect(c(operator).restricts, operator).toBe(false);
    }
    expect(c('StringNotEquals').why).toBe('no restricting condition: StringNotEquals on aws:PrincipalOrgID excludes some callers but admits everyone else');
    expect(c('ForAllValues:StringEquals').why).toBe('no restricting condition: ForAllValues:StringEquals on aws:PrincipalOrgID excludes some callers but admits everyone else');
  });

  it('IfExists restricts only on keys every request carries (principal account and ARN, caller account)', () => {
    const ifExists = (key: string, value: string) => restrictingCondition({ StringEqualsIfExists: { [key]: value } });
    expect(ifExists('aws:PrincipalAccount', ACCOUNT).restricts).toBe(true);
    expect(ifExists('kms:CallerAccount', ACCOUNT).restricts).toBe(true);
    expect(restrictingCondition({ ArnEqualsIfExists: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/app' } }).restricts).toBe(true);
    expect(restrictingCondition({ 'ForAnyValue:StringLikeIfExists': { 'aws:PrincipalAccount': ACCOUNT } }).restricts).toBe(true);
    for (const [key, value] of [['aws:PrincipalOrgID', 'o-a1b2c3d4e5'], ['aws:SourceAccount', ACCOUNT], ['aws:SourceVpce', 'vpce-0a1b2c3d4e5f60718'], ['aws:SourceOwner', ACCOUNT]] as const) {
      expect(ifExists(key, value), key).toEqual({ restricts: false, why: `no restricting condition: StringEqualsIfExists lets requests without ${key} through` });
    }
  });

  it('values must have the shape of what the key names', () => {
    const c = (key: string, value: Json) => restrictingCondition({ StringEquals: { [key]: value } }).restricts;
    expect(c('aws:PrincipalAccount', '11112222333')).toBe(false);
    expect(c('aws:PrincipalAccount', '1111222233334')).toBe(false);
    expect(c('aws:SourceOwner', 'owner')).toBe(false);
    expect(c('aws:SourceAccount', `x${ACCOUNT}`)).toBe(false);
    expect(c('aws:PrincipalOrgID', 'o-short')).toBe(false);
    expect(c('aws:PrincipalOrgID', 'o-a1b2c3d4e5/')).toBe(false);
    expect(c('aws:PrincipalOrgID', 'O-A1B2C3D4E5')).toBe(false);
    expect(c('aws:PrincipalOrgID', `o-${'a'.repeat(32)}`)).toBe(true);
    expect(c('aws:PrincipalOrgID', `o-${'a'.repeat(33)}`)).toBe(false);
    expect(c('aws:SourceOrgID', 'xo-a1b2c3d4e5')).toBe(false);
    expect(c('aws:PrincipalOrgPaths', 'o-a1b2c3d4e5')).toBe(false);
    expect(c('aws:PrincipalOrgPaths', 'r-ab12/o-a1b2c3d4e5/')).toBe(false);
    expect(c('aws:PrincipalArn', 'role/app')).toBe(false);
    expect(c('aws:PrincipalArn', 'arn:aws:iam::ACCOUNT:role/app')).toBe(false);
    expect(c('aws:SourceArn', 'arn:aws:s3:::')).toBe(false);
    expect(c('aws:SourceArn', 'arn:aws:s3:::acme-app-data')).toBe(true);
    expect(c('kms:CallerAccount', 7 as unknown as Json)).toBe(false);
    expect(restrictingCondition({ StringEquals: { 'kms:CallerAccount': 7 as unknown as Json } }).why).toBe('no restricting condition: kms:CallerAccount has no value');
    expect(c('kms:CallerAccount', 'everyone')).toBe(false);
    expect(c('kms:CallerAccount', '11112222333')).toBe(false);
    expect(c('aws:SourceOrgPaths', 'r-ab12/ou-ab12-11111111/')).toBe(false);
    expect(c('aws:SourceOrgPaths', 'o-a1b2c3d4e5/r-ab12/')).toBe(true);
    // Values that are not strings count for nothing: a number is not an account id here.
    expect(c('aws:PrincipalAccount', [Number(ACCOUNT)] as unknown as Json)).toBe(false);
  });

  it('one restricting condition among others is enough; a caller condition wins over a network one', () => {
    expect(restrictingCondition({ Bool: { 'aws:SecureTransport': 'true' }, StringEquals: { 'kms:CallerAccount': ACCOUNT } })).toEqual({ restricts: true, why: `StringEquals kms:CallerAccount ${ACCOUNT}`, by: 'caller' });
    expect(restrictingCondition({ StringEquals: { 'aws:SourceVpc': 'vpc-91237329' }, StringLike: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } })).toEqual({
      restricts: true,
      why: 'StringLike aws:PrincipalOrgID o-a1b2c3d4e5',
      by: 'caller',
    });
    expect(restrictingCondition({ StringEquals: { 'aws:SourceVpc': 'vpc-91237329', 'aws:SourceVpce': 'vpce-0a1b2c3d4e5f60718' } })).toEqual({
      restricts: true,
      why: 'StringEquals aws:SourceVpc vpc-91237329',
      by: 'network',
    });
    expect(restrictingCondition({})).toEqual({ restricts: false, why: 'no condition' });
    expect(restrictingCondition({ Bool: { 'aws:SecureTransport': 'true' }, StringEquals: { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com' } }).why).toBe(
      'no restricting condition: aws:SecureTransport does not restrict who calls; kms:ViaService names the service that calls, not whose principal',
    );
  });

  it('networkBoundStatements: only everyone-statements held by a VPC condition alone', () => {
    const doc: Json = {
      Statement: [
        { Sid: 'vpc', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-91237329' } } },
        { Sid: 'org', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-91237329', 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } },
        { Sid: 'named', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-91237329' } } },
        { Sid: 'deny', Effect: 'Deny', Principal: '*', Action: 'kms:*', Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-91237329' } } },
        { Sid: 'open', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt' },
      ],
    };
    expect(networkBoundStatements(doc)).toEqual([{ label: 'vpc', condition: 'StringEquals aws:SourceVpc vpc-91237329' }]);
    const two: Json = { Statement: { Sid: 'two', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Condition: { StringEquals: { 'aws:SourceVpce': ['vpce-0a1b2c3d4e5f60718', 'vpce-1b2c3d4e5f6071829'] } } } };
    expect(networkBoundStatements(two)).toEqual([{ label: 'two', condition: 'StringEquals aws:SourceVpce vpce-0a1b2c3d4e5f60718, vpce-1b2c3d4e5f6071829' }]);
    expect(publicStatements(doc).map((s) => s.label)).toEqual(['open']);
  });
});

describe('which accounts a policy lets in', () => {
  it('principals of other accounts in Allow statements, by ARN or bare id; the own account, "*" and Deny statements are not', () => {
    const doc: Json = {
      Statement: [
        { Sid: 'A', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::444455556666:role/reader', '111122223333', '*', 'arn:aws:iam::ACCOUNT:root'] }, Action: 'kms:Decrypt' },
        { Sid: 'D', Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::555566667777:root' }, Action: 'kms:*' },
        { Sid: 'S', Effect: 'Allow', Principal: 'arn:aws:iam::555566667777:root', Action: 'kms:*' },
        { Sid: 'N', Effect: 'Allow', Principal: null, Action: 'kms:*' },
        { Sid: 'E', Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::555566667777:root' }, Action: 'kms:*' },
        { Sid: 'X', Effect: 'Allow', Principal: { AWS: [555566667777] }, Action: 'kms:*' },
      ],
    };
    expect(crossAccountFromPolicy(doc, ACCOUNT)).toEqual([{ accountId: '444455556666', principal: 'arn:aws:iam::444455556666:role/reader', source: 'policy', statement: 'A' }]);
  });

  it('accounts named by kms:CallerAccount or aws:PrincipalAccount under an everyone-principal, with positive operators only', () => {
    const doc = (condition: Json, principal: Json = { AWS: '*' }): Json => ({ Statement: [{ Sid: 'P', Effect: 'Allow', Principal: principal, Action: 'kms:Decrypt', Condition: condition }] });
    expect(crossAccountFromPolicy(doc({ StringEquals: { 'aws:PrincipalAccount': ['444455556666', 'not-an-id', ACCOUNT] } }), ACCOUNT)).toEqual([
      { accountId: '444455556666', principal: 'aws:PrincipalAccount 444455556666', source: 'policy-condition', statement: 'P' },
    ]);
    expect(crossAccountFromPolicy(doc({ StringEquals: { 'KMS:CallerAccount': '444455556666' } }), ACCOUNT)[0]!.principal).toBe('KMS:CallerAccount 444455556666');
    expect(crossAccountFromPolicy(doc({ StringNotEquals: { 'kms:CallerAccount': '444455556666' } }), ACCOUNT)).toEqual([]);
    expect(crossAccountFromPolicy(doc({ StringEquals: { 'aws:SourceAccount': '444455556666' } }), ACCOUNT)).toEqual([]);
    // Not an everyone-principal: the condition narrows named principals, it does not add accounts.
    expect(crossAccountFromPolicy(doc({ StringEquals: { 'kms:CallerAccount': '444455556666' } }, { AWS: `arn:aws:iam::${ACCOUNT}:root` }), ACCOUNT)).toEqual([]);
  });

  it('grants: grantees of other accounts; service principals and the own account are not', () => {
    expect(crossAccountFromGrants(['arn:aws:iam::444455556666:role/a', '555566667777', 'dynamodb.us-east-1.amazonaws.com', `arn:aws:iam::${ACCOUNT}:role/b`, 'arn:aws:iam::bad:role/c'], ACCOUNT)).toEqual([
      { accountId: '444455556666', principal: 'arn:aws:iam::444455556666:role/a', source: 'grant' },
      { accountId: '555566667777', principal: '555566667777', source: 'grant' },
    ]);
  });

  it('principalAccount and accountsOf', () => {
    expect(principalAccount('444455556666')).toBe('444455556666');
    expect(principalAccount('4444555566667')).toBeNull();
    expect(principalAccount('arn:aws:iam::444455556666:root')).toBe('444455556666');
    expect(principalAccount('arn:aws:iam::44445555666:root')).toBeNull();
    expect(principalAccount('logs.amazonaws.com')).toBeNull();
    expect(accountsOf([
      { accountId: '555566667777', principal: 'x', source: 'grant' },
      { accountId: '444455556666', principal: 'y', source: 'policy' },
      { accountId: '555566667777', principal: 'z', source: 'policy-condition' },
    ])).toEqual(['444455556666', '555566667777']);
  });

  it('KMS.CROSS_ACCOUNT puts the open doors first, then the named accounts; unknown when the policy could not be read', () => {
    const doc: Json = {
      Statement: [
        { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'kms:Decrypt' },
        { Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 'kms:Encrypt' },
      ],
    };
    const f = findingFor(evaluateKey(withPolicy(doc)), 'KMS.CROSS_ACCOUNT');
    expect(f.message).toBe(
      'any AWS account can use the key: statement "Open" allows Principal "*" (no condition; see KMS.POLICY_PUBLIC); account 444455556666 can use the key: policy principal arn:aws:iam::444455556666:root (statement "Partner")',
    );
    const unread = withPolicy(null, { policy: { name: 'default', document: null, sizeBytes: null, error: { operation: 'GetKeyPolicy', code: 'AccessDeniedException', message: 'no' } } });
    expect(findingFor(evaluateKey(unread), 'KMS.CROSS_ACCOUNT')).toMatchObject({ status: 'unknown', message: 'the key policy could not be read, so other accounts\' access is unknown' });
    const twoAccounts = withPolicy(policy('cross-account-root'), { grants: { count: 1, granteePrincipals: ['arn:aws:iam::555566667777:role/x'], operations: ['Decrypt'], issuingAccounts: [] } });
    expect(findingFor(evaluateKey(twoAccounts), 'KMS.CROSS_ACCOUNT').message).toMatch(/^accounts 444455556666, 555566667777 can use the key: /);
  });
});
