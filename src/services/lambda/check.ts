import {
  GetFunctionCommand,
  LambdaClient,
  paginateListAliases,
  paginateListFunctions,
  paginateListVersionsByFunction,
  type AliasConfiguration,
  type FunctionConfiguration,
  type GetFunctionResponse,
} from '@aws-sdk/client-lambda';
import { describeAwsError } from '../../aws/errors.js';
import type { Json, Protection, Resource, ScanError } from '../../model/inventory.js';
import { mapLimited } from '../../util/limit.js';
import { toJson } from '../../collect/evidence.js';
import { protectionFromKey } from '../../collect/protection.js';
import type { CheckContext, CheckResult, ServiceCheck } from '../../collect/check.js';
import { scanError } from '../../collect/scan-error.js';
import { secretShapeOf, type SecretShape } from './secret-values.js';

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
 * the inventory or any report) receives anything but variable NAMES — and,
 * for a value that looks like a credential, the kind it looks like
 * (secret-values.ts), decided in memory before the value is dropped.
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
  /** Variables whose VALUE looked like a credential when it was read: the name and the kind, never the value. Sorted by name. */
  secretShapes: Array<{ name: string; kind: SecretShape }>;
  snapStartApplyOn: string | null;
  snapStartOptimizationStatus: string | null;
  /** `$LATEST`, or the number of a published version. */
  version: string | null;
}

/** What atrest keeps of GetFunction: never Code.Location (a presigned URL), never Configuration (it holds values). */
interface CodeFacts {
  repositoryType: string | null;
  sourceKmsKeyArn: string | null;
  imageUri: string | null;
  codeError: { code: string | null; message: string | null } | null;
  tags: { [key: string]: string } | null;
  /** GetFunction's TagsError: the caller may not lambda:ListTags, so Lambda left the tags out. */
  tagsError: { code: string; message: string } | null;
}

/** The SDK boundary for function configurations: names in, values never out. */
export function functionFacts(config: FunctionConfiguration): FunctionFacts | null {
  if (!config.FunctionName) return null;
  const env = config.Environment;
  const variables = env?.Variables;
  const names = variables && typeof variables === 'object' ? Object.keys(variables).sort() : null;
  // Each value is looked at here, in memory, for the shape of a credential;
  // only the variable's name and the kind survive this loop.
  const secretShapes: Array<{ name: string; kind: SecretShape }> = [];
  for (const name of names ?? []) {
    const kind = secretShapeOf(String(variables![name] ?? ''));
    if (kind) secretShapes.push({ name, kind });
  }
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
    secretShapes,
    snapStartApplyOn: config.SnapStart?.ApplyOn ?? null,
    snapStartOptimizationStatus: config.SnapStart?.OptimizationStatus ?? null,
    version: config.Version ?? null,
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
    tagsError: out.TagsError ? { code: out.TagsError.ErrorCode || 'TagsError', message: out.TagsError.Message || 'GetFunction returned TagsError' } : null,
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
    const read = await mapLimited(functions, ctx.fanOut, async (facts) => {
      const fn = await readFunction(ctx, client, facts);
      const versions = await readVersions(ctx, client, facts, fn.resource);
      return { resources: [fn.resource, ...versions.resources], errors: [...fn.errors, ...versions.errors] };
    });
    for (const r of read) errors.push(...r.errors);
    return { resources: read.flatMap((r) => r.resources), errors };
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
    // Names and kinds only (src/services/lambda/secret-values.ts); LAMBDA.ENV_SECRETS judges them.
    environmentSecretShapes: facts.secretShapes.map((s) => ({ name: s.name, kind: s.kind })),
    environmentError: facts.environmentError ? `${facts.environmentError.code ?? 'Error'}: ${facts.environmentError.message ?? ''}` : null,
    kmsKeyArn: facts.kmsKeyArn,
    snapStart: facts.snapStartApplyOn,
    version: '$LATEST',
    sourceKmsKeyArn: null,
    sourceKeyLevel: 'unknown',
    relatedKeys: [],
  };
  if (facts.snapStartApplyOn === 'PublishedVersions') {
    // SnapStart snapshots exist only for published versions; each version that has one carries the note.
    protection.notes.push('SnapStart is on for published versions: $LATEST has no snapshot; each published version an alias or SnapStart keeps alive is reported with its own snapshot key');
  }
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

  if (code.tagsError) {
    // GetFunction returns Tags only to a caller allowed lambda:ListTags; otherwise
    // TagsError (GetFunction API reference). The tags are unreadable, not absent:
    // recorded under ListTags, the action the fix must grant, so tag overrides
    // give `unknown` where they could matter, as for every other service.
    const info = { code: code.tagsError.code, message: `GetFunction returned TagsError: ${code.tagsError.message}` };
    errors.push(scanError('lambda', ctx.region, 'ListTags', info, arn));
    resource.tagsError = { operation: 'ListTags', ...info };
    evidence.TagsError = { ErrorCode: code.tagsError.code, Message: code.tagsError.message };
  } else {
    // GetFunction answered with no TagsError: no Tags means the function has none.
    resource.tags = code.tags ?? {};
  }
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

/**
 * The published versions of a function that something keeps alive: those an
 * alias points at (FunctionVersion, and the second version of a weighted
 * alias, RoutingConfig.AdditionalVersionWeights) and those with a SnapStart
 * snapshot (SnapStart ApplyOn PublishedVersions, OptimizationStatus On: "SnapStart
 * ... for published function versions", Lambda developer guide). Each has its
 * own KMSKeyArn and its own environment variables, frozen when it was
 * published, so each is a resource of type `function-version`, judged like the
 * function. Versions nothing keeps alive are listed on the function
 * (`attributes.otherPublishedVersions`), not judged. ListVersionsByFunction
 * returns variable VALUES too: they go through functionFacts, like
 * ListFunctions' (names and secret kinds only).
 */
async function readVersions(ctx: CheckContext, client: LambdaClient, facts: FunctionFacts, fn: Resource): Promise<{ resources: Resource[]; errors: ScanError[] }> {
  const errors: ScanError[] = [];
  const versions: FunctionFacts[] = [];
  const aliases: AliasConfiguration[] = [];
  try {
    ctx.log(`lambda ListVersionsByFunction ${facts.name}`);
    for await (const page of paginateListVersionsByFunction({ client, pageSize: 50, stopOnSameToken: true }, { FunctionName: fn.arn })) {
      for (const config of page?.Versions ?? []) {
        const v = functionFacts(config);
        if (v && v.version && v.version !== '$LATEST') versions.push(v);
      }
    }
  } catch (error) {
    const info = describeAwsError(error);
    errors.push(scanError('lambda', ctx.region, 'ListVersionsByFunction', info, fn.arn));
    fn.attributes.versionsError = `ListVersionsByFunction failed: ${info.code}: ${info.message}`;
    fn.protection.notes.push(`published versions unknown: ListVersionsByFunction failed: ${info.code}`);
    return { resources: [], errors };
  }
  try {
    ctx.log(`lambda ListAliases ${facts.name}`);
    for await (const page of paginateListAliases({ client, pageSize: 50, stopOnSameToken: true }, { FunctionName: fn.arn })) aliases.push(...(page?.Aliases ?? []));
  } catch (error) {
    const info = describeAwsError(error);
    errors.push(scanError('lambda', ctx.region, 'ListAliases', info, fn.arn));
    fn.attributes.aliasesError = `ListAliases failed: ${info.code}: ${info.message}`;
    fn.protection.notes.push(`aliases unknown: ListAliases failed: ${info.code}; only versions SnapStart keeps alive are reported`);
  }
  const aliasesOf = new Map<string, string[]>();
  for (const alias of aliases) {
    const targets = [alias.FunctionVersion, ...Object.keys(alias.RoutingConfig?.AdditionalVersionWeights ?? {})].filter((v): v is string => Boolean(v));
    for (const v of targets) aliasesOf.set(v, [...(aliasesOf.get(v) ?? []), alias.Name ?? alias.AliasArn ?? '?'].sort());
  }
  fn.attributes.aliases = [...new Set(aliases.map((a) => a.Name).filter((n): n is string => Boolean(n)))].sort();
  const alive = versions.filter((v) => aliasesOf.has(v.version!) || snapStartOn(v));
  fn.attributes.otherPublishedVersions = versions.filter((v) => !alive.includes(v)).map((v) => v.version!).sort((a, b) => Number(a) - Number(b));
  const resources = await mapLimited(alive, ctx.fanOut, (v) => versionResource(ctx, v, fn, aliasesOf.get(v.version!) ?? []));
  return { resources, errors };
}

function snapStartOn(v: FunctionFacts): boolean {
  return v.snapStartApplyOn === 'PublishedVersions' && v.snapStartOptimizationStatus === 'On';
}

async function versionResource(ctx: CheckContext, v: FunctionFacts, fn: Resource, aliases: string[]): Promise<Resource> {
  const arn = v.arn ?? `${fn.arn}:${v.version}`;
  const protection = v.kmsKeyArn ? protectionFromKey(v.kmsKeyArn, await ctx.keys.resolve(v.kmsKeyArn, ctx.region), null) : await awsLambdaKey(ctx);
  const keptBy = [aliases.length > 0 ? `alias${aliases.length > 1 ? 'es' : ''} ${aliases.join(', ')}` : null, snapStartOn(v) ? 'its SnapStart snapshot' : null].filter(Boolean);
  protection.notes.push(`published version ${v.version} of ${v.name}, kept alive by ${keptBy.join(' and ')}`);
  if (snapStartOn(v)) {
    // "Lambda encrypts snapshots with an AWS KMS key. By default, Lambda uses an AWS managed key" (snapstart-security.html); KMSKeyArn otherwise.
    protection.notes.push(`SnapStart snapshot of this version: encrypted with ${v.kmsKeyArn ? `its KMSKeyArn ${v.kmsKeyArn}` : 'the AWS managed key aws/lambda'}`);
  }
  const resource: Resource = {
    arn,
    id: `${v.name}:${v.version}`,
    service: 'lambda',
    type: 'function-version',
    region: ctx.region,
    accountId: ctx.accountId,
    protection,
    attributes: {
      functionName: v.name,
      functionArn: fn.arn,
      version: v.version,
      aliases,
      runtime: v.runtime,
      packageType: v.packageType,
      hasEnvironmentVariables: v.hasEnvironmentVariables,
      environmentVariableNames: v.environmentVariableNames,
      environmentVariableCount: v.environmentVariableNames?.length ?? null,
      environmentSecretShapes: v.secretShapes.map((s) => ({ name: s.name, kind: s.kind })),
      environmentError: v.environmentError ? `${v.environmentError.code ?? 'Error'}: ${v.environmentError.message ?? ''}` : null,
      kmsKeyArn: v.kmsKeyArn,
      snapStart: v.snapStartApplyOn,
      snapStartOptimizationStatus: v.snapStartOptimizationStatus,
      relatedKeys: [],
    },
    evidence: {
      Version: v.version,
      KMSKeyArn: v.kmsKeyArn,
      LastModified: v.lastModified,
      Environment: { VariableNames: v.environmentVariableNames },
      SnapStart: { ApplyOn: v.snapStartApplyOn, OptimizationStatus: v.snapStartOptimizationStatus },
    },
  };
  // Versions have no tags of their own ("Tags apply at the function level, not to versions or aliases"): the function's.
  if (fn.tags) resource.tags = { ...fn.tags };
  if (fn.tagsError) resource.tagsError = { ...fn.tagsError };
  return resource;
}
