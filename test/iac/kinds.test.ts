import { describe, expect, it } from 'vitest';
import { judge, resourceById, writeTree } from './helpers.js';

/**
 * Every resource kind at every level it can have, in both formats: the level
 * the code gives must be the level the live check would record. Each case is
 * written as code with a planned key of the right kind (KMS-generated,
 * imported, custom key store) where one is named.
 */

const TF_KEYS = `provider "aws" {
  region = "eu-west-1"
}
resource "aws_kms_key" "cmk" {
  enable_key_rotation = true
}
resource "aws_kms_external_key" "byok" {
  key_material_base64 = "QUJD"
}
resource "aws_kms_key" "hsm" {
  custom_key_store_id = "cks-1234567890abcdef0"
}
`;

const CFN_KEYS = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Cmk:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
  Byok:
    Type: AWS::KMS::Key
    Properties:
      Origin: EXTERNAL
`;

type Case = [name: string, code: string, id: string, level: string];

const TERRAFORM: Case[] = [
  ['S3 without a configuration: SSE-S3 since 2023', 'resource "aws_s3_bucket" "b" {}', 'aws_s3_bucket.b', 'aws-owned'],
  ['S3 aws:kms without a key: aws/s3', 'resource "aws_s3_bucket" "b" {}\nresource "aws_s3_bucket_server_side_encryption_configuration" "b" {\n  bucket = aws_s3_bucket.b.id\n  rule {\n    apply_server_side_encryption_by_default {\n      sse_algorithm = "aws:kms"\n    }\n  }\n}', 'aws_s3_bucket.b', 'aws-managed'],
  ['S3 provider-v3 inline block with a CMK', 'resource "aws_s3_bucket" "b" {\n  server_side_encryption_configuration {\n    rule {\n      apply_server_side_encryption_by_default {\n        sse_algorithm     = "aws:kms:dsse"\n        kms_master_key_id = aws_kms_key.cmk.arn\n      }\n    }\n  }\n}', 'aws_s3_bucket.b', 'customer-managed'],
  ['S3 with an imported key', 'resource "aws_s3_bucket" "b" {}\nresource "aws_s3_bucket_server_side_encryption_configuration" "b" {\n  bucket = aws_s3_bucket.b.bucket\n  rule {\n    apply_server_side_encryption_by_default {\n      sse_algorithm     = "aws:kms"\n      kms_master_key_id = aws_kms_external_key.byok.arn\n    }\n  }\n}', 'aws_s3_bucket.b', 'customer-managed-imported'],
  ['EBS volume encrypted = false', 'resource "aws_ebs_volume" "v" {\n  encrypted = false\n}', 'aws_ebs_volume.v', 'none'],
  ['EBS volume encrypted without a key: the Region default key', 'resource "aws_ebs_volume" "v" {\n  encrypted = true\n}', 'aws_ebs_volume.v', 'aws-managed'],
  ['EBS volume in a custom key store', 'resource "aws_ebs_volume" "v" {\n  encrypted  = true\n  kms_key_id = aws_kms_key.hsm.arn\n}', 'aws_ebs_volume.v', 'customer-managed-hsm'],
  ['EBS volume from a snapshot, encrypted not set', 'resource "aws_ebs_volume" "v" {\n  snapshot_id = "snap-0123456789abcdef0"\n}', 'aws_ebs_volume.v', 'unknown'],
  ['EBS instance without root_block_device: the AMI decides', 'resource "aws_instance" "i" {\n  ami = "ami-0123456789abcdef0"\n}', 'aws_instance.i.root_block_device.0', 'none'],
  ['EBS instance extra device with a CMK', 'resource "aws_instance" "i" {\n  root_block_device {\n    encrypted = true\n  }\n  ebs_block_device {\n    device_name = "/dev/sdf"\n    encrypted   = true\n    kms_key_id  = aws_kms_key.cmk.arn\n  }\n}', 'aws_instance.i.ebs_block_device.0', 'customer-managed'],
  ['EBS default encryption off', 'resource "aws_ebs_encryption_by_default" "d" {\n  enabled = false\n}', 'aws_ebs_encryption_by_default.d', 'none'],
  ['EBS default encryption with a default CMK', 'resource "aws_ebs_encryption_by_default" "d" {}\nresource "aws_ebs_default_kms_key" "k" {\n  key_arn = aws_kms_key.cmk.arn\n}', 'aws_ebs_encryption_by_default.d', 'customer-managed'],
  ['RDS instance without storage_encrypted', 'resource "aws_db_instance" "d" {\n  engine = "postgres"\n}', 'aws_db_instance.d', 'none'],
  ['RDS instance encrypted without a key: aws/rds', 'resource "aws_db_instance" "d" {\n  engine            = "mysql"\n  storage_encrypted = true\n}', 'aws_db_instance.d', 'aws-managed'],
  ['RDS instance replica without storage_encrypted: its source decides', 'resource "aws_db_instance" "d" {\n  replicate_source_db = "orders"\n}', 'aws_db_instance.d', 'unknown'],
  ['RDS Multi-AZ cluster with a CMK', 'resource "aws_rds_cluster" "c" {\n  engine            = "postgres"\n  storage_encrypted = true\n  kms_key_id        = aws_kms_key.cmk.arn\n}', 'aws_rds_cluster.c', 'customer-managed'],
  ['Aurora cluster without storage_encrypted: AWS owned (since 2026-02-18)', 'resource "aws_rds_cluster" "c" {\n  engine = "aurora-postgresql"\n}', 'aws_rds_cluster.c', 'aws-owned'],
  ['Aurora cluster encrypted without a key: aws/rds', 'resource "aws_rds_cluster" "c" {\n  engine            = "aurora-mysql"\n  storage_encrypted = true\n}', 'aws_rds_cluster.c', 'aws-managed'],
  ['DynamoDB without server_side_encryption: AWS owned', 'resource "aws_dynamodb_table" "t" {\n  name = "t"\n}', 'aws_dynamodb_table.t', 'aws-owned'],
  ['DynamoDB enabled without a key: aws/dynamodb', 'resource "aws_dynamodb_table" "t" {\n  server_side_encryption {\n    enabled = true\n  }\n}', 'aws_dynamodb_table.t', 'aws-managed'],
  ['DynamoDB enabled = false: AWS owned', 'resource "aws_dynamodb_table" "t" {\n  server_side_encryption {\n    enabled = false\n  }\n}', 'aws_dynamodb_table.t', 'aws-owned'],
  ['DynamoDB with a CMK', 'resource "aws_dynamodb_table" "t" {\n  server_side_encryption {\n    enabled     = true\n    kms_key_arn = aws_kms_key.cmk.arn\n  }\n}', 'aws_dynamodb_table.t', 'customer-managed'],
  ['Lambda without a key: aws/lambda', 'resource "aws_lambda_function" "f" {\n  function_name = "f"\n}', 'aws_lambda_function.f', 'aws-managed'],
  ['Lambda with an imported key', 'resource "aws_lambda_function" "f" {\n  kms_key_arn = aws_kms_external_key.byok.arn\n}', 'aws_lambda_function.f', 'customer-managed-imported'],
  ['Redshift cluster encrypted = false', 'resource "aws_redshift_cluster" "r" {\n  encrypted = false\n}', 'aws_redshift_cluster.r', 'none'],
  ['Redshift cluster without encrypted: AWS owned (default since 2025-01-10)', 'resource "aws_redshift_cluster" "r" {\n  node_type = "ra3.xlplus"\n}', 'aws_redshift_cluster.r', 'aws-owned'],
  ['Redshift cluster through an HSM', 'resource "aws_redshift_cluster" "r" {\n  encrypted                    = true\n  hsm_configuration_identifier = "hsm-config"\n}', 'aws_redshift_cluster.r', 'customer-managed-hsm'],
  ['Redshift Serverless without a key: AWS owned', 'resource "aws_redshiftserverless_namespace" "n" {\n  namespace_name = "n"\n}', 'aws_redshiftserverless_namespace.n', 'aws-owned'],
  ['Redshift Serverless with a CMK', 'resource "aws_redshiftserverless_namespace" "n" {\n  kms_key_id = aws_kms_key.cmk.arn\n}', 'aws_redshiftserverless_namespace.n', 'customer-managed'],
  ['EFS without encrypted: the API default is unencrypted', 'resource "aws_efs_file_system" "f" {\n  creation_token = "f"\n}', 'aws_efs_file_system.f', 'none'],
  ['EFS encrypted without a key: aws/elasticfilesystem', 'resource "aws_efs_file_system" "f" {\n  encrypted = true\n}', 'aws_efs_file_system.f', 'aws-managed'],
  ['EFS with a key in a custom key store', 'resource "aws_efs_file_system" "f" {\n  encrypted  = true\n  kms_key_id = aws_kms_key.hsm.arn\n}', 'aws_efs_file_system.f', 'customer-managed-hsm'],
  ['KMS key (KMS material)', '', 'aws_kms_key.cmk', 'customer-managed'],
  ['KMS external key (imported material)', '', 'aws_kms_external_key.byok', 'customer-managed-imported'],
  ['KMS key in a custom key store', '', 'aws_kms_key.hsm', 'customer-managed-hsm'],
];

const CLOUDFORMATION: Case[] = [
  ['S3 without BucketEncryption', '  B:\n    Type: AWS::S3::Bucket', 'B', 'aws-owned'],
  ['S3 SSE-KMS with a CMK', '  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n          - ServerSideEncryptionByDefault:\n              SSEAlgorithm: aws:kms\n              KMSMasterKeyID: !Ref Cmk', 'B', 'customer-managed'],
  ['EC2 volume unencrypted', '  V:\n    Type: AWS::EC2::Volume\n    Properties:\n      Encrypted: false', 'V', 'none'],
  ['EC2 volume encrypted without a key', '  V:\n    Type: AWS::EC2::Volume\n    Properties:\n      Encrypted: true', 'V', 'aws-managed'],
  ['EC2 instance with no mappings: the AMI root volume', '  I:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-0123456789abcdef0', 'I.BlockDeviceMappings.root', 'none'],
  ['Launch template with an imported key', '  L:\n    Type: AWS::EC2::LaunchTemplate\n    Properties:\n      LaunchTemplateData:\n        BlockDeviceMappings:\n          - DeviceName: /dev/xvda\n            Ebs:\n              Encrypted: true\n              KmsKeyId: !GetAtt Byok.Arn', 'L.LaunchTemplateData.BlockDeviceMappings.0', 'customer-managed-imported'],
  ['RDS instance unencrypted', '  D:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres', 'D', 'none'],
  ['RDS instance encrypted: aws/rds', '  D:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      StorageEncrypted: true', 'D', 'aws-managed'],
  ['Aurora cluster default: AWS owned', '  C:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      Engine: aurora-postgresql', 'C', 'aws-owned'],
  ['Aurora cluster with a CMK', '  C:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      Engine: aurora-mysql\n      StorageEncrypted: true\n      KmsKeyId: !GetAtt Cmk.Arn', 'C', 'customer-managed'],
  ['DynamoDB without SSESpecification', '  T:\n    Type: AWS::DynamoDB::Table', 'T', 'aws-owned'],
  ['DynamoDB with a CMK', '  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      SSESpecification:\n        SSEEnabled: true\n        SSEType: KMS\n        KMSMasterKeyId: !Ref Cmk', 'T', 'customer-managed'],
  ['Lambda without KmsKeyArn', '  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: nodejs20.x', 'F', 'aws-managed'],
  ['Lambda with a CMK', '  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      KmsKeyArn: !GetAtt Cmk.Arn', 'F', 'customer-managed'],
  ['Redshift cluster unencrypted', '  R:\n    Type: AWS::Redshift::Cluster\n    Properties:\n      Encrypted: false', 'R', 'none'],
  ['Redshift cluster default: AWS owned', '  R:\n    Type: AWS::Redshift::Cluster\n    Properties:\n      NodeType: ra3.xlplus', 'R', 'aws-owned'],
  ['Redshift Serverless with an imported key', '  N:\n    Type: AWS::RedshiftServerless::Namespace\n    Properties:\n      KmsKeyId: !Ref Byok', 'N', 'customer-managed-imported'],
  ['EFS file system unencrypted', '  E:\n    Type: AWS::EFS::FileSystem', 'E', 'none'],
  ['EFS encrypted without a key', '  E:\n    Type: AWS::EFS::FileSystem\n    Properties:\n      Encrypted: true', 'E', 'aws-managed'],
  ['EFS with an imported key', '  E:\n    Type: AWS::EFS::FileSystem\n    Properties:\n      Encrypted: true\n      KmsKeyId: !GetAtt Byok.Arn', 'E', 'customer-managed-imported'],
  ['KMS key', '', 'Cmk', 'customer-managed'],
  ['KMS key with Origin EXTERNAL', '', 'Byok', 'customer-managed-imported'],
];

describe('every Terraform resource kind at every level', () => {
  for (const [name, code, id, level] of TERRAFORM) {
    it(`${name}: ${level}`, async () => {
      const { report } = await judge([writeTree({ 'main.tf': `${TF_KEYS}\n${code}\n` })]);
      const resource = resourceById(report, id);
      expect(resource.protection.level, resource.protection.notes.join('; ')).toBe(level);
    });
  }
});

describe('every CloudFormation resource kind at every level', () => {
  for (const [name, code, id, level] of CLOUDFORMATION) {
    it(`${name}: ${level}`, async () => {
      const { report } = await judge([writeTree({ 'template.yaml': `${CFN_KEYS}${code}\n` })], { region: 'eu-west-1' });
      expect(resourceById(report, id).protection.level, resourceById(report, id).protection.notes.join('; ')).toBe(level);
    });
  }
});
