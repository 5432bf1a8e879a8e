import { cfnSet, keyCfn, target, tfKey, tfSet } from '../../iac/fix-helpers.js';
import { hcl, tfName, type FixBuilder, type FixPlan, type HclEntry } from '../../iac/fix-model.js';

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

export { tfSet };
