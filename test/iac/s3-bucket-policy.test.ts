import { describe, expect, it } from 'vitest';
import { blockHeader, bodyOf, named, parseHcl } from '../../src/iac/hcl.js';
import { parseTemplate, templateToJs } from '../../src/iac/cloudformation.js';
import { BASELINE_POLICY } from '../../src/policy/built-in.js';
import { findingsOf, judge, writeTree } from './helpers.js';

const KMS_ONLY = { ...BASELINE_POLICY, bucketPolicyMustRequire: 'kms' as const };

const BUCKET = 'provider "aws" {\n  region = "eu-west-1"\n}\nresource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n';

describe('S3 bucket policies in code (S3.UPLOAD_ENCRYPTION_POLICY), kept whole as the S3 check keeps them', () => {
  it('an aws_s3_bucket_policy that denies non-KMS uploads passes; none fails with the policy resource to add as code', async () => {
    const deny = `${BUCKET}resource "aws_s3_bucket_policy" "b" {\n  bucket = aws_s3_bucket.b.id\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n      Sid = "DenyNonKms"\n      Effect = "Deny"\n      Principal = "*"\n      Action = "s3:PutObject"\n      Resource = "\${aws_s3_bucket.b.arn}/*"\n      Condition = { StringNotEquals = { "s3:x-amz-server-side-encryption" = "aws:kms" } }\n    }]\n  })\n}\n`;
    const pass = await judge([writeTree({ 'main.tf': deny })], { policy: KMS_ONLY });
    expect(findingsOf(pass.report, 'aws_s3_bucket.b').find((f) => f.ruleId === 'S3.UPLOAD_ENCRYPTION_POLICY')?.status).toBe('pass');
    const fail = await judge([writeTree({ 'main.tf': BUCKET })], { policy: KMS_ONLY });
    const finding = findingsOf(fail.report, 'aws_s3_bucket.b').find((f) => f.ruleId === 'S3.UPLOAD_ENCRYPTION_POLICY')!;
    expect(finding.status).toBe('fail');
    expect(finding.fix).toMatchObject({ action: 'add-resource', address: 'aws_s3_bucket_policy.b' });
    const parsed = await parseHcl(finding.fix!.code, 'fix.tf');
    const block = named(bodyOf(parsed.root) ?? parsed.root).find((c) => c.type === 'block')!;
    expect(blockHeader(block)).toEqual({ type: 'resource', labels: ['aws_s3_bucket_policy', 'b'] });
    expect(bodyOf(block)!.text).toContain('"s3:x-amz-server-side-encryption" = "aws:kms"');
    // A policy the code does not decide is unknown, never a pass.
    const unknown = await judge([writeTree({ 'main.tf': `${BUCKET}variable "p" {}\nresource "aws_s3_bucket_policy" "b" {\n  bucket = aws_s3_bucket.b.id\n  policy = var.p\n}\n` })], { policy: KMS_ONLY });
    expect(findingsOf(unknown.report, 'aws_s3_bucket.b').find((f) => f.ruleId === 'S3.UPLOAD_ENCRYPTION_POLICY')?.status).toBe('unknown');
  });

  it('CloudFormation: the fix adds an AWS::S3::BucketPolicy resource, parsed back with the intrinsic tags', async () => {
    const { report } = await judge(['examples/cloudformation/s3.yaml'], { policy: KMS_ONLY, region: 'eu-west-1' });
    const fix = findingsOf(report, 'DataBucket').find((f) => f.ruleId === 'S3.UPLOAD_ENCRYPTION_POLICY')!.fix!;
    expect(fix.action).toBe('add-resource');
    const js = templateToJs(parseTemplate(fix.code, 'fix.yaml').doc) as any;
    expect(js.DataBucketPolicy.Type).toBe('AWS::S3::BucketPolicy');
    expect(js.DataBucketPolicy.Properties.Bucket).toEqual({ Ref: 'DataBucket' });
    expect(js.DataBucketPolicy.Properties.PolicyDocument.Statement[0].Resource).toEqual({ 'Fn::Sub': '${DataBucket.Arn}/*' });
  });
});
