import type { Resource } from '../../model/inventory.js';
import type { Rule } from '../../rules/rule.js';
import { staticFix } from '../../rules/rule-detail.js';
import { analyseBucketPolicy } from './bucket-policy.js';

/**
 * S3.UPLOAD_ENCRYPTION_POLICY: the bucket policy refuses uploads that do not
 * ask for the encryption the policy demands (`bucketPolicyMustRequire`).
 *
 * Why it matters although default encryption applies to every object: the
 * default only decides for uploads that name no encryption. A writer that
 * sends `x-amz-server-side-encryption: AES256` gets SSE-S3 (an AWS owned key)
 * in a bucket whose default is SSE-KMS; only a bucket-policy Deny makes KMS
 * the only way in
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/specifying-kms-encryption.html,
 * "Requiring SSE-KMS for all objects written to a bucket").
 *
 * Not applicable unless the policy asks for it; unknown when the bucket
 * policy could not be read.
 */
const POLICY_DOCS = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms';

function bucketPolicyStatement(bucket: string, demand: 'encryption' | 'kms'): string {
  const condition =
    demand === 'kms'
      ? { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } }
      : { Null: { 's3:x-amz-server-side-encryption': 'true' } };
  return JSON.stringify({
    Sid: demand === 'kms' ? 'DenyNonKmsUploads' : 'DenyUploadsWithoutEncryption',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:PutObject',
    Resource: `arn:aws:s3:::${bucket}/*`,
    Condition: condition,
  });
}

export const s3UploadEncryptionPolicyRule: Rule = {
  id: 'S3.UPLOAD_ENCRYPTION_POLICY',
  title: 'S3 bucket policy does not refuse uploads without the required encryption',
  rationale:
    'Default encryption decides only for uploads that name no encryption: a writer that asks for SSE-S3 (AES256) gets an AWS owned key even where the default is SSE-KMS. A bucket policy that denies PutObject unless it asks for aws:kms is the only way to make KMS the rule for every object. The policy setting bucketPolicyMustRequire asks for it (kms, or at least an encryption header).',
  severity: 'medium',
  matrixFacts: ['granularity', 'possibleLevels'],
  appliesTo: (r: Resource) => r.service === 's3' && r.type === 'bucket' && !r.error,
  evaluate(resource, context) {
    const demand = context.policy.bucketPolicyMustRequire;
    if (!demand) return { status: 'not-applicable', message: `policy "${context.policy.name}" does not ask bucket policies to refuse uploads (bucketPolicyMustRequire)` };
    const failed = resource.evidence.GetBucketPolicyError;
    if (failed && typeof failed === 'object' && !Array.isArray(failed)) {
      return { status: 'unknown', message: `the bucket policy could not be read: GetBucketPolicy ${String(failed.code)}: ${String(failed.message)}` };
    }
    if (!('BucketPolicy' in resource.evidence)) {
      return { status: 'unknown', message: 'the inventory holds no bucket policy for this bucket (collected by an older atrest?)' };
    }
    const document = resource.evidence.BucketPolicy ?? null;
    if (document === null) {
      return { status: 'fail', message: `the bucket has no bucket policy, so uploads that ${demand === 'kms' ? 'ask for SSE-S3' : 'name no encryption'} are accepted` };
    }
    const facts = analyseBucketPolicy(document);
    const by = facts.statements.length > 0 ? ` (statement ${facts.statements.join(', ')})` : '';
    if (demand === 'kms') {
      if (facts.requiresKms) return { status: 'pass', message: `the bucket policy refuses uploads that do not ask for SSE-KMS${by}` };
      return {
        status: 'fail',
        message: facts.deniesUnencryptedUploads
          ? `the bucket policy refuses uploads without encryption${by} but not SSE-S3 uploads: an upload that asks for AES256 is stored under an AWS owned key`
          : 'the bucket policy does not refuse uploads that ask for SSE-S3 (AES256): they are stored under an AWS owned key whatever the default encryption says',
      };
    }
    if (facts.deniesUnencryptedUploads) return { status: 'pass', message: `the bucket policy refuses uploads that name no encryption${by}` };
    return { status: 'fail', message: 'the bucket policy does not refuse uploads that name no server-side encryption' };
  },
  ...staticFix('add a Deny of s3:PutObject to the bucket policy for uploads that do not ask for the required encryption', (resource, context) => {
    const demand = context.policy.bucketPolicyMustRequire ?? 'kms';
    const statement = bucketPolicyStatement(resource.id, demand);
    return {
      path: 'in-place',
      steps: [
        `add this statement to the bucket policy of ${resource.id} (keep the existing statements: put-bucket-policy replaces the whole document): ${statement}`,
        'aws s3api get-bucket-policy --bucket BUCKET --query Policy --output text > policy.json, add the statement, then aws s3api put-bucket-policy --bucket BUCKET --policy file://policy.json'.replaceAll('BUCKET', resource.id),
        demand === 'kms'
          ? 'to pin one key too, add a Deny with StringNotEquals on s3:x-amz-server-side-encryption-aws-kms-key-id; writers that name no encryption still get the bucket default'
          : 'writers that send no header are then refused: make sure every client sets x-amz-server-side-encryption',
      ],
      cli: `aws s3api put-bucket-policy --bucket ${resource.id} --policy file://policy.json`,
      docs: POLICY_DOCS,
    };
  }),
};
