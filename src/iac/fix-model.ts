import { Scalar } from 'yaml';
import { parseArn } from '../aws/arn.js';
import type { Json, KeyRecord, Resource } from '../model/inventory.js';
import type { Finding } from '../model/report.js';
import type { Policy } from '../model/policy.js';

/**
 * What a fix written as code is made of, before it is rendered as HCL or
 * YAML: the resource to change (or to add), the attributes or properties to
 * set, and whether the change replaces the resource. The services' fix
 * builders (src/services/<service>/iac-fix.ts) decide these; src/iac/fix-render.ts
 * writes them with the HCL and YAML writers.
 */

export type HclValue =
  | { kind: 'string'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'number'; value: number }
  | { kind: 'expr'; value: string }
  | { kind: 'list'; items: HclValue[] }
  | { kind: 'block'; body: HclEntry[] }
  /** An object expression `{ "key" = value }` (what jsonencode takes), unlike a nested block. */
  | { kind: 'object'; entries: Array<[string, HclValue]> };
export type HclEntry = [string, HclValue];

export const hcl = {
  str: (value: string): HclValue => ({ kind: 'string', value }),
  bool: (value: boolean): HclValue => ({ kind: 'bool', value }),
  num: (value: number): HclValue => ({ kind: 'number', value }),
  expr: (value: string): HclValue => ({ kind: 'expr', value }),
  list: (items: HclValue[]): HclValue => ({ kind: 'list', items }),
  block: (body: HclEntry[]): HclValue => ({ kind: 'block', body }),
  object: (entries: Array<[string, HclValue]>): HclValue => ({ kind: 'object', entries }),
};

/**
 * JSON (a key policy document) as an HCL expression for jsonencode(): the
 * account, partition and region tokens become the data sources that give
 * them in Terraform.
 */
export function jsonHcl(value: Json): HclValue {
  if (value === null) return hcl.expr('null');
  if (typeof value === 'string') {
    const text = value
      .split('${AWS::AccountId}').join('\u0000ACCOUNT\u0000')
      .split('${AWS::Partition}').join('\u0000PARTITION\u0000')
      .split('${AWS::Region}').join('\u0000REGION\u0000');
    if (!text.includes('\u0000')) return hcl.str(value);
    // Rendered raw: the string literal with interpolations of the data sources.
    const escaped = text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, '$${');
    return hcl.expr(`"${escaped.replace(/\u0000ACCOUNT\u0000/g, '${data.aws_caller_identity.current.account_id}').replace(/\u0000PARTITION\u0000/g, '${data.aws_partition.current.partition}').replace(/\u0000REGION\u0000/g, '${data.aws_region.current.region}')}"`);
  }
  if (typeof value === 'number') return hcl.num(value);
  if (typeof value === 'boolean') return hcl.bool(value);
  if (Array.isArray(value)) return hcl.list(value.map(jsonHcl));
  return hcl.object(Object.entries(value).map(([k, v]) => [k, jsonHcl(v)]));
}

/** JSON as CloudFormation YAML: strings with the tokens become !Sub. */
export function jsonCfn(value: Json): unknown {
  if (typeof value === 'string') return /\$\{AWS::(AccountId|Partition|Region)\}/.test(value) ? tagged('!Sub', value) : value;
  if (Array.isArray(value)) return value.map(jsonCfn);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonCfn(v)]));
  return value;
}

export interface TerraformChange {
  /** The resource to change, or to add. */
  kind: string;
  name: string;
  /** data: a data source the change needs (the chosen key, looked up by alias). */
  mode?: 'managed' | 'data';
  action: 'set' | 'add-resource';
  /** Nested block the entries go in (root_block_device.0): empty for the resource itself. */
  block: string[];
  entries: HclEntry[];
  file: string | null;
  line: number | null;
  /** For a live resource not yet in code: its import id. */
  importId?: string;
}

export interface CloudFormationChange {
  logicalId: string;
  /** A resource to add to the template (else: properties to set on an existing one). */
  add?: boolean;
  type: string;
  /** Properties to set, as YAML-ready JS (intrinsics as tagged yaml Scalars). */
  properties: Record<string, unknown>;
  file: string | null;
  line: number | null;
}

export interface FixPlan {
  summary: string;
  terraform: TerraformChange[];
  cloudformation: CloudFormationChange[];
  /** The change replaces the resource (a rebuild with data migration). */
  replacement: boolean;
  runbook?: string[];
  /** The same change as AWS CLI commands, with the resource's real identifiers (live resources). */
  cli?: string[];
}

/** The key a fix names: the policy's default key, its first allowed key, or a placeholder. */
export interface ChosenKey {
  value: string;
  from: 'policy.remediation.defaultKey' | 'policy.allowedKeys' | 'placeholder';
}

export const KEY_PLACEHOLDER = 'REPLACE_WITH_CUSTOMER_MANAGED_KMS_KEY_ARN';

export interface FixInput {
  finding: Finding;
  resource: Resource;
  key: ChosenKey;
  policy: Policy;
  /** Every resource of the report, by ARN (a fix may name a related resource). */
  resources: ReadonlyMap<string, Resource>;
  /** Every key of the report, by ARN (a key policy fix rewrites the key's document). */
  keys: ReadonlyMap<string, KeyRecord>;
}

export type FixBuilder = (input: FixInput) => FixPlan | null;

/** A Terraform identifier for a name (bucket name, volume id). */
export function tfName(text: string): string {
  const name = text.replace(/[^A-Za-z0-9_-]+/g, '_');
  if (!name) return 'this';
  // A Terraform name starts with a letter or an underscore (a key id may start with a digit).
  return /^[A-Za-z_]/.test(name) ? name : `id_${name}`;
}

/** The resource address split: `module.x.aws_s3_bucket.b["k"]` → kind aws_s3_bucket, name b["k"]. */
export function addressParts(address: string): { kind: string; name: string } {
  const m = /([A-Za-z0-9_]+)\.([A-Za-z0-9_-]+(\[[^\]]*\])?)$/.exec(address);
  return m ? { kind: m[1]!, name: m[2]! } : { kind: address, name: 'this' };
}

/** The chosen key as HCL: an ARN as text; an alias or key id through a data source (so every attribute gets a key ARN). */
export function keyHcl(key: ChosenKey): { value: HclValue; data: TerraformChange | null } {
  if (key.from === 'placeholder' || parseArn(key.value)?.resource.startsWith('key/')) return { value: hcl.str(key.value), data: null };
  const name = tfName(key.value.replace(/^.*alias\//, '').replace(/^arn:.*key\//, ''));
  return {
    value: hcl.expr(`data.aws_kms_key.${name}.arn`),
    data: { kind: 'aws_kms_key', name, mode: 'data', action: 'add-resource', block: [], entries: [['key_id', hcl.str(key.value)]], file: null, line: null },
  };
}

/** The chosen key as a CloudFormation value: an ARN as text, an alias or key id as its ARN in the stack's account and Region. */
export function keyCfn(key: ChosenKey): unknown {
  if (key.from === 'placeholder' || key.value.startsWith('arn:')) return key.value;
  const resource = key.value.startsWith('alias/') ? key.value : `key/${key.value}`;
  const sub = new Scalar(`arn:\${AWS::Partition}:kms:\${AWS::Region}:\${AWS::AccountId}:${resource}`);
  sub.tag = '!Sub';
  return sub;
}

/** A tagged intrinsic for YAML output (`!GetAtt Key.Arn`). */
export function tagged(tag: string, value: string): Scalar {
  const s = new Scalar(value);
  s.tag = tag;
  return s;
}
