import { KMSClient } from '@aws-sdk/client-kms';
import {
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { beforeEach, describe, expect, it } from 'vitest';
import { rdsCheck, serviceOfEngine } from '../../../src/services/rds/check.js';
import type { Resource } from '../../../src/model/inventory.js';
import { ACCOUNT, checkContext } from '../../helpers/context.js';
import { awsError, awsFixture } from '../../helpers/fixtures.js';
import { mockSdkClient } from '../../helpers/mock-sdk.js';
import { KEY, mockKeys } from '../../helpers/ebs-rds-kms.js';

const rds = mockSdkClient(RDSClient);
const kms = mockSdkClient(KMSClient);

function mockPages(): void {
  rds.on(DescribeDBClustersCommand).resolves(awsFixture('rds/describe-db-clusters-page1.json'));
  rds.on(DescribeDBClustersCommand, { Marker: 'clusters-page-2' }).resolves(awsFixture('rds/describe-db-clusters-page2.json'));
  rds.on(DescribeDBInstancesCommand).resolves(awsFixture('rds/describe-db-instances-page1.json'));
  rds.on(DescribeDBInstancesCommand, { Marker: 'instances-page-2' }).resolves(awsFixture('rds/describe-db-instances-page2.json'));
  rds.on(DescribeDBSnapshotsCommand).resolves(awsFixture('rds/describe-db-snapshots-page1.json'));
  rds.on(DescribeDBSnapshotsCommand, { Marker: 'snapshots-page-2' }).resolves(awsFixture('rds/describe-db-snapshots-page2.json'));
  rds.on(DescribeDBClusterSnapshotsCommand).resolves(awsFixture('rds/describe-db-cluster-snapshots-page1.json'));
  rds.on(DescribeDBClusterSnapshotsCommand, { Marker: 'cluster-snapshots-page-2' }).resolves(awsFixture('rds/describe-db-cluster-snapshots-page2.json'));
}

function find(resources: Resource[], type: string, id: string): Resource {
  const found = resources.find((r) => r.type === type && r.id === id);
  if (!found) throw new Error(`no ${type} ${id} in ${resources.map((r) => `${r.type}:${r.id}`).join(', ')}`);
  return found;
}

const ids = (resources: Resource[], service: string, type: string): string[] =>
  resources
    .filter((r) => r.service === service && r.type === type)
    .map((r) => r.id)
    .sort();

beforeEach(() => mockKeys(kms));

describe('rds check', () => {
  it('reads every page of instances, clusters and both snapshot kinds', async () => {
    mockPages();
    const { resources, errors } = await rdsCheck.run(checkContext());
    expect(errors).toEqual([]);
    for (const command of [DescribeDBClustersCommand, DescribeDBInstancesCommand, DescribeDBSnapshotsCommand, DescribeDBClusterSnapshotsCommand]) {
      expect(rds.commandCalls(command)).toHaveLength(2);
    }
    expect(rds.commandCalls(DescribeDBClustersCommand)[1]!.args[0].input).toMatchObject({ Marker: 'clusters-page-2' });

    expect(ids(resources, 'aurora', 'db-cluster')).toEqual(['ledger-aurora', 'legacy-aurora', 'orders-aurora']);
    expect(ids(resources, 'rds', 'db-cluster')).toEqual(['billing-maz']);
    expect(ids(resources, 'rds', 'db-instance')).toEqual(['legacy-mysql', 'orders-pg']);
    expect(ids(resources, 'rds', 'db-snapshot')).toEqual(['legacy-mysql-before-upgrade', 'orders-pg-export-copy', 'rds:orders-pg-2026-11-27-03-10']);
    expect(ids(resources, 'rds', 'db-cluster-snapshot')).toEqual(['rds:billing-maz-2026-11-27-05-00']);
    expect(ids(resources, 'aurora', 'db-cluster-snapshot')).toEqual(['legacy-aurora-final', 'rds:orders-aurora-2026-11-27-04-00']);
  });

  it('reports an Aurora cluster once, with its member instances in its evidence and not as resources', async () => {
    mockPages();
    const { resources } = await rdsCheck.run(checkContext());
    const cluster = find(resources, 'db-cluster', 'orders-aurora');
    expect(cluster.service).toBe('aurora');
    expect(cluster.attributes.members).toEqual(['orders-aurora-1', 'orders-aurora-2']);
    expect(cluster.evidence.DBClusterMembers).toEqual([
      { DBInstanceIdentifier: 'orders-aurora-1', IsClusterWriter: true },
      { DBInstanceIdentifier: 'orders-aurora-2', IsClusterWriter: false },
    ]);
    expect(cluster.evidence.MemberInstances).toEqual([
      expect.objectContaining({ DBInstanceIdentifier: 'orders-aurora-1', StorageEncryptionType: 'sse-rds' }),
      expect.objectContaining({ DBInstanceIdentifier: 'orders-aurora-2', StorageEncryptionType: 'sse-rds' }),
    ]);
    // No member instance is reported on its own, Aurora or Multi-AZ.
    const members = ['orders-aurora-1', 'orders-aurora-2', 'legacy-aurora-1', 'ledger-aurora-1', 'billing-maz-1', 'billing-maz-2', 'billing-maz-3'];
    expect(resources.filter((r) => members.includes(r.id))).toEqual([]);
    expect(find(resources, 'db-cluster', 'billing-maz').attributes.members).toEqual(['billing-maz-1', 'billing-maz-2', 'billing-maz-3']);
  });

  it('classifies sse-rds as aws-owned, even with StorageEncrypted=false', async () => {
    mockPages();
    const { resources } = await rdsCheck.run(checkContext());
    expect(find(resources, 'db-cluster', 'orders-aurora').protection).toMatchObject({ level: 'aws-owned', algorithm: 'sse-rds', keyArn: null });
    expect(find(resources, 'db-cluster-snapshot', 'rds:orders-aurora-2026-11-27-04-00').protection.level).toBe('aws-owned');
  });

  it('treats StorageEncrypted=false as none whatever KmsKeyId says, without resolving that key', async () => {
    mockPages();
    const { resources } = await rdsCheck.run(checkContext());
    const legacy = find(resources, 'db-instance', 'legacy-mysql');
    expect(legacy.protection).toMatchObject({ level: 'none', keyArn: null });
    expect(legacy.protection.notes.join(' ')).toContain('ignored');
    expect(legacy.evidence.KmsKeyId).toContain('00000000-0000-0000-0000-000000000000');
    expect(find(resources, 'db-cluster', 'legacy-aurora').protection.level).toBe('none');
    expect(find(resources, 'db-snapshot', 'legacy-mysql-before-upgrade').protection.level).toBe('none');
  });

  it('takes the level of the resolved key otherwise: aws/rds is AWS managed, a CloudHSM key is customer-managed-hsm', async () => {
    mockPages();
    const { resources } = await rdsCheck.run(checkContext());
    expect(find(resources, 'db-instance', 'orders-pg').protection).toMatchObject({ level: 'customer-managed', keyArn: KEY.app });
    expect(find(resources, 'db-cluster', 'billing-maz').protection).toMatchObject({ level: 'aws-managed', keyArn: KEY.rds });
    expect(find(resources, 'db-cluster', 'ledger-aurora').protection).toMatchObject({ level: 'customer-managed-hsm', keyArn: KEY.hsm });
    expect(find(resources, 'db-snapshot', 'orders-pg-export-copy').protection.level).toBe('aws-managed');
  });

  it('leaves DocumentDB and Neptune out instead of mixing them into rds', async () => {
    mockPages();
    const logs: string[] = [];
    const { resources } = await rdsCheck.run(checkContext({ log: (m) => logs.push(m) }));
    expect(resources.filter((r) => /docdb|neptune/.test(r.id))).toEqual([]);
    expect(logs).toContain('rds: 4 DocumentDB/Neptune resource(s) in us-east-1 left out: they are other services (see docs/services/rds.md)');
    expect(serviceOfEngine('docdb')).toBeNull();
    expect(serviceOfEngine('neptune')).toBeNull();
    expect(serviceOfEngine('aurora-postgresql')).toBe('aurora');
    expect(serviceOfEngine('sqlserver-se')).toBe('rds');
  });

  it('never reports a snapshot another account owns', async () => {
    mockPages();
    const { resources } = await rdsCheck.run(checkContext());
    expect(resources.find((r) => r.id === 'partner-share')).toBeUndefined();
    expect(resources.every((r) => r.accountId === ACCOUNT)).toBe(true);
  });

  it('names each snapshot source, so a snapshot can be compared with it', async () => {
    mockPages();
    const { resources } = await rdsCheck.run(checkContext());
    expect(find(resources, 'db-snapshot', 'orders-pg-export-copy').attributes).toMatchObject({
      sourceIdentifier: 'orders-pg',
      sourceArn: `arn:aws:rds:us-east-1:${ACCOUNT}:db:orders-pg`,
      snapshotType: 'manual',
    });
    expect(find(resources, 'db-cluster-snapshot', 'legacy-aurora-final').attributes).toMatchObject({
      sourceIdentifier: 'legacy-aurora',
      sourceArn: `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:legacy-aurora`,
    });
  });

  it('keeps to the services asked for: an Aurora-only scan never lists instances or instance snapshots', async () => {
    mockPages();
    const { resources, errors } = await rdsCheck.run(checkContext({ services: ['aurora'] }));
    expect(errors).toEqual([]);
    expect(rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(0);
    expect(rds.commandCalls(DescribeDBSnapshotsCommand)).toHaveLength(0);
    expect(new Set(resources.map((r) => r.service))).toEqual(new Set(['aurora']));
    // Membership still comes from DBClusterMembers.
    expect(find(resources, 'db-cluster', 'orders-aurora').attributes.members).toEqual(['orders-aurora-1', 'orders-aurora-2']);
    expect(find(resources, 'db-cluster', 'orders-aurora').evidence.MemberInstances).toBeUndefined();
  });

  it('on AccessDenied for DescribeDBClusters: an error for rds and aurora, and member instances reported on their own rather than lost', async () => {
    mockPages();
    rds.on(DescribeDBClustersCommand).rejects(awsError('AccessDenied', 'User is not authorized to perform: rds:DescribeDBClusters', 403));
    const { resources, errors } = await rdsCheck.run(checkContext());
    expect(errors).toEqual([
      { service: 'rds', region: 'us-east-1', operation: 'DescribeDBClusters', code: 'AccessDenied', message: 'User is not authorized to perform: rds:DescribeDBClusters' },
      { service: 'aurora', region: 'us-east-1', operation: 'DescribeDBClusters', code: 'AccessDenied', message: 'User is not authorized to perform: rds:DescribeDBClusters' },
    ]);
    expect(resources.filter((r) => r.type === 'db-cluster')).toEqual([]);
    const orphan = find(resources, 'db-instance', 'orders-aurora-1');
    expect(orphan.service).toBe('aurora');
    expect(orphan.protection.level).toBe('aws-owned');
    expect(orphan.attributes.clusterIdentifier).toBe('orders-aurora');
    expect(orphan.protection.notes.join(' ')).toContain('DescribeDBClusters failed');
    expect(find(resources, 'db-instance', 'billing-maz-1').service).toBe('rds');
    // Everything else was still read.
    expect(ids(resources, 'rds', 'db-snapshot')).toHaveLength(3);
    expect(ids(resources, 'aurora', 'db-cluster-snapshot')).toHaveLength(2);
  });

  it('on AccessDenied for DescribeDBInstances: an rds error only, clusters unaffected', async () => {
    mockPages();
    rds.on(DescribeDBInstancesCommand).rejects(awsError('AccessDenied', 'denied', 403));
    const { resources, errors } = await rdsCheck.run(checkContext());
    expect(errors.map((e) => `${e.service}:${e.operation}`)).toEqual(['rds:DescribeDBInstances']);
    expect(ids(resources, 'aurora', 'db-cluster')).toHaveLength(3);
    expect(find(resources, 'db-cluster', 'orders-aurora').evidence.MemberInstances).toBeUndefined();
  });

  it('is unknown, never a guess, when the encryption fields or the key are missing', async () => {
    rds.on(DescribeDBClustersCommand).resolves({
      DBClusters: [
        { DBClusterIdentifier: 'no-fields', Engine: 'aurora-mysql' },
        { DBClusterIdentifier: 'no-key', Engine: 'aurora-mysql', StorageEncrypted: true },
        { DBClusterIdentifier: 'contradiction', Engine: 'aurora-mysql', StorageEncrypted: false, StorageEncryptionType: 'sse-kms', KmsKeyId: KEY.app },
        { Engine: 'aurora-mysql' },
      ],
    });
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceIdentifier: 'no-engine', StorageEncrypted: true, KmsKeyId: 'alias/aws/rds' }] });
    rds.on(DescribeDBSnapshotsCommand).resolves({});
    rds.on(DescribeDBClusterSnapshotsCommand).resolves({});
    const { resources, errors } = await rdsCheck.run(checkContext());
    expect(errors).toEqual([]);
    expect(find(resources, 'db-cluster', 'no-fields').protection.level).toBe('unknown');
    expect(find(resources, 'db-cluster', 'no-key').protection.level).toBe('unknown');
    expect(find(resources, 'db-cluster', 'no-key').protection.notes.join(' ')).toContain('no KmsKeyId');
    // StorageEncrypted is trusted over StorageEncryptionType (sse-rds is the only documented exception).
    expect(find(resources, 'db-cluster', 'contradiction').protection.level).toBe('none');
    expect(resources.filter((r) => r.type === 'db-cluster')).toHaveLength(3);
    // A missing Engine is RDS; an alias name resolves through the alias list.
    expect(find(resources, 'db-instance', 'no-engine')).toMatchObject({ service: 'rds', protection: { level: 'aws-managed', keyArn: KEY.rds } });
  });
});
