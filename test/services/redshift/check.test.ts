import { DescribeClusterSnapshotsCommand, DescribeClustersCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import { ListNamespacesCommand, ListSnapshotsCommand, ListTagsForResourceCommand, RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import type { KMSClient } from '@aws-sdk/client-kms';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { redshiftCheck } from '../../../src/services/redshift/check.js';
import type { Resource } from '../../../src/model/inventory.js';
import { evaluate } from '../../../src/engine/engine.js';
import { BASELINE_POLICY, STRICT_POLICY } from '../../../src/policy/built-in.js';
import { validator } from '../../../src/schema.js';
import { checkContext } from '../../helpers/context.js';
import { awsError, awsFixture } from '../../helpers/fixtures.js';
import { inventoryFrom } from '../../helpers/dlr-inventory.js';
import { ScriptedClients, scriptedContext } from '../../helpers/http.js';
import { keyArn, mockKms } from '../../helpers/kms-mock-dlr.js';

const CLUSTER = (id: string) => `arn:aws:redshift:us-east-1:111122223333:cluster:${id}`;

let redshift: AwsClientStub<RedshiftClient>;
let serverless: AwsClientStub<RedshiftServerlessClient>;
let kms: AwsClientStub<KMSClient>;

function mockAccount(): void {
  const clusters1 = awsFixture('redshift/describe-clusters-page-1.json');
  redshift.on(DescribeClustersCommand).resolves(clusters1);
  redshift.on(DescribeClustersCommand, { Marker: clusters1.Marker }).resolves(awsFixture('redshift/describe-clusters-page-2.json'));
  const snaps1 = awsFixture('redshift/describe-cluster-snapshots-page-1.json');
  redshift.on(DescribeClusterSnapshotsCommand).resolves(snaps1);
  redshift.on(DescribeClusterSnapshotsCommand, { Marker: snaps1.Marker }).resolves(awsFixture('redshift/describe-cluster-snapshots-page-2.json'));
  const ns1 = awsFixture('redshift/list-namespaces-page-1.json');
  serverless.on(ListNamespacesCommand).resolves(ns1);
  serverless.on(ListNamespacesCommand, { nextToken: ns1.nextToken }).resolves(awsFixture('redshift/list-namespaces-page-2.json'));
  serverless.on(ListTagsForResourceCommand).resolves(awsFixture('redshift/list-tags-for-resource-empty.json'));
  serverless.on(ListTagsForResourceCommand, { resourceArn: NAMESPACE('finance') }).resolves(awsFixture('redshift/list-tags-for-resource-namespace.json'));
}

const NAMESPACE_IDS: Record<string, string> = { default: 'aa58f5ad-32a2-4178-b70a-3a474de0d7d2', finance: 'edab7045-d239-4f5f-ad98-706114608952' };
const NAMESPACE = (name: string) => `arn:aws:redshift-serverless:us-east-1:111122223333:namespace/${NAMESPACE_IDS[name]}`;

beforeEach(() => {
  redshift = mockClient(RedshiftClient);
  serverless = mockClient(RedshiftServerlessClient);
  kms = mockKms();
});
afterEach(() => {
  redshift.restore();
  serverless.restore();
  kms.restore();
});

const get = (resources: Resource[], type: string, id: string): Resource => {
  const found = resources.find((r) => r.type === type && r.id === id);
  expect(found, `${type} ${id}`).toBeDefined();
  return found!;
};

describe('Redshift provisioned clusters', () => {
  it('lists clusters over two pages: Encrypted=false → none, aws/redshift → aws-managed, Encrypted without a KmsKeyId → unknown (issue 10, item 6)', async () => {
    mockAccount();
    const result = await redshiftCheck.run(checkContext());
    expect(result.errors).toEqual([]);
    expect(redshift.commandCalls(DescribeClustersCommand)).toHaveLength(2);
    const legacy = get(result.resources, 'cluster', 'legacy-dw');
    expect(legacy.arn).toBe(CLUSTER('legacy-dw'));
    expect(legacy.protection).toMatchObject({ level: 'none', keyArn: null });
    expect(legacy.attributes).toMatchObject({ encrypted: false, nodeType: 'dc2.large', ra3: false, clusterCreateTime: '2019-04-17T11:22:33.000Z', createdBeforeDefaultEncryption: true });
    expect(legacy.tags).toEqual({ team: 'finance' });

    const analytics = get(result.resources, 'cluster', 'analytics');
    expect(analytics.protection).toMatchObject({ level: 'aws-managed', keyArn: keyArn('awsRedshift'), keyRef: keyArn('awsRedshift') });
    expect(analytics.attributes.ra3).toBe(true);

    // Encrypted, no key named: AWS's own documents disagree on which key that is (AWS owned or aws/redshift), so it is not guessed.
    const reporting = get(result.resources, 'cluster', 'reporting');
    expect(reporting.protection).toMatchObject({ level: 'unknown', keyArn: null });
    expect(reporting.protection.notes.join()).toContain('no KmsKeyId');
    expect(reporting.protection.notes.join()).toContain('aws/redshift');
    expect(reporting.protection.notes.join()).toContain('2025-01-10');
    expect(reporting.attributes.createdBeforeDefaultEncryption).toBe(false);
  });

  it('HSM encryption, AWS_OWNED_KMS_KEY, a missing Encrypted field and an inaccessible-kms-key status', async () => {
    redshift.on(DescribeClustersCommand).resolves({
      Clusters: [
        { ClusterIdentifier: 'hsm-dw', NodeType: 'ds2.xlarge', Encrypted: true, HsmStatus: { HsmClientCertificateIdentifier: 'cert-1', HsmConfigurationIdentifier: 'hsm-config-1', Status: 'active' } },
        { ClusterIdentifier: 'owned', NodeType: 'ra3.large', Encrypted: true, KmsKeyId: 'AWS_OWNED_KMS_KEY' },
        { ClusterIdentifier: 'mystery' },
        { ClusterIdentifier: 'locked', NodeType: 'ra3.4xlarge', Encrypted: true, KmsKeyId: keyArn('ordersOld'), ClusterStatus: 'inaccessible-kms-key' },
      ],
    });
    redshift.on(DescribeClusterSnapshotsCommand).resolves({});
    serverless.on(ListNamespacesCommand).resolves({});
    const ctx = checkContext();
    const result = await redshiftCheck.run(ctx);
    expect(get(result.resources, 'cluster', 'hsm-dw').protection).toMatchObject({ level: 'customer-managed-hsm', keyArn: null, keyRef: null, algorithm: 'HSM' });
    expect(get(result.resources, 'cluster', 'hsm-dw').attributes.hsmConfiguration).toBe('hsm-config-1');
    expect(get(result.resources, 'cluster', 'owned').protection.level).toBe('aws-owned');
    expect(get(result.resources, 'cluster', 'mystery').protection).toMatchObject({ level: 'unknown', notes: ['DescribeClusters returned no Encrypted field'] });
    expect(get(result.resources, 'cluster', 'locked').attributes.keyInaccessible).toBe(true);

    const report = evaluate(await inventoryFrom(ctx, result, ['redshift']), BASELINE_POLICY, { failOn: 'high' });
    const f = (rule: string, id: string) => report.findings.find((x) => x.ruleId === rule && x.resourceArn === CLUSTER(id));
    // An HSM is not a KMS key: no KEY_STATE verdict can be made or guessed.
    expect(f('KMS.KEY_STATE', 'hsm-dw')).toBeUndefined();
    expect(f('REDSHIFT.CLUSTER_ENCRYPTION', 'hsm-dw')!.status).toBe('pass');
    expect(f('REDSHIFT.CLUSTER_ENCRYPTION', 'mystery')!.status).toBe('unknown');
    expect(f('KMS.KEY_STATE', 'locked')).toMatchObject({ status: 'fail', severity: 'critical' });
  });

  it('repeated continuation tokens (emulators) end every listing', async () => {
    redshift.on(DescribeClustersCommand).resolves({ Clusters: [], Marker: 'same' });
    redshift.on(DescribeClusterSnapshotsCommand).resolves({ Snapshots: [], Marker: 'same' });
    serverless.on(ListNamespacesCommand).resolves({ namespaces: [], nextToken: 'same' });
    await redshiftCheck.run(checkContext());
    expect(redshift.commandCalls(DescribeClustersCommand).length).toBeLessThanOrEqual(3);
    expect(redshift.commandCalls(DescribeClusterSnapshotsCommand).length).toBeLessThanOrEqual(3);
    expect(serverless.commandCalls(ListNamespacesCommand).length).toBeLessThanOrEqual(3);
  });

  it('DescribeClusters denied: a scan error; snapshots and namespaces are still read', async () => {
    mockAccount();
    redshift.on(DescribeClustersCommand).rejects(awsError('AccessDenied', 'User is not authorized to perform: redshift:DescribeClusters', 403));
    const result = await redshiftCheck.run(checkContext());
    expect(result.errors).toEqual([expect.objectContaining({ service: 'redshift', operation: 'DescribeClusters', code: 'AccessDenied' })]);
    expect(result.resources.filter((r) => r.type === 'cluster')).toEqual([]);
    expect(result.resources.filter((r) => r.type === 'cluster-snapshot')).toHaveLength(3);
    expect(result.resources.filter((r) => r.type === 'serverless-namespace')).toHaveLength(2);
  });

  it('a throttled DescribeClusters (awsQuery) is retried by the SDK and the cluster is read', async () => {
    redshift.restore();
    serverless.restore();
    let describeCalls = 0;
    const xml = { 'content-type': 'text/xml' };
    const clients = new ScriptedClients((req) => {
      if (req.target === 'ListNamespaces') {
        return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify({ namespaces: [] }) };
      }
      if (req.target === 'ListSnapshots') {
        return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify({ snapshots: [] }) };
      }
      if (req.body.includes('Action=DescribeClusters&')) {
        describeCalls += 1;
        if (describeCalls === 1) {
          return {
            status: 400,
            headers: xml,
            body: '<ErrorResponse xmlns="http://redshift.amazonaws.com/doc/2012-12-01/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>1f2e3d4c-0000-4000-8000-000000000000</RequestId></ErrorResponse>',
          };
        }
        return {
          status: 200,
          headers: xml,
          body: `<DescribeClustersResponse xmlns="http://redshift.amazonaws.com/doc/2012-12-01/"><DescribeClustersResult><Clusters><Cluster><ClusterIdentifier>analytics</ClusterIdentifier><NodeType>ra3.xlplus</NodeType><Encrypted>true</Encrypted><KmsKeyId>${keyArn('awsRedshift')}</KmsKeyId><ClusterCreateTime>2023-07-03T09:00:00.000Z</ClusterCreateTime></Cluster></Clusters></DescribeClustersResult><ResponseMetadata><RequestId>2f2e3d4c-0000-4000-8000-000000000000</RequestId></ResponseMetadata></DescribeClustersResponse>`,
        };
      }
      return {
        status: 200,
        headers: xml,
        body: '<DescribeClusterSnapshotsResponse xmlns="http://redshift.amazonaws.com/doc/2012-12-01/"><DescribeClusterSnapshotsResult><Snapshots/></DescribeClusterSnapshotsResult><ResponseMetadata><RequestId>3f2e3d4c-0000-4000-8000-000000000000</RequestId></ResponseMetadata></DescribeClusterSnapshotsResponse>',
      };
    });
    const result = await redshiftCheck.run(scriptedContext(clients));
    expect(describeCalls).toBe(2);
    expect(result.errors).toEqual([]);
    expect(result.resources).toEqual([expect.objectContaining({ id: 'analytics', protection: expect.objectContaining({ level: 'aws-managed', keyArn: keyArn('awsRedshift') }) })]);
    expect(result.resources[0]!.attributes.clusterCreateTime).toBe('2023-07-03T09:00:00.000Z');
  });
});

describe('Redshift snapshots and serverless namespaces', () => {
  it('reads the snapshots the account owns over two pages (OwnerAccount filter, shared snapshots left out)', async () => {
    mockAccount();
    const result = await redshiftCheck.run(checkContext());
    const calls = redshift.commandCalls(DescribeClusterSnapshotsCommand);
    expect(calls).toHaveLength(2);
    expect(calls.every((c) => c.args[0].input.OwnerAccount === '111122223333')).toBe(true);
    const snaps = result.resources.filter((r) => r.type === 'cluster-snapshot');
    expect(snaps.map((s) => s.id).sort()).toEqual(['legacy-dw-before-migration', 'reporting-quarterly', 'rs:analytics-2026-11-27-03-00-00']);
    expect(get(result.resources, 'cluster-snapshot', 'legacy-dw-before-migration').protection.level).toBe('none');
    const automated = get(result.resources, 'cluster-snapshot', 'rs:analytics-2026-11-27-03-00-00');
    expect(automated.protection).toMatchObject({ level: 'aws-managed', keyArn: keyArn('awsRedshift') });
    expect(automated.attributes).toMatchObject({ snapshotType: 'automated', clusterIdentifier: 'analytics' });
    expect(automated.arn).toBe('arn:aws:redshift:us-east-1:111122223333:snapshot:analytics/rs:analytics-2026-11-27-03-00-00');
    expect(get(result.resources, 'cluster-snapshot', 'reporting-quarterly').protection.level).toBe('unknown');
  });

  it('reads serverless namespaces over two pages: AWS_OWNED_KMS_KEY → aws-owned, a customer key resolved', async () => {
    mockAccount();
    const result = await redshiftCheck.run(checkContext());
    expect(serverless.commandCalls(ListNamespacesCommand)).toHaveLength(2);
    const def = get(result.resources, 'serverless-namespace', 'default');
    expect(def.arn).toBe('arn:aws:redshift-serverless:us-east-1:111122223333:namespace/aa58f5ad-32a2-4178-b70a-3a474de0d7d2');
    expect(def.protection).toMatchObject({ level: 'aws-owned', keyArn: null });
    expect(def.attributes).toMatchObject({ status: 'AVAILABLE', creationDate: '2025-02-08T14:34:58.000Z' });
    expect(get(result.resources, 'serverless-namespace', 'finance').protection).toMatchObject({ level: 'customer-managed', keyArn: keyArn('appData') });
  });

  it('reads each namespace\'s tags with ListTagsForResource ({ key, value } pairs); clusters and snapshots take theirs from the describe calls', async () => {
    mockAccount();
    const result = await redshiftCheck.run(checkContext());
    expect(result.errors).toEqual([]);
    expect(get(result.resources, 'serverless-namespace', 'finance').tags).toEqual({ 'data-classification': 'restricted', team: 'finance' });
    expect(get(result.resources, 'serverless-namespace', 'default').tags).toEqual({});
    expect(serverless.commandCalls(ListTagsForResourceCommand).map((c) => c.args[0].input).sort((a, b) => a.resourceArn!.localeCompare(b.resourceArn!))).toEqual([
      { resourceArn: NAMESPACE('default') },
      { resourceArn: NAMESPACE('finance') },
    ]);
    // DescribeClusters / DescribeClusterSnapshots carry Tags: an empty list is "no tags" ({}), not "unknown".
    expect(get(result.resources, 'cluster', 'legacy-dw').tags).toEqual({ team: 'finance' });
    for (const r of result.resources.filter((x) => x.type === 'cluster' || x.type === 'cluster-snapshot')) expect(r.tags, r.id).toBeDefined();
    expect(get(result.resources, 'cluster-snapshot', 'reporting-quarterly').tags).toEqual({});
  });

  it('ListTagsForResource denied for a namespace: the level stands, no tags, tagsError + evidence + a ScanError', async () => {
    mockAccount();
    const message = 'User: arn:aws:sts::111122223333:assumed-role/atrest-audit/atrest is not authorized to perform: redshift-serverless:ListTagsForResource';
    serverless.on(ListTagsForResourceCommand, { resourceArn: NAMESPACE('finance') }).rejects(awsError('AccessDeniedException', message));
    const result = await redshiftCheck.run(checkContext());
    const finance = get(result.resources, 'serverless-namespace', 'finance');
    expect(finance.protection).toMatchObject({ level: 'customer-managed', keyArn: keyArn('appData') });
    expect(finance).not.toHaveProperty('tags');
    expect(finance.tagsError).toEqual({ operation: 'ListTagsForResource', code: 'AccessDeniedException', message });
    expect(finance.evidence.ListTagsForResourceError).toEqual({ code: 'AccessDeniedException', message });
    expect(result.errors).toEqual([
      { service: 'redshift', region: 'us-east-1', operation: 'ListTagsForResource', code: 'AccessDeniedException', message, resourceArn: NAMESPACE('finance') },
    ]);
    expect(get(result.resources, 'serverless-namespace', 'default').tags).toEqual({});
  });

  it('Redshift Serverless unreachable in a region: a scan error, the provisioned resources still there', async () => {
    mockAccount();
    serverless.on(ListNamespacesCommand).rejects(Object.assign(new Error('getaddrinfo ENOTFOUND redshift-serverless.ap-east-2.amazonaws.com'), { name: 'Error', code: 'ENOTFOUND' }));
    const result = await redshiftCheck.run(checkContext());
    expect(result.errors).toEqual([expect.objectContaining({ operation: 'ListNamespaces' })]);
    expect(result.resources.filter((r) => r.type === 'cluster')).toHaveLength(3);
  });
});

describe('Redshift rules on a real check run', () => {
  it('baseline: the unencrypted cluster and snapshot fail high with their own fixes; the rest pass', async () => {
    mockAccount();
    const ctx = checkContext();
    const inventory = await inventoryFrom(ctx, await redshiftCheck.run(ctx), ['redshift']);
    expect(validator('inventory.schema.json')(inventory)).toBe(true);
    const report = evaluate(inventory, BASELINE_POLICY, { failOn: 'high' });
    const cluster = (id: string) => report.findings.find((f) => f.ruleId === 'REDSHIFT.CLUSTER_ENCRYPTION' && f.resourceArn === CLUSTER(id))!;
    const legacy = cluster('legacy-dw');
    expect(legacy).toMatchObject({ status: 'fail', severity: 'high' });
    expect(legacy.compliance).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ framework: 'aws-securityhub-fsbp', control: 'Redshift.10' }),
        expect.objectContaining({ framework: 'aws-config', control: 'redshift-cluster-kms-enabled' }),
      ]),
    );
    expect(legacy.remediation).toMatchObject({ path: 'modify-in-place-with-migration', cli: 'aws redshift modify-cluster --cluster-identifier legacy-dw --encrypted --kms-key-id KEY_ARN' });
    expect(legacy.remediation!.steps[0]).toContain('read-only');
    expect(legacy.remediation!.steps.join()).not.toContain('update-namespace');
    expect(cluster('analytics').status).toBe('pass');
    // Encrypted with no key named: unknown with the reason, never a pass on a guessed level.
    expect(cluster('reporting')).toMatchObject({ status: 'unknown' });
    expect(cluster('reporting').message).toContain('no KmsKeyId');

    const snap = report.findings.find((f) => f.ruleId === 'REDSHIFT.SNAPSHOT_ENCRYPTION' && f.resourceArn.endsWith('legacy-dw/legacy-dw-before-migration'))!;
    expect(snap).toMatchObject({ status: 'fail', severity: 'high' });
    expect(snap.remediation).toMatchObject({ path: 'rebuild-from-encrypted-copy' });
    expect(snap.remediation!.cli).toContain('restore-from-cluster-snapshot --cluster-identifier legacy-dw-rekeyed');
    expect(report.findings.filter((f) => f.ruleId === 'REDSHIFT.SERVERLESS_ENCRYPTION').map((f) => f.status)).toEqual(['pass', 'pass']);
  });

  it('strict: AWS owned and aws/redshift fail high; the serverless fix is UpdateNamespace in place', async () => {
    mockAccount();
    const ctx = checkContext();
    const report = evaluate(await inventoryFrom(ctx, await redshiftCheck.run(ctx), ['redshift']), STRICT_POLICY, { failOn: 'high' });
    const byRule = (rule: string) => report.findings.filter((f) => f.ruleId === rule);
    // high, not medium: strict's purpose is customer managed keys (levelFailureSeverity: high), so these fail a default build.
    expect(byRule('REDSHIFT.CLUSTER_ENCRYPTION').find((f) => f.resourceArn === CLUSTER('analytics'))).toMatchObject({ status: 'fail', severity: 'high' });
    expect(byRule('REDSHIFT.CLUSTER_ENCRYPTION').find((f) => f.resourceArn === CLUSTER('analytics'))!.remediation!.steps[0]).toContain('RA3');
    const ns = byRule('REDSHIFT.SERVERLESS_ENCRYPTION').find((f) => f.resourceArn.endsWith('aa58f5ad-32a2-4178-b70a-3a474de0d7d2'))!;
    expect(ns).toMatchObject({ status: 'fail', severity: 'high' });
    expect(ns.remediation).toMatchObject({ path: 'in-place', cli: 'aws redshift-serverless update-namespace --namespace-name default --kms-key-id KEY_ARN' });
    expect(byRule('REDSHIFT.SERVERLESS_ENCRYPTION').find((f) => f.resourceArn.endsWith('edab7045-d239-4f5f-ad98-706114608952'))!.status).toBe('pass');
  });
});

describe('Redshift Serverless snapshots (issue 10, item 12)', () => {
  it('lists the snapshots the account owns over two pages, each with its own key: AWS owned, a customer key, absent', async () => {
    mockAccount();
    const page1 = awsFixture('redshift/list-snapshots-serverless-page-1.json');
    serverless.on(ListSnapshotsCommand).resolves(page1);
    serverless.on(ListSnapshotsCommand, { nextToken: page1.nextToken }).resolves(awsFixture('redshift/list-snapshots-serverless-page-2.json'));
    const ctx = checkContext();
    const result = await redshiftCheck.run(ctx);
    const calls = serverless.commandCalls(ListSnapshotsCommand);
    expect(calls).toHaveLength(2);
    expect(calls.every((c) => c.args[0].input.ownerAccount === '111122223333')).toBe(true);
    const snaps = result.resources.filter((r) => r.type === 'serverless-snapshot');
    // The snapshot of another account (an endpoint that ignores ownerAccount) is theirs to judge.
    expect(snaps.map((s) => s.id).sort()).toEqual(['adhoc-before-upgrade', 'scratch-final', 'warehouse-2026-11-27']);
    expect(get(result.resources, 'serverless-snapshot', 'adhoc-before-upgrade')).toMatchObject({
      arn: 'arn:aws:redshift-serverless:us-east-1:111122223333:snapshot/6f1c0f0e-1d2c-4b3a-9e8f-7a6b5c4d3e2f',
      protection: { level: 'aws-owned', keyArn: null },
      attributes: { namespaceName: 'adhoc' },
    });
    expect(get(result.resources, 'serverless-snapshot', 'warehouse-2026-11-27').protection).toMatchObject({ level: 'customer-managed', keyArn: keyArn('appData') });
    // No kmsKeyId and no ARN: always encrypted, the AWS owned key; the ARN is built.
    expect(get(result.resources, 'serverless-snapshot', 'scratch-final')).toMatchObject({
      arn: 'arn:aws:redshift-serverless:us-east-1:111122223333:snapshot/scratch-final',
      protection: { level: 'aws-owned' },
    });

    const report = evaluate(await inventoryFrom(ctx, result, ['redshift']), STRICT_POLICY, { failOn: 'high' });
    const f = report.findings.find((x) => x.ruleId === 'REDSHIFT.SERVERLESS_SNAPSHOT_ENCRYPTION' && x.resourceArn.endsWith('6f1c0f0e-1d2c-4b3a-9e8f-7a6b5c4d3e2f'))!;
    expect(f).toMatchObject({ status: 'fail', severity: 'high' });
    expect(f.remediation!.summary).toContain('cannot change its key');
    expect(f.remediation!.steps.join()).toContain('restore-from-snapshot');
  });

  it('ListSnapshots denied: a scan error for the region; the namespaces are still read', async () => {
    mockAccount();
    serverless.on(ListSnapshotsCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: redshift-serverless:ListSnapshots', 400));
    const result = await redshiftCheck.run(checkContext());
    expect(result.errors).toEqual([expect.objectContaining({ service: 'redshift', operation: 'ListSnapshots', code: 'AccessDeniedException' })]);
    expect(result.resources.filter((r) => r.type === 'serverless-namespace').length).toBeGreaterThan(0);
  });
});
