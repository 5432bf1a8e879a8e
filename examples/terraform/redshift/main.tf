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

# A customer managed key for Redshift: rotates every year, and its key policy lets only
# this account (through its IAM policies) use and manage it.
resource "aws_kms_key" "redshift" {
  description             = "Redshift data"
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

resource "aws_kms_alias" "redshift" {
  name          = "alias/example-redshift"
  target_key_id = aws_kms_key.redshift.key_id
}

resource "aws_redshift_cluster" "warehouse" {
  cluster_identifier     = "warehouse"
  node_type              = "ra3.xlplus"
  number_of_nodes        = 2
  database_name          = "analytics"
  master_username        = "analytics_admin"
  manage_master_password = true
  encrypted              = true
  kms_key_id             = aws_kms_key.redshift.arn
}

resource "aws_redshiftserverless_namespace" "adhoc" {
  namespace_name = "adhoc"
  kms_key_id     = aws_kms_key.redshift.arn
}
