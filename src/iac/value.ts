import type { Json } from '../model/inventory.js';

/**
 * The values the IaC readers hand to the resource-kind mappings. A value is
 * plain JSON where the code decides it, and one of two markers where it does
 * not:
 *
 * - `Ref`: a reference to another resource of the same code (Terraform
 *   `aws_kms_key.app.arn`, CloudFormation `!GetAtt Key.Arn` or `!Ref Key`).
 *   The mappings resolve key references through it to the planned key.
 * - `Unknown`: what the code cannot say before deployment (a variable without
 *   a default, a data source, a module output, `Fn::ImportValue`, an SSM
 *   parameter, a value Terraform knows only after apply), with the reason.
 *
 * Strings may carry the tokens `${AWS::AccountId}`, `${AWS::Partition}` and
 * `${AWS::Region}` for the deploying account, partition and region (Terraform's
 * `data.aws_caller_identity.*.account_id` and friends are read as the same
 * tokens): they name "this account" exactly, even when its id is not known.
 */

export class Unknown {
  constructor(
    /** Why the value is not known before deployment, in words a user reads. */
    readonly reason: string,
    /**
     * For text built from other resources' attributes (`"${aws_s3_bucket.b.arn}/*"`):
     * the text with each reference written as `${reference}`. A policy
     * document may use it: it names that resource, never everyone.
     */
    readonly text?: string,
  ) {}
}

export class Ref {
  constructor(
    /** The address (Terraform, module path included) or logical id (CloudFormation) of the referenced resource. */
    readonly address: string,
    /** The attribute: arn, id, key_id, name (Terraform); Ref, Arn, KeyId (CloudFormation). */
    readonly attribute: string,
    /** The reference as written, for messages. */
    readonly text: string,
  ) {}
}

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value } | Unknown | Ref;
export type ValueMap = { [key: string]: Value };

export const ACCOUNT_TOKEN = '${AWS::AccountId}';
export const PARTITION_TOKEN = '${AWS::Partition}';
export const REGION_TOKEN = '${AWS::Region}';

export function isUnknown(value: unknown): value is Unknown {
  return value instanceof Unknown;
}

export function isRef(value: unknown): value is Ref {
  return value instanceof Ref;
}

export function isMap(value: Value | undefined): value is ValueMap {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Unknown) && !(value instanceof Ref);
}

/** A value at a path of nested maps and lists (`server_side_encryption.0.kms_key_arn`); undefined when absent. */
export function at(value: Value | undefined, path: string | ReadonlyArray<string | number>): Value | undefined {
  const parts = typeof path === 'string' ? path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : path;
  let current: Value | undefined = value;
  for (const part of parts) {
    if (current === undefined || current === null) return undefined;
    if (current instanceof Unknown) return current;
    if (typeof part === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[part];
    } else {
      if (!isMap(current)) return undefined;
      current = current[part];
    }
  }
  return current;
}

/** The first Unknown inside a value (depth first), or null. */
export function firstUnknown(value: Value | undefined): Unknown | null {
  if (value instanceof Unknown) return value;
  if (Array.isArray(value)) {
    for (const item of value) {
      const u = firstUnknown(item);
      if (u) return u;
    }
  } else if (isMap(value)) {
    for (const item of Object.values(value)) {
      const u = firstUnknown(item);
      if (u) return u;
    }
  }
  return null;
}

/** Plain JSON of a value: Unknowns and Refs become their text (for evidence, which must be JSON). */
export function toEvidence(value: Value | undefined): Json {
  if (value === undefined) return null;
  if (value instanceof Unknown) return `(unknown: ${value.reason})`;
  if (value instanceof Ref) return `\${${value.text}}`;
  if (Array.isArray(value)) return value.map(toEvidence);
  if (isMap(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toEvidence(v)]));
  return value;
}

/** Reads of one value as a given type: `undefined` when absent, an Unknown when unknown. */
export type Read<T> = T | undefined | Unknown | Ref;

export function readBool(value: Value | undefined): Read<boolean> {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Unknown || value instanceof Ref) return value;
  if (typeof value === 'boolean') return value;
  // Terraform and CloudFormation both accept "true"/"false" strings for booleans.
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return new Unknown(`expected true or false, found ${JSON.stringify(toEvidence(value))}`);
}

export function readString(value: Value | undefined): Read<string> {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Unknown || value instanceof Ref) return value;
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return new Unknown(`expected text, found ${JSON.stringify(toEvidence(value))}`);
}

export function readNumber(value: Value | undefined): Read<number> {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Unknown || value instanceof Ref) return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return new Unknown(`expected a number, found ${JSON.stringify(toEvidence(value))}`);
}

/** A nested block or list as a list of maps (Terraform blocks are lists; a single map counts as one). */
export function readBlocks(value: Value | undefined): Array<ValueMap | Unknown> {
  if (value === undefined || value === null) return [];
  if (value instanceof Unknown) return [value];
  if (value instanceof Ref) return [new Unknown(`${value.text} is another resource's attribute, not known before apply`)];
  if (Array.isArray(value)) return value.flatMap((v): Array<ValueMap | Unknown> => (isMap(v) ? [v] : v instanceof Unknown ? [v] : []));
  if (isMap(value)) return [value];
  return [];
}

/** The reason of an Unknown or Ref read, for notes. */
export function whyUnknown(value: Unknown | Ref): string {
  return value instanceof Unknown ? value.reason : `${value.text} is known only after apply`;
}

/** Does a string name "this account / partition / region" only through the tokens? */
export function substituteTokens(text: string, values: { accountId?: string | null; partition?: string | null; region?: string | null }): string {
  let out = text;
  if (values.accountId) out = out.split(ACCOUNT_TOKEN).join(values.accountId);
  if (values.partition) out = out.split(PARTITION_TOKEN).join(values.partition);
  if (values.region) out = out.split(REGION_TOKEN).join(values.region);
  return out;
}
