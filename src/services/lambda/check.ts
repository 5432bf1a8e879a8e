import { GetFunctionCommand, LambdaClient, paginateListFunctions, type FunctionConfiguration, type GetFunctionResponse } from '@aws-sdk/client-lambda';
import { describeAwsError } from '../../aws/errors.js';
import type { Json, Protection, Resource, ScanError } from '../../model/inventory.js';
import { mapLimited } from '../../util/limit.js';
import { toJson } from '../../collect/evidence.js';
import { protectionFromKey } from '../../collect/protection.js';
import type { CheckContext, CheckResult, ServiceCheck } from '../../collect/check.js';
import { scanError } from '../../collect/scan-error.js';

/**
 * The Lambda check: every function ($LATEST) of a region.
 *
 * Two keys protect a function, recorded separately:
 * - KMSKeyArn (ListFunctions) encrypts the environment variables, SnapStart
 *   snapshots and, with a source key, the unzipped code. Without it Lambda
 *   uses the AWS managed key aws/lambda. This is the resource's protection.
 * - SourceKMSKeyArn (GetFunction only) encrypts the .zip deployment package.
 *   Without it Lambda uses an AWS owned key. Recorded in attributes, and in
 *   `relatedKeys` so KMS.KEY_STATE checks it too.
 *
 * SECRETS: ListFunctions and GetFunction return environment variable VALUES,
 * and GetFunction returns a presigned URL to download the code. Both are
 * dropped right here, in `functionFacts` and `codeFacts`, the only two places
 * that ever see an SDK response: nothing else in this module (nor the log,
 * the inventory or any report) receives anything but variable NAMES.
 */

const AWS_LAMBDA_ALIAS = 'alias/aws/lambda';

/** What atrest keeps of a FunctionConfiguration. Deliberately has no room for a value. */
interface FunctionFacts {
  name: string;
  arn: string | null;
  runtime: string | null;
  packageType: string | null;
  lastModified: string | null;
  kmsKeyArn: string | null;
  /** Sorted variable names; null when Lambda reported an error instead of the variables. */
  environmentVariableNames: string[] | null;
  hasEnvironmentVariables: boolean;
  environmentError: { code: string | null; message: string | null } | null;
  snapStartApplyOn: string | null;
  snapStartOptimizationStatus: string | null;
}

/** What atrest keeps of GetFunction: never Code.Location (a presigned URL), never Configuration (it holds values). */
interface CodeFacts {
  repositoryType: string | null;
  sourceKmsKeyArn: string | null;
  imageUri: string | null;
  codeError: { code: string | null; message: string | null } | null;
  tags: { [key: string]: string } | null;
}

/** The SDK boundary for function configurations: names in, values never out. */
export function functionFacts(config: FunctionConfiguration): FunctionFacts | null {
  if (!config.FunctionName) return null;
  const env = config.Environment;
  const variables = env?.Variables;
  const names = variables && typeof variables === 'object' ? Object.keys(variables).sort() : null;
  const envError = env?.Error ? { code: env.Error.ErrorCode ?? null, message: env.Error.Message ?? null } : null;
  return {
    name: config.FunctionName,
    arn: config.FunctionArn ?? null,
    runtime: config.Runtime ?? null,
    packageType: config.PackageType ?? null,
    lastModified: config.LastModified ?? null,
    kmsKeyArn: config.KMSKeyArn || null,
    environmentVariableNames: names ?? (envError ? null : []),
    hasEnvironmentVariables: (names?.length ?? 0) > 0 || envError !== null,
    environmentError: envError,
    snapStartApplyOn: config.SnapStart?.ApplyOn ?? null,
    snapStartOptimizationStatus: config.SnapStart?.OptimizationStatus ?? null,
  };
}

/** The SDK boundary for GetFunction: the source key and tags, nothing that unlocks code or configuration. */
export function codeFacts(out: GetFunctionResponse): CodeFacts {
  const code = out.Code;
  return {
    repositoryType: code?.RepositoryType ?? null,
    sourceKmsKeyArn: code?.SourceKMSKeyArn || null,
    imageUri: code?.ImageUri ?? null,
    codeError: code?.Error ? { code: code.Error.ErrorCode ?? null, message: code.Error.Message ?? null } : null,
    tags: out.Tags && typeof out.Tags === 'object' ? { ...out.Tags } : null,
  };
}

export const lambdaCheck: ServiceCheck = {
  async run(ctx: CheckContext): Promise<CheckResult> {
    const client = ctx.clients.get(LambdaClient, ctx.region);
    const errors: ScanError[] = [];
    const functions: FunctionFacts[] = [];
    try {
      ctx.log(`lambda ListFunctions ${ctx.region}`);
      for await (const page of paginateListFunctions({ client, pageSize: 50, stopOnSameToken: true }, {})) {
        for (const config of page.Functions ?? []) {
          const facts = functionFacts(config);
          if (facts) functions.push(facts);
        }
      }
    } catch (error) {
      const info = describeAwsError(error);
      errors.push(scanError('lambda', ctx.region, 'ListFunctions', info));
      return { resources: [], errors };
    }
    const read = await mapLimited(functions, ctx.fanOut, (facts) => readFunction(ctx, client, facts));
    for (const r of read) errors.push(...r.errors);
    return { resources: read.map((r) => r.resource), errors };
  },
};

async function readFunction(ctx: CheckContext, client: LambdaClient, facts: FunctionFacts): Promise<{ resource: Resource; errors: ScanError[] }> {
  const errors: ScanError[] = [];
  const arn = facts.arn ?? `arn:${ctx.partition}:lambda:${ctx.region}:${ctx.accountId}:function:${facts.name}`;

  // The key for environment variables, SnapStart snapshots and unzipped code.
  const envKeyRef = facts.kmsKeyArn;
  const protection = envKeyRef
    ? protectionFromKey(envKeyRef, await ctx.keys.resolve(envKeyRef, ctx.region), null)
    : await awsLambdaKey(ctx);

  const evidence: { [key: string]: Json } = {
    KMSKeyArn: facts.kmsKeyArn,
    PackageType: facts.packageType,
    Runtime: facts.runtime,
    LastModified: facts.lastModified,
    Environment: {
      VariableNames: facts.environmentVariableNames,
      ...(facts.environmentError ? { Error: { ErrorCode: facts.environmentError.code, Message: facts.environmentError.message } } : {}),
    },
    SnapStart: { ApplyOn: facts.snapStartApplyOn, OptimizationStatus: facts.snapStartOptimizationStatus },
  };
  const attributes: { [key: string]: Json } = {
    runtime: facts.runtime,
    packageType: facts.packageType,
    hasEnvironmentVariables: facts.hasEnvironmentVariables,
    environmentVariableNames: facts.environmentVariableNames,
    environmentVariableCount: facts.environmentVariableNames?.length ?? null,
    environmentError: facts.environmentError ? `${facts.environmentError.code ?? 'Error'}: ${facts.environmentError.message ?? ''}` : null,
    kmsKeyArn: facts.kmsKeyArn,
    snapStart: facts.snapStartApplyOn,
    sourceKmsKeyArn: null,
    sourceKeyLevel: 'unknown',
    relatedKeys: [],
  };
  const resource: Resource = {
    arn,
    id: facts.name,
    service: 'lambda',
    type: 'function',
    region: ctx.region,
    accountId: ctx.accountId,
    protection,
    attributes,
    evidence,
  };

  // The key for the .zip package: only GetFunction says.
  let code: CodeFacts;
  try {
    ctx.log(`lambda GetFunction ${facts.name}`);
    code = codeFacts(await client.send(new GetFunctionCommand({ FunctionName: arn })));
  } catch (error) {
    const info = describeAwsError(error);
    errors.push(scanError('lambda', ctx.region, 'GetFunction', info, arn));
    // As with S3's bucket policy: the function's own protection (from
    // ListFunctions) stands; only the code-package key is unknown.
    evidence.GetFunctionError = { code: info.code, message: info.message };
    // GetFunction is also where the tags come from: tag overrides cannot be decided for this function.
    resource.tagsError = { operation: 'GetFunction', code: info.code, message: info.message };
    attributes.sourceKeyLevel = 'unknown';
    protection.notes.push(`the .zip package key is unknown: GetFunction failed: ${info.code}`);
    return { resource, errors };
  }

  // GetFunction answered: no Tags means the function has none.
  resource.tags = code.tags ?? {};
  evidence.Code = toJson({
    RepositoryType: code.repositoryType,
    SourceKMSKeyArn: code.sourceKmsKeyArn,
    ...(code.imageUri ? { ImageUri: code.imageUri } : {}),
    ...(code.codeError ? { Error: { ErrorCode: code.codeError.code, Message: code.codeError.message } } : {}),
  });

  if (code.sourceKmsKeyArn) {
    const source = await ctx.keys.resolve(code.sourceKmsKeyArn, ctx.region);
    attributes.sourceKmsKeyArn = source.keyArn ?? code.sourceKmsKeyArn;
    attributes.sourceKeyLevel = source.level;
    attributes.relatedKeys = [{ role: '.zip package', keyArn: source.keyArn, keyRef: code.sourceKmsKeyArn, level: source.level }];
    if (source.note) protection.notes.push(`.zip package key: ${source.note}`);
  } else if (facts.packageType === 'Image' || code.imageUri) {
    // Container images live in ECR under ECR's encryption; Lambda keeps no .zip.
    attributes.sourceKeyLevel = null;
  } else {
    attributes.sourceKeyLevel = 'aws-owned';
  }
  return { resource, errors };
}

/**
 * No KMSKeyArn: Lambda's AWS managed key aws/lambda. The resolver knows that
 * KMS predefines this alias before Lambda creates the key, and never describes
 * such an alias (describing it would create the key).
 */
async function awsLambdaKey(ctx: CheckContext): Promise<Protection> {
  const note = 'no KMSKeyArn: Lambda encrypts environment variables and SnapStart snapshots with the AWS managed key aws/lambda';
  return protectionFromKey(null, await ctx.keys.resolve(AWS_LAMBDA_ALIAS, ctx.region), null, [note]);
}
