import { KMSClient } from '@aws-sdk/client-kms';
import {
  DescribeDBClusterAutomatedBackupsCommand,
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBInstanceAutomatedBackupsCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { beforeEach, describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/engine/engine.js';
import type { Resource } from '../../../src/model/inventory.js';
import { BASELINE_POLICY, STRICT_POLICY } from '../../../src/policy/built-in.js';
import { rdsCheck } from '../../../src/services/rds/check.js';
import { checkContext } from '../../helpers/context.js';
import { inventoryFrom } from '../../helpers/dlr-inventory.js';
import { awsError, awsFixture } from '../../helpers/fixtures.js';
import { KEY, mockKeys } from '../../helpers/ebs-rds-kms.js';
import { mockSdkClient } from '../../helpers/mock-sdk.js';

/**
 * RDS and Aurora automated backups (issue 10, item 11): current databases',
 * those replicated here from another Region (under this Region's key) and
 * those retained after their database was deleted, every page.
 */
const rds = mockSdkClient(RDSClient);
const kms = mockSdkClient(KMSClient);

beforeEach(() => {
  mockKeys(kms);
  rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
  rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
  rds.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [] });
  rds.on(DescribeDBClusterSnapshotsCommand).resolves({ DBClusterSnapshots: [] });
  rds.on(DescribeDBInstanceAutomatedBackupsCommand).resolves(awsFixture('rds/describe-db-instance-automated-backups-page1.json'));
  rds.on(DescribeDBInstanceAutomatedBackupsCommand, { Marker: 'automated-backups-page-2' }).resolves(awsFixture('rds/describe-db-instance-automated-backups-page2.json'));
  rds.on(DescribeDBClusterAutomatedBackupsCommand).resolves(awsFixture('rds/describe-db-cluster-automated-backups.json'));
});

const get = (resources: Resource[], type: string, id: string) => resources.find((r) => r.type === type && r.id === id)!;

describe('RDS and Aurora automated backups', () => {
  it('reads both listings over their pages; each backup is a resource with its own key, status and source', async () => {
    const { resources, errors } = await rdsCheck.run(checkContext());
    expect(errors).toEqual([]);
    expect(rds.commandCalls(DescribeDBInstanceAutomatedBackupsCommand)).toHaveLength(2);
    const instanceBackups = resources.filter((r) => r.type === 'db-instance-automated-backup').map((r) => r.id).sort();
    // DocumentDB is another service (left out); a backup without an identifier is named by its resource id.
    expect(instanceBackups).toEqual(['db-NOIDENTITYXAMPLE6', 'eu-orders', 'old-reporting', 'orders-pg']);

    const active = get(resources, 'db-instance-automated-backup', 'orders-pg');
    expect(active).toMatchObject({
      service: 'rds',
      arn: 'arn:aws:rds:us-east-1:111122223333:auto-backup:ab-orderspg7q2rj5xw3kxample1',
      protection: { level: 'aws-managed', keyArn: KEY.rds },
      attributes: { status: 'active', retained: false, replicated: false, replicatedTo: ['arn:aws:rds:us-west-2:111122223333:auto-backup:ab-orderspgreplicaxample2'] },
    });
    const retained = get(resources, 'db-instance-automated-backup', 'old-reporting');
    expect(retained).toMatchObject({ protection: { level: 'none' }, attributes: { retained: true } });
    expect(retained.protection.notes.join()).toContain('retained automated backup of a deleted database');
    // Replicated here from eu-west-1: encrypted with a key of this Region.
    const replica = get(resources, 'db-instance-automated-backup', 'eu-orders');
    expect(replica).toMatchObject({ region: 'us-east-1', protection: { level: 'customer-managed', keyArn: KEY.app }, attributes: { replicated: true, sourceRegion: 'eu-west-1', status: 'replicating' } });
    // No Encrypted field at all: unknown, never guessed.
    expect(get(resources, 'db-instance-automated-backup', 'db-NOIDENTITYXAMPLE6').protection.level).toBe('unknown');

    const ledger = get(resources, 'db-cluster-automated-backup', 'ledger-archive');
    expect(ledger).toMatchObject({ service: 'aurora', protection: { level: 'aws-managed', keyArn: KEY.rds }, attributes: { retained: true } });
    expect(get(resources, 'db-cluster-automated-backup', 'billing-old')).toMatchObject({ service: 'rds', protection: { level: 'none' } });
  });

  it('judges them: a retained unencrypted backup fails high with a restore-and-delete fix; a replicated one under a weak key is fixed by replicating again', async () => {
    const ctx = checkContext();
    const inv = await inventoryFrom(ctx, await rdsCheck.run(ctx), ['rds', 'aurora']);
    const base = evaluate(inv, BASELINE_POLICY, { failOn: 'high' }).findings;
    const f = (findings: typeof base, rule: string, id: string) => findings.find((x) => x.ruleId === rule && x.resourceArn.includes(id))!;
    const old = f(base, 'RDS.AUTOMATED_BACKUP_ENCRYPTION', 'ab-oldreporting');
    expect(old).toMatchObject({ status: 'fail', severity: 'high' });
    expect(old.message).toContain('automated backup of old-reporting: retained (its database was deleted)');
    expect(old.remediation!.steps.join()).toContain('restore-db-instance-to-point-in-time --target-db-instance-identifier old-reporting-restored --source-dbi-resource-id db-OLDREPORTINGK4M2N6PXAMPLE3');
    expect(old.remediation!.steps.join()).toContain('delete-db-instance-automated-backup --dbi-resource-id db-OLDREPORTINGK4M2N6PXAMPLE3');
    expect(f(base, 'RDS.AUTOMATED_BACKUP_ENCRYPTION', 'cluster-BILLINGOLD')).toMatchObject({ status: 'fail', severity: 'high' });
    expect(f(base, 'RDS.AUTOMATED_BACKUP_ENCRYPTION', 'ab-orderspg').status).toBe('pass');
    expect(f(base, 'AURORA.AUTOMATED_BACKUP_ENCRYPTION', 'LEDGERARCHIVE').status).toBe('pass');
    // Under a key the policy refuses, a replicated backup is re-replicated with a key of its Region.
    const strictish = evaluate(inv, { ...STRICT_POLICY, minimumLevel: { default: 'customer-managed-hsm' } }, { failOn: 'high' }).findings;
    const replica = f(strictish, 'RDS.AUTOMATED_BACKUP_ENCRYPTION', 'ab-euorders');
    expect(replica.status).toBe('fail');
    expect(replica.remediation!.cli).toBe('aws rds start-db-instance-automated-backups-replication --source-db-instance-arn arn:aws:rds:eu-west-1:111122223333:db:eu-orders --kms-key-id KEY_ARN');
    const cluster = f(strictish, 'AURORA.AUTOMATED_BACKUP_ENCRYPTION', 'LEDGERARCHIVE');
    expect(cluster.remediation!.steps[0]).toContain('restore-db-cluster-to-point-in-time --db-cluster-identifier ledger-archive-restored --source-db-cluster-resource-id cluster-LEDGERARCHIVEXAMPLE7');
    expect(cluster.remediation!.steps[0]).toContain('--kms-key-id KEY_ARN');
  });

  it('a denied listing is a scan error for each service it leaves unread; the other listing still reads', async () => {
    rds.on(DescribeDBClusterAutomatedBackupsCommand).rejects(awsError('AccessDenied', 'not authorized to perform: rds:DescribeDBClusterAutomatedBackups', 403));
    const { resources, errors } = await rdsCheck.run(checkContext());
    expect(errors.map((e) => `${e.service} ${e.operation}`).sort()).toEqual(['aurora DescribeDBClusterAutomatedBackups', 'rds DescribeDBClusterAutomatedBackups']);
    expect(resources.filter((r) => r.type === 'db-instance-automated-backup')).toHaveLength(4);
  });
});
