import { protectionFromKey } from '../../collect/protection.js';
import type { Json, Resource } from '../../model/inventory.js';
import { record, refText, type IacKindFacts, type IacKindMapping, type MapContext, type ServiceIac } from '../../iac/mapping.js';
import type { CodeResource } from '../../iac/model.js';
import { Unknown, isMap, readBlocks, readString, type Value } from '../../iac/value.js';
import { lambdaSetKey } from './iac-fix.js';

/**
 * Lambda functions in infrastructure code, as the Lambda check reads a live
 * function (type `function`; attributes hasEnvironmentVariables,
 * environmentVariableNames, kmsKeyArn, sourceKmsKeyArn, sourceKeyLevel,
 * relatedKeys).
 *
 * SECRETS: the code holds environment variable VALUES. Only the names are
 * read here; no value reaches a record, its evidence or a message.
 *
 * Defaults: without kms_key_arn / KmsKeyArn, Lambda encrypts environment
 * variables and SnapStart snapshots with the AWS managed key aws/lambda; the
 * .zip package with an AWS owned key unless source_kms_key_arn /
 * Code.SourceKMSKeyArn names a key.
 */

const TF_DOCS = 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_function';
const CFN_DOCS = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-function.html';
const LAMBDA_DOCS = 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html';
const LAMBDA_KEY_ALIAS = 'alias/aws/lambda';

export const LAMBDA_IAC_FACTS: IacKindFacts[] = [
  {
    kind: 'aws_lambda_function',
    format: 'terraform',
    service: 'lambda',
    types: ['function'],
    defaults: 'kms_key_arn omitted: the AWS managed key aws/lambda for environment variables and SnapStart snapshots; no environment block: nothing for that key to protect (not-applicable); source_kms_key_arn omitted: the .zip package under an AWS owned key',
    docs: [TF_DOCS, LAMBDA_DOCS, 'https://docs.aws.amazon.com/lambda/latest/dg/encrypt-zip-package.html'],
  },
  {
    kind: 'AWS::Lambda::Function',
    format: 'cloudformation',
    service: 'lambda',
    types: ['function'],
    defaults: 'KmsKeyArn omitted: aws/lambda; no Environment.Variables: not-applicable; Code.SourceKMSKeyArn omitted: AWS owned key for the .zip package',
    docs: [CFN_DOCS, LAMBDA_DOCS],
  },
];

/** Variable names only: the values never leave this function. */
function variableNames(variables: Value | undefined): { names: string[] | null; has: boolean | null } {
  if (variables === undefined || variables === null) return { names: [], has: false };
  if (variables instanceof Unknown) return { names: null, has: null };
  if (!isMap(variables)) return { names: null, has: null };
  const names = Object.keys(variables).sort();
  return { names, has: names.length > 0 };
}

export const lambdaIacMapping: IacKindMapping = {
  service: 'lambda',
  kinds: ['aws_lambda_function', 'AWS::Lambda::Function'],
  map(resource: CodeResource, ctx: MapContext): Resource[] {
    if (resource.mode !== 'managed') return [];
    const cfn = resource.format === 'cloudformation';
    const v = resource.values;
    const region = ctx.region(resource);
    const keyValue = cfn ? v.KmsKeyArn : v.kms_key_arn;
    const noKey = keyValue === undefined || keyValue === null || keyValue === '';
    const protection = noKey
      ? protectionFromKey(null, ctx.keys.resolve(LAMBDA_KEY_ALIAS, resource, region), null, ['no KMS key for environment variables: Lambda encrypts them and SnapStart snapshots with the AWS managed key aws/lambda'])
      : protectionFromKey(refText(keyValue), ctx.keys.resolve(keyValue, resource, region), null);
    let envVars: Value | undefined;
    if (cfn) envVars = isMap(v.Environment) ? v.Environment.Variables : v.Environment instanceof Unknown ? v.Environment : undefined;
    else {
      const env = readBlocks(v.environment)[0];
      envVars = env instanceof Unknown ? env : env?.variables;
    }
    const { names, has } = variableNames(envVars);
    const packageType = readString(cfn ? v.PackageType : v.package_type);
    const image = cfn ? (isMap(v.Code) ? v.Code.ImageUri : undefined) : v.image_uri;
    const sourceKey = cfn ? (isMap(v.Code) ? v.Code.SourceKMSKeyArn : undefined) : v.source_kms_key_arn;
    const attributes: { [key: string]: Json } = {
      runtime: typeof readString(cfn ? v.Runtime : v.runtime) === 'string' ? (readString(cfn ? v.Runtime : v.runtime) as string) : null,
      packageType: typeof packageType === 'string' ? packageType : image !== undefined ? 'Image' : 'Zip',
      hasEnvironmentVariables: has,
      environmentVariableNames: names,
      environmentVariableCount: names?.length ?? null,
      environmentError: null,
      kmsKeyArn: noKey ? null : refText(keyValue),
      snapStart: null,
      sourceKmsKeyArn: null,
      sourceKeyLevel: 'aws-owned',
      relatedKeys: [],
    };
    if (has === null) protection.notes.push('the environment variables are not known before deployment');
    if (sourceKey !== undefined && sourceKey !== null && sourceKey !== '') {
      const source = ctx.keys.resolve(sourceKey, resource, region);
      attributes.sourceKmsKeyArn = source.keyArn ?? refText(sourceKey);
      attributes.sourceKeyLevel = source.level;
      attributes.relatedKeys = [{ role: '.zip package', keyArn: source.keyArn, keyRef: refText(sourceKey), level: source.level }];
      if (source.note) protection.notes.push(`.zip package key: ${source.note}`);
    } else if (attributes.packageType === 'Image') {
      attributes.sourceKeyLevel = null;
    }
    const evidence: { [key: string]: Json } = {
      KMSKeyArn: noKey ? null : refText(keyValue),
      PackageType: attributes.packageType!,
      Runtime: attributes.runtime!,
      // Names only, as the live check keeps them.
      Environment: { VariableNames: names },
    };
    return [record(resource, ctx, { service: 'lambda', type: 'function', protection, attributes, evidence, tags: cfn ? v.Tags : v.tags })];
  },
};

export const lambdaIac: ServiceIac = { mapping: lambdaIacMapping, facts: LAMBDA_IAC_FACTS, setKey: lambdaSetKey };
