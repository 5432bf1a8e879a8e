import { EFSClient, paginateDescribeFileSystems, type FileSystemDescription } from '@aws-sdk/client-efs';
import { describeAwsError } from '../../aws/errors.js';
import type { CheckContext, CheckResult, ServiceCheck } from '../../collect/check.js';
import { isoDate, pickEvidence, tagMap } from '../../collect/evidence.js';
import { protectionFromKey, unencrypted, unreadable } from '../../collect/protection.js';
import { scanError } from '../../collect/scan-error.js';
import type { Protection, Resource, ScanError } from '../../model/inventory.js';
import { mapLimited } from '../../util/limit.js';
import { EFS_DEFAULT_KEY_ALIAS } from './matrix.js';

/**
 * The EFS check, once per Region: every file system of the account, from
 * DescribeFileSystems (paginated with Marker/NextMarker; the response carries
 * Encrypted, KmsKeyId and the Tags, so no other call is needed).
 *
 * Encryption at rest and the key are fixed when a file system is created.
 * A file system created encrypted without naming a key is under the AWS
 * managed key aws/elasticfilesystem, and DescribeFileSystems then returns
 * that key's ARN in KmsKeyId (the CLI reference's describe-file-systems
 * example): the key is resolved like any other, never assumed.
 * https://docs.aws.amazon.com/efs/latest/ug/API_FileSystemDescription.html
 */

const FILE_SYSTEM_EVIDENCE = [
  'FileSystemId',
  'FileSystemArn',
  'OwnerId',
  'CreationToken',
  'CreationTime',
  'LifeCycleState',
  'Name',
  'NumberOfMountTargets',
  'PerformanceMode',
  'ThroughputMode',
  'Encrypted',
  'KmsKeyId',
  'AvailabilityZoneName',
  'AvailabilityZoneId',
  'FileSystemProtection',
] as const satisfies ReadonlyArray<keyof FileSystemDescription>;

/** MaxItems: EFS sets it to 100 when not given and pages its answer at 100 file systems (API_DescribeFileSystems). */
const PAGE_SIZE = 100;

export const efsCheck: ServiceCheck = {
  async run(ctx: CheckContext): Promise<CheckResult> {
    const client = ctx.clients.get(EFSClient, ctx.region);
    const listing = await listFileSystems(ctx, client);
    const errors: ScanError[] = [...listing.errors];
    const identified: Array<{ id: string; fileSystem: FileSystemDescription }> = [];
    let unidentified = 0;
    for (const fileSystem of listing.items) {
      const id = fileSystem.FileSystemId || idFromArn(fileSystem.FileSystemArn);
      if (id) identified.push({ id, fileSystem });
      else unidentified += 1;
    }
    if (unidentified > 0) {
      // Not silently lost: the scan says a file system was seen and could not be reported.
      errors.push(
        scanError('efs', ctx.region, 'DescribeFileSystems', {
          code: 'MissingField',
          message: `${unidentified} file system(s) in the response had neither FileSystemId nor FileSystemArn and could not be reported`,
        }),
      );
    }
    const resources = await mapLimited(identified, ctx.fanOut, ({ id, fileSystem }) => fileSystemResource(ctx, id, fileSystem));
    return { resources, errors };
  },
};

async function listFileSystems(ctx: CheckContext, client: EFSClient): Promise<{ items: FileSystemDescription[]; errors: ScanError[] }> {
  const items: FileSystemDescription[] = [];
  try {
    ctx.log(`efs DescribeFileSystems ${ctx.region}`);
    for await (const page of paginateDescribeFileSystems({ client, pageSize: PAGE_SIZE }, {})) {
      items.push(...(page.FileSystems ?? []));
    }
    return { items, errors: [] };
  } catch (error) {
    // Pages read before the failure are real file systems: keep them. The
    // error makes this Region's EFS coverage unknown (SCAN.INCOMPLETE).
    return { items, errors: [scanError('efs', ctx.region, 'DescribeFileSystems', describeAwsError(error))] };
  }
}

/** `fs-…` from `arn:…:elasticfilesystem:<region>:<account>:file-system/fs-…`, for an endpoint that omits FileSystemId. */
function idFromArn(arn: string | undefined): string | null {
  const match = arn ? /:file-system\/(fs-[0-9a-f]+)$/.exec(arn) : null;
  return match ? match[1]! : null;
}

/**
 * Encrypted=false is `none` whatever else the response says; Encrypted=true
 * takes the level of the resolved key; an encrypted file system whose key is
 * not named, or cannot be resolved, is `unknown` with the reason, never a
 * guess (not even aws/elasticfilesystem: AWS names that key when it is the one).
 */
async function efsProtection(ctx: CheckContext, fileSystem: FileSystemDescription): Promise<Protection> {
  const keyRef = fileSystem.KmsKeyId || null;
  if (fileSystem.Encrypted === false) {
    const notes = ['Encrypted=false'];
    if (keyRef) notes.push(`KmsKeyId "${keyRef}" is present but ignored: Encrypted=false decides`);
    return unencrypted(notes);
  }
  if (fileSystem.Encrypted !== true) {
    return unreadable('the file system has no Encrypted field in the response, so whether it is encrypted is unknown', keyRef);
  }
  if (!keyRef) {
    return unreadable(
      `the file system is encrypted (Encrypted=true) but the response names no KmsKeyId, so its key and level are unknown (AWS returns the key's ARN, ${EFS_DEFAULT_KEY_ALIAS} included)`,
    );
  }
  const resolution = await ctx.keys.resolve(keyRef, ctx.region);
  return protectionFromKey(keyRef, resolution, null);
}

async function fileSystemResource(ctx: CheckContext, id: string, fileSystem: FileSystemDescription): Promise<Resource> {
  const resource: Resource = {
    arn: fileSystem.FileSystemArn || `arn:${ctx.partition}:elasticfilesystem:${ctx.region}:${ctx.accountId}:file-system/${id}`,
    id,
    service: 'efs',
    type: 'file-system',
    region: ctx.region,
    accountId: ctx.accountId,
    protection: await efsProtection(ctx, fileSystem),
    attributes: {
      encrypted: typeof fileSystem.Encrypted === 'boolean' ? fileSystem.Encrypted : null,
      name: fileSystem.Name ?? null,
      state: fileSystem.LifeCycleState ?? null,
      mountTargets: typeof fileSystem.NumberOfMountTargets === 'number' ? fileSystem.NumberOfMountTargets : null,
      createdAt: isoDate(fileSystem.CreationTime),
      // One Zone file systems live in one Availability Zone; Regional ones have none.
      availabilityZone: fileSystem.AvailabilityZoneName ?? null,
      performanceMode: fileSystem.PerformanceMode ?? null,
      throughputMode: fileSystem.ThroughputMode ?? null,
    },
    evidence: pickEvidence(fileSystem, FILE_SYSTEM_EVIDENCE),
  };
  // Tags are a required field of every DescribeFileSystems answer (an empty
  // list when there are none). An endpoint that leaves them out has not said
  // "no tags": record that they could not be read, so tag overrides are never
  // decided on a guess.
  if (fileSystem.Tags) resource.tags = tagMap(fileSystem.Tags);
  else resource.tagsError = { operation: 'DescribeFileSystems', code: 'MissingField', message: 'the response has no Tags for this file system' };
  return resource;
}
