import { DAXClient, DescribeClustersCommand, ListTagsCommand, type Cluster } from '@aws-sdk/client-dax';
import { partitionFor } from '../../aws/arn.js';
import { describeAwsError } from '../../aws/errors.js';
import type { CheckContext, CheckResult } from '../../collect/check.js';
import { tagMap } from '../../collect/evidence.js';
import { protectionFromKey, unencrypted, unreadable } from '../../collect/protection.js';
import { scanError } from '../../collect/scan-error.js';
import type { Json, Resource, ScanError } from '../../model/inventory.js';
import { mapLimited } from '../../util/limit.js';

/**
 * DynamoDB Accelerator (DAX) clusters of a Region, type `dax-cluster` of the
 * dynamodb service. Encryption at rest is chosen when the cluster is created
 * and cannot change; DescribeClusters says it in SSEDescription.Status
 * (ENABLED, ENABLING, DISABLING, DISABLED). DAX names no key: it "integrates
 * with AWS KMS for managing the single service default key that is used to
 * encrypt your clusters ... AWS KMS automatically creates a new AWS managed
 * key" (DAXEncryptionAtRest.html), aws/dax, which customers cannot choose or
 * replace. So an encrypted cluster is resolved through that alias (never
 * described when it has no key yet); an answer without SSEDescription is
 * unknown, never guessed. Tags: ListTags per cluster, every page.
 *
 * DescribeClusters and ListTags page with NextToken (the SDK has no
 * paginator for DAX); a token that comes back twice ends the listing.
 */
const AWS_DAX_ALIAS = 'alias/aws/dax';

export async function readDaxClusters(ctx: CheckContext): Promise<CheckResult> {
  const client = ctx.clients.get(DAXClient, ctx.region);
  const clusters: Cluster[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  try {
    do {
      ctx.log(`dax DescribeClusters ${ctx.region}${token ? ' (next page)' : ''}`);
      const out = await client.send(new DescribeClustersCommand({ MaxResults: 100, ...(token ? { NextToken: token } : {}) }));
      clusters.push(...(out?.Clusters ?? []));
      token = out?.NextToken || undefined;
      if (token && seen.has(token)) break;
      if (token) seen.add(token);
    } while (token);
  } catch (error) {
    return { resources: [], errors: [scanError('dynamodb', ctx.region, 'DescribeClusters', describeAwsError(error))] };
  }
  const errors: ScanError[] = [];
  const resources = await mapLimited(
    clusters.filter((c) => c.ClusterName || c.ClusterArn),
    ctx.fanOut,
    async (cluster) => {
      const read = await clusterResource(ctx, client, cluster);
      errors.push(...read.errors);
      return read.resource;
    },
  );
  return { resources, errors };
}

async function clusterResource(ctx: CheckContext, client: DAXClient, c: Cluster): Promise<{ resource: Resource; errors: ScanError[] }> {
  const name = c.ClusterName ?? c.ClusterArn!.split('/').at(-1)!;
  const arn = c.ClusterArn ?? `arn:${partitionFor(ctx.region, ctx.partition)}:dax:${ctx.region}:${ctx.accountId}:cache/${name}`;
  const status = c.SSEDescription?.Status;
  let protection;
  if (!c.SSEDescription) {
    protection = unreadable('DescribeClusters returned no SSEDescription, so whether the cluster is encrypted at rest is unknown');
  } else if (status === 'ENABLED' || status === 'ENABLING') {
    const note = `SSEDescription.Status ${status}: DAX encrypts with its service default key, the AWS managed key aws/dax (no other key can be chosen)`;
    protection = protectionFromKey(null, await ctx.keys.resolve(AWS_DAX_ALIAS, ctx.region), 'SSE', [note]);
  } else if (status === 'DISABLED' || status === 'DISABLING') {
    protection = unencrypted([`SSEDescription.Status ${status}: encryption at rest is off, and it cannot be turned on for an existing cluster`]);
  } else {
    protection = unreadable(`SSEDescription.Status "${status ?? ''}" is not one DAX documents`);
  }
  const evidence: { [key: string]: Json } = {
    ClusterName: c.ClusterName ?? null,
    ClusterArn: c.ClusterArn ?? null,
    Status: c.Status ?? null,
    NodeType: c.NodeType ?? null,
    TotalNodes: c.TotalNodes ?? null,
    SSEDescription: c.SSEDescription ? { Status: c.SSEDescription.Status ?? null } : null,
    ClusterEndpointEncryptionType: c.ClusterEndpointEncryptionType ?? null,
  };
  const resource: Resource = {
    arn,
    id: name,
    service: 'dynamodb',
    type: 'dax-cluster',
    region: ctx.region,
    accountId: ctx.accountId,
    protection,
    attributes: { clusterStatus: c.Status ?? null, sseStatus: status ?? null, nodeType: c.NodeType ?? null, totalNodes: c.TotalNodes ?? null },
    evidence,
  };
  const tags: { [key: string]: string } = {};
  const seen = new Set<string>();
  let token: string | undefined;
  try {
    do {
      ctx.log(`dax ListTags ${arn}${token ? ' (next page)' : ''}`);
      const out = await client.send(new ListTagsCommand({ ResourceName: arn, ...(token ? { NextToken: token } : {}) }));
      Object.assign(tags, tagMap(out?.Tags));
      token = out?.NextToken || undefined;
      if (token && seen.has(token)) break;
      if (token) seen.add(token);
    } while (token);
    resource.tags = tags;
    return { resource, errors: [] };
  } catch (error) {
    // The level stands; only which tag override applies is unknown (the rules say so).
    const info = describeAwsError(error);
    resource.tagsError = { operation: 'ListTags', code: info.code, message: info.message };
    evidence.ListTagsError = { code: info.code, message: info.message };
    return { resource, errors: [scanError('dynamodb', ctx.region, 'ListTags', info, arn)] };
  }
}
