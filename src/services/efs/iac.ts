import { protectionFromKey, unencrypted, unreadable } from '../../collect/protection.js';
import type { Json, Protection, Resource } from '../../model/inventory.js';
import { evidenceOf, record, refText, type IacKindFacts, type IacKindMapping, type MapContext, type ServiceIac } from '../../iac/mapping.js';
import type { CodeResource } from '../../iac/model.js';
import { isMap, readBool, whyUnknown } from '../../iac/value.js';
import { efsSetKey } from './iac-fix.js';
import { EFS_DEFAULT_KEY_ALIAS } from './matrix.js';

/**
 * EFS file systems in infrastructure code, as the EFS check reads a live
 * one (type `file-system`; attributes encrypted, name, availabilityZone,
 * performanceMode, throughputMode).
 *
 * Defaults: CreateFileSystem makes an unencrypted file system unless
 * Encrypted is true ("Encryption at rest is not enabled by default when
 * creating a new file system using the AWS CLI, API, and SDKs" — Terraform
 * and CloudFormation call the API); encrypted without a key is the AWS
 * managed key aws/elasticfilesystem. Neither can change after creation.
 */

const DOCS = 'https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html';
const API = 'https://docs.aws.amazon.com/efs/latest/ug/API_CreateFileSystem.html';

export const EFS_IAC_FACTS: IacKindFacts[] = [
  {
    kind: 'aws_efs_file_system',
    format: 'terraform',
    service: 'efs',
    types: ['file-system'],
    defaults: 'encrypted omitted: false, unencrypted (the API default; only the console preselects encryption); encrypted = true without kms_key_id: the AWS managed key aws/elasticfilesystem; neither changes after creation',
    docs: ['https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/efs_file_system', DOCS, API],
  },
  {
    kind: 'AWS::EFS::FileSystem',
    format: 'cloudformation',
    service: 'efs',
    types: ['file-system'],
    defaults: 'Encrypted omitted: false, unencrypted; Encrypted true without KmsKeyId: aws/elasticfilesystem',
    docs: ['https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-efs-filesystem.html', DOCS],
  },
];

function protection(ctx: MapContext, resource: CodeResource): Protection {
  const cfn = resource.format === 'cloudformation';
  const flagName = cfn ? 'Encrypted' : 'encrypted';
  const keyValue = cfn ? resource.values.KmsKeyId : resource.values.kms_key_id;
  const encrypted = readBool(cfn ? resource.values.Encrypted : resource.values.encrypted);
  const keyGiven = keyValue !== undefined && keyValue !== null && keyValue !== '';
  if (encrypted !== undefined && typeof encrypted !== 'boolean') return unreadable(`${flagName} is not known before deployment: ${whyUnknown(encrypted)}`);
  if (encrypted !== true) {
    const notes = [encrypted === false ? `${flagName} = false` : `${flagName} not set: CreateFileSystem makes an unencrypted file system (the API default; only the console preselects encryption)`];
    if (keyGiven) notes.push(`${cfn ? 'KmsKeyId' : 'kms_key_id'} is set but ignored: ${flagName} decides (set it to true)`);
    return unencrypted(notes);
  }
  const region = ctx.region(resource);
  if (!keyGiven) {
    return protectionFromKey(null, ctx.keys.resolve(EFS_DEFAULT_KEY_ALIAS, resource, region), null, [`${flagName} = true with no key: EFS uses the AWS managed key aws/elasticfilesystem`]);
  }
  return protectionFromKey(refText(keyValue), ctx.keys.resolve(keyValue, resource, region), null);
}

export const efsIacMapping: IacKindMapping = {
  service: 'efs',
  kinds: ['aws_efs_file_system', 'AWS::EFS::FileSystem'],
  map(resource: CodeResource, ctx: MapContext): Resource[] {
    if (resource.mode !== 'managed') return [];
    const cfn = resource.format === 'cloudformation';
    const v = resource.values;
    const p = protection(ctx, resource);
    const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
    const nameTag = cfn && Array.isArray(v.FileSystemTags) ? v.FileSystemTags.find((t) => t && typeof t === 'object' && !Array.isArray(t) && (t as { Key?: unknown }).Key === 'Name') : undefined;
    const attributes: { [key: string]: Json } = {
      encrypted: p.level === 'none' ? false : p.level === 'unknown' ? null : true,
      name: cfn ? text((nameTag as { Value?: unknown } | undefined)?.Value) : isMap(v.tags) ? text(v.tags.Name) : null,
      state: null,
      mountTargets: null,
      createdAt: null,
      availabilityZone: text(cfn ? v.AvailabilityZoneName : v.availability_zone_name),
      performanceMode: text(cfn ? v.PerformanceMode : v.performance_mode),
      throughputMode: text(cfn ? v.ThroughputMode : v.throughput_mode),
    };
    return [
      record(resource, ctx, {
        service: 'efs',
        type: 'file-system',
        protection: p,
        attributes,
        evidence: evidenceOf(v, cfn ? ['Encrypted', 'KmsKeyId', 'PerformanceMode', 'ThroughputMode', 'AvailabilityZoneName'] : ['encrypted', 'kms_key_id', 'performance_mode', 'throughput_mode', 'availability_zone_name', 'creation_token']),
        tags: cfn ? v.FileSystemTags : v.tags,
      }),
    ];
  },
};

export const efsIac: ServiceIac = { mapping: efsIacMapping, facts: EFS_IAC_FACTS, setKey: efsSetKey };
