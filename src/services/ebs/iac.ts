import { protectionFromKey, unencrypted, unreadable } from '../../collect/protection.js';
import type { Json, Protection, Resource } from '../../model/inventory.js';
import { evidenceOf, record, refText, type EbsDefault, type IacKindFacts, type IacKindMapping, type MapContext, type ServiceIac } from '../../iac/mapping.js';
import type { CodeResource } from '../../iac/model.js';
import { Unknown, isMap, readBlocks, readBool, readString, whyUnknown, type Value, type ValueMap } from '../../iac/value.js';
import { ebsRuleFix, ebsSetKey } from './iac-fix.js';

/**
 * EBS in infrastructure code: volumes (aws_ebs_volume, AWS::EC2::Volume),
 * the volumes an instance launches with (root and extra block devices), the
 * volumes a launch template describes, and the Region's encryption-by-default
 * setting with its default key. All become the EBS check's types: `volume`
 * (attributes encrypted, attachments, availabilityZone, sourceSnapshotId, …)
 * and `ebs-encryption-by-default` (enabled, defaultKeyRef/Arn/Level/Notes).
 *
 * What an omitted `encrypted` means is the EC2 API's rule: a new volume is
 * unencrypted unless encryption is chosen, the Region encrypts by default, or
 * it is created from an encrypted snapshot. Whether the Region encrypts by
 * default is an account setting the code cannot see unless it manages it
 * (aws_ebs_encryption_by_default): atrest says so in the note and takes the
 * setting from --inventory when given. An encrypted volume without a key
 * uses the Region's default key (aws/ebs unless it was changed).
 */

const EBS_DOCS = 'https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html';
const EBS_DEFAULT_DOCS = 'https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html';
const TF = 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/';
const CFN = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/';
export const EBS_DEFAULT_KEY_ALIAS = 'alias/aws/ebs';

export const EBS_IAC_FACTS: IacKindFacts[] = [
  {
    kind: 'aws_ebs_volume',
    format: 'terraform',
    service: 'ebs',
    types: ['volume'],
    defaults: 'encrypted omitted: unencrypted unless the Region encrypts by default (an account setting the code cannot see: --inventory decides it) or snapshot_id names an encrypted snapshot; encrypted = true without kms_key_id: the Region default EBS key (aws/ebs unless changed)',
    docs: [`${TF}ebs_volume`, EBS_DOCS, EBS_DEFAULT_DOCS],
  },
  {
    kind: 'aws_instance (root_block_device, ebs_block_device)',
    format: 'terraform',
    service: 'ebs',
    types: ['volume'],
    defaults: 'each block device is a volume, encrypted omitted read as for aws_ebs_volume; without root_block_device the root volume takes the AMI snapshot\'s encryption unless the Region encrypts by default',
    docs: [`${TF}instance`, EBS_DEFAULT_DOCS],
  },
  {
    kind: 'aws_launch_template (block_device_mappings)',
    format: 'terraform',
    service: 'ebs',
    types: ['volume'],
    defaults: 'each mapping with an ebs block is a volume of every instance launched from the template; ebs.encrypted ("true"/"false") omitted read as for aws_ebs_volume',
    docs: [`${TF}launch_template`],
  },
  {
    kind: 'aws_ebs_encryption_by_default, aws_ebs_default_kms_key',
    format: 'terraform',
    service: 'ebs',
    types: ['ebs-encryption-by-default'],
    defaults: 'aws_ebs_encryption_by_default enabled omitted: true; without aws_ebs_default_kms_key the default key is the Region\'s current one (aws/ebs unless changed; --inventory tells)',
    docs: [`${TF}ebs_encryption_by_default`, `${TF}ebs_default_kms_key`, EBS_DEFAULT_DOCS],
  },
  {
    kind: 'AWS::EC2::Volume, AWS::EC2::Instance (BlockDeviceMappings), AWS::EC2::LaunchTemplate (LaunchTemplateData.BlockDeviceMappings)',
    format: 'cloudformation',
    service: 'ebs',
    types: ['volume'],
    defaults: 'Encrypted omitted: unencrypted unless the Region encrypts by default (--inventory) or SnapshotId names an encrypted snapshot; Encrypted true without KmsKeyId: the Region default EBS key. CloudFormation has no resource for the Region setting itself',
    docs: [`${CFN}aws-resource-ec2-volume.html`, `${CFN}aws-properties-ec2-blockdev-template.html`, `${CFN}aws-properties-ec2-launchtemplate-ebs.html`],
  },
];

interface VolumeSpec {
  /** The block of the resource this volume is (root_block_device.0), or undefined for a volume resource. */
  block?: string;
  encrypted: Value | undefined;
  key: Value | undefined;
  snapshot: Value | undefined;
  device: string | null;
  /** The instance (or launch template) the volume belongs to. */
  attachedTo: string | null;
  /** The code names no block for it: the root volume of an AMI. */
  implicitRoot?: boolean;
  tags: Value | undefined;
  evidence: { [key: string]: Json };
  /** Names of the settings in this format, for notes. */
  encryptedName: string;
  keyName: string;
}

/**
 * A volume's protection from its code settings, the Region's default
 * encryption and default key. The same order the EC2 API applies them.
 */
function volumeProtection(ctx: MapContext, resource: CodeResource, spec: VolumeSpec): Protection {
  const region = ctx.region(resource);
  const encrypted = readBool(spec.encrypted);
  const setting = ctx.ebsDefault(region, resource);
  const onByDefault = setting?.enabled === true;
  if (encrypted !== undefined && typeof encrypted !== 'boolean') {
    return unreadable(`${spec.encryptedName} is not known before deployment: ${whyUnknown(encrypted)}`, refText(spec.key));
  }
  const keyGiven = spec.key !== undefined && spec.key !== null && spec.key !== '';
  if (encrypted === true || onByDefault) {
    const notes: string[] = [];
    if (encrypted !== true) {
      notes.push(
        encrypted === false
          ? `${spec.encryptedName} = false, but EBS encryption by default is on in ${region} (${setting!.from}): new volumes are encrypted regardless`
          : `${spec.encryptedName} not set, and EBS encryption by default is on in ${region} (${setting!.from})`,
      );
    }
    if (keyGiven) return protectionFromKey(refText(spec.key), ctx.keys.resolve(spec.key, resource, region), null, notes);
    return defaultKeyProtection(ctx, resource, region, setting, notes);
  }
  if (encrypted === false) {
    const notes = [`${spec.encryptedName} = false${setting?.enabled === false ? ` and EBS encryption by default is off in ${region} (${setting.from})` : ''}`];
    if (keyGiven) notes.push(`${spec.keyName} is set but ignored: ${spec.encryptedName} = false decides`);
    if (setting === null) notes.push(`unless the Region encrypts by default, which the code cannot know (pass --inventory)`);
    return unencrypted(notes);
  }
  // Not set, and the Region default is off or unknown.
  const snapshot = readString(spec.snapshot);
  if (snapshot !== undefined) {
    if (setting?.enabled === false || setting === null) {
      return unreadable(
        `${spec.encryptedName} not set and the volume is created from snapshot ${typeof snapshot === 'string' ? snapshot : refText(spec.snapshot)}: it takes the snapshot's encryption, which the code does not say; set ${spec.encryptedName} = true to be sure`,
      );
    }
  }
  const why = spec.implicitRoot
    ? `no block device for the root volume: it takes the AMI snapshot's encryption, and is unencrypted unless that snapshot is encrypted or the Region encrypts by default`
    : `${spec.encryptedName} not set: the volume is unencrypted unless the Region encrypts by default`;
  if (setting?.enabled === false) return unencrypted([`${why}, and EBS encryption by default is off in ${region} (${setting.from})`]);
  return unencrypted([`${why}, which the code cannot know: pass --inventory with a live inventory to decide it`]);
}

function defaultKeyProtection(ctx: MapContext, resource: CodeResource, region: string, setting: EbsDefault | null, notes: string[]): Protection {
  if (setting?.key && setting.keyRef) {
    return protectionFromKey(setting.keyRef, setting.key, null, [...notes, `no key named: the Region default EBS key ${setting.keyRef} (${setting.from})`]);
  }
  // Without the setting, the default key is aws/ebs unless someone changed it: the lowest it can be.
  const resolution = ctx.keys.resolve(EBS_DEFAULT_KEY_ALIAS, resource, region);
  return protectionFromKey(null, resolution, null, [
    ...notes,
    `no key named: the Region default EBS key, which is aws/ebs unless it was changed (pass --inventory to know it, or name a key)`,
  ]);
}

function volumeRecord(ctx: MapContext, resource: CodeResource, spec: VolumeSpec): Resource {
  const protection = volumeProtection(ctx, resource, spec);
  const encrypted = readBool(spec.encrypted);
  const az = readString(resource.format === 'cloudformation' ? resource.values.AvailabilityZone : resource.values.availability_zone);
  const snapshot = readString(spec.snapshot);
  const attachments: Json[] = spec.attachedTo ? [{ instanceId: spec.attachedTo, device: spec.device, state: null }] : [];
  const fields = {
    service: 'ebs' as const,
    type: 'volume',
    protection,
    attributes: {
      encrypted: protection.level === 'none' ? false : protection.level === 'unknown' ? (typeof encrypted === 'boolean' ? encrypted : null) : true,
      state: null,
      attachedInstances: spec.attachedTo ? [spec.attachedTo] : [],
      attachments,
      createdAt: null,
      availabilityZone: typeof az === 'string' ? az : null,
      sourceSnapshotId: typeof snapshot === 'string' ? snapshot : null,
      managedBy: null,
    },
    evidence: spec.evidence,
    tags: spec.tags,
    ...(spec.block ? { block: spec.block } : {}),
  };
  return record(resource, ctx, fields);
}

function tfVolume(resource: CodeResource, block: ValueMap | Unknown, name: string, attachedTo: string, device: string | null, tags: Value | undefined): VolumeSpec {
  if (block instanceof Unknown) {
    return { block: name, encrypted: block, key: undefined, snapshot: undefined, device, attachedTo, tags, evidence: {}, encryptedName: `${name}.encrypted`, keyName: `${name}.kms_key_id` };
  }
  return {
    block: name,
    encrypted: block.encrypted,
    key: block.kms_key_id,
    snapshot: block.snapshot_id,
    device,
    attachedTo,
    tags: block.tags ?? tags,
    evidence: evidenceOf(block, ['encrypted', 'kms_key_id', 'snapshot_id', 'device_name', 'volume_size', 'volume_type']),
    encryptedName: `${name}.encrypted`,
    keyName: `${name}.kms_key_id`,
  };
}

function cfnVolume(block: ValueMap, name: string, attachedTo: string, device: string | null, tags: Value | undefined): VolumeSpec {
  const ebs = isMap(block.Ebs) ? block.Ebs : block.Ebs instanceof Unknown ? block.Ebs : {};
  if (ebs instanceof Unknown) {
    return { block: name, encrypted: ebs, key: undefined, snapshot: undefined, device, attachedTo, tags, evidence: {}, encryptedName: `${name}.Ebs.Encrypted`, keyName: `${name}.Ebs.KmsKeyId` };
  }
  return {
    block: name,
    encrypted: ebs.Encrypted,
    key: ebs.KmsKeyId,
    snapshot: ebs.SnapshotId,
    device,
    attachedTo,
    tags,
    evidence: { DeviceName: device, ...evidenceOf(ebs, ['Encrypted', 'KmsKeyId', 'SnapshotId', 'VolumeSize', 'VolumeType']) },
    encryptedName: `${name}.Ebs.Encrypted`,
    keyName: `${name}.Ebs.KmsKeyId`,
  };
}

function deviceName(value: Value | undefined, index: number): string {
  return typeof value === 'string' ? value : String(index);
}

export const ebsIacMapping: IacKindMapping = {
  service: 'ebs',
  kinds: ['aws_ebs_volume', 'aws_instance', 'aws_launch_template', 'aws_ebs_encryption_by_default', 'aws_ebs_default_kms_key', 'AWS::EC2::Volume', 'AWS::EC2::Instance', 'AWS::EC2::LaunchTemplate'],
  map(resource: CodeResource, ctx: MapContext): Resource[] {
    if (resource.mode !== 'managed') return [];
    const v = resource.values;
    switch (resource.kind) {
      case 'aws_ebs_volume':
        return [
          volumeRecord(ctx, resource, {
            encrypted: v.encrypted,
            key: v.kms_key_id,
            snapshot: v.snapshot_id,
            device: null,
            attachedTo: null,
            tags: v.tags,
            evidence: evidenceOf(v, ['encrypted', 'kms_key_id', 'snapshot_id', 'size', 'type', 'availability_zone']),
            encryptedName: 'encrypted',
            keyName: 'kms_key_id',
          }),
        ];
      case 'AWS::EC2::Volume':
        return [
          volumeRecord(ctx, resource, {
            encrypted: v.Encrypted,
            key: v.KmsKeyId,
            snapshot: v.SnapshotId,
            device: null,
            attachedTo: null,
            tags: v.Tags,
            evidence: evidenceOf(v, ['Encrypted', 'KmsKeyId', 'SnapshotId', 'Size', 'VolumeType', 'AvailabilityZone']),
            encryptedName: 'Encrypted',
            keyName: 'KmsKeyId',
          }),
        ];
      case 'aws_instance': {
        const out: Resource[] = [];
        const root = readBlocks(v.root_block_device)[0];
        out.push(
          volumeRecord(
            ctx,
            resource,
            root
              ? tfVolume(resource, root, 'root_block_device.0', resource.address, 'root', v.volume_tags)
              : { block: 'root_block_device.0', encrypted: undefined, key: undefined, snapshot: undefined, device: 'root', attachedTo: resource.address, implicitRoot: true, tags: v.volume_tags, evidence: {}, encryptedName: 'root_block_device.encrypted', keyName: 'root_block_device.kms_key_id' },
          ),
        );
        readBlocks(v.ebs_block_device).forEach((device, i) => {
          const name = device instanceof Unknown ? String(i) : deviceName(device.device_name, i);
          out.push(volumeRecord(ctx, resource, tfVolume(resource, device, `ebs_block_device.${i}`, resource.address, name, v.volume_tags)));
        });
        return out;
      }
      case 'aws_launch_template': {
        const out: Resource[] = [];
        readBlocks(v.block_device_mappings).forEach((mapping, i) => {
          if (mapping instanceof Unknown) {
            out.push(volumeRecord(ctx, resource, tfVolume(resource, mapping, `block_device_mappings.${i}`, `instances launched from ${resource.address}`, String(i), undefined)));
            return;
          }
          const ebs = readBlocks(mapping.ebs)[0];
          if (!ebs) return; // an instance store or no-device mapping: no EBS volume
          const spec = tfVolume(resource, ebs, `block_device_mappings.${i}`, `instances launched from ${resource.address}`, deviceName(mapping.device_name, i), undefined);
          spec.encryptedName = `block_device_mappings.${i}.ebs.encrypted`;
          spec.keyName = `block_device_mappings.${i}.ebs.kms_key_id`;
          out.push(volumeRecord(ctx, resource, spec));
        });
        return out;
      }
      case 'AWS::EC2::Instance': {
        const mappings = v.BlockDeviceMappings;
        if (mappings === undefined || mappings === null) {
          if (v.LaunchTemplate !== undefined) return []; // its volumes come from the launch template
          return [
            volumeRecord(ctx, resource, { block: 'BlockDeviceMappings.root', encrypted: undefined, key: undefined, snapshot: undefined, device: 'root', attachedTo: resource.address, implicitRoot: true, tags: undefined, evidence: {}, encryptedName: 'BlockDeviceMappings[].Ebs.Encrypted', keyName: 'BlockDeviceMappings[].Ebs.KmsKeyId' }),
          ];
        }
        if (mappings instanceof Unknown) {
          return [volumeRecord(ctx, resource, { block: 'BlockDeviceMappings', encrypted: mappings, key: undefined, snapshot: undefined, device: null, attachedTo: resource.address, tags: undefined, evidence: {}, encryptedName: 'BlockDeviceMappings', keyName: 'KmsKeyId' })];
        }
        return (Array.isArray(mappings) ? mappings : [])
          .map((m, i) => ({ m, i }))
          .filter(({ m }) => isMap(m) && m.Ebs !== undefined)
          .map(({ m, i }) => volumeRecord(ctx, resource, cfnVolume(m as ValueMap, `BlockDeviceMappings.${i}`, resource.address, deviceName((m as ValueMap).DeviceName, i), undefined)));
      }
      case 'AWS::EC2::LaunchTemplate': {
        const data = isMap(v.LaunchTemplateData) ? v.LaunchTemplateData : {};
        const mappings = data.BlockDeviceMappings;
        if (mappings instanceof Unknown) {
          return [volumeRecord(ctx, resource, { block: 'LaunchTemplateData.BlockDeviceMappings', encrypted: mappings, key: undefined, snapshot: undefined, device: null, attachedTo: `instances launched from ${resource.address}`, tags: undefined, evidence: {}, encryptedName: 'BlockDeviceMappings', keyName: 'KmsKeyId' })];
        }
        return (Array.isArray(mappings) ? mappings : [])
          .map((m, i) => ({ m, i }))
          .filter(({ m }) => isMap(m) && m.Ebs !== undefined)
          .map(({ m, i }) =>
            volumeRecord(ctx, resource, cfnVolume(m as ValueMap, `LaunchTemplateData.BlockDeviceMappings.${i}`, `instances launched from ${resource.address}`, deviceName((m as ValueMap).DeviceName, i), undefined)),
          );
      }
      case 'aws_ebs_encryption_by_default':
        return [settingRecord(ctx, resource)];
      case 'aws_ebs_default_kms_key':
        // One record per Region setting: the key resource is read with aws_ebs_encryption_by_default when the code has both.
        if (ctx.sameRoot(resource, ['aws_ebs_encryption_by_default']).some((r) => ctx.region(r) === ctx.region(resource))) return [];
        return [settingRecord(ctx, resource)];
      default:
        return [];
    }
  },
};

/** The Region's EBS encryption-by-default setting as the code sets it (the EBS check's `ebs-encryption-by-default` record). */
function settingRecord(ctx: MapContext, resource: CodeResource): Resource {
  const region = ctx.region(resource);
  const setting = ctx.ebsDefault(region, resource);
  const enabled = setting?.enabled ?? null;
  const keyNotes: string[] = [];
  let keyLevel = setting?.key?.level ?? 'unknown';
  if (setting?.key?.note) keyNotes.push(setting.key.note);
  if (!setting?.keyRef) {
    keyNotes.push('the code does not set the Region default EBS key (aws_ebs_default_kms_key): it is the Region\'s current one, aws/ebs unless changed; pass --inventory to know it');
    keyLevel = 'unknown';
  }
  const attributes: { [key: string]: Json } = {
    enabled,
    defaultKeyRef: setting?.keyRef ?? null,
    defaultKeyArn: setting?.key?.keyArn ?? null,
    defaultKeyLevel: keyLevel,
    defaultKeyNotes: keyNotes,
  };
  let protection: Protection;
  if (enabled === null) protection = unreadable(`whether EBS encryption by default is on in ${region} is not known before deployment (${setting?.from ?? 'not in the code'})`, setting?.keyRef ?? null);
  else if (!enabled) protection = unencrypted([`EBS encryption by default is off in ${region} (${setting!.from}): new volumes are unencrypted unless encryption is chosen when each is created`]);
  else if (setting?.key && setting.keyRef) protection = protectionFromKey(setting.keyRef, setting.key, null, [`EBS encryption by default is on (${setting.from}): new volumes get this key unless another is chosen`]);
  else protection = unreadable('EBS encryption by default is on, but the code does not set its default key (aws_ebs_default_kms_key)');
  const related = ctx.sameRoot(resource, ['aws_ebs_encryption_by_default', 'aws_ebs_default_kms_key']).filter((r) => r !== resource && ctx.region(r) === region);
  return record(resource, ctx, {
    service: 'ebs',
    type: 'ebs-encryption-by-default',
    protection,
    attributes,
    evidence: evidenceOf(resource.values, ['enabled', 'key_arn']),
    noTags: true,
    related,
  });
}

/**
 * The Region setting as the code sets it: aws_ebs_encryption_by_default
 * (enabled, default true) and aws_ebs_default_kms_key (key_arn) of the same
 * root and Region. null when the code sets neither.
 */
export function codeEbsDefault(ctx: MapContext, from: CodeResource, region: string): EbsDefault | null {
  const same = (kind: string) => ctx.sameRoot(from, [kind]).filter((r) => r.mode === 'managed' && ctx.region(r) === region);
  const setting = same('aws_ebs_encryption_by_default')[0];
  const key = same('aws_ebs_default_kms_key')[0];
  if (!setting && !key) return null;
  let enabled: boolean | null = null;
  if (setting) {
    const value = readBool(setting.values.enabled);
    enabled = value === undefined ? true : typeof value === 'boolean' ? value : null;
  }
  const keyValue = key?.values.key_arn;
  return {
    enabled,
    keyRef: key ? refText(keyValue) : null,
    key: key ? ctx.keys.resolve(keyValue, key, region) : null,
    from: [setting ? setting.address : null, key ? key.address : null].filter(Boolean).join(' and '),
  };
}

export const ebsIac: ServiceIac = { mapping: ebsIacMapping, facts: EBS_IAC_FACTS, setKey: ebsSetKey, ruleFixes: { 'EBS.DEFAULT_ENCRYPTION': ebsRuleFix, 'EBS.DEFAULT_KEY_LEVEL': ebsRuleFix } };
