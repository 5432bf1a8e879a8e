terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

# A customer managed key for Aurora: rotates every year, and its key policy lets only
# this account (through its IAM policies) use and manage it.
resource "aws_kms_key" "aurora" {
  description             = "Aurora data"
  enable_key_rotation     = true
  rotation_period_in_days = 365
  deletion_window_in_days = 30
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AccountAdministersAndUsesTheKey"
      Effect    = "Allow"
      Principal = { AWS = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

resource "aws_kms_alias" "aurora" {
  name          = "alias/example-aurora"
  target_key_id = aws_kms_key.aurora.key_id
}

resource "aws_rds_cluster" "payments" {
  cluster_identifier          = "payments"
  engine                      = "aurora-postgresql"
  master_username             = "payments_admin"
  manage_master_user_password = true
  storage_encrypted           = true
  kms_key_id                  = aws_kms_key.aurora.arn
  final_snapshot_identifier   = "payments-final"
}

resource "aws_rds_cluster_instance" "payments" {
  count              = 2
  identifier         = "payments-${count.index}"
  cluster_identifier = aws_rds_cluster.payments.id
  engine             = aws_rds_cluster.payments.engine
  instance_class     = "db.r6g.large"
}
