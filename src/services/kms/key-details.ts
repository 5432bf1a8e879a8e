import {
  GetKeyLastUsageCommand,
  GetKeyPolicyCommand,
  KMSClient,
  paginateDescribeCustomKeyStores,
  paginateListGrants,
  paginateListKeyRotations,
  type CustomKeyStoresListEntry,
  type RotationsListEntry,
} from '@aws-sdk/client-kms';
import { describeAwsError } from '../../aws/errors.js';
import type {
  Json,
  KeyFactError,
  KeyImportedMaterial,
  KeyLastUsageFacts,
  KeyMultiRegionConfiguration,
  KeyRecord,
  KeyRotationHistory,
  ScanError,
} from '../../model/inventory.js';
import { rotationCanExist } from '../../keys/rotation.js';
import { isPendingDeletion } from '../../keys/states.js';
import { mapLimited } from '../../util/limit.js';
import { compareStrings } from '../../util/sort.js';
import type { CheckContext } from '../../collect/check.js';
import { scanError } from '../../collect/scan-error.js';

/**
 * Governance facts for the keys of the scanned account in one region: who may
 * use each key (key policy, grants), its tags, its multi-Region set, its
 * custom key store, its imported material, its rotation history and — with
 * --key-usage — when it was last used. The KMS check calls this after the
 * resolver has described the keys; the facts are added to the resolver's own
 * key records, so every resource that names the key sees one record.
 *
 * It records; it never judges. Key policies are stored as evidence (they hold
 * no secret), but the debug log only ever shows their size.
 */

export interface KeyDetailsOptions {
  /**
   * Call GetKeyLastUsage for customer managed keys (--key-usage). Its quota
   * (5 requests per second per account and Region) is kept by the KMS call
   * gate (aws/operation-quotas.ts), which paces without holding a slot.
   */
  keyUsage: boolean;
}

interface Collector {
  ctx: CheckContext;
  client: KMSClient;
  errors: ScanError[];
}

/** Adds the governance facts to `records` (mutating them) and returns the calls that failed. */
export async function collectKeyDetails(ctx: CheckContext, records: readonly KeyRecord[], options: KeyDetailsOptions): Promise<ScanError[]> {
  const keys = records.filter((k) => k.describable && k.inScannedAccount && k.region === ctx.region);
  if (keys.length === 0) return [];
  const collector: Collector = {
    ctx,
    client: ctx.clients.get(KMSClient, ctx.region),
    errors: [],
  };

  const storeIds = [...new Set(keys.map((k) => stringField(k.evidence.CustomKeyStoreId)).filter((id): id is string => Boolean(id)))];
  const stores = storeIds.length > 0 ? await listCustomKeyStores(collector) : new Map<string, CustomKeyStoresListEntry>();

  // A key's facts are independent of each other: read them at the same time
  // (the KMS gate keeps --concurrency calls in flight).
  await mapLimited(keys, ctx.fanOut, async (key) => {
    addMetadataFacts(key);
    const storeId = stringField(key.evidence.CustomKeyStoreId);
    if (storeId) key.customKeyStore = customKeyStoreFacts(storeId, key, stores);
    const reads = [readPolicy(collector, key), readGrants(collector, key)];
    if (key.manager === 'CUSTOMER') {
      reads.push(readTags(collector, key));
      if (rotationCanExist(key) && !isPendingDeletion(key.state)) reads.push(readRotations(collector, key));
      if (options.keyUsage && !isPendingDeletion(key.state)) reads.push(readLastUsage(collector, key));
    }
    await Promise.all(reads);
  });
  return collector.errors;
}

/** Facts DescribeKey already returned, normalised (dates stay ISO strings, as in evidence). */
function addMetadataFacts(key: KeyRecord): void {
  const e = key.evidence;
  key.deletionDate = stringField(e.DeletionDate);
  if (typeof e.PendingDeletionWindowInDays === 'number') key.pendingDeletionWindowInDays = e.PendingDeletionWindowInDays;
  if (key.origin === 'EXTERNAL') {
    const imported: KeyImportedMaterial = {
      validTo: stringField(e.ValidTo),
      expirationModel: stringField(e.ExpirationModel),
    };
    key.importedMaterial = imported;
  }
  const mrc = e.MultiRegionConfiguration;
  if (key.multiRegion === true || (mrc && typeof mrc === 'object' && !Array.isArray(mrc))) {
    key.multiRegionConfiguration = multiRegionFacts(mrc);
  }
}

function multiRegionFacts(value: Json | undefined): KeyMultiRegionConfiguration {
  const config = value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  const member = (m: Json | undefined): { arn: string; region: string } | null => {
    if (!m || typeof m !== 'object' || Array.isArray(m)) return null;
    const arn = stringField(m.Arn);
    if (!arn) return null;
    return { arn, region: stringField(m.Region) ?? arn.split(':')[3] ?? 'unknown' };
  };
  const replicas = Array.isArray(config.ReplicaKeys) ? config.ReplicaKeys.map(member).filter((m): m is { arn: string; region: string } => m !== null) : [];
  return {
    keyType: stringField(config.MultiRegionKeyType) ?? 'unknown',
    primary: member(config.PrimaryKey),
    replicas: replicas.sort((a, b) => compareStrings(a.arn, b.arn)),
  };
}

async function listCustomKeyStores(c: Collector): Promise<Map<string, CustomKeyStoresListEntry> | KeyFactError> {
  const stores = new Map<string, CustomKeyStoresListEntry>();
  try {
    c.ctx.log(`kms DescribeCustomKeyStores ${c.ctx.region}`);
    for await (const page of paginateDescribeCustomKeyStores({ client: c.client, pageSize: 1000 }, {})) {
      for (const store of page.CustomKeyStores ?? []) if (store.CustomKeyStoreId) stores.set(store.CustomKeyStoreId, store);
    }
    return stores;
  } catch (error) {
    // One failure per region, not one per key: the keys record it as their store's error.
    return fail(c, 'DescribeCustomKeyStores', error);
  }
}

function customKeyStoreFacts(id: string, key: KeyRecord, stores: Map<string, CustomKeyStoresListEntry> | KeyFactError): KeyRecord['customKeyStore'] {
  // The key's Origin already names the store type; DescribeCustomKeyStores adds its name and connection state.
  const fromOrigin = key.origin === 'AWS_CLOUDHSM' || key.origin === 'EXTERNAL_KEY_STORE' ? key.origin : 'unknown';
  if (!(stores instanceof Map)) return { id, type: fromOrigin, name: null, connectionState: null, error: stores };
  const store = stores.get(id);
  if (!store) {
    return {
      id,
      type: fromOrigin,
      name: null,
      connectionState: null,
      error: { operation: 'DescribeCustomKeyStores', code: 'NotListed', message: `custom key store ${id} was not in the DescribeCustomKeyStores answer` },
    };
  }
  return {
    id,
    type: store.CustomKeyStoreType ?? (store.CloudHsmClusterId ? 'AWS_CLOUDHSM' : fromOrigin),
    name: store.CustomKeyStoreName ?? null,
    connectionState: store.ConnectionState ?? null,
  };
}

async function readPolicy(c: Collector, key: KeyRecord): Promise<void> {
  try {
    const out = await c.client.send(new GetKeyPolicyCommand({ KeyId: key.arn, PolicyName: 'default' }));
    const text = out.Policy ?? null;
    const sizeBytes = text === null ? null : Buffer.byteLength(text, 'utf8');
    // Only the size is logged: the document itself goes to the inventory, never to the log.
    c.ctx.log(`kms GetKeyPolicy ${key.arn}: ${sizeBytes ?? 0} bytes`);
    if (text === null) {
      key.policy = { name: 'default', document: null, sizeBytes: null, error: missing(c, key, 'GetKeyPolicy', 'the response had no Policy') };
      return;
    }
    try {
      key.policy = { name: out.PolicyName ?? 'default', document: JSON.parse(text) as Json, sizeBytes };
    } catch (error) {
      const problem: KeyFactError = { operation: 'GetKeyPolicy', code: 'InvalidPolicyDocument', message: `the policy is not JSON: ${(error as Error).message}` };
      c.errors.push(scanError('kms', key.region, problem.operation, problem, key.arn));
      key.policy = { name: 'default', document: null, sizeBytes, error: problem };
    }
  } catch (error) {
    key.policy = { name: 'default', document: null, sizeBytes: null, error: fail(c, 'GetKeyPolicy', error, key.arn) };
  }
}

async function readGrants(c: Collector, key: KeyRecord): Promise<void> {
  let count = 0;
  const grantees = new Set<string>();
  const operations = new Set<string>();
  const issuers = new Set<string>();
  try {
    c.ctx.log(`kms ListGrants ${key.arn}`);
    for await (const page of paginateListGrants({ client: c.client, pageSize: 100 }, { KeyId: key.arn })) {
      for (const grant of page.Grants ?? []) {
        count += 1;
        const grantee = grant.GranteePrincipal ?? grant.GranteeServicePrincipal;
        if (grantee) grantees.add(grantee);
        for (const op of grant.Operations ?? []) operations.add(op);
        if (grant.IssuingAccount) issuers.add(grant.IssuingAccount);
      }
    }
    key.grants = { count, granteePrincipals: sorted(grantees), operations: sorted(operations), issuingAccounts: sorted(issuers) };
  } catch (error) {
    key.grants = { count: null, granteePrincipals: [], operations: [], issuingAccounts: [], error: fail(c, 'ListGrants', error, key.arn) };
  }
}

/** Tags from the Region's Tagging API listing (collect/tag-index.ts), not one ListResourceTags per key; its failure is one scan error for the Region. */
async function readTags(c: Collector, key: KeyRecord): Promise<void> {
  const found = await c.ctx.tags.tagsOf('kms:key', key.region, key.arn);
  if ('error' in found) key.tagsError = found.error;
  else key.tags = found.tags;
}


async function readRotations(c: Collector, key: KeyRecord): Promise<void> {
  // For imported keys, ask for every key material: each one carries its own ValidTo.
  const imported = key.origin === 'EXTERNAL';
  const entries: RotationsListEntry[] = [];
  try {
    c.ctx.log(`kms ListKeyRotations ${key.arn}`);
    const input = imported ? { KeyId: key.arn, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' as const } : { KeyId: key.arn };
    for await (const page of paginateListKeyRotations({ client: c.client, pageSize: 1000 }, input)) entries.push(...(page.Rotations ?? []));
  } catch (error) {
    key.rotations = { count: null, automatic: null, onDemand: null, lastRotationDate: null, lastRotationType: null, error: fail(c, 'ListKeyRotations', error, key.arn) };
    return;
  }
  // ROTATIONS_ONLY lists completed rotations only; ALL_KEY_MATERIAL adds the
  // first material and pending imports, which carry no rotation date.
  const rotations = imported ? entries.filter((r) => r.RotationDate !== undefined || r.RotationType !== undefined) : entries;
  const dated = rotations.filter((r) => r.RotationDate instanceof Date).sort((a, b) => a.RotationDate!.getTime() - b.RotationDate!.getTime());
  const last = dated.at(-1);
  const history: KeyRotationHistory = {
    count: rotations.length,
    automatic: rotations.filter((r) => r.RotationType === 'AUTOMATIC').length,
    onDemand: rotations.filter((r) => r.RotationType === 'ON_DEMAND').length,
    lastRotationDate: last?.RotationDate?.toISOString() ?? null,
    lastRotationType: last?.RotationType ?? null,
  };
  key.rotations = history;
  if (imported && key.importedMaterial) {
    key.importedMaterial.materials = entries.map((r) => ({
      keyMaterialId: r.KeyMaterialId ?? null,
      importState: r.ImportState ?? null,
      keyMaterialState: r.KeyMaterialState ?? null,
      expirationModel: r.ExpirationModel ?? null,
      validTo: r.ValidTo instanceof Date ? r.ValidTo.toISOString() : null,
    }));
  }
}

async function readLastUsage(c: Collector, key: KeyRecord): Promise<void> {
  try {
    c.ctx.log(`kms GetKeyLastUsage ${key.arn}`);
    const out = await c.client.send(new GetKeyLastUsageCommand({ KeyId: key.arn }));
    key.lastUsage = lastUsageFacts(out.KeyLastUsage?.Timestamp, out.KeyLastUsage?.Operation, out.TrackingStartDate, out.KeyCreationDate ?? creationDate(key));
  } catch (error) {
    key.lastUsage = {
      status: 'unknown',
      lastUsedAt: null,
      operation: null,
      trackingStartDate: null,
      keyCreationDate: null,
      error: fail(c, 'GetKeyLastUsage', error, key.arn),
    };
  }
}

/**
 * What GetKeyLastUsage proves. An empty answer means "never used" only when
 * the key was created after tracking began; for an older key it means "no use
 * recorded since tracking began" — what happened before is unknown.
 */
export function lastUsageFacts(timestamp: Date | undefined, operation: string | undefined, trackingStart: Date | undefined, created: Date | undefined): KeyLastUsageFacts {
  const iso = (d: Date | undefined): string | null => (d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : null);
  const base = { lastUsedAt: iso(timestamp), operation: operation ?? null, trackingStartDate: iso(trackingStart), keyCreationDate: iso(created) };
  if (base.lastUsedAt) return { status: 'used', ...base };
  if (!base.trackingStartDate || !base.keyCreationDate) return { status: 'unknown', ...base };
  if (created!.getTime() >= trackingStart!.getTime()) return { status: 'never-used', ...base };
  return { status: 'no-use-since-tracking-start', ...base };
}

function creationDate(key: KeyRecord): Date | undefined {
  const value = stringField(key.evidence.CreationDate);
  return value ? new Date(value) : undefined;
}

function fail(c: Collector, operation: string, error: unknown, resourceArn?: string): KeyFactError {
  const info = describeAwsError(error);
  c.errors.push(scanError('kms', c.ctx.region, operation, info, resourceArn));
  return { operation, code: info.code, message: info.message };
}

function missing(c: Collector, key: KeyRecord, operation: string, message: string): KeyFactError {
  const problem = { operation, code: 'MissingField', message };
  c.errors.push(scanError('kms', key.region, operation, problem, key.arn));
  return problem;
}

function stringField(value: Json | undefined): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function sorted(values: Set<string>): string[] {
  return [...values].sort(compareStrings);
}
