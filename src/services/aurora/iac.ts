import type { IacKindFacts, ServiceIac } from '../../iac/mapping.js';

/**
 * Aurora in infrastructure code. aws_rds_cluster and AWS::RDS::DBCluster
 * with an aurora* engine are Aurora clusters; the RDS mapping
 * (src/services/rds/iac.ts) reads both services' kinds, as the live check
 * reads both from one API. What is Aurora's own is its default, here.
 */

export const AURORA_DEFAULT_ENCRYPTION_DATE = '2026-02-18';
const AURORA_DOCS = 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html';

/** Why an Aurora cluster the code creates without a key is encrypted with an AWS owned key. */
export const AURORA_DEFAULT_NOTE = `Aurora encrypts every cluster created on or after ${AURORA_DEFAULT_ENCRYPTION_DATE} at rest with an AWS owned key (StorageEncryptionType sse-rds) unless a KMS key is chosen, so a cluster this code creates is encrypted (AWS owned key)`;

export const AURORA_IAC_FACTS: IacKindFacts[] = [
  {
    kind: 'aws_rds_cluster (engine aurora, aurora-mysql, aurora-postgresql)',
    format: 'terraform',
    service: 'aurora',
    types: ['db-cluster'],
    defaults: `storage_encrypted omitted or false: the AWS owned key (sse-rds), Aurora's default for clusters created since ${AURORA_DEFAULT_ENCRYPTION_DATE}; storage_encrypted = true without kms_key_id: aws/rds; kms_key_id set: that key; snapshot_identifier / replication_source_identifier without storage_encrypted: the source's encryption. aws_rds_cluster_instance members are reported through their cluster`,
    docs: ['https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/rds_cluster', AURORA_DOCS],
  },
  {
    kind: 'AWS::RDS::DBCluster (Aurora engines)',
    format: 'cloudformation',
    service: 'aurora',
    types: ['db-cluster'],
    defaults: `StorageEncrypted omitted or false: the AWS owned key (sse-rds) since ${AURORA_DEFAULT_ENCRYPTION_DATE}; true without KmsKeyId: aws/rds; SnapshotIdentifier / SourceDBClusterIdentifier without StorageEncrypted: the source's encryption`,
    docs: ['https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html', AURORA_DOCS],
  },
];

/** Aurora's kinds are read by the RDS mapping (one API, one mapping, as the live check); its defaults are its own, and RDS's fix applies. */
export const auroraIac: ServiceIac = { facts: AURORA_IAC_FACTS };
