import {
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
  GetEbsDefaultKmsKeyIdCommand,
  GetEbsEncryptionByDefaultCommand,
} from '@aws-sdk/client-ec2';
import { DescribeKeyCommand, GetKeyRotationStatusCommand, KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
import {
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { collect } from '../../src/collect/collect.js';
import { evaluate } from '../../src/engine/engine.js';
import { BASELINE_POLICY } from '../../src/policy/built-in.js';
import { validator } from '../../src/schema.js';
import { ACCOUNT, testClients } from '../helpers/context.js';
import { awsError } from '../helpers/fixtures.js';
import { mockSdkClient } from '../helpers/mock-sdk.js';

/**
 * The CI contract, in-process: collect() with the EBS and RDS checks against
 * mocked AWS, then evaluate(). AccessDenied on one API in one region makes
 * that service-region unknown while the rest of the scan goes on, and the
 * outcome is exit code 3 when nothing else fails.
 */
const ec2 = mockSdkClient(EC2Client);
const rds = mockSdkClient(RDSClient);
const kms = mockSdkClient(KMSClient);

const REGIONS = ['us-east-1', 'eu-west-1'];
const ebsKey = (region: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/0f1e2d3c-2222-4a5b-9c8d-0000000000${region === 'us-east-1' ? '01' : '02'}`;
const rdsKey = (region: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/0f1e2d3c-3333-4a5b-9c8d-0000000000${region === 'us-east-1' ? '01' : '02'}`;

async function regionOf(getClient: () => { config: { region: () => Promise<string> } }): Promise<string> {
  return getClient().config.region();
}

function mockAccount(options: { unencryptedVolume?: boolean } = {}): void {
  // KMS: the AWS managed keys aws/ebs and aws/rds in each region.
  kms.on(ListAliasesCommand).callsFake(async (_input, getClient) => {
    const region = await regionOf(getClient);
    return {
      Aliases: [
        { AliasName: 'alias/aws/ebs', AliasArn: `arn:aws:kms:${region}:${ACCOUNT}:alias/aws/ebs`, TargetKeyId: ebsKey(region).split('/')[1] },
        { AliasName: 'alias/aws/rds', AliasArn: `arn:aws:kms:${region}:${ACCOUNT}:alias/aws/rds`, TargetKeyId: rdsKey(region).split('/')[1] },
      ],
    };
  });
  kms.on(DescribeKeyCommand).callsFake((input: { KeyId: string }) => {
    const arn = input.KeyId;
    return {
      KeyMetadata: {
        AWSAccountId: ACCOUNT,
        KeyId: arn.split('/')[1],
        Arn: arn,
        KeyManager: 'AWS',
        KeyState: 'Enabled',
        Enabled: true,
        Origin: 'AWS_KMS',
        KeySpec: 'SYMMETRIC_DEFAULT',
        KeyUsage: 'ENCRYPT_DECRYPT',
        CreationDate: new Date('2023-05-10T08:00:00.000Z'),
      },
    };
  });
  kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true });

  ec2.on(DescribeVolumesCommand).callsFake(async (_input, getClient) => {
    const region = await regionOf(getClient);
    return {
      Volumes: [
        { VolumeId: `vol-${region}-1`, Encrypted: true, KmsKeyId: ebsKey(region), State: 'in-use', CreateTime: new Date('2025-06-01T00:00:00.000Z') },
        ...(options.unencryptedVolume && region === 'eu-west-1' ? [{ VolumeId: 'vol-plain', Encrypted: false, State: 'available' }] : []),
      ],
    };
  });
  ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
  ec2.on(GetEbsEncryptionByDefaultCommand).resolves({ EbsEncryptionByDefault: true });
  ec2.on(GetEbsDefaultKmsKeyIdCommand).callsFake(async (_input, getClient) => ({ KmsKeyId: ebsKey(await regionOf(getClient)) }));

  rds.on(DescribeDBClustersCommand).callsFake(async (_input, getClient) => {
    const region = await regionOf(getClient);
    if (region === 'eu-west-1') throw awsError('AccessDenied', `User: arn:aws:iam::${ACCOUNT}:role/atrest-audit is not authorized to perform: rds:DescribeDBClusters`, 403);
    return {
      DBClusters: [
        {
          DBClusterIdentifier: 'orders-aurora',
          DBClusterArn: `arn:aws:rds:${region}:${ACCOUNT}:cluster:orders-aurora`,
          Engine: 'aurora-mysql',
          StorageEncrypted: true,
          StorageEncryptionType: 'sse-kms',
          KmsKeyId: rdsKey(region),
          ClusterCreateTime: new Date('2024-01-01T00:00:00.000Z'),
          DBClusterMembers: [{ DBInstanceIdentifier: 'orders-aurora-1', IsClusterWriter: true }],
        },
      ],
    };
  });
  rds.on(DescribeDBInstancesCommand).callsFake(async (_input, getClient) => {
    const region = await regionOf(getClient);
    return {
      DBInstances: [
        {
          DBInstanceIdentifier: 'orders-aurora-1',
          DBInstanceArn: `arn:aws:rds:${region}:${ACCOUNT}:db:orders-aurora-1`,
          Engine: 'aurora-mysql',
          DBClusterIdentifier: 'orders-aurora',
          StorageEncrypted: true,
          KmsKeyId: rdsKey(region),
        },
      ],
    };
  });
  rds.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [] });
  rds.on(DescribeDBClusterSnapshotsCommand).resolves({ DBClusterSnapshots: [] });
}

async function scan() {
  const clients = testClients();
  const { inventory } = await collect({
    clients,
    accountId: ACCOUNT,
    principalArn: `arn:aws:iam::${ACCOUNT}:role/atrest-audit`,
    partition: 'aws',
    regions: REGIONS,
    services: ['ebs', 'rds', 'aurora'],
    concurrency: 4,
    log: () => {},
    now: () => new Date('2026-11-28T09:00:00.000Z'),
  });
  return inventory;
}

describe('collect + evaluate with the EBS and RDS checks', () => {
  it('AccessDenied on DescribeDBClusters in one region: that service-region is unknown, the rest is scanned, exit code 3', async () => {
    mockAccount();
    const inventory = await scan();
    const validate = validator('inventory.schema.json');
    expect(validate(inventory), JSON.stringify(validate.errors)).toBe(true);

    expect(inventory.scan.errors).toEqual([
      expect.objectContaining({ service: 'aurora', region: 'eu-west-1', operation: 'DescribeDBClusters', code: 'AccessDenied' }),
      expect.objectContaining({ service: 'rds', region: 'eu-west-1', operation: 'DescribeDBClusters', code: 'AccessDenied' }),
    ]);
    // The rest of the scan went on: both regions' EBS, us-east-1's cluster, and eu-west-1's Aurora
    // member reported on its own rather than lost.
    const summary = inventory.resources.map((r) => `${r.service}/${r.type}/${r.region}/${r.id}`);
    expect(summary).toEqual(
      expect.arrayContaining([
        'aurora/db-cluster/us-east-1/orders-aurora',
        'aurora/db-instance/eu-west-1/orders-aurora-1',
        'ebs/volume/us-east-1/vol-us-east-1-1',
        'ebs/volume/eu-west-1/vol-eu-west-1-1',
        `ebs/ebs-encryption-by-default/us-east-1/${ACCOUNT}:us-east-1`,
        `ebs/ebs-encryption-by-default/eu-west-1/${ACCOUNT}:eu-west-1`,
      ]),
    );
    expect(summary.filter((s) => s.includes('orders-aurora-1') && s.includes('us-east-1'))).toEqual([]);

    const report = evaluate(inventory, BASELINE_POLICY, { failOn: 'high' });
    const validateReport = validator('report.schema.json');
    expect(validateReport(JSON.parse(JSON.stringify(report))), JSON.stringify(validateReport.errors)).toBe(true);
    expect(report.findings.filter((f) => f.status === 'fail')).toEqual([]);
    const unknown = report.findings.filter((f) => f.status === 'unknown');
    expect(unknown.map((f) => `${f.ruleId} ${f.service} ${f.region}`).sort()).toEqual(['SCAN.INCOMPLETE aurora eu-west-1', 'SCAN.INCOMPLETE rds eu-west-1']);
    expect(report.outcome.exitCode).toBe(3);
  });

  it('a real failure still wins over the unknowns: exit code 1', async () => {
    mockAccount({ unencryptedVolume: true });
    const report = evaluate(await scan(), BASELINE_POLICY, { failOn: 'high' });
    const failing = report.findings.filter((f) => f.status === 'fail').map((f) => `${f.ruleId} ${f.resourceArn}`);
    expect(failing).toEqual([`EBS.VOLUME_ENCRYPTION arn:aws:ec2:eu-west-1:${ACCOUNT}:volume/vol-plain`]);
    expect(report.outcome.exitCode).toBe(1);
  });

  it('with every call answered, the same account is clean: exit code 0', async () => {
    mockAccount();
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
    const inventory = await scan();
    expect(inventory.scan.errors).toEqual([]);
    expect(evaluate(inventory, BASELINE_POLICY, { failOn: 'high' }).outcome.exitCode).toBe(0);
  });
});
