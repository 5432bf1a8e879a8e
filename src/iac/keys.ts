import { inferOtherAccountKey, unknownKeyRecord } from '../keys/classify.js';
import type { KeyResolution } from '../keys/resolver.js';
import type { Inventory, KeyRecord } from '../model/inventory.js';
import type { CodeResource } from './model.js';
import { ACCOUNT_TOKEN, PARTITION_TOKEN, REGION_TOKEN, Ref, Unknown, substituteTokens, type Value } from './value.js';

/**
 * The key resolver of `atrest iac`: what the live key resolver is to a scan,
 * without AWS. A key reference in code is resolved to
 *
 * - a key the same code creates (a Ref to aws_kms_key / AWS::KMS::Key, or
 *   through an alias the code creates): the planned key record, whose
 *   rotation, spec, state and policy the code sets;
 * - a predefined AWS managed alias (`alias/aws/s3`, …): AWS managed, as the
 *   live resolver says without describing it;
 * - a key of the live account, by ARN, id or alias, from `--inventory`: the
 *   live record with its state (a key pending deletion or disabled is then
 *   judged by KMS.KEY_STATE before anything is created); a key the
 *   inventory's scan would have seen but did not is `NotFound`;
 * - a key in another account: customer managed by inference (AWS managed
 *   keys cannot be used across accounts), flagged in the note;
 * - anything else: unknown, with the reason (pass --inventory to resolve
 *   keys the code only names).
 */

const AWS_MANAGED_ALIAS = /^alias\/aws\//;
const KEY_ID = /^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const KMS_ARN = /^arn:([^:]+):kms:([^:]*):([^:]*):(key|alias)\/(.+)$/;
const ACCOUNT_ID = /^\d{12}$/;

export const KMS_KEY_KINDS = new Set(['aws_kms_key', 'aws_kms_external_key', 'AWS::KMS::Key']);
export const KMS_ALIAS_KINDS = new Set(['aws_kms_alias', 'AWS::KMS::Alias']);

export interface PlannedKey {
  record: KeyRecord;
  resource: CodeResource;
}

export interface PlannedAlias {
  name: string | null;
  target: Value | undefined;
  resource: CodeResource;
}

export interface ResolverInput {
  /** Planned keys by `${root}#${address}`. */
  planned: Map<string, PlannedKey>;
  aliases: Map<string, PlannedAlias>;
  resources: Map<string, CodeResource>;
  inventory: Inventory | null;
  /** The deploying account, when known; null otherwise. */
  accountId: string | null;
  partition: string;
}

export type IacKeyResolution = KeyResolution;

export function codeKey(root: string, address: string): string {
  return `${root}#${address}`;
}

export class IacKeyResolver {
  /** Live and inferred key records the resolved references depend on (planned ones are always in the inventory). */
  private readonly used = new Map<string, KeyRecord>();

  constructor(private readonly input: ResolverInput) {}

  /** The key records to add to the inventory beside the planned ones. */
  usedRecords(): KeyRecord[] {
    return [...this.used.values()];
  }

  /** The planned key record of a key resource of the code. */
  plannedRecord(resource: CodeResource): KeyRecord | undefined {
    return this.input.planned.get(codeKey(resource.root, resource.address))?.record;
  }

  /** The code resource a reference names, from the code resource that makes it. */
  find(from: CodeResource, address: string): CodeResource | undefined {
    const exact = this.input.resources.get(codeKey(from.root, address));
    if (exact) return exact;
    // aws_kms_key.app names the single instance aws_kms_key.app[0] (or ["x"]) when there is only one.
    const prefix = codeKey(from.root, `${address}[`);
    const hits = [...this.input.resources.entries()].filter(([k]) => k.startsWith(prefix)).map(([, v]) => v);
    return hits.length === 1 ? hits[0] : undefined;
  }

  resolve(value: Value | undefined, from: CodeResource, region: string, seen: Set<string> = new Set()): IacKeyResolution {
    if (value === undefined || value === null || value === '') return { keyArn: null, level: 'unknown', key: null, note: 'the code names no KMS key' };
    if (value instanceof Unknown) return { keyArn: null, level: 'unknown', key: null, note: `the KMS key is not known before deployment: ${value.reason}` };
    if (value instanceof Ref) return this.resolveRef(value, from, region, seen);
    if (typeof value !== 'string') return { keyArn: null, level: 'unknown', key: null, note: `the KMS key reference is not text (${JSON.stringify(value)})` };
    return this.resolveText(value, region);
  }

  private resolveRef(ref: Ref, from: CodeResource, region: string, seen: Set<string>): IacKeyResolution {
    const target = this.find(from, ref.address);
    if (!target) {
      return { keyArn: null, level: 'unknown', key: null, note: `the KMS key ${ref.text} refers to ${ref.address}, which is not in the code read` };
    }
    const id = codeKey(target.root, target.address);
    if (seen.has(id)) return { keyArn: null, level: 'unknown', key: null, note: `${ref.text}: the references loop` };
    seen.add(id);
    if (KMS_KEY_KINDS.has(target.kind)) {
      const planned = this.input.planned.get(id);
      if (!planned) return { keyArn: null, level: 'unknown', key: null, note: `${target.address} could not be read as a KMS key` };
      return fromRecord(planned.record);
    }
    if (KMS_ALIAS_KINDS.has(target.kind) && target.mode === 'managed') {
      const alias = this.input.aliases.get(id);
      const resolved = this.resolve(alias?.target, target, region, seen);
      const name = alias?.name ?? target.address;
      return { ...resolved, note: [`through alias ${name} (${target.address})`, resolved.note].filter(Boolean).join('; ') };
    }
    if (target.mode === 'data' && (target.kind === 'aws_kms_key' || target.kind === 'aws_kms_alias')) {
      // A plan's data source read during planning knows the key; a .tf data source names it literally.
      const known = target.kind === 'aws_kms_alias' ? (target.values.target_key_arn ?? target.values.name) : (target.values.arn ?? target.values.key_id);
      const resolved = this.resolve(known, target, region, seen);
      return { ...resolved, note: [`looked up by ${target.address}`, resolved.note].filter(Boolean).join('; ') };
    }
    return { keyArn: null, level: 'unknown', key: null, note: `${ref.text} refers to a ${target.kind}, not a KMS key` };
  }

  private resolveText(text: string, region: string): IacKeyResolution {
    const own = this.input.accountId;
    const known = substituteTokens(text, { accountId: own, partition: this.input.partition, region: region === 'unknown' ? null : region });
    const arn = KMS_ARN.exec(known);
    let account: string | null;
    let keyRegion: string;
    let kind: 'key' | 'alias';
    let name: string;
    if (arn) {
      account = arn[3] === ACCOUNT_TOKEN ? own : arn[3]!;
      keyRegion = arn[2] === REGION_TOKEN || !arn[2] ? region : arn[2];
      kind = arn[4] as 'key' | 'alias';
      name = kind === 'alias' ? `alias/${arn[5]}` : arn[5]!;
      if (arn[3] !== ACCOUNT_TOKEN && !ACCOUNT_ID.test(arn[3]!)) return unknownRef(text, 'its account is not an account id');
    } else if (known.startsWith('alias/')) {
      account = own;
      keyRegion = region;
      kind = 'alias';
      name = known;
    } else if (KEY_ID.test(known)) {
      account = own;
      keyRegion = region;
      kind = 'key';
      name = known;
    } else {
      return unknownRef(text, 'it is not a KMS key id, key ARN, alias name or alias ARN');
    }
    if (known.includes(PARTITION_TOKEN) || keyRegion.includes(REGION_TOKEN)) {
      // Nothing below depends on the partition; the region only for lookups.
    }
    const sameAccount = account === null || account === own || (arn !== null && arn[3] === ACCOUNT_TOKEN);
    if (kind === 'alias' && AWS_MANAGED_ALIAS.test(name) && sameAccount) {
      const live = this.findLive('alias', name, keyRegion, account);
      if (live) return this.useLive(live, `${name}: the AWS managed key of the live account`);
      return { keyArn: null, level: 'aws-managed', key: null, note: `${name} is a predefined AWS managed key alias (only AWS creates alias/aws/ aliases)` };
    }
    if (!sameAccount && account) {
      const live = this.findLive(kind, name, keyRegion, account);
      if (live) return this.useLive(live, `key in another account (${account})`);
      const record = otherAccountRecord(known, account, keyRegion, kind, name, this.input.partition);
      this.used.set(record.arn, record);
      return { keyArn: record.arn, level: 'customer-managed', key: record, note: `key in another account (${account}): customer managed by inference (AWS managed keys cannot be used across accounts); origin, state and rotation unknown` };
    }
    const inventory = this.input.inventory;
    if (!inventory) {
      return unknownRef(text, 'the code names a key that exists only in the account: pass --inventory with a live inventory (atrest collect) to resolve it');
    }
    const live = this.findLive(kind, name, keyRegion, account ?? inventory.scan.accountId);
    if (live) return this.useLive(live, null);
    const scanned = inventory.scan.services.includes('kms') && inventory.scan.regions.includes(keyRegion);
    if (!scanned) {
      return unknownRef(text, `the inventory did not scan KMS in ${keyRegion}, so the key cannot be looked up`);
    }
    const record = notFoundRecord(known, account ?? inventory.scan.accountId, keyRegion, kind, name, this.input.partition);
    this.used.set(record.arn, record);
    return {
      keyArn: record.arn,
      level: 'unknown',
      key: record,
      note: `${text} is not in the live inventory of account ${record.accountId} in ${keyRegion}: the key does not exist there`,
      error: { operation: 'DescribeKey', code: 'NotFoundException', message: 'not in the inventory' },
    };
  }

  private findLive(kind: 'key' | 'alias', name: string, region: string, account: string | null): KeyRecord | undefined {
    const keys = this.input.inventory?.keys ?? [];
    return keys.find((k) => {
      if (account && k.accountId !== account) return false;
      if (k.region !== region) return false;
      if (kind === 'alias') return k.aliases.includes(name);
      return k.keyId === name || k.arn.endsWith(`:key/${name}`);
    });
  }

  private useLive(record: KeyRecord, note: string | null): IacKeyResolution {
    this.used.set(record.arn, record);
    const resolution = fromRecord(record);
    return note ? { ...resolution, note: [note, resolution.note].filter(Boolean).join('; ') } : resolution;
  }
}

function fromRecord(record: KeyRecord): IacKeyResolution {
  const resolution: IacKeyResolution = { keyArn: record.arn, level: record.level, key: record };
  if (!record.describable && record.notes.length > 0) resolution.note = record.notes.join('; ');
  return resolution;
}

function unknownRef(text: string, why: string): IacKeyResolution {
  return { keyArn: null, level: 'unknown', key: null, note: `the KMS key "${text}" could not be resolved: ${why}` };
}

function arnFor(partition: string, region: string, account: string, kind: 'key' | 'alias', name: string): string {
  return `arn:${partition}:kms:${region}:${account}:${kind === 'key' ? `key/${name}` : name}`;
}

function baseRecord(arn: string, keyId: string, region: string, accountId: string, aliases: string[]): KeyRecord {
  return unknownKeyRecord({ arn, keyId, region, accountId, aliases, inScannedAccount: false });
}

function otherAccountRecord(ref: string, account: string, region: string, kind: 'key' | 'alias', name: string, partition: string): KeyRecord {
  const arn = arnFor(partition, region, account, kind, name);
  const record = baseRecord(arn, name, region, account, kind === 'alias' ? [name] : []);
  record.notes.push(`named by infrastructure code as ${ref}`);
  inferOtherAccountKey(record);
  record.evidence = { NamedInCode: ref };
  return record;
}

function notFoundRecord(ref: string, account: string, region: string, kind: 'key' | 'alias', name: string, partition: string): KeyRecord {
  const arn = arnFor(partition, region, account, kind, name);
  const record = baseRecord(arn, name, region, account, kind === 'alias' ? [name] : []);
  record.state = 'NotFound';
  record.inScannedAccount = true;
  record.notes = [`named by infrastructure code as ${ref}`, 'not in the live inventory: the key does not exist in the account and Region the inventory scanned'];
  record.evidence = { NamedInCode: ref, DescribeKeyError: { code: 'NotFoundException', message: 'not in the live inventory' } };
  return record;
}
