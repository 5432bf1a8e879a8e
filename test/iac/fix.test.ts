import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Node } from 'web-tree-sitter';
import { describe, expect, it } from 'vitest';
import { parseTemplate, templateToJs } from '../../src/iac/cloudformation.js';
import { blockHeader, bodyOf, named, parseHcl } from '../../src/iac/hcl.js';
import { runCli } from '../helpers/cli.js';
import { ROOT } from '../helpers/fixtures.js';
import { findingsOf, judge } from './helpers.js';
import type { Policy } from '../../src/model/policy.js';
import { BASELINE_POLICY } from '../../src/policy/built-in.js';

/** Blocks of a parsed HCL file: [type, ...labels] and their attribute names (nested blocks as name{...}). */
function hclBlocks(root: Node): Array<{ header: string[]; attrs: string[] }> {
  const body = bodyOf(root) ?? named(root).find((c) => c.type === 'body');
  const attrs = (block: Node, prefix = ''): string[] => {
    const b = bodyOf(block);
    if (!b) return [];
    return named(b).flatMap((item) => {
      if (item.type === 'attribute') return [`${prefix}${named(item).find((c) => c.type === 'identifier')!.text}=${named(item).find((c) => c.type === 'expression')!.text}`];
      if (item.type === 'block') return attrs(item, `${prefix}${blockHeader(item).type}.`);
      return [];
    });
  };
  return (body ? named(body) : []).filter((c) => c.type === 'block').map((block) => {
    const { type, labels } = blockHeader(block);
    return { header: [type, ...labels], attrs: attrs(block) };
  });
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'atrest-fix-'));
}

const WITH_KEY: Policy = { ...BASELINE_POLICY, remediation: { defaultKey: 'alias/app-data' } };

describe('fixes as code in every failing iac finding', () => {
  it('Terraform: the attribute or block as HCL, parsed back by the HCL parser; the key from remediation.defaultKey', async () => {
    const { report } = await judge(['fixtures/iac/broken/terraform/ebs'], { region: 'eu-west-1', policy: WITH_KEY });
    const fix = findingsOf(report, 'aws_instance.app.root_block_device.0').find((f) => f.ruleId === 'EBS.VOLUME_ENCRYPTION')!.fix!;
    expect(fix).toMatchObject({ format: 'terraform', address: 'aws_instance.app', action: 'set', file: 'fixtures/iac/broken/terraform/ebs/main.tf', line: 62, replacement: true, key: { value: 'alias/app-data', from: 'policy.remediation.defaultKey' } });
    // The key by alias is looked up with a data source, so every attribute gets a key ARN.
    const parsed = await parseHcl(fix.code, 'fix.tf');
    expect(hclBlocks(parsed.root)).toEqual([
      { header: ['data', 'aws_kms_key', 'app-data'], attrs: ['key_id="alias/app-data"'] },
      { header: ['root_block_device'], attrs: ['encrypted=true', 'kms_key_id=data.aws_kms_key.app-data.arn'] },
    ]);
    expect(fix.runbook?.[0]).toMatch(/^aws ec2 create-snapshot --region eu-west-1 --volume-id VOLUME_ID/);
    // The Region setting: a resource to change in place.
    const setting = findingsOf(report, 'aws_ebs_encryption_by_default.this').find((f) => f.ruleId === 'EBS.DEFAULT_ENCRYPTION')!.fix!;
    expect(setting).toMatchObject({ action: 'set', replacement: false, line: 44 });
    expect(setting.code).toBe('enabled = true\n');
  });

  it('without a policy key, a clearly named placeholder; with allowed keys, the first that is not a glob', async () => {
    const plain = await judge(['fixtures/iac/broken/terraform/rds'], { region: 'eu-west-1' });
    const fix = findingsOf(plain.report, 'aws_db_instance.orders').find((f) => f.status === 'fail')!.fix!;
    expect(fix.key).toEqual({ value: 'REPLACE_WITH_CUSTOMER_MANAGED_KMS_KEY_ARN', from: 'placeholder' });
    expect(fix.code).toContain('kms_key_id        = "REPLACE_WITH_CUSTOMER_MANAGED_KMS_KEY_ARN"');
    expect(fix.code).not.toMatch(/arn:aws:kms:[a-z0-9-]+:\d{12}:key\//);
    const allowed = await judge(['fixtures/iac/broken/terraform/rds'], {
      region: 'eu-west-1',
      policy: { ...BASELINE_POLICY, allowedKeys: { rds: ['alias/org-*', 'arn:aws:kms:eu-west-1:111122223333:key/3f6b2c1a-8d4e-4f7a-9b0c-1d2e3f4a5b6c'] } },
    });
    const keyed = findingsOf(allowed.report, 'aws_db_instance.orders').find((f) => f.ruleId === 'RDS.INSTANCE_ENCRYPTION')!.fix!;
    expect(keyed.key).toEqual({ value: 'arn:aws:kms:eu-west-1:111122223333:key/3f6b2c1a-8d4e-4f7a-9b0c-1d2e3f4a5b6c', from: 'policy.allowedKeys' });
    expect(keyed.summary).toMatch(/replaces it with a new, empty one; migrate the data first/);
  });

  it('CloudFormation: the property as YAML with intrinsic tags, parsed back by the tag-aware parser', async () => {
    const { report } = await judge(['fixtures/iac/broken/cloudformation/s3.yaml'], { region: 'eu-west-1', policy: WITH_KEY });
    const rotation = findingsOf(report, 'S3Key').find((f) => f.ruleId === 'KMS.ROTATION')!.fix!;
    expect(rotation).toMatchObject({ format: 'cloudformation', address: 'S3Key', replacement: false });
    expect(templateToJs(parseTemplate(rotation.code, 'fix.yaml').doc)).toEqual({ EnableKeyRotation: true, RotationPeriodInDays: 365 });
    const sseC = findingsOf(report, 'DataBucket').find((f) => f.ruleId === 'S3.SSE_C_BLOCKED')!.fix!;
    const js = templateToJs(parseTemplate(sseC.code, 'fix.yaml').doc) as any;
    expect(js.BucketEncryption.ServerSideEncryptionConfiguration[0].BlockedEncryptionTypes).toEqual({ EncryptionType: ['SSE-C'] });
    const ebs = await judge(['fixtures/iac/broken/cloudformation/ebs.yaml'], { region: 'eu-west-1', policy: WITH_KEY });
    const volume = findingsOf(ebs.report, 'DataVolume').find((f) => f.ruleId === 'EBS.VOLUME_ENCRYPTION')!.fix!;
    expect(templateToJs(parseTemplate(volume.code, 'fix.yaml').doc)).toEqual({ Encrypted: true, KmsKeyId: { 'Fn::Sub': 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/app-data' } });
  });
});

describe('atrest fix REPORT --format terraform|cloudformation|cli', () => {
  it('a pre-deploy report: one file per resource; Terraform parses back with its resource types and fix attributes; replacement first', async () => {
    const dir = tmp();
    const report = join(dir, 'report.json');
    const r = runCli(['iac', 'fixtures/iac/broken/terraform/ebs', '--format', 'json', '--output', report]);
    expect(r.code).toBe(1);
    const out = join(dir, 'tf');
    const fix = runCli(['fix', report, '--format', 'terraform', '--output', out]);
    expect(fix.code, fix.stderr).toBe(0);
    expect(fix.stdout).toContain('wrote 3 file(s)');
    const files = readdirSync(out).sort();
    expect(files).toEqual(['ebs-ebs-encryption-by-default-aws_ebs_encryption_by_default.this.tf', 'ebs-volume-aws_ebs_volume.data.tf', 'ebs-volume-aws_instance.app.tf']);
    const volume = readFileSync(join(out, 'ebs-volume-aws_ebs_volume.data.tf'), 'utf8');
    expect(volume.split('\n')[0]).toBe('# REPLACEMENT: this change cannot be made in place. Applying it creates a NEW, EMPTY resource and deletes the old one.');
    const blocks = hclBlocks((await parseHcl(volume, 'v.tf')).root);
    expect(blocks).toEqual([{ header: ['resource', 'aws_ebs_volume', 'data'], attrs: ['encrypted=true', 'kms_key_id="REPLACE_WITH_CUSTOMER_MANAGED_KMS_KEY_ARN"'] }]);
    const instance = hclBlocks((await parseHcl(readFileSync(join(out, 'ebs-volume-aws_instance.app.tf'), 'utf8'), 'i.tf')).root);
    expect(instance).toEqual([{ header: ['resource', 'aws_instance', 'app'], attrs: ['root_block_device.encrypted=true', 'root_block_device.kms_key_id="REPLACE_WITH_CUSTOMER_MANAGED_KMS_KEY_ARN"'] }]);
  });

  it('a live report: Terraform resource blocks with import blocks and the real ids; CloudFormation snippets; AWS CLI commands', async () => {
    const dir = tmp();
    const report = join(dir, 'report.json');
    expect(runCli(['evaluate', 'fixtures/demo', '--format', 'json', '--output', report]).code).toBe(1);
    const policy = join(dir, 'p.yaml');
    writeFileSync(policy, 'remediation:\n  defaultKey: arn:aws:kms:us-east-1:111122223333:key/3f6b2c1a-8d4e-4f7a-9b0c-1d2e3f4a5b6c\n');
    const tf = runCli(['fix', report, '--format', 'terraform', '--output', join(dir, 'tf'), '--policy', policy]);
    expect(tf.code, tf.stderr).toBe(0);
    const tfFiles = readdirSync(join(dir, 'tf'));
    for (const name of tfFiles) {
      const text = readFileSync(join(dir, 'tf', name), 'utf8');
      await parseHcl(text, name); // every file is valid HCL
    }
    const table = readFileSync(join(dir, 'tf', 'dynamodb-table-orders-2019.tf'), 'utf8');
    const blocks = hclBlocks((await parseHcl(table, 't.tf')).root);
    expect(blocks.map((b) => b.header)).toEqual([['import'], ['resource', 'aws_dynamodb_table', 'orders-2019']]);
    expect(blocks[0]!.attrs).toEqual(['to=aws_dynamodb_table.orders-2019', 'id="orders-2019"']);
    expect(blocks[1]!.attrs).toEqual(['server_side_encryption.enabled=true', 'server_side_encryption.kms_key_arn="arn:aws:kms:us-east-1:111122223333:key/3f6b2c1a-8d4e-4f7a-9b0c-1d2e3f4a5b6c"']);
    // A live volume: the migration comes first, and the import block names the NEW volume.
    const volume = readFileSync(join(dir, 'tf', tfFiles.find((f) => f.startsWith('ebs-volume-'))!), 'utf8');
    expect(volume).toMatch(/^# REPLACEMENT/);
    expect(volume).toContain('id = "NEW_VOLUME_ID"');

    const cfn = runCli(['fix', report, '--format', 'cloudformation', '--output', join(dir, 'cfn'), '--policy', policy]);
    expect(cfn.code, cfn.stderr).toBe(0);
    const bucket = readFileSync(join(dir, 'cfn', 'dynamodb-table-orders-2019.yaml'), 'utf8');
    const js = templateToJs(parseTemplate(bucket, 'b.yaml').doc) as any;
    expect(js.Resources.Orders2019).toEqual({
      Type: 'AWS::DynamoDB::Table',
      Properties: { SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: 'arn:aws:kms:us-east-1:111122223333:key/3f6b2c1a-8d4e-4f7a-9b0c-1d2e3f4a5b6c' } },
    });

    const cli = runCli(['fix', report, '--format', 'cli', '--policy', policy]);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain('# ==> dynamodb-table-orders-2019.sh <==');
    expect(cli.stdout).toContain('aws kms cancel-key-deletion --key-id arn:aws:kms:us-east-1:111122223333:key/6c9e5f4d-b071-4cad-8e3f-4a5b6c7d8e9f');
    expect(cli.stdout).toContain('aws dynamodb update-table --region us-east-1 --table-name orders-2019 --sse-specification Enabled=true,SSEType=KMS,KMSMasterKeyId=arn:aws:kms:us-east-1:111122223333:key/3f6b2c1a-8d4e-4f7a-9b0c-1d2e3f4a5b6c');
  });

  it('refuses an inventory or a file that is not a report, naming it (exit 2)', () => {
    const inventory = runCli(['fix', join(ROOT, 'fixtures/policy/inventory.json'), '--format', 'cli']);
    expect(inventory.code).toBe(2);
    expect(inventory.stderr).toContain('is an inventory, not a report');
    const missing = runCli(['fix', 'nope.json', '--format', 'terraform']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read report nope.json: no such file');
    const noFormat = runCli(['fix', 'nope.json']);
    expect(noFormat.code).toBe(2);
  });
});
