import type { Resource } from '../model/inventory.js';
import { addressParts, keyCfn, keyHcl, tfName, type ChosenKey, type CloudFormationChange, type HclEntry, type TerraformChange } from './fix-model.js';

/**
 * Small shared pieces of the services' fix builders: where a change goes
 * (the resource's block, file and line, or — for a live resource — a new
 * block with an import id) and the chosen key in each format.
 */

/** The provider-side id of a resource (vol-…, a table name) when known: live, or a plan of an existing resource; else a placeholder. */
export function liveId(resource: Resource, placeholder: string): string {
  if (!resource.source) return resource.id;
  const arn = resource.arn.startsWith('arn:') ? resource.arn : null;
  if (arn) return arn.split(/[:/]/).at(-1) ?? placeholder;
  return placeholder;
}

export interface Target {
  /** Terraform kind and name (for a live resource: the kind given, named after its id). */
  kind: string;
  name: string;
  file: string | null;
  /** Line of the path's attribute when the code has it, else of the resource. */
  line: (path?: string) => number | null;
  /** Read from code (iac) or from AWS (a live report). */
  live: boolean;
  /** The format of the code it was read from (null for a live resource). */
  format: 'terraform' | 'cloudformation' | null;
  /** The change replaces a resource that already exists (false only for one a plan creates). */
  exists: boolean;
}

export function target(resource: Resource, liveKind: string): Target {
  const source = resource.source;
  if (!source) {
    return { kind: liveKind, name: tfName(resource.id), file: null, line: () => null, live: true, format: null, exists: true };
  }
  const { kind, name } = source.format === 'cloudformation' ? { kind: source.kind, name: source.address } : addressParts(source.address);
  return {
    kind,
    name,
    file: source.file,
    line: (path) => (path && source.lines?.[path]) || source.line,
    live: false,
    format: source.format === 'cloudformation' ? 'cloudformation' : 'terraform',
    exists: source.format === 'terraform-plan' ? !(source.actions ?? []).includes('create') : true,
  };
}

/** A change that sets entries in the resource (or one of its blocks), plus the data source a key by alias needs. */
export function tfSet(t: Target, block: string[], entries: HclEntry[], linePath?: string, importId?: string): TerraformChange {
  return {
    kind: t.kind,
    name: t.name,
    action: t.live ? 'add-resource' : 'set',
    block,
    entries,
    file: t.file,
    line: t.line(linePath ?? block.join('.')),
    ...(t.live && importId ? { importId } : {}),
  };
}

export function cfnSet(resource: Resource, t: Target, properties: Record<string, unknown>): CloudFormationChange {
  return {
    logicalId: resource.source?.format === 'cloudformation' ? t.name : cfnLogicalId(resource.source?.address ?? resource.id),
    type: resource.source?.format === 'cloudformation' ? resource.source.kind : (CFN_TYPE[`${resource.service}:${resource.type}`] ?? 'AWS::Unknown'),
    properties,
    file: t.file,
    line: t.line(Object.keys(properties)[0]),
  };
}

/** The CloudFormation type of each record type (for live resources brought into a template). */
export const CFN_TYPE: Record<string, string> = {
  's3:bucket': 'AWS::S3::Bucket',
  'ebs:volume': 'AWS::EC2::Volume',
  'rds:db-instance': 'AWS::RDS::DBInstance',
  'rds:db-cluster': 'AWS::RDS::DBCluster',
  'aurora:db-cluster': 'AWS::RDS::DBCluster',
  'dynamodb:table': 'AWS::DynamoDB::Table',
  'lambda:function': 'AWS::Lambda::Function',
  'redshift:cluster': 'AWS::Redshift::Cluster',
  'redshift:serverless-namespace': 'AWS::RedshiftServerless::Namespace',
  'kms:key': 'AWS::KMS::Key',
  'efs:file-system': 'AWS::EFS::FileSystem',
};

function cfnLogicalId(id: string): string {
  const words = id.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const name = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return /^[A-Za-z]/.test(name) ? name : `Resource${name}`;
}

/** The key as a Terraform value, and the data source lookup it needs (first in the changes). */
export function tfKey(key: ChosenKey): { value: ReturnType<typeof keyHcl>['value']; extra: TerraformChange[] } {
  const { value, data } = keyHcl(key);
  return { value, extra: data ? [data] : [] };
}

export { keyCfn };
