import { describe, expect, it } from 'vitest';
import { readInventories } from '../../src/inventory-file.js';
import { ROOT } from '../helpers/fixtures.js';
import { join } from 'node:path';
import { findingPairs, findingsOf, judge, resourceById, writeTree } from './helpers.js';

/**
 * --inventory: the keys the code names are resolved against the live
 * account's keys (the demo account, fixtures/demo), and the Region's EBS
 * encryption by default comes from it.
 */
const live = readInventories([join(ROOT, 'fixtures/demo')]).inventory;

const CODE = `provider "aws" {
  region = "us-east-1"
}

data "aws_kms_alias" "app" {
  name = "alias/app-data"
}

resource "aws_dynamodb_table" "new_orders" {
  name     = "new-orders"
  hash_key = "id"
  server_side_encryption {
    enabled     = true
    kms_key_arn = "alias/old-orders"
  }
}

resource "aws_s3_bucket" "b" {
  bucket = "b"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
  bucket = aws_s3_bucket.b.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = "alias/aws/s3"
    }
    bucket_key_enabled = true
  }
}

resource "aws_ebs_volume" "defaulted" {
  availability_zone = "us-east-1a"
  size              = 5
}

resource "aws_lambda_function" "partner" {
  function_name = "partner"
  kms_key_arn   = "arn:aws:kms:eu-west-1:444455556666:key/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
}

resource "aws_redshiftserverless_namespace" "ns" {
  namespace_name = "ns"
  kms_key_id     = "alias/does-not-exist"
}

resource "aws_db_instance" "db" {
  identifier        = "db"
  engine            = "postgres"
  storage_encrypted = true
  kms_key_id        = data.aws_kms_alias.app.target_key_arn
}
`;

describe('atrest iac --inventory: live knowledge before deployment', () => {
  it('a new table pointed at a key pending deletion is critical before it is created', async () => {
    const { report } = await judge([writeTree({ 'main.tf': CODE })], { live });
    const state = findingsOf(report, 'aws_dynamodb_table.new_orders').find((f) => f.ruleId === 'KMS.KEY_STATE')!;
    expect(state).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(state.message).toContain('alias/old-orders');
    expect(state.message).toContain('scheduled for deletion');
    expect(resourceById(report, 'aws_dynamodb_table.new_orders').protection.keyArn).toBe('arn:aws:kms:us-east-1:111122223333:key/6c9e5f4d-b071-4cad-8e3f-4a5b6c7d8e9f');
    expect(report.outcome.exitCode).toBe(1);
  });

  it('alias/aws/s3 is the live AWS managed key; a key of another account is customer managed and flagged; an unknown alias does not exist', async () => {
    const { report } = await judge([writeTree({ 'main.tf': CODE })], { live });
    expect(resourceById(report, 'aws_s3_bucket.b').protection).toMatchObject({ level: 'aws-managed', keyArn: 'arn:aws:kms:us-east-1:111122223333:key/f2a3b4c5-d6e7-4f80-9b0c-1d2e3f4a5b6c' });
    const partner = resourceById(report, 'aws_lambda_function.partner');
    expect(partner.protection.level).toBe('customer-managed');
    expect(partner.protection.notes.join(' ')).toContain('key in another account (444455556666)');
    const ns = findingsOf(report, 'aws_redshiftserverless_namespace.ns').find((f) => f.ruleId === 'KMS.KEY_STATE')!;
    expect(ns).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(ns.message).toContain('does not exist');
  });

  it('a data source alias resolves to the live key behind it', async () => {
    const { report } = await judge([writeTree({ 'main.tf': CODE })], { live });
    expect(resourceById(report, 'aws_db_instance.db').protection).toMatchObject({ level: 'customer-managed', keyArn: 'arn:aws:kms:us-east-1:111122223333:key/3f6b2c1a-8d4e-4f7a-9b0c-1d2e3f4a5b6c' });
  });

  it('the Region\'s EBS encryption by default decides a volume without `encrypted`: on in us-east-1 (aws/ebs), off in eu-west-1', async () => {
    const east = await judge([writeTree({ 'main.tf': CODE })], { live });
    const v = resourceById(east.report, 'aws_ebs_volume.defaulted');
    expect(v.protection).toMatchObject({ level: 'aws-managed', keyArn: 'arn:aws:kms:us-east-1:111122223333:key/e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b' });
    expect(v.protection.notes.join(' ')).toContain('EBS encryption by default is on in us-east-1');
    const west = await judge([writeTree({ 'main.tf': CODE.replace('region = "us-east-1"', 'region = "eu-west-1"') })], { live });
    const w = resourceById(west.report, 'aws_ebs_volume.defaulted');
    expect(w.protection.level).toBe('none');
    expect(w.protection.notes.join(' ')).toContain('EBS encryption by default is off in eu-west-1 (the live inventory of 111122223333)');
    // Without the inventory, the note says the code cannot know.
    const none = await judge([writeTree({ 'main.tf': CODE })]);
    expect(resourceById(none.report, 'aws_ebs_volume.defaulted').protection.notes.join(' ')).toContain('which the code cannot know: pass --inventory');
  });

  it('without --inventory, keys the code only names are unknown with the reason, never a pass', async () => {
    const { report } = await judge([writeTree({ 'main.tf': CODE })]);
    expect(resourceById(report, 'aws_dynamodb_table.new_orders').protection.level).toBe('unknown');
    expect(resourceById(report, 'aws_dynamodb_table.new_orders').protection.notes.join(' ')).toContain('pass --inventory');
    expect(findingPairs(report, 'unknown')).toContainEqual(['DYNAMODB.TABLE_ENCRYPTION', 'aws_dynamodb_table.new_orders']);
  });
});
