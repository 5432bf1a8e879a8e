import { GetFunctionCommand, LambdaClient, ListAliasesCommand as ListFunctionAliasesCommand, ListFunctionsCommand, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import { DescribeKeyCommand, ListAliasesCommand, type KMSClient } from '@aws-sdk/client-kms';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codeFacts, functionFacts, lambdaCheck } from '../../../src/services/lambda/check.js';
import type { Resource } from '../../../src/model/inventory.js';
import { evaluate } from '../../../src/engine/engine.js';
import { BASELINE_POLICY, STRICT_POLICY } from '../../../src/policy/built-in.js';
import type { Policy } from '../../../src/model/policy.js';
import { checkContext } from '../../helpers/context.js';
import { awsError, awsFixture } from '../../helpers/fixtures.js';
import { inventoryFrom } from '../../helpers/dlr-inventory.js';
import { ScriptedClients, scriptedContext } from '../../helpers/http.js';
import { keyArn, mockKms } from '../../helpers/kms-mock-dlr.js';
import { FN_ARN, mockFunctions, newCanary, withCanary } from './fixtures.js';

let lambda: AwsClientStub<LambdaClient>;
let kms: AwsClientStub<KMSClient>;
let canary: string;

beforeEach(() => {
  lambda = mockClient(LambdaClient);
  kms = mockKms();
  canary = newCanary();
});
afterEach(() => {
  lambda.restore();
  kms.restore();
});

const fn = (resources: Resource[], name: string): Resource => {
  const found = resources.find((r) => r.id === name);
  expect(found, name).toBeDefined();
  return found!;
};

describe('Lambda functions', () => {
  it('lists functions over two pages and records the env-var key: KMSKeyArn, or aws/lambda without it', async () => {
    mockFunctions(lambda, canary);
    const result = await lambdaCheck.run(checkContext());
    expect(result.errors).toEqual([]);
    expect(result.resources.filter((r) => r.type === 'function').map((r) => r.id).sort()).toEqual(['billing-worker', 'checkout-api', 'cron-cleanup', 'thumbnailer']);
    expect(lambda.commandCalls(ListFunctionsCommand)).toHaveLength(2);

    const plain = fn(result.resources, 'checkout-api');
    expect(plain).toMatchObject({ arn: FN_ARN('checkout-api'), type: 'function', service: 'lambda' });
    expect(plain.protection).toMatchObject({ level: 'aws-managed', keyArn: keyArn('awsLambda'), keyRef: null });
    expect(plain.protection.notes.join()).toContain('aws/lambda');

    const cmk = fn(result.resources, 'billing-worker');
    expect(cmk.protection).toMatchObject({ level: 'customer-managed', keyArn: keyArn('appData'), keyRef: keyArn('appData') });
    expect(cmk.attributes.snapStart).toBe('PublishedVersions');
  });

  it('records the .zip package key (SourceKMSKeyArn, from GetFunction) apart from the env-var key', async () => {
    mockFunctions(lambda, canary);
    const result = await lambdaCheck.run(checkContext());
    const cmk = fn(result.resources, 'billing-worker');
    expect(cmk.attributes).toMatchObject({
      sourceKmsKeyArn: keyArn('lambdaCode'),
      sourceKeyLevel: 'customer-managed',
      relatedKeys: [{ role: '.zip package', keyArn: keyArn('lambdaCode'), keyRef: keyArn('lambdaCode'), level: 'customer-managed' }],
    });
    expect(cmk.protection.keyArn).toBe(keyArn('appData'));
    expect(fn(result.resources, 'checkout-api').attributes).toMatchObject({ sourceKmsKeyArn: null, sourceKeyLevel: 'aws-owned', relatedKeys: [] });
    // A container image has no .zip in Lambda: its code lives in ECR.
    expect(fn(result.resources, 'thumbnailer').attributes).toMatchObject({ packageType: 'Image', sourceKeyLevel: null });
    expect(fn(result.resources, 'checkout-api').tags).toEqual({ team: 'payments', env: 'prod' });
    // GetFunction answered without Tags: the function has none ({}), which tag overrides can rely on.
    expect(fn(result.resources, 'thumbnailer').tags).toEqual({});
  });

  it('keeps variable names, sorted, and never a value; a function without variables says so', async () => {
    mockFunctions(lambda, canary);
    const result = await lambdaCheck.run(checkContext());
    expect(fn(result.resources, 'checkout-api').attributes).toMatchObject({
      hasEnvironmentVariables: true,
      environmentVariableNames: ['ADMIN_KEY_ID', 'DB_PASSWORD', 'LOG_LEVEL', 'ORDERS_DSN', 'SESSION_SEAL', 'STRIPE_API_KEY', 'TLS_PEM', 'UPSTREAM_SEED'],
      environmentVariableCount: 8,
    });
    // Values that looked like credentials when read: the name and the kind, nothing of the value (issue 10, item 7).
    expect(fn(result.resources, 'checkout-api').attributes.environmentSecretShapes).toEqual([
      { name: 'ADMIN_KEY_ID', kind: 'aws-access-key-id' },
      { name: 'ORDERS_DSN', kind: 'connection-string-password' },
      { name: 'SESSION_SEAL', kind: 'jwt' },
      { name: 'TLS_PEM', kind: 'private-key' },
      { name: 'UPSTREAM_SEED', kind: 'high-entropy-token' },
    ]);
    // The canary stands in for every secret value; a value that is no secret (LOG_LEVEL=info) is no shape.
    expect(fn(result.resources, 'billing-worker').attributes.environmentSecretShapes).toEqual([]);
    expect(fn(result.resources, 'thumbnailer').attributes).toMatchObject({ hasEnvironmentVariables: false, environmentVariableNames: [] });
    // Environment: { Variables: {} } is no variables too.
    expect(fn(result.resources, 'cron-cleanup').attributes.hasEnvironmentVariables).toBe(false);
    const text = JSON.stringify(result);
    expect(text).not.toContain(canary);
    expect(text).not.toContain('X-Amz-Signature');
    expect(text).not.toContain('awslambda-us-east-1-tasks');
    expect(text).not.toContain(`https://sqs.us-east-1.amazonaws.com/111122223333/billing`); // a non-secret value is still a value
  });

  it('the SDK boundary functions cannot carry a value or the code URL out', () => {
    const page = withCanary(awsFixture('lambda/list-functions-page-1.json'), canary);
    const got = withCanary(awsFixture('lambda/get-function-billing-worker.json'), canary);
    const facts = [...page.Functions.map(functionFacts), codeFacts(got)];
    expect(JSON.stringify(facts)).not.toContain(canary);
    expect(JSON.stringify(page)).toContain(canary); // the fixture really carries it
    expect(codeFacts(got)).toMatchObject({ sourceKmsKeyArn: keyArn('lambdaCode'), repositoryType: 'S3' });
  });

  it('GetFunction denied: the env-var key still stands (it came from ListFunctions), the .zip key is unknown, the call is reported', async () => {
    mockFunctions(lambda, canary);
    lambda
      .on(GetFunctionCommand, { FunctionName: FN_ARN('billing-worker') })
      .rejects(awsError('AccessDeniedException', 'User: arn:aws:sts::111122223333:assumed-role/atrest-audit/atrest is not authorized to perform: lambda:GetFunction', 403));
    const result = await lambdaCheck.run(checkContext());
    const worker = fn(result.resources, 'billing-worker');
    expect(worker.protection.level).toBe('customer-managed');
    expect(worker.attributes.sourceKeyLevel).toBe('unknown');
    expect(worker.evidence.GetFunctionError).toMatchObject({ code: 'AccessDeniedException' });
    // GetFunction is also where tags come from: unreadable, said so (tag overrides cannot be decided).
    expect(worker.tags).toBeUndefined();
    expect(worker.tagsError).toMatchObject({ operation: 'GetFunction', code: 'AccessDeniedException' });
    expect(result.errors).toEqual([expect.objectContaining({ operation: 'GetFunction', code: 'AccessDeniedException', resourceArn: FN_ARN('billing-worker') })]);
    expect(fn(result.resources, 'checkout-api').attributes.sourceKeyLevel).toBe('aws-owned');
  });

  it('a repeated ListFunctions marker (emulators) ends the listing', async () => {
    lambda.on(ListFunctionsCommand).resolves({ Functions: [{ FunctionName: 'loop', FunctionArn: FN_ARN('loop') }], NextMarker: 'same-marker' });
    lambda.on(GetFunctionCommand).resolves({});
    await lambdaCheck.run(checkContext());
    expect(lambda.commandCalls(ListFunctionsCommand).length).toBeLessThanOrEqual(3);
  });

  it('ListFunctions denied: one scan error for the region and nothing invented', async () => {
    lambda.on(ListFunctionsCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: lambda:ListFunctions', 403));
    const result = await lambdaCheck.run(checkContext());
    expect(result.resources).toEqual([]);
    expect(result.errors).toEqual([expect.objectContaining({ service: 'lambda', operation: 'ListFunctions', region: 'us-east-1' })]);
  });

  it('survives missing fields and an Environment.Error (Lambda could not decrypt the variables)', async () => {
    lambda.on(ListFunctionsCommand).resolves({
      Functions: [
        { FunctionName: 'bare' },
        {
          FunctionName: 'locked-out',
          KMSKeyArn: keyArn('ordersOld'),
          Environment: { Error: { ErrorCode: 'KMSDisabledException', Message: 'Lambda was unable to decrypt the environment variables because the KMS key used is disabled.' } },
        },
      ],
    });
    lambda.on(GetFunctionCommand).resolves({});
    const result = await lambdaCheck.run(checkContext());
    const bare = fn(result.resources, 'bare');
    expect(bare.arn).toBe(FN_ARN('bare'));
    expect(bare.protection.level).toBe('aws-managed');
    expect(bare.attributes).toMatchObject({ hasEnvironmentVariables: false, sourceKeyLevel: 'aws-owned' });
    const locked = fn(result.resources, 'locked-out');
    expect(locked.attributes).toMatchObject({ hasEnvironmentVariables: true, environmentVariableNames: null, environmentVariableCount: null });
    expect(locked.attributes.environmentError).toContain('KMSDisabledException');
    expect(locked.protection).toMatchObject({ level: 'customer-managed', keyArn: keyArn('ordersOld') });
  });

  it('no aws/lambda key yet (the predefined alias has no TargetKeyId): aws-managed without a DescribeKey that could only fail', async () => {
    kms.on(ListAliasesCommand).resolves({ Aliases: [{ AliasName: 'alias/aws/lambda', AliasArn: 'arn:aws:kms:us-east-1:111122223333:alias/aws/lambda' }] });
    lambda.on(ListFunctionsCommand).resolves({ Functions: [{ FunctionName: 'hello', FunctionArn: FN_ARN('hello'), Runtime: 'nodejs22.x', PackageType: 'Zip' }] });
    lambda.on(GetFunctionCommand).resolves({ Code: { RepositoryType: 'S3' } });
    const ctx = checkContext();
    const result = await lambdaCheck.run(ctx);
    expect(result.errors).toEqual([]);
    expect(ctx.keys.errors()).toEqual([]);
    expect(kms.commandCalls(DescribeKeyCommand)).toHaveLength(0);
    expect(result.resources[0]!.protection).toMatchObject({ level: 'aws-managed', keyArn: null, keyRef: null });
    expect(result.resources[0]!.protection.notes.join()).toContain('predefined AWS managed key alias with no key yet');
  });

  it('a throttled ListFunctions is retried by the SDK and the functions are read', async () => {
    lambda.restore();
    let listCalls = 0;
    const json = { 'content-type': 'application/json' };
    const clients = new ScriptedClients((req) => {
      // ListFunctions is GET /2015-03-31/functions/; GetFunction is GET /2015-03-31/functions/{name}.
      if (req.method === 'GET' && /^\/2015-03-31\/functions\/?$/.test(req.path)) {
        listCalls += 1;
        if (listCalls === 1) {
          return { status: 429, headers: { ...json, 'x-amzn-errortype': 'TooManyRequestsException' }, body: JSON.stringify({ Type: 'User', message: 'Rate exceeded', Reason: 'CallerRateLimitExceeded' }) };
        }
        return { status: 200, headers: json, body: JSON.stringify({ Functions: [{ FunctionName: 'checkout-api', FunctionArn: FN_ARN('checkout-api'), Environment: { Variables: { DB_PASSWORD: canary } } }] }) };
      }
      return { status: 200, headers: json, body: JSON.stringify({ Code: { RepositoryType: 'S3', Location: `https://example.invalid/${canary}` } }) };
    });
    const result = await lambdaCheck.run(scriptedContext(clients));
    expect(listCalls).toBe(2);
    expect(result.errors).toEqual([]);
    expect(result.resources.map((r) => r.id)).toEqual(['checkout-api']);
    expect(JSON.stringify(result)).not.toContain(canary);
  });
});

describe('LAMBDA.ENV_ENCRYPTION and KMS.KEY_STATE on a real check run', () => {
  async function run(policy: Policy) {
    mockFunctions(lambda, canary);
    const ctx = checkContext();
    const inventory = await inventoryFrom(ctx, await lambdaCheck.run(ctx), ['lambda']);
    const report = evaluate(inventory, policy, { failOn: 'high' });
    return (rule: string, name: string) => report.findings.find((f) => f.ruleId === rule && f.resourceArn === FN_ARN(name));
  }

  it('a function without environment variables is not-applicable, neither pass nor fail', async () => {
    const f = await run(BASELINE_POLICY);
    expect(f('LAMBDA.ENV_ENCRYPTION', 'thumbnailer')!.status).toBe('not-applicable');
    expect(f('LAMBDA.ENV_ENCRYPTION', 'cron-cleanup')!.status).toBe('not-applicable');
  });

  it('baseline: LAMBDA.ENV_ENCRYPTION passes on aws/lambda and says nothing of secrets; LAMBDA.ENV_SECRETS fails medium naming the variables (issue 10, item 7)', async () => {
    const f = await run(BASELINE_POLICY);
    const plain = f('LAMBDA.ENV_ENCRYPTION', 'checkout-api')!;
    expect(plain.status).toBe('pass');
    expect(plain.message).not.toContain('DB_PASSWORD');
    const secrets = f('LAMBDA.ENV_SECRETS', 'checkout-api')!;
    expect(secrets).toMatchObject({ status: 'fail', severity: 'medium' });
    expect(secrets.message).toContain(
      '7 environment variable(s) look like secrets: ADMIN_KEY_ID (value looks like an AWS access key id), DB_PASSWORD (name), ORDERS_DSN (value looks like a connection string with a password), SESSION_SEAL (value looks like a JSON Web Token), STRIPE_API_KEY (name), TLS_PEM (value looks like a private key block), UPSTREAM_SEED (value looks like a long high-entropy token)',
    );
    expect(secrets.message).toContain('every principal in the account allowed lambda:GetFunctionConfiguration');
    expect(secrets.message).not.toContain('LOG_LEVEL');
    expect(secrets.remediation!.summary).toContain('Secrets Manager');
    // A customer managed key limits the readers but the secret is still configuration: it fails too.
    const cmk = f('LAMBDA.ENV_SECRETS', 'billing-worker')!;
    expect(cmk.status).toBe('fail');
    expect(cmk.message).toContain('PAYMENTS_TOKEN (name)');
    expect(cmk.message).toContain('kms:Decrypt on its customer managed key');
    // No variables: nothing to judge.
    expect(f('LAMBDA.ENV_SECRETS', 'thumbnailer')!.status).toBe('not-applicable');
  });

  it('strict: LAMBDA.ENV_SECRETS is high, whatever the minimum level says', async () => {
    const strict = await run(STRICT_POLICY);
    expect(strict('LAMBDA.ENV_SECRETS', 'checkout-api')).toMatchObject({ status: 'fail', severity: 'high' });
    expect(strict('LAMBDA.ENV_ENCRYPTION', 'checkout-api')!.status).toBe('pass'); // strict leaves Lambda's key at the baseline
    const relaxed = await run({ ...STRICT_POLICY, minimumLevel: { default: 'none' } });
    expect(relaxed('LAMBDA.ENV_SECRETS', 'checkout-api')).toMatchObject({ status: 'fail', severity: 'high' });
  });

  it('with a customer-managed minimum the level failure is the level failure, secrets or not (no longer raised)', async () => {
    const policy: Policy = { ...BASELINE_POLICY, minimumLevel: { ...BASELINE_POLICY.minimumLevel, lambda: 'customer-managed' } };
    const f = await run(policy);
    const plain = f('LAMBDA.ENV_ENCRYPTION', 'checkout-api')!;
    expect(plain).toMatchObject({ status: 'fail', severity: 'medium' });
    expect(plain.remediation?.cli).toContain('update-function-configuration');
    expect(plain.remediation?.summary).toContain('kms:Decrypt');
    expect(f('LAMBDA.ENV_ENCRYPTION', 'billing-worker')!.status).toBe('pass');
  });

  it('without secret-looking names (or with the heuristic turned off) a failing finding stays medium', async () => {
    const policy: Policy = { ...BASELINE_POLICY, minimumLevel: { default: 'aws-owned', lambda: 'customer-managed' }, secretNamePatterns: [] };
    const f = await run(policy);
    expect(f('LAMBDA.ENV_ENCRYPTION', 'checkout-api')).toMatchObject({ status: 'fail', severity: 'medium' });
  });

  it('KMS.KEY_STATE judges the .zip package key too: pass while enabled, critical once disabled', async () => {
    const enabled = await run(BASELINE_POLICY);
    expect(enabled('KMS.KEY_STATE', 'billing-worker')!.status).toBe('pass');
    expect(enabled('KMS.KEY_STATE', 'billing-worker')!.message).toContain('.zip package key alias/lambda-code');

    lambda.reset();
    kms.restore();
    kms = mockKms();
    const keys = awsFixture<Record<string, { KeyMetadata: { KeyId: string } & Record<string, unknown> }>>('kms/dlr-describe-key.json');
    const code = keys['52637485-96a7-4b8c-9fe0-6b7c8d9eafb6']!;
    kms.on(DescribeKeyCommand, { KeyId: keyArn('lambdaCode') }).resolves({ KeyMetadata: { ...code.KeyMetadata, KeyState: 'Disabled', Enabled: false } });
    const disabled = await run(BASELINE_POLICY);
    const finding = disabled('KMS.KEY_STATE', 'billing-worker')!;
    expect(finding).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(finding.message).toContain('.zip package key alias/lambda-code');
    expect(finding.message).toContain('is disabled');
    expect(finding.remediation?.cli).toBe(`aws kms enable-key --key-id ${keyArn('lambdaCode')}`);
  });
});

describe('Lambda tags need lambda:ListTags (issue 10, item 2)', () => {
  it('GetFunction with TagsError: the tags are unreadable, not empty; the failure names lambda:ListTags', async () => {
    mockFunctions(lambda, canary);
    lambda.on(GetFunctionCommand, { FunctionName: FN_ARN('checkout-api') }).resolves(withCanary(awsFixture('lambda/get-function-checkout-api-tags-error.json'), canary));
    const ctx = checkContext();
    const result = await lambdaCheck.run(ctx);
    const api = fn(result.resources, 'checkout-api');
    expect(api.tags).toBeUndefined();
    expect(api.tagsError).toMatchObject({ operation: 'ListTags', code: 'AccessDeniedException' });
    expect(api.tagsError!.message).toContain('GetFunction returned TagsError');
    expect(api.evidence.TagsError).toMatchObject({ ErrorCode: 'AccessDeniedException' });
    // Everything else GetFunction said still stands.
    expect(api.attributes.sourceKeyLevel).toBe('aws-owned');
    expect(result.errors).toEqual([expect.objectContaining({ service: 'lambda', operation: 'ListTags', code: 'AccessDeniedException', resourceArn: FN_ARN('checkout-api') })]);

    // A tag override that could apply: the verdict is unknown, never the default requirement.
    const policy: Policy = { ...BASELINE_POLICY, tagOverrides: [{ name: 'restricted', tags: { 'data-classification': 'restricted' }, minimumLevel: 'customer-managed' }] };
    const report = evaluate(await inventoryFrom(ctx, result, ['lambda']), policy, { failOn: 'high' });
    const env = report.findings.find((f) => f.ruleId === 'LAMBDA.ENV_ENCRYPTION' && f.resourceArn === FN_ARN('checkout-api'))!;
    expect(env.status).toBe('unknown');
    expect(env.message).toContain("tags could not be read (ListTags AccessDeniedException");
    const incomplete = report.findings.find((f) => f.ruleId === 'SCAN.INCOMPLETE' && f.resourceArn === FN_ARN('checkout-api'))!;
    expect(incomplete.remediation!.summary).toContain('allow lambda:ListTags');
  });
});

describe('published versions an alias or SnapStart keeps alive (issue 10, item 10)', () => {
  it('reads every page of versions and the aliases; judges each kept-alive version with its own key and variables', async () => {
    mockFunctions(lambda, canary);
    const ctx = checkContext();
    const result = await lambdaCheck.run(ctx);
    expect(result.errors).toEqual([]);
    expect(lambda.commandCalls(ListVersionsByFunctionCommand, { FunctionName: FN_ARN('billing-worker') })).toHaveLength(2);
    const versions = result.resources.filter((r) => r.type === 'function-version');
    expect(versions.map((v) => v.id).sort()).toEqual(['billing-worker:2', 'billing-worker:3']);
    const v2 = versions.find((v) => v.id === 'billing-worker:2')!;
    expect(v2).toMatchObject({ arn: `${FN_ARN('billing-worker')}:2`, protection: { level: 'aws-managed', keyArn: keyArn('awsLambda') }, attributes: { version: '2', aliases: ['live'] } });
    expect(v2.attributes.environmentVariableNames).toEqual(['LEGACY_DSN', 'PAYMENTS_TOKEN']);
    expect(v2.attributes.environmentSecretShapes).toEqual([{ name: 'LEGACY_DSN', kind: 'connection-string-password' }]);
    // The SnapStart note sits on the version whose snapshot it is.
    expect(v2.protection.notes.join()).toContain('SnapStart snapshot of this version: encrypted with the AWS managed key aws/lambda');
    expect(v2.protection.notes.join()).toContain('kept alive by alias live and its SnapStart snapshot');
    const v3 = versions.find((v) => v.id === 'billing-worker:3')!;
    expect(v3.protection).toMatchObject({ level: 'customer-managed', keyArn: keyArn('appData') });
    // Versions carry the function's tags: tags are per function.
    expect(v3.tags).toEqual(fn(result.resources, 'billing-worker').tags);
    const latest = fn(result.resources, 'billing-worker');
    expect(latest.attributes).toMatchObject({ aliases: ['live'], otherPublishedVersions: ['1'], version: '$LATEST' });
    expect(latest.protection.notes.join()).toContain('$LATEST has no snapshot');
    expect(JSON.stringify(result)).not.toContain(canary);

    const report = evaluate(await inventoryFrom(ctx, result, ['lambda']), BASELINE_POLICY, { failOn: 'high' });
    const secrets = report.findings.find((f) => f.ruleId === 'LAMBDA.ENV_SECRETS' && f.resourceArn === v2.arn)!;
    expect(secrets).toMatchObject({ status: 'fail' });
    expect(secrets.message).toContain('LEGACY_DSN (value looks like a connection string with a password)');
    expect(report.findings.find((f) => f.ruleId === 'LAMBDA.ENV_ENCRYPTION' && f.resourceArn === v3.arn)!.status).toBe('pass');
  });

  it('ListVersionsByFunction denied: a scan error on the function, which is still judged; ListAliases denied: SnapStart versions still reported', async () => {
    mockFunctions(lambda, canary);
    lambda.on(ListFunctionAliasesCommand, { FunctionName: FN_ARN('billing-worker') }).rejects(awsError('AccessDeniedException', 'not authorized to perform: lambda:ListAliases', 403));
    lambda.on(ListVersionsByFunctionCommand, { FunctionName: FN_ARN('checkout-api') }).rejects(awsError('AccessDeniedException', 'not authorized to perform: lambda:ListVersionsByFunction', 403));
    const result = await lambdaCheck.run(checkContext());
    expect(result.errors.map((e) => `${e.operation} ${e.resourceArn}`).sort()).toEqual([`ListAliases ${FN_ARN('billing-worker')}`, `ListVersionsByFunction ${FN_ARN('checkout-api')}`]);
    expect(fn(result.resources, 'checkout-api').attributes.versionsError).toContain('AccessDeniedException');
    expect(result.resources.filter((r) => r.type === 'function-version').map((r) => r.id).sort()).toEqual(['billing-worker:2', 'billing-worker:3']);
  });
});
