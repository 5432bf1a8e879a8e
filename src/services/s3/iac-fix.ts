import { cfnSet, keyCfn, target, tfKey, tfSet } from '../../iac/fix-helpers.js';
import { tagged } from '../../iac/fix-model.js';
import { hcl, jsonCfn, jsonHcl, tfName, type FixBuilder, type FixPlan, type HclEntry } from '../../iac/fix-model.js';
import { hclExpression } from '../../iac/fix-render.js';
import type { Json } from '../../model/inventory.js';

/**
 * S3 fixes as code. A bucket's default encryption is its own resource in
 * Terraform (aws_s3_bucket_server_side_encryption_configuration): the fix
 * changes the rule of the one that names the bucket, or adds one. In
 * CloudFormation it is the bucket's BucketEncryption property. New objects
 * only: existing objects keep their encryption until copied (the summary
 * says so).
 */

const SSE_CONFIG = 'aws_s3_bucket_server_side_encryption_configuration';

function plan(input: Parameters<FixBuilder>[0], rule: HclEntry[], cfnRule: Record<string, unknown>, summary: string, keyed: boolean): FixPlan {
  const { resource, key } = input;
  const t = target(resource, 'aws_s3_bucket');
  const related = resource.source?.related?.find((r) => r.kind === SSE_CONFIG);
  const extra = keyed ? tfKey(key).extra : [];
  let terraform;
  if (related) {
    const name = related.address.replace(/^.*\./, '');
    terraform = [...extra, { kind: SSE_CONFIG, name, action: 'set' as const, block: ['rule'], entries: rule, file: related.file, line: related.line }];
  } else {
    const bucketRef = t.live ? hcl.str(resource.id) : hcl.expr(`${resource.source!.address.replace(/\[.*\]$/, '')}.id`);
    terraform = [
      ...extra,
      { kind: SSE_CONFIG, name: t.live ? tfName(resource.id) : t.name.replace(/\[.*$/, ''), action: 'add-resource' as const, block: [], entries: [['bucket', bucketRef], ['rule', hcl.block(rule)]] as HclEntry[], file: t.file, line: t.line(), ...(t.live ? { importId: resource.id } : {}) },
    ];
  }
  const cloudformation = [cfnSet(resource, t, { ...(t.live ? { BucketName: resource.id } : {}), BucketEncryption: { ServerSideEncryptionConfiguration: [cfnRule] } })];
  return { summary: `${summary}; applies to objects written afterwards (re-copy existing objects to re-encrypt them)`, terraform, cloudformation, replacement: false };
}

export const s3SetKey: FixBuilder = (input) => {
  const { value } = tfKey(input.key);
  const blockSseC = input.resource.attributes.sseCBlocked === true;
  const rule: HclEntry[] = [
    ['apply_server_side_encryption_by_default', hcl.block([['sse_algorithm', hcl.str('aws:kms')], ['kms_master_key_id', value]])],
    ['bucket_key_enabled', hcl.bool(true)],
    ...(blockSseC ? ([['blocked_encryption_types', hcl.list([hcl.str('SSE-C')])]] as HclEntry[]) : []),
  ];
  const cfnRule = {
    ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyCfn(input.key) },
    BucketKeyEnabled: true,
    ...(blockSseC ? { BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] } } : {}),
  };
  return plan(input, rule, cfnRule, `set the bucket default encryption to SSE-KMS with ${input.key.value} and a Bucket Key`, true);
};

export const s3RuleFix: FixBuilder = (input) => {
  const { finding, resource } = input;
  const algorithm = typeof resource.attributes.sseAlgorithm === 'string' ? resource.attributes.sseAlgorithm : 'AES256';
  const keyRef = resource.protection.keyRef;
  // Keep the bucket's current default encryption: the whole rule is written again.
  const current: HclEntry[] = [['sse_algorithm', hcl.str(algorithm)], ...(keyRef && algorithm !== 'AES256' ? ([['kms_master_key_id', /^[a-z_][a-z0-9_.]*\.(arn|id|key_id)$/.test(keyRef) ? hcl.expr(keyRef) : hcl.str(keyRef)]] as HclEntry[]) : [])];
  const cfnCurrent = { SSEAlgorithm: algorithm, ...(keyRef && algorithm !== 'AES256' ? { KMSMasterKeyID: keyRef } : {}) };
  if (finding.ruleId === 'S3.BUCKET_KEY') {
    return plan(input, [['apply_server_side_encryption_by_default', hcl.block(current)], ['bucket_key_enabled', hcl.bool(true)]], { ServerSideEncryptionByDefault: cfnCurrent, BucketKeyEnabled: true }, 'enable the S3 Bucket Key in the bucket default encryption', false);
  }
  if (finding.ruleId === 'S3.SSE_C_BLOCKED') {
    const bucketKey = resource.attributes.bucketKeyEnabled === true;
    return plan(
      input,
      [['apply_server_side_encryption_by_default', hcl.block(current)], ...(bucketKey ? ([['bucket_key_enabled', hcl.bool(true)]] as HclEntry[]) : []), ['blocked_encryption_types', hcl.list([hcl.str('SSE-C')])]],
      { ServerSideEncryptionByDefault: cfnCurrent, ...(bucketKey ? { BucketKeyEnabled: true } : {}), BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] } },
      'block SSE-C uploads (blocked_encryption_types = ["SSE-C"])',
      false,
    );
  }
  return null;
};

/**
 * S3.UPLOAD_ENCRYPTION_POLICY: the bucket policy with a Deny of uploads that
 * do not ask for the required encryption, added to the statements it has
 * (the policy is replaced whole, as put-bucket-policy does).
 */
export const s3PolicyFix: FixBuilder = (input) => {
  const { resource, policy } = input;
  const demand = policy.bucketPolicyMustRequire ?? 'kms';
  const t = target(resource, 'aws_s3_bucket');
  const bucketArn = t.live || !resource.source ? `arn:aws:s3:::${resource.id}` : null;
  const statement: Json = {
    Sid: demand === 'kms' ? 'DenyNonKmsUploads' : 'DenyUploadsWithoutEncryption',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:PutObject',
    Resource: bucketArn ? `${bucketArn}/*` : 'BUCKET_ARN/*',
    Condition: demand === 'kms' ? { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } } : { Null: { 's3:x-amz-server-side-encryption': 'true' } },
  };
  const existing = resource.evidence.BucketPolicy;
  const current = existing && typeof existing === 'object' && !Array.isArray(existing) ? existing : { Version: '2012-10-17', Statement: [] as Json[] };
  const statements = Array.isArray(current.Statement) ? current.Statement : current.Statement ? [current.Statement] : [];
  const document: Json = { ...current, Statement: [...statements, statement] };
  const related = resource.source?.related?.find((r) => r.kind === 'aws_s3_bucket_policy');
  const bucketRef = t.live ? hcl.str(resource.id) : hcl.expr(`${resource.source!.address.replace(/\[.*\]$/, '')}.id`);
  // In code, the statement's Resource is the bucket's own ARN.
  const hclDoc = hclExpression(jsonHcl(document), '  ').replace('"BUCKET_ARN/*"', `"\${${t.live ? `"arn:aws:s3:::${resource.id}"` : `${resource.source?.address.replace(/\[.*\]$/, '')}.arn`}}/*"`);
  const policyEntry: HclEntry = ['policy', hcl.expr(`jsonencode(${hclDoc})`)];
  const terraform = related
    ? [{ kind: 'aws_s3_bucket_policy', name: related.address.replace(/^.*\./, ''), action: 'set' as const, block: [], entries: [policyEntry], file: related.file, line: related.line }]
    : [{ kind: 'aws_s3_bucket_policy', name: t.live ? tfName(resource.id) : t.name.replace(/\[.*$/, ''), action: 'add-resource' as const, block: [], entries: [['bucket', bucketRef], policyEntry] as HclEntry[], file: t.file, line: null, ...(t.live ? { importId: resource.id } : {}) }];
  const cfnDoc = jsonCfn(document) as Record<string, unknown>;
  const cfnStatement = (cfnDoc.Statement as Array<Record<string, unknown>>).at(-1)!;
  if (!bucketArn) cfnStatement.Resource = tagged('!Sub', `\${${t.name}.Arn}/*`);
  const cloudformation = [
    {
      logicalId: `${t.live ? tfName(resource.id).replace(/[^A-Za-z0-9]/g, '') : t.name}Policy`,
      type: 'AWS::S3::BucketPolicy',
      add: true,
      properties: { Bucket: t.live ? resource.id : tagged('!Ref', t.name), PolicyDocument: cfnDoc },
      file: t.file,
      line: null,
    },
  ];
  return {
    summary: `deny uploads that do not ask for ${demand === 'kms' ? 'SSE-KMS' : 'server-side encryption'} in the bucket policy (the statement is added to the policy's own)`,
    terraform,
    cloudformation,
    replacement: false,
  };
};

export { tfSet };
