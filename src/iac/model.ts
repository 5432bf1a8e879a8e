import type { IacFormat } from '../model/inventory.js';
import type { ValueMap } from './value.js';

/**
 * One resource as a format reader found it, before any service knowledge:
 * its kind, its address, where it is written and its attribute values. The
 * resource-kind mappings (src/services/<service>/iac.ts) turn these into the
 * inventory's Resource and KeyRecord records.
 */
export interface CodeResource {
  format: IacFormat;
  /** The plan file, the root module folder or the template file this resource belongs to (its identity's prefix). */
  root: string;
  /** Where it is written (the plan file for a plan read without --tf-dir). */
  file: string;
  line: number | null;
  /** Terraform address (module path, index) or CloudFormation logical id. */
  address: string;
  /** aws_s3_bucket, AWS::S3::Bucket. */
  kind: string;
  /** Terraform `data` sources are `data`; everything else `managed`. */
  mode: 'managed' | 'data';
  /** Terraform attributes and nested blocks (blocks as lists of maps); CloudFormation Properties. */
  values: ValueMap;
  /** Lines of the attributes or properties, by dotted path with list indexes (`rule.0.bucket_key_enabled`, `BucketEncryption`). */
  lines: { [path: string]: number };
  /** terraform-plan: the planned actions; the real ARN when the plan knows it. */
  actions?: string[];
  plan?: string;
  knownArn?: string;
  /** The region the code gives the resource (provider configuration, a `region` attribute), if any. */
  region?: string;
  /** CloudFormation: the values of the conditions this variant of the resource was read under. */
  conditions?: { [name: string]: boolean };
  /** CloudFormation: the resource exists only when its Condition is true (and this variant has it false). */
  absent?: boolean;
}

/** What the readers learnt about the deployment target beyond the resources. */
export interface CodeContext {
  /** The deploying account, when the code proves it (a plan's data.aws_caller_identity). */
  accountId?: string;
  /** The region the provider configuration names, when one does. */
  region?: string;
}

export interface CodeReadResult {
  resources: CodeResource[];
  context: CodeContext;
  /** Problems that leave part of the code unread: they become `unknown` coverage, never silence. */
  warnings: string[];
}
