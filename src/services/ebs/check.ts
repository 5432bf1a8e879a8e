import {
  EC2Client,
  GetEbsDefaultKmsKeyIdCommand,
  GetEbsEncryptionByDefaultCommand,
  paginateDescribeSnapshots,
  paginateDescribeVolumes,
  type Snapshot,
  type Volume,
} from '@aws-sdk/client-ec2';
import { describeAwsError, type AwsErrorInfo } from '../../aws/errors.js';
import type { Json, Protection, Resource, ScanError } from '../../model/inventory.js';
import { mapLimited } from '../../util/limit.js';
import { isoDate, pickEvidence, tagMap, toJson } from '../../collect/evidence.js';
import { protectionFromKey, unencrypted, unreadable } from '../../collect/protection.js';
import type { CheckContext, CheckResult, ServiceCheck } from '../../collect/check.js';
import { scanError } from '../../collect/scan-error.js';

/**
 * The EBS check, once per region: every volume, every snapshot the account
 * owns, and the Region's "EBS encryption by default" account setting as a
 * resource of its own (type `ebs-encryption-by-default`, id
 * `<account>:<region>`).
 *
 * EBS encryption is fixed when a volume or snapshot is created: `Encrypted`
 * and `KmsKeyId` never change afterwards. The account setting only decides
 * what new volumes get.
 */
export const EBS_DEFAULT_KEY_ALIAS = 'alias/aws/ebs';

const VOLUME_EVIDENCE = [
  'VolumeId',
  'VolumeArn',
  'OwnerId',
  'Encrypted',
  'KmsKeyId',
  'SseType',
  'State',
  'CreateTime',
  'Size',
  'VolumeType',
  'AvailabilityZone',
  'SnapshotId',
  'MultiAttachEnabled',
  'Attachments',
  'Operator',
] as const satisfies ReadonlyArray<keyof Volume>;

const SNAPSHOT_EVIDENCE = [
  'SnapshotId',
  'OwnerId',
  'OwnerAlias',
  'Encrypted',
  'KmsKeyId',
  'SseType',
  'State',
  'StartTime',
  'VolumeId',
  'VolumeSize',
  'StorageTier',
] as const satisfies ReadonlyArray<keyof Snapshot>;

export const ebsCheck: ServiceCheck = {
  async run(ctx: CheckContext): Promise<CheckResult> {
    const client = ctx.clients.get(EC2Client, ctx.region);
    const [volumes, snapshots, setting] = await Promise.all([
      listVolumes(ctx, client),
      listSnapshots(ctx, client),
      readDefaultEncryption(ctx, client),
    ]);
    const errors: ScanError[] = [...volumes.errors, ...snapshots.errors, ...setting.errors];

    const [volumeResources, snapshotResources] = await Promise.all([
      mapLimited(volumes.items, ctx.fanOut, (v) => volumeResource(ctx, v)),
      mapLimited(snapshots.items, ctx.fanOut, (s) => snapshotResource(ctx, s)),
    ]);
    const resources: Resource[] = [setting.resource];
    for (const r of [...volumeResources, ...snapshotResources]) if (r) resources.push(r);
    return { resources, errors };
  },
};

interface Listing<T> {
  items: T[];
  errors: ScanError[];
}

async function listVolumes(ctx: CheckContext, client: EC2Client): Promise<Listing<Volume>> {
  const items: Volume[] = [];
  try {
    ctx.log(`ec2 DescribeVolumes ${ctx.region}`);
    // Volumes that an AWS service manages (EKS Auto Mode, …) are hidden from
    // Describe calls when the account's managed-resource visibility is
    // "hidden": ask for them explicitly so none is silently missed.
    for await (const page of paginateDescribeVolumes({ client, pageSize: 500 }, { IncludeManagedResources: true })) {
      items.push(...(page.Volumes ?? []));
    }
    return { items, errors: [] };
  } catch (error) {
    // Pages read before the failure are real volumes: keep them.
    return { items, errors: [scanError('ebs', ctx.region, 'DescribeVolumes', describeAwsError(error))] };
  }
}

async function listSnapshots(ctx: CheckContext, client: EC2Client): Promise<Listing<Snapshot>> {
  const items: Snapshot[] = [];
  let foreign = 0;
  let result: Listing<Snapshot>;
  try {
    ctx.log(`ec2 DescribeSnapshots ${ctx.region} OwnerIds=self owner-id=${ctx.accountId}`);
    // OwnerIds=self and an owner-id filter both: an endpoint that ignores
    // one (an emulator ignored OwnerIds and sent 3,503 public snapshots of
    // other accounts) is still asked, in a second way, for ours only.
    const input = { OwnerIds: ['self'], Filters: [{ Name: 'owner-id', Values: [ctx.accountId] }] };
    for await (const page of paginateDescribeSnapshots({ client, pageSize: 1000 }, input)) {
      for (const snapshot of page.Snapshots ?? []) {
        // Should an endpoint ignore both, other accounts' snapshots are
        // still not ours to report.
        if (snapshot.OwnerId !== undefined && snapshot.OwnerId !== ctx.accountId) {
          foreign += 1;
          continue;
        }
        items.push(snapshot);
      }
    }
    result = { items, errors: [] };
  } catch (error) {
    result = { items, errors: [scanError('ebs', ctx.region, 'DescribeSnapshots', describeAwsError(error))] };
  }
  if (foreign > 0) ctx.log(`ebs: ${foreign} snapshot(s) owned by other accounts were returned despite OwnerIds=self and the owner-id filter, and were left out (${ctx.region})`);
  return result;
}

/**
 * Encrypted=false is `none` whatever else the response says; Encrypted=true
 * takes the level of the resolved key; an encrypted volume or snapshot whose
 * key cannot be named or resolved is `unknown`, never a guess.
 */
async function ebsProtection(ctx: CheckContext, what: string, item: { Encrypted?: boolean | undefined; KmsKeyId?: string | undefined }): Promise<Protection> {
  const keyRef = item.KmsKeyId ?? null;
  if (item.Encrypted === false) {
    const notes = ['Encrypted=false'];
    if (keyRef) notes.push(`KmsKeyId "${keyRef}" is present but ignored: Encrypted=false decides`);
    return unencrypted(notes);
  }
  if (item.Encrypted !== true) {
    return unreadable(`the ${what} has no Encrypted field in the response, so whether it is encrypted is unknown`, keyRef);
  }
  if (!keyRef) {
    return unreadable(`the ${what} is encrypted (Encrypted=true) but the response names no KmsKeyId, so its key and level are unknown`);
  }
  const resolution = await ctx.keys.resolve(keyRef, ctx.region);
  // SseType is "reserved for future use" in the EC2 API: kept in evidence, not interpreted.
  return protectionFromKey(keyRef, resolution, null);
}

async function volumeResource(ctx: CheckContext, volume: Volume): Promise<Resource | null> {
  const id = volume.VolumeId;
  if (!id) {
    ctx.log(`ebs: a volume without VolumeId in ${ctx.region} could not be identified and was skipped`);
    return null;
  }
  const attachments = volume.Attachments ?? [];
  const instances = [...new Set(attachments.map((a) => a.InstanceId).filter((i): i is string => Boolean(i)))].sort();
  const managedBy = volume.Operator?.Managed ? (volume.Operator.Principal ?? 'an AWS service') : null;
  const resource: Resource = {
    arn: volume.VolumeArn ?? `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.accountId}:volume/${id}`,
    id,
    service: 'ebs',
    type: 'volume',
    region: ctx.region,
    accountId: ctx.accountId,
    protection: await ebsProtection(ctx, 'volume', volume),
    attributes: {
      encrypted: typeof volume.Encrypted === 'boolean' ? volume.Encrypted : null,
      state: volume.State ?? null,
      attachedInstances: instances,
      attachments: attachments.map((a) => ({ instanceId: a.InstanceId ?? null, device: a.Device ?? null, state: a.State ?? null })) as Json,
      createdAt: isoDate(volume.CreateTime),
      availabilityZone: volume.AvailabilityZone ?? null,
      sourceSnapshotId: volume.SnapshotId || null,
      managedBy,
    },
    evidence: pickEvidence(volume, VOLUME_EVIDENCE),
  };
  const tags = tagMap(volume.Tags);
  if (tags) resource.tags = tags;
  return resource;
}

async function snapshotResource(ctx: CheckContext, snapshot: Snapshot): Promise<Resource | null> {
  const id = snapshot.SnapshotId;
  if (!id) {
    ctx.log(`ebs: a snapshot without SnapshotId in ${ctx.region} could not be identified and was skipped`);
    return null;
  }
  const protection = await ebsProtection(ctx, 'snapshot', snapshot);
  if (snapshot.OwnerId === undefined) {
    protection.notes.push('OwnerId missing from the response; kept because the request asked for OwnerIds=self');
  }
  const resource: Resource = {
    // EC2 snapshot ARNs carry no account id (arn:aws:ec2:region::snapshot/snap-…).
    arn: `arn:${ctx.partition}:ec2:${ctx.region}::snapshot/${id}`,
    id,
    service: 'ebs',
    type: 'snapshot',
    region: ctx.region,
    accountId: ctx.accountId,
    protection,
    attributes: {
      encrypted: typeof snapshot.Encrypted === 'boolean' ? snapshot.Encrypted : null,
      state: snapshot.State ?? null,
      sourceVolumeId: snapshot.VolumeId ?? null,
      startedAt: isoDate(snapshot.StartTime),
      storageTier: snapshot.StorageTier ?? null,
    },
    evidence: pickEvidence(snapshot, SNAPSHOT_EVIDENCE),
  };
  const tags = tagMap(snapshot.Tags);
  if (tags) resource.tags = tags;
  return resource;
}

/**
 * The Region's account setting. Its level is `none` when it is off (new
 * volumes are not encrypted) and the default key's level when it is on. The
 * default key is read and resolved either way: it also encrypts any volume
 * created with Encrypted=true and no key named.
 */
async function readDefaultEncryption(ctx: CheckContext, client: EC2Client): Promise<{ resource: Resource; errors: ScanError[] }> {
  const arn = `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.accountId}:ebs-encryption-by-default`;
  const errors: ScanError[] = [];
  const evidence: { [key: string]: Json } = {};

  let enabled: boolean | null = null;
  let settingError: AwsErrorInfo | null = null;
  try {
    ctx.log(`ec2 GetEbsEncryptionByDefault ${ctx.region}`);
    const out = await client.send(new GetEbsEncryptionByDefaultCommand({}));
    enabled = typeof out.EbsEncryptionByDefault === 'boolean' ? out.EbsEncryptionByDefault : null;
    evidence.EbsEncryptionByDefault = toJson(out.EbsEncryptionByDefault);
    if (out.SseType !== undefined) evidence.SseType = out.SseType;
  } catch (error) {
    settingError = describeAwsError(error);
    errors.push(scanError('ebs', ctx.region, 'GetEbsEncryptionByDefault', settingError, arn));
    evidence.GetEbsEncryptionByDefaultError = { code: settingError.code, message: settingError.message };
  }

  let keyRef: string | null = null;
  let keyError: AwsErrorInfo | null = null;
  const keyNotes: string[] = [];
  try {
    ctx.log(`ec2 GetEbsDefaultKmsKeyId ${ctx.region}`);
    const out = await client.send(new GetEbsDefaultKmsKeyIdCommand({}));
    evidence.KmsKeyId = toJson(out.KmsKeyId);
    keyRef = out.KmsKeyId || EBS_DEFAULT_KEY_ALIAS;
    if (!out.KmsKeyId) keyNotes.push(`GetEbsDefaultKmsKeyId named no key: the default is ${EBS_DEFAULT_KEY_ALIAS}`);
  } catch (error) {
    keyError = describeAwsError(error);
    errors.push(scanError('ebs', ctx.region, 'GetEbsDefaultKmsKeyId', keyError, arn));
    evidence.GetEbsDefaultKmsKeyIdError = { code: keyError.code, message: keyError.message };
  }
  const resolution = keyRef ? await ctx.keys.resolve(keyRef, ctx.region) : null;
  const keyProtection = resolution ? protectionFromKey(keyRef, resolution, null, keyNotes) : null;

  const resource: Resource = {
    arn,
    id: `${ctx.accountId}:${ctx.region}`,
    service: 'ebs',
    type: 'ebs-encryption-by-default',
    region: ctx.region,
    accountId: ctx.accountId,
    protection: unreadable('not read'),
    attributes: {
      enabled,
      defaultKeyRef: keyRef,
      defaultKeyArn: resolution?.keyArn ?? null,
      defaultKeyLevel: resolution?.level ?? 'unknown',
      defaultKeyNotes: keyProtection ? keyProtection.notes : keyError ? [`GetEbsDefaultKmsKeyId failed: ${keyError.code}: ${keyError.message}`] : [],
    },
    evidence,
  };

  if (settingError) {
    resource.protection = unreadable(`GetEbsEncryptionByDefault failed: ${settingError.code}: ${settingError.message}`, keyRef);
    resource.error = { operation: 'GetEbsEncryptionByDefault', code: settingError.code, message: settingError.message };
  } else if (enabled === null) {
    resource.protection = unreadable('GetEbsEncryptionByDefault returned no EbsEncryptionByDefault field', keyRef);
  } else if (!enabled) {
    resource.protection = unencrypted(['EBS encryption by default is off in this Region: new volumes are unencrypted unless encryption is chosen when each is created']);
  } else if (keyError || !keyProtection) {
    const why = keyError ? `GetEbsDefaultKmsKeyId failed: ${keyError.code}: ${keyError.message}` : 'the default key was not named';
    resource.protection = unreadable(`EBS encryption by default is on, but its key is unknown: ${why}`);
    if (keyError) resource.error = { operation: 'GetEbsDefaultKmsKeyId', code: keyError.code, message: keyError.message };
  } else {
    keyProtection.notes.unshift('EBS encryption by default is on: new volumes get this key unless another is chosen');
    resource.protection = keyProtection;
  }
  return { resource, errors };
}
