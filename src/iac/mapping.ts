import type { KeyResolution } from '../keys/resolver.js';
import type { Inventory, Json, KeyRecord, Protection, Resource } from '../model/inventory.js';
import type { ServiceName } from '../model/services.js';
import type { FixBuilder } from './fix-model.js';
import type { IacKeyResolver } from './keys.js';
import type { CodeResource } from './model.js';
import { Ref, Unknown, isMap, readString, toEvidence, type Value } from './value.js';

/**
 * What a service's resource-kind mapping (src/services/<service>/iac.ts) is
 * given: the code resource, and everything it may need to decide its
 * Resource records the way the live check would — the region and account,
 * the key resolver, the other resources of the same code, the Region's EBS
 * encryption-by-default setting (from the code or the live inventory).
 */
export interface MapContext {
  /** The deploying account, or 'unknown'. */
  accountId: string;
  partition: string;
  /** The evaluation time: planned resources are created at apply, no earlier. */
  now: Date;
  region(resource: CodeResource): string;
  keys: IacKeyResolver;
  /** The code resources of one kind in the same root (plan, module tree or template) as `from`. */
  sameRoot(from: CodeResource, kinds: readonly string[]): CodeResource[];
  /** EBS encryption by default in a Region: from the code when it sets it, else from the live inventory; null when neither says. */
  ebsDefault(region: string, from: CodeResource): EbsDefault | null;
  inventory: Inventory | null;
}

export interface EbsDefault {
  enabled: boolean | null;
  /** The Region's default key, when known; with its resolution. */
  keyRef: string | null;
  key: KeyResolution | null;
  /** Where the setting comes from, for notes. */
  from: string;
}

/** A resource kind's reading: which kinds it reads and the Resource records one code resource gives. */
export interface IacKindMapping {
  service: ServiceName;
  /** The kinds whose code resources become records through `map` (companion kinds are read by the main kind's mapping). */
  kinds: readonly string[];
  /** Kinds only read through another (aws_s3_bucket_server_side_encryption_configuration through aws_s3_bucket). */
  companions?: readonly string[];
  map(resource: CodeResource, ctx: MapContext): Resource[];
}

/** One row of the defaults table (docs/iac.md): what an omitted setting means for a kind, and the documentation that says so. */
export interface IacKindFacts {
  kind: string;
  format: 'terraform' | 'cloudformation';
  service: ServiceName;
  /** The resource types it becomes. */
  types: string[];
  /** What an omitted encryption setting means. */
  defaults: string;
  docs: string[];
}

/**
 * A service's infrastructure-code knowledge (src/services/<service>/iac.ts),
 * hung off its descriptor: the resource kinds it reads, the defaults table,
 * and the fixes it writes as code.
 */
export interface ServiceIac {
  mapping?: IacKindMapping;
  facts: readonly IacKindFacts[];
  /** Moves a failing resource of the service to the chosen key (level rules, KMS.ALLOWED_KEYS, KMS.KEY_STATE). */
  setKey?: FixBuilder;
  /** Fixes of the service's own rules that are not "use the chosen key", by rule id. */
  ruleFixes?: Readonly<Record<string, FixBuilder>>;
  /** Enables a key the code creates disabled (KMS only). */
  enableKey?: FixBuilder;
}

/** The record's identity: the real ARN when a plan knows it, else `<format>:<root>#<address>`. */
export function recordArn(resource: CodeResource, block?: string): string {
  if (resource.knownArn && !block) return resource.knownArn;
  return `${resource.format}:${resource.root}#${resource.address}${block ? `.${block}` : ''}`;
}

export interface RecordFields {
  service: ServiceName;
  type: string;
  protection: Protection;
  attributes: { [key: string]: Json };
  evidence?: { [key: string]: Json };
  /** For a record of one block of the resource (an instance's root volume). */
  block?: string;
  /** The tags value of the code (Terraform map, CloudFormation Key/Value list), when the kind has tags. */
  tags?: Value | undefined;
  /** The kind has no tags at all: no `tags`, no `tagsError`. */
  noTags?: boolean;
  /** Other code resources that set this record's encryption. */
  related?: readonly CodeResource[];
}

/** A Resource record for a code resource, with its source. */
export function record(resource: CodeResource, ctx: MapContext, fields: RecordFields): Resource {
  const out: Resource = {
    arn: recordArn(resource, fields.block),
    id: fields.block ? `${resource.address}.${fields.block}` : resource.address,
    service: fields.service,
    type: fields.type,
    region: ctx.region(resource),
    accountId: ctx.accountId,
    protection: fields.protection,
    attributes: fields.attributes,
    evidence: { ...(fields.evidence ?? {}) },
    source: {
      format: resource.format,
      file: resource.file,
      address: resource.address,
      line: resource.line,
      kind: resource.kind,
      ...(fields.block ? { block: fields.block } : {}),
      ...(resource.plan ? { plan: resource.plan } : {}),
      ...(resource.actions ? { actions: [...resource.actions] } : {}),
      ...(Object.keys(resource.lines).length > 0 ? { lines: { ...resource.lines } } : {}),
      ...(fields.related && fields.related.length > 0
        ? { related: fields.related.map((r) => ({ address: r.address, kind: r.kind, file: r.file, line: r.line })) }
        : {}),
    },
  };
  if (resource.conditions) out.evidence.Conditions = resource.conditions;
  if (!fields.noTags) {
    const tags = readTags(fields.tags);
    if (tags instanceof Unknown) out.tagsError = { operation: 'iac', code: 'UnknownBeforeDeployment', message: tags.reason };
    else out.tags = tags;
  }
  return out;
}

/** Terraform `tags = {…}` or CloudFormation `Tags: [{Key, Value}]` as a tag map; Unknown when a tag is not known before deployment. */
export function readTags(value: Value | undefined): { [key: string]: string } | Unknown {
  if (value === undefined || value === null) return {};
  if (value instanceof Unknown) return value;
  if (value instanceof Ref) return new Unknown(`the tags come from ${value.text}, known only after apply`);
  const out: { [key: string]: string } = {};
  if (Array.isArray(value)) {
    for (const item of value) {
      if (!isMap(item)) return new Unknown('a tag is not a Key/Value pair');
      const key = readString(item.Key);
      const val = item.Value === '' ? '' : readString(item.Value);
      if (typeof key !== 'string') return key instanceof Unknown ? key : new Unknown('a tag key is not known before deployment');
      if (val !== undefined && typeof val !== 'string') return val instanceof Unknown ? val : new Unknown(`the value of tag ${key} is not known before deployment`);
      out[key] = val ?? '';
    }
    return out;
  }
  if (isMap(value)) {
    for (const [key, v] of Object.entries(value)) {
      const val = v === '' ? '' : readString(v);
      if (val !== undefined && typeof val !== 'string') return val instanceof Unknown ? val : new Unknown(`the value of tag ${key} is not known before deployment`);
      out[key] = val ?? '';
    }
    return out;
  }
  return new Unknown('tags are neither a map nor a Key/Value list');
}

/** The values of the code resource as evidence (Lambda environment values excepted by the caller). */
export function evidenceOf(values: { [key: string]: Value }, keys: readonly string[]): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const key of keys) if (values[key] !== undefined) out[key] = toEvidence(values[key]);
  return out;
}

/** The key reference as written, for protection.keyRef and evidence. */
export function refText(value: Value | undefined): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (value instanceof Ref) return value.text;
  // Nothing was named that a key lookup could use: the notes say why it is unknown.
  if (value instanceof Unknown) return null;
  return JSON.stringify(toEvidence(value));
}

/** Does `value` name `target` (a Ref to it, or its name / id as text)? */
export function names(value: Value | undefined, target: CodeResource, targetNames: ReadonlyArray<string | undefined>): boolean {
  if (value instanceof Ref) return value.address === target.address || value.address === target.address.replace(/\[[^\]]*\]$/, '');
  if (typeof value === 'string') return targetNames.some((n) => n !== undefined && n === value);
  return false;
}

/** The protection a resolved key gives (the same shape the live checks build). */
export function keyProtection(keyRef: string | null, resolution: KeyResolution, algorithm: string | null, notes: string[] = []): Protection {
  const all = [...notes];
  if (resolution.note) all.push(resolution.note);
  return { level: resolution.level, keyArn: resolution.keyArn, keyRef, algorithm, notes: all };
}

/** The key records a set of records depends on (for tests and the pipeline). */
export type KeyRecords = Map<string, KeyRecord>;
