import { jsonTextEvidence } from '../../collect/evidence.js';
import type { Json, Protection, Resource } from '../../model/inventory.js';
import { awsOwned, unreadable } from '../../collect/protection.js';
import { evidenceOf, keyProtection, names, record, refText, type IacKindFacts, type IacKindMapping, type MapContext, type ServiceIac } from '../../iac/mapping.js';
import type { CodeResource } from '../../iac/model.js';
import { Ref, Unknown, firstUnknown, isMap, readBlocks, readBool, readString, toEvidence, whyUnknown, type Value, type ValueMap } from '../../iac/value.js';
import { s3PolicyFix, s3RuleFix, s3SetKey } from './iac-fix.js';

/**
 * S3 buckets in infrastructure code, judged as the S3 check judges a live
 * bucket (attributes defaultEncryptionConfigured, sseAlgorithm,
 * bucketKeyEnabled, dsse, blockedEncryptionTypes, sseCBlocked; the bucket
 * policy document in evidence.BucketPolicy).
 *
 * Defaults: a bucket without an encryption configuration is SSE-S3
 * (`aws-owned`), never unencrypted — S3 encrypts every new object since
 * 2023-01-05; SSE-KMS without a key id is the AWS managed key aws/s3; a new
 * general purpose bucket blocks SSE-C since April 2026 unless its encryption
 * configuration unblocks it.
 */

const S3_DEFAULT_DOCS = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html';
const SSE_C_DOCS = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/blocking-unblocking-s3-c-encryption-gpb.html';
const TF_BUCKET_DOCS = 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket';
const TF_SSE_DOCS = 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_server_side_encryption_configuration';
const CFN_BUCKET_DOCS = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3-bucket-serversideencryptionrule.html';

export const S3_DEFAULT_ENCRYPTION_DATE = '2023-01-05';

export const S3_IAC_FACTS: IacKindFacts[] = [
  {
    kind: 'aws_s3_bucket (+ aws_s3_bucket_server_side_encryption_configuration, or the provider v3 inline server_side_encryption_configuration)',
    format: 'terraform',
    service: 's3',
    types: ['bucket'],
    defaults: `no encryption configuration: SSE-S3 (aws-owned), which S3 applies to every new object since ${S3_DEFAULT_ENCRYPTION_DATE}; sse_algorithm aws:kms without kms_master_key_id: the AWS managed key aws/s3; bucket_key_enabled omitted: false; blocked_encryption_types omitted on a new bucket: SSE-C blocked (S3's default for new general purpose buckets since April 2026)`,
    docs: [TF_BUCKET_DOCS, TF_SSE_DOCS, S3_DEFAULT_DOCS, SSE_C_DOCS],
  },
  {
    kind: 'AWS::S3::Bucket (+ AWS::S3::BucketPolicy)',
    format: 'cloudformation',
    service: 's3',
    types: ['bucket'],
    defaults: `BucketEncryption omitted: SSE-S3 (aws-owned) since ${S3_DEFAULT_ENCRYPTION_DATE}; SSEAlgorithm aws:kms without KMSMasterKeyID: aws/s3; BucketKeyEnabled omitted: false; BlockedEncryptionTypes omitted on a new bucket: SSE-C blocked (since April 2026)`,
    docs: [CFN_BUCKET_DOCS, S3_DEFAULT_DOCS, SSE_C_DOCS],
  },
];

interface Rule {
  algorithm: Value | undefined;
  key: Value | undefined;
  bucketKey: Value | undefined;
  blocked: Value | undefined;
}

/** The first rule with a default encryption, in either format's shape; null when none; Unknown when the code does not decide it. */
function tfRule(rules: Value | undefined): Rule | null | Unknown {
  const list = readBlocks(rules);
  if (list.length === 0) return null;
  const unknown = list.find((r): r is Unknown => r instanceof Unknown);
  const known = list.filter((r): r is ValueMap => !(r instanceof Unknown));
  const withDefault = known.find((r) => readBlocks(r.apply_server_side_encryption_by_default).length > 0) ?? known[0];
  if (!withDefault) return unknown ?? null;
  const byDefault = readBlocks(withDefault.apply_server_side_encryption_by_default)[0];
  if (byDefault instanceof Unknown) return byDefault;
  return {
    algorithm: byDefault?.sse_algorithm,
    key: byDefault?.kms_master_key_id,
    bucketKey: withDefault.bucket_key_enabled,
    blocked: withDefault.blocked_encryption_types,
  };
}

function cfnRule(encryption: Value | undefined): Rule | null | Unknown {
  if (encryption === undefined || encryption === null) return null;
  if (encryption instanceof Unknown) return encryption;
  if (!isMap(encryption)) return new Unknown('BucketEncryption is not an object');
  const rules = encryption.ServerSideEncryptionConfiguration;
  if (rules instanceof Unknown) return rules;
  const list = Array.isArray(rules) ? rules.filter(isMap) : [];
  const rule = list.find((r) => isMap(r.ServerSideEncryptionByDefault)) ?? list[0];
  if (!rule) return null;
  const byDefault = rule.ServerSideEncryptionByDefault;
  if (byDefault instanceof Unknown) return byDefault;
  const blocked = isMap(rule.BlockedEncryptionTypes) ? rule.BlockedEncryptionTypes.EncryptionType : rule.BlockedEncryptionTypes;
  return {
    algorithm: isMap(byDefault) ? byDefault.SSEAlgorithm : undefined,
    key: isMap(byDefault) ? byDefault.KMSMasterKeyID : undefined,
    bucketKey: rule.BucketKeyEnabled,
    blocked,
  };
}

/** The bucket's own name, and the names other resources may use for it. */
function bucketNames(bucket: CodeResource): Array<string | undefined> {
  const v = bucket.values;
  const name = (x: Value | undefined): string | undefined => (typeof x === 'string' ? x : undefined);
  return [name(v.bucket), name(v.id), name(v.BucketName)];
}

function created(bucket: CodeResource): boolean {
  return !bucket.actions || bucket.actions.includes('create');
}

export const s3IacMapping: IacKindMapping = {
  service: 's3',
  kinds: ['aws_s3_bucket', 'AWS::S3::Bucket'],
  companions: ['aws_s3_bucket_server_side_encryption_configuration', 'aws_s3_bucket_policy', 'AWS::S3::BucketPolicy'],
  map(bucket: CodeResource, ctx: MapContext): Resource[] {
    if (bucket.mode !== 'managed') return [];
    const cfn = bucket.format === 'cloudformation';
    const related: CodeResource[] = [];
    let rule: Rule | null | Unknown;
    let from: string;
    if (cfn) {
      rule = cfnRule(bucket.values.BucketEncryption);
      from = 'BucketEncryption';
    } else {
      const configs = ctx.sameRoot(bucket, ['aws_s3_bucket_server_side_encryption_configuration']).filter((c) => names(c.values.bucket, bucket, bucketNames(bucket)));
      const config = configs[0];
      if (config) {
        related.push(config);
        rule = tfRule(config.values.rule);
        from = config.address;
      } else {
        const inline = readBlocks(bucket.values.server_side_encryption_configuration)[0];
        rule = inline instanceof Unknown ? inline : inline ? tfRule(inline.rule) : null;
        from = inline ? `${bucket.address} server_side_encryption_configuration` : bucket.address;
      }
    }

    const attributes: { [key: string]: Json } = {};
    let protection: Protection;
    const notes: string[] = [];
    const evidence: { [key: string]: Json } = {};
    if (rule instanceof Unknown) {
      protection = unreadable(`the bucket encryption configuration is not known before deployment (${from}): ${rule.reason}`);
      Object.assign(attributes, { defaultEncryptionConfigured: null, sseAlgorithm: null, bucketKeyEnabled: null, dsse: null, blockedEncryptionTypes: [], sseCBlocked: null });
    } else {
      const algorithm = rule ? readString(rule.algorithm) : undefined;
      const configured = rule !== null && algorithm !== undefined;
      const bucketKey = rule ? readBool(rule.bucketKey) : undefined;
      evidence.ServerSideEncryptionConfiguration = rule ? (toEvidence({ sse_algorithm: rule.algorithm ?? null, kms_master_key_id: rule.key ?? null, bucket_key_enabled: rule.bucketKey ?? null, blocked_encryption_types: rule.blocked ?? null } as ValueMap)) : null;
      attributes.defaultEncryptionConfigured = configured;
      attributes.sseAlgorithm = typeof algorithm === 'string' ? algorithm : null;
      attributes.bucketKeyEnabled = typeof bucketKey === 'boolean' ? bucketKey : false;
      attributes.dsse = algorithm === 'aws:kms:dsse';
      const blocked = blockedTypes(rule?.blocked);
      if (blocked instanceof Unknown) {
        attributes.blockedEncryptionTypes = [];
        attributes.sseCBlocked = null;
        notes.push(`whether SSE-C is blocked is not known before deployment: ${blocked.reason}`);
      } else if (blocked) {
        attributes.blockedEncryptionTypes = blocked.filter((t) => t !== 'NONE');
        attributes.sseCBlocked = blocked.includes('SSE-C');
      } else if (created(bucket)) {
        attributes.blockedEncryptionTypes = ['SSE-C'];
        attributes.sseCBlocked = true;
        notes.push('SSE-C blocked: S3 blocks SSE-C uploads on new general purpose buckets since April 2026, and the code does not unblock it');
      } else {
        const live = ctx.inventory?.resources.find((r) => r.service === 's3' && r.type === 'bucket' && bucket.knownArn && r.arn === bucket.knownArn);
        attributes.blockedEncryptionTypes = live && Array.isArray(live.attributes.blockedEncryptionTypes) ? live.attributes.blockedEncryptionTypes : [];
        attributes.sseCBlocked = live && typeof live.attributes.sseCBlocked === 'boolean' ? live.attributes.sseCBlocked : null;
        if (live) notes.push('whether SSE-C is blocked comes from the live inventory (the code does not set it)');
      }
      if (!configured) {
        protection = awsOwned('AES256', [`no default encryption configuration in the code: S3 has encrypted every new object with SSE-S3 since ${S3_DEFAULT_ENCRYPTION_DATE}`]);
      } else if (typeof algorithm !== 'string') {
        protection = unreadable(`the SSE algorithm is not known before deployment: ${whyUnknown(algorithm as Unknown | Ref)}`);
      } else if (algorithm === 'AES256') {
        protection = awsOwned('AES256', [`SSE-S3 (${from}): keys owned and managed by S3`]);
      } else if (algorithm === 'aws:kms' || algorithm === 'aws:kms:dsse') {
        const keyValue = rule!.key;
        const noKey = keyValue === undefined || keyValue === null || keyValue === '';
        const resolution = ctx.keys.resolve(noKey ? 'alias/aws/s3' : keyValue, bucket, ctx.region(bucket));
        const kmsNotes = noKey ? ['SSE-KMS with no key id: S3 uses the AWS managed key aws/s3'] : [];
        if (algorithm === 'aws:kms:dsse') kmsNotes.push('DSSE-KMS: two independent layers of encryption');
        protection = keyProtection(noKey ? null : refText(keyValue), resolution, algorithm, kmsNotes);
      } else {
        protection = unreadable(`unrecognised SSE algorithm "${algorithm}"`);
      }
    }
    protection.notes.push(...notes);

    // The bucket policy: does it refuse unencrypted uploads?
    const policies = ctx
      .sameRoot(bucket, cfn ? ['AWS::S3::BucketPolicy'] : ['aws_s3_bucket_policy'])
      .filter((p) => names(cfn ? p.values.Bucket : p.values.bucket, bucket, bucketNames(bucket)));
    const policyValue = policies[0] ? (cfn ? policies[0].values.PolicyDocument : policies[0].values.policy) : bucket.values.policy;
    if (policies[0]) related.push(policies[0]);
    // Kept whole, as the S3 check keeps it: S3.UPLOAD_ENCRYPTION_POLICY reads it (src/services/s3/bucket-policy.ts).
    if (policyValue === undefined || policyValue === null || policyValue === '') {
      evidence.BucketPolicy = null;
    } else if (policyValue instanceof Unknown || policyValue instanceof Ref || firstUnknown(policyValue)) {
      const why = policyValue instanceof Ref ? `${policyValue.text} is known only after apply` : (firstUnknown(policyValue)?.reason ?? 'not known before deployment');
      evidence.GetBucketPolicyError = { code: 'UnknownBeforeDeployment', message: `the bucket policy is not known before deployment: ${why}` };
    } else if (typeof policyValue === 'string') {
      evidence.BucketPolicy = jsonTextEvidence(policyValue);
    } else {
      evidence.BucketPolicy = toEvidence(policyValue);
    }
    Object.assign(evidence, evidenceOf(bucket.values, cfn ? ['BucketName'] : ['bucket', 'bucket_prefix']));
    return [record(bucket, ctx, { service: 's3', type: 'bucket', protection, attributes, evidence, tags: cfn ? bucket.values.Tags : bucket.values.tags, related })];
  },
};

function blockedTypes(value: Value | undefined): string[] | null | Unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Unknown) return value;
  if (value instanceof Ref) return new Unknown(`${value.text} is known only after apply`);
  const list = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const item of list) {
    if (typeof item === 'string') out.push(item);
    else return new Unknown('an encryption type is not known before deployment');
  }
  return out;
}

export const s3Iac: ServiceIac = { mapping: s3IacMapping, facts: S3_IAC_FACTS, setKey: s3SetKey, ruleFixes: { 'S3.BUCKET_KEY': s3RuleFix, 'S3.SSE_C_BLOCKED': s3RuleFix, 'S3.UPLOAD_ENCRYPTION_POLICY': s3PolicyFix } };
