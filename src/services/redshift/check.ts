import { RedshiftClient, paginateDescribeClusterSnapshots, paginateDescribeClusters, type Cluster, type Snapshot } from '@aws-sdk/client-redshift';
import {
  ListTagsForResourceCommand,
  RedshiftServerlessClient,
  paginateListNamespaces,
  paginateListSnapshots,
  type Namespace,
  type Snapshot as ServerlessSnapshot,
} from '@aws-sdk/client-redshift-serverless';
import { describeAwsError } from '../../aws/errors.js';
import type { Protection, Resource, ScanError } from '../../model/inventory.js';
import { mapLimited } from '../../util/limit.js';
import { isoDate, tagMap, toJson } from '../../collect/evidence.js';
import { awsOwned, protectionFromKey, unencrypted, unreadable } from '../../collect/protection.js';
import type { CheckContext, CheckResult, ServiceCheck } from '../../collect/check.js';
import { scanError } from '../../collect/scan-error.js';
import { REDSHIFT_DEFAULT_ENCRYPTION_DATE } from './matrix.js';

/**
 * The Redshift check: provisioned clusters (DescribeClusters), the cluster
 * snapshots the account owns (DescribeClusterSnapshots), Redshift Serverless
 * namespaces (ListNamespaces) and the serverless snapshots the account owns
 * (ListSnapshots), as `cluster`, `cluster-snapshot`, `serverless-namespace`
 * and `serverless-snapshot` resources.
 *
 * Levels: Encrypted=false → `none`; Encrypted with a KmsKeyId → whatever the
 * resolver says of that key (`aws/redshift` → AWS managed); KmsKeyId
 * AWS_OWNED_KMS_KEY → Redshift's AWS owned key; Encrypted with no KmsKeyId at
 * all → `unknown` (AWS documents no answer that tells its AWS owned key from
 * aws/redshift, see provisionedProtection). Serverless namespaces are always
 * encrypted: no kmsKeyId is the AWS owned key, as the serverless API says. Clusters and
 * snapshots encrypted through an HSM (CloudHSM Classic) hold their key in the
 * customer's HSM: `customer-managed-hsm`, no KMS key to resolve.
 *
 * Tags: DescribeClusters and DescribeClusterSnapshots carry them; namespaces
 * need one ListTagsForResource (redshift-serverless) each.
 */

/** Redshift and Redshift Serverless name the AWS owned key this way (or not at all). */
const AWS_OWNED_KEY_ID = 'AWS_OWNED_KMS_KEY';

export const redshiftCheck: ServiceCheck = {
  async run(ctx: CheckContext): Promise<CheckResult> {
    const errors: ScanError[] = [];
    const resources: Resource[] = [];
    const client = ctx.clients.get(RedshiftClient, ctx.region);

    const serverless = ctx.clients.get(RedshiftServerlessClient, ctx.region);

    // The listings are independent: read them at the same time, and keep the
    // resources in the same order (clusters, snapshots, namespaces, serverless snapshots).
    const readClusters = async (): Promise<Resource[]> => {
      const clusters = await list<Cluster>(ctx, errors, 'DescribeClusters', async (push) => {
        for await (const page of paginateDescribeClusters({ client, pageSize: 100, stopOnSameToken: true }, {})) push(...(page.Clusters ?? []));
      });
      return clusters ? (await mapLimited(clusters, ctx.fanOut, (c) => clusterResource(ctx, c))).filter(isResource) : [];
    };
    const readSnapshots = async (): Promise<Resource[]> => {
      const snapshots = await list<Snapshot>(ctx, errors, 'DescribeClusterSnapshots', async (push) => {
        // OwnerAccount keeps snapshots shared with us by other accounts out: they are theirs to judge.
        for await (const page of paginateDescribeClusterSnapshots({ client, pageSize: 100, stopOnSameToken: true }, { OwnerAccount: ctx.accountId })) {
          push(...(page.Snapshots ?? []));
        }
      });
      if (!snapshots) return [];
      const owned = snapshots.filter((s) => !s.OwnerAccount || s.OwnerAccount === ctx.accountId);
      return (await mapLimited(owned, ctx.fanOut, (s) => snapshotResource(ctx, s))).filter(isResource);
    };
    const readNamespaces = async (): Promise<Resource[]> => {
      const namespaces = await list<Namespace>(ctx, errors, 'ListNamespaces', async (push) => {
        for await (const page of paginateListNamespaces({ client: serverless, pageSize: 100, stopOnSameToken: true }, {})) push(...(page.namespaces ?? []));
      });
      return namespaces ? (await mapLimited(namespaces, ctx.fanOut, (n) => namespaceResource(ctx, serverless, n, errors))).filter(isResource) : [];
    };
    // Redshift Serverless snapshots: each keeps the key its namespace had when it was taken.
    const readServerlessSnapshots = async (): Promise<Resource[]> => {
      const serverlessSnapshots = await list<ServerlessSnapshot>(ctx, errors, 'ListSnapshots', async (push) => {
        for await (const page of paginateListSnapshots({ client: serverless, pageSize: 100, stopOnSameToken: true }, { ownerAccount: ctx.accountId })) {
          push(...(page?.snapshots ?? []));
        }
      });
      if (!serverlessSnapshots) return [];
      const owned = serverlessSnapshots.filter((s) => !s.ownerAccount || s.ownerAccount === ctx.accountId);
      return (await mapLimited(owned, ctx.fanOut, (s) => serverlessSnapshotResource(ctx, s))).filter(isResource);
    };
    for (const part of await Promise.all([readClusters(), readSnapshots(), readNamespaces(), readServerlessSnapshots()])) resources.push(...part);

    return { resources, errors };
  },
};

/**
 * A Redshift Serverless snapshot (ListSnapshots of the serverless API, the
 * snapshots the account owns). Always encrypted, like its namespace: kmsKeyId
 * absent or AWS_OWNED_KMS_KEY is the AWS owned key, anything else the key the
 * resolver classifies. Serverless snapshots carry no tags in the listing.
 */
async function serverlessSnapshotResource(ctx: CheckContext, s: ServerlessSnapshot): Promise<Resource | null> {
  const name = s.snapshotName;
  if (!name && !s.snapshotArn) return null;
  const id = name ?? s.snapshotArn!;
  const arn = s.snapshotArn ?? `arn:${ctx.partition}:redshift-serverless:${ctx.region}:${ctx.accountId}:snapshot/${id}`;
  const keyRef = s.kmsKeyId && s.kmsKeyId !== AWS_OWNED_KEY_ID ? s.kmsKeyId : null;
  const protection = keyRef
    ? protectionFromKey(keyRef, await ctx.keys.resolve(keyRef, ctx.region), null)
    : awsOwned(null, [`ListSnapshots: kmsKeyId ${s.kmsKeyId ?? 'absent'}: Redshift Serverless encrypts with an AWS owned key`]);
  return {
    arn,
    id,
    service: 'redshift',
    type: 'serverless-snapshot',
    region: ctx.region,
    accountId: ctx.accountId,
    protection,
    attributes: {
      snapshotName: name ?? null,
      namespaceName: s.namespaceName ?? null,
      namespaceArn: s.namespaceArn ?? null,
      status: s.status ?? null,
      snapshotCreateTime: isoDate(s.snapshotCreateTime),
      accountsWithRestoreAccess: [...(s.accountsWithRestoreAccess ?? [])].sort(),
    },
    evidence: {
      kmsKeyId: s.kmsKeyId ?? null,
      namespaceName: s.namespaceName ?? null,
      ownerAccount: s.ownerAccount ?? null,
      status: s.status ?? null,
      snapshotCreateTime: isoDate(s.snapshotCreateTime),
    },
  };
}

function isResource(r: Resource | null): r is Resource {
  return r !== null;
}

/** Runs one paginated list; on failure records a scan error for the region and returns null. */
async function list<T>(ctx: CheckContext, errors: ScanError[], operation: string, fill: (push: (...items: T[]) => void) => Promise<void>): Promise<T[] | null> {
  const items: T[] = [];
  try {
    ctx.log(`redshift ${operation} ${ctx.region}`);
    await fill((...more) => items.push(...more));
    return items;
  } catch (error) {
    const info = describeAwsError(error);
    errors.push(scanError('redshift', ctx.region, operation, info));
    return null;
  }
}

/** Shared by clusters and snapshots: the same three fields decide both. */
async function provisionedProtection(
  ctx: CheckContext,
  encrypted: boolean | undefined,
  kmsKeyId: string | undefined,
  hsm: string | null,
  call: string,
): Promise<Protection> {
  if (encrypted === false) return unencrypted([`${call}: Encrypted false`]);
  if (encrypted !== true) return unreadable(`${call} returned no Encrypted field`);
  if (hsm) {
    return {
      level: 'customer-managed-hsm',
      // Not a KMS key: nothing for the resolver or KMS.KEY_STATE to look up.
      keyArn: null,
      keyRef: null,
      algorithm: 'HSM',
      notes: [`encrypted through a hardware security module (${hsm}): the cluster key lives in the customer's HSM, not in KMS`],
    };
  }
  if (kmsKeyId === AWS_OWNED_KEY_ID) {
    // The value names the AWS owned key itself (Redshift Serverless documents it; a provisioned answer carrying it says the same).
    return awsOwned(null, [`${call}: Encrypted true with KmsKeyId ${AWS_OWNED_KEY_ID}: Redshift's AWS owned key`]);
  }
  if (!kmsKeyId) {
    // Encrypted with no key named. Two keys fit and AWS documents neither
    // answer: the Redshift guide says a cluster encrypted without a chosen key
    // gets an AWS owned key (the default for clusters created since
    // REDSHIFT_DEFAULT_ENCRYPTION_DATE, working-with-db-encryption.html), the
    // KMS guide says Redshift then uses the AWS managed key aws/redshift
    // (services-redshift.html), and the DescribeClusters reference only says
    // KmsKeyId is "the KMS key ID of the encryption key used". Which key this
    // is cannot be told from the answer, so it is not guessed (EBS and RDS
    // report the same gap as unknown).
    return unreadable(
      `${call}: Encrypted true but no KmsKeyId: the key is either Redshift's AWS owned key (the default for clusters created since ${REDSHIFT_DEFAULT_ENCRYPTION_DATE}) or the AWS managed key aws/redshift, and the response does not say which; check the cluster's encryption in the Redshift console`,
    );
  }
  return protectionFromKey(kmsKeyId, await ctx.keys.resolve(kmsKeyId, ctx.region), null);
}

async function clusterResource(ctx: CheckContext, c: Cluster): Promise<Resource | null> {
  if (!c.ClusterIdentifier) return null;
  const hsm = c.HsmStatus?.HsmConfigurationIdentifier || null;
  const created = isoDate(c.ClusterCreateTime);
  const resource: Resource = {
    arn: `arn:${ctx.partition}:redshift:${ctx.region}:${ctx.accountId}:cluster:${c.ClusterIdentifier}`,
    id: c.ClusterIdentifier,
    service: 'redshift',
    type: 'cluster',
    region: ctx.region,
    accountId: ctx.accountId,
    protection: await provisionedProtection(ctx, c.Encrypted, c.KmsKeyId, hsm, 'DescribeClusters'),
    attributes: {
      encrypted: typeof c.Encrypted === 'boolean' ? c.Encrypted : null,
      nodeType: c.NodeType ?? null,
      // RA3 keeps reads and writes during an encryption migration; other node types are read-only meanwhile.
      ra3: c.NodeType ? c.NodeType.toLowerCase().startsWith('ra3.') : null,
      clusterCreateTime: created,
      createdBeforeDefaultEncryption: created ? created < `${REDSHIFT_DEFAULT_ENCRYPTION_DATE}T00:00:00.000Z` : null,
      clusterStatus: c.ClusterStatus ?? null,
      // Redshift's own word that it lost access to the key (it then backs up and, after 14 days, deletes the cluster).
      keyInaccessible: c.ClusterStatus === 'inaccessible-kms-key',
      hsmConfiguration: hsm,
      namespaceArn: c.ClusterNamespaceArn ?? null,
    },
    evidence: {
      Encrypted: c.Encrypted ?? null,
      KmsKeyId: c.KmsKeyId ?? null,
      NodeType: c.NodeType ?? null,
      NumberOfNodes: c.NumberOfNodes ?? null,
      ClusterCreateTime: created,
      ClusterStatus: c.ClusterStatus ?? null,
      ...(c.HsmStatus ? { HsmStatus: toJson(c.HsmStatus) } : {}),
      ...(c.PendingModifiedValues && Object.keys(c.PendingModifiedValues).length > 0 ? { PendingModifiedValues: toJson(c.PendingModifiedValues) } : {}),
    },
  };
  const tags = tagMap(c.Tags);
  if (tags) resource.tags = tags;
  return resource;
}

async function snapshotResource(ctx: CheckContext, s: Snapshot): Promise<Resource | null> {
  if (!s.SnapshotIdentifier) return null;
  const hsm = s.EncryptedWithHSM ? 'EncryptedWithHSM' : null;
  const arn = s.SnapshotArn ?? `arn:${ctx.partition}:redshift:${ctx.region}:${ctx.accountId}:snapshot:${s.ClusterIdentifier ?? 'unknown'}/${s.SnapshotIdentifier}`;
  const resource: Resource = {
    arn,
    id: s.SnapshotIdentifier,
    service: 'redshift',
    type: 'cluster-snapshot',
    region: ctx.region,
    accountId: ctx.accountId,
    protection: await provisionedProtection(ctx, s.Encrypted, s.KmsKeyId, hsm, 'DescribeClusterSnapshots'),
    attributes: {
      encrypted: typeof s.Encrypted === 'boolean' ? s.Encrypted : null,
      encryptedWithHsm: typeof s.EncryptedWithHSM === 'boolean' ? s.EncryptedWithHSM : null,
      snapshotType: s.SnapshotType ?? null,
      clusterIdentifier: s.ClusterIdentifier ?? null,
      snapshotCreateTime: isoDate(s.SnapshotCreateTime),
      status: s.Status ?? null,
      nodeType: s.NodeType ?? null,
    },
    evidence: {
      Encrypted: s.Encrypted ?? null,
      KmsKeyId: s.KmsKeyId ?? null,
      EncryptedWithHSM: s.EncryptedWithHSM ?? null,
      SnapshotType: s.SnapshotType ?? null,
      OwnerAccount: s.OwnerAccount ?? null,
      SnapshotCreateTime: isoDate(s.SnapshotCreateTime),
    },
  };
  const tags = tagMap(s.Tags);
  if (tags) resource.tags = tags;
  return resource;
}

async function namespaceResource(ctx: CheckContext, client: RedshiftServerlessClient, n: Namespace, errors: ScanError[]): Promise<Resource | null> {
  const name = n.namespaceName;
  if (!name && !n.namespaceArn) return null;
  const id = name ?? n.namespaceId ?? n.namespaceArn!;
  const arn = n.namespaceArn ?? `arn:${ctx.partition}:redshift-serverless:${ctx.region}:${ctx.accountId}:namespace/${n.namespaceId ?? id}`;
  const keyRef = n.kmsKeyId && n.kmsKeyId !== AWS_OWNED_KEY_ID ? n.kmsKeyId : null;
  // Serverless is always encrypted: no kmsKeyId, or AWS_OWNED_KMS_KEY, is the AWS owned key.
  const protection = keyRef
    ? protectionFromKey(keyRef, await ctx.keys.resolve(keyRef, ctx.region), null)
    : awsOwned(null, [`ListNamespaces: kmsKeyId ${n.kmsKeyId ?? 'absent'}: Redshift Serverless encrypts with an AWS owned key`]);
  const resource: Resource = {
    arn,
    id,
    service: 'redshift',
    type: 'serverless-namespace',
    region: ctx.region,
    accountId: ctx.accountId,
    protection,
    attributes: {
      namespaceName: name ?? null,
      status: n.status ?? null,
      creationDate: isoDate(n.creationDate),
    },
    evidence: {
      kmsKeyId: n.kmsKeyId ?? null,
      namespaceId: n.namespaceId ?? null,
      status: n.status ?? null,
      creationDate: isoDate(n.creationDate),
    },
  };
  // Tags, for the policy's tag overrides. ListTagsForResource is not paginated.
  try {
    ctx.log(`redshift-serverless ListTagsForResource ${arn}`);
    const out = await client.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    // Redshift Serverless spells its tags { key, value }; the shared helper reads { Key, Value }.
    resource.tags = tagMap((out?.tags ?? []).map((t) => ({ Key: t.key, Value: t.value })));
  } catch (error) {
    // The level stands; only which tag override applies is unknown (the rules say so).
    const info = describeAwsError(error);
    errors.push(scanError('redshift', ctx.region, 'ListTagsForResource', info, arn));
    resource.tagsError = { operation: 'ListTagsForResource', code: info.code, message: info.message };
    resource.evidence.ListTagsForResourceError = { code: info.code, message: info.message };
  }
  return resource;
}
