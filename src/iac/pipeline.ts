import { INVENTORY_SCHEMA_VERSION, type Inventory, type KeyRecord, type Resource } from '../model/inventory.js';
import type { ProtectionLevel } from '../model/levels.js';
import type { ServiceName } from '../model/services.js';
import { plannedKeys } from '../services/kms/iac.js';
import { codeEbsDefault } from '../services/ebs/iac.js';
import { sortBy } from '../util/sort.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { IacKeyResolver, codeKey } from './keys.js';
import type { IacKnowledge } from './kinds.js';
import type { EbsDefault, MapContext } from './mapping.js';
import type { CodeResource } from './model.js';
import type { CodeRead } from './read-code.js';

/**
 * Code resources → the inventory the rules engine judges, exactly as it
 * judges a live one: the same Resource and KeyRecord records, resource types,
 * levels and attributes. Every resource kind is read by its service's
 * mapping (src/services/<service>/iac.ts); planned keys first, so resources
 * that name them are protected by them.
 */
export interface BuildOptions {
  /** --inventory: the live account's keys and EBS settings. */
  live: Inventory | null;
  /** --region: the Region of resources whose code does not say. */
  region?: string;
  now: Date;
}

/** Order in which a CloudFormation variant is worse: unencrypted, then undecided, then the weaker key. */
const WORSE: readonly ProtectionLevel[] = ['none', 'unknown', 'aws-owned', 'aws-managed', 'customer-managed', 'customer-managed-imported', 'customer-managed-hsm'];

export function buildInventory(code: CodeRead, options: BuildOptions, knowledge: IacKnowledge): Inventory {
  const live = options.live;
  const liveAccount = live && live.scan.accountId !== 'multiple' ? live.scan.accountId : null;
  const accountId = liveAccount ?? code.context.accountId ?? null;
  const partition = live?.scan.partition ?? 'aws';
  const liveRegion = live && live.scan.regions.length === 1 ? live.scan.regions[0] : undefined;

  const byKey = new Map<string, CodeResource>();
  for (const r of code.resources) if (!byKey.has(codeKey(r.root, r.address))) byKey.set(codeKey(r.root, r.address), r);
  const byRoot = new Map<string, CodeResource[]>();
  for (const r of code.resources) {
    const list = byRoot.get(r.root) ?? [];
    list.push(r);
    byRoot.set(r.root, list);
  }

  const regionOf = (r: CodeResource): string => r.region ?? code.context.region ?? options.region ?? liveRegion ?? 'unknown';
  // The resolver needs the planned keys, which need the context: build the context, then swap the resolver in.
  let resolver = new IacKeyResolver({ planned: new Map(), aliases: new Map(), resources: byKey, inventory: live, accountId, partition });
  const ebsCache = new Map<string, EbsDefault | null>();
  const ctx: MapContext = {
    accountId: accountId ?? 'unknown',
    partition,
    now: options.now,
    region: regionOf,
    get keys() {
      return resolver;
    },
    sameRoot: (from, kinds) => (byRoot.get(from.root) ?? []).filter((r) => kinds.includes(r.kind) && !r.absent),
    ebsDefault(region, from) {
      const id = `${from.root}\u0000${region}`;
      if (ebsCache.has(id)) return ebsCache.get(id)!;
      const fromCode = codeEbsDefault(ctx, from, region);
      const fromLive = liveEbsDefault(live, region, accountId);
      const merged: EbsDefault | null =
        fromCode || fromLive
          ? {
              enabled: fromCode?.enabled ?? fromLive?.enabled ?? null,
              keyRef: fromCode?.keyRef ?? fromLive?.keyRef ?? null,
              key: fromCode?.keyRef ? fromCode.key : (fromLive?.key ?? null),
              from: [fromCode?.from, fromLive && (fromCode?.enabled === undefined || fromCode?.enabled === null || !fromCode?.keyRef) ? fromLive.from : null].filter(Boolean).join('; '),
            }
          : null;
      ebsCache.set(id, merged);
      return merged;
    },
    inventory: live,
  };
  const { planned, aliases } = plannedKeys(code.resources, ctx);
  resolver = new IacKeyResolver({ planned, aliases, resources: byKey, inventory: live, accountId, partition });
  ebsCache.clear();

  // Map every variant; merge CloudFormation variants of one record into the worst.
  const variants = new Map<string, Array<{ resource: Resource; code: CodeResource }>>();
  const absentOnly = new Map<string, CodeResource>();
  for (const r of code.resources) {
    const mapping = knowledge.mappingFor(r.kind);
    if (!mapping) continue;
    if (r.absent) {
      absentOnly.set(codeKey(r.root, r.address), r);
      continue;
    }
    for (const resource of mapping.map(r, ctx)) {
      const list = variants.get(resource.arn) ?? [];
      list.push({ resource, code: r });
      variants.set(resource.arn, list);
    }
  }
  const resources: Resource[] = [];
  for (const list of variants.values()) resources.push(worst(list, absentOnly));

  const keys = new Map<string, KeyRecord>();
  for (const { record } of planned.values()) keys.set(record.arn, record);
  for (const record of resolver.usedRecords()) if (!keys.has(record.arn)) keys.set(record.arn, record);
  // Live keys a record names through the inventory's EBS default (not through the resolver).
  for (const r of resources) {
    const arn = r.protection.keyArn;
    const found = arn && !keys.has(arn) ? live?.keys.find((k) => k.arn === arn) : undefined;
    if (found) keys.set(found.arn, found);
  }
  const now = options.now.toISOString();
  const services = [...new Set(resources.map((r) => r.service))].sort() as ServiceName[];
  const regions = [...new Set([...resources.map((r) => r.region), ...[...keys.values()].map((k) => k.region)])].filter((r) => r !== 'unknown').sort();
  return {
    kind: 'atrest-inventory',
    schemaVersion: INVENTORY_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    scan: {
      accountId: accountId ?? 'unknown',
      principalArn: 'none: atrest iac reads infrastructure code, not AWS',
      partition,
      regions,
      services,
      startedAt: now,
      finishedAt: now,
      errors: [],
    },
    keys: sortBy([...keys.values()], (k) => [k.arn]),
    resources: sortBy(resources, (r) => [r.service, r.type, r.region, r.arn]),
  };
}

/** The worst of a record's CloudFormation variants, with a note naming each branch. */
function worst(list: Array<{ resource: Resource; code: CodeResource }>, absentOnly: Map<string, CodeResource>): Resource {
  const chosen = [...list].sort((a, b) => WORSE.indexOf(a.resource.protection.level) - WORSE.indexOf(b.resource.protection.level))[0]!;
  if (list.length === 1 && !list[0]!.code.conditions) return chosen.resource;
  const out = chosen.resource;
  const describe = (c: { [k: string]: boolean } | undefined): string =>
    Object.entries(c ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
  const levels = new Set(list.map((v) => v.resource.protection.level));
  if (levels.size > 1) {
    const branches = list.map((v) => `${describe(v.code.conditions)}: ${v.resource.protection.level}`).join('; ');
    out.protection.notes.push(`Fn::If: the level depends on conditions (${branches}); the worse branch decides (fix conditions with --cfn-conditions to judge one)`);
  } else if (list[0]!.code.conditions) {
    out.protection.notes.push(`read under conditions ${list.map((v) => describe(v.code.conditions)).join(' / ')}: every branch gives ${chosen.resource.protection.level}`);
  }
  const absent = absentOnly.get(codeKey(chosen.code.root, chosen.code.address));
  if (absent) out.protection.notes.push(`created only when its Condition holds (not created with ${describe(absent.conditions)})`);
  return out;
}

/** The live inventory's EBS encryption-by-default record of a Region, as the code mappings read it. */
function liveEbsDefault(live: Inventory | null, region: string, accountId: string | null): EbsDefault | null {
  if (!live) return null;
  const setting = live.resources.find((r) => r.service === 'ebs' && r.type === 'ebs-encryption-by-default' && r.region === region && (!accountId || r.accountId === accountId));
  if (!setting) return null;
  const a = setting.attributes;
  const keyArn = typeof a.defaultKeyArn === 'string' ? a.defaultKeyArn : null;
  const keyRef = typeof a.defaultKeyRef === 'string' ? a.defaultKeyRef : keyArn;
  const level = (typeof a.defaultKeyLevel === 'string' ? a.defaultKeyLevel : 'unknown') as ProtectionLevel;
  const record = keyArn ? live.keys.find((k) => k.arn === keyArn) ?? null : null;
  return {
    enabled: typeof a.enabled === 'boolean' ? a.enabled : null,
    keyRef,
    key: keyRef ? { keyArn, level, key: record } : null,
    from: `the live inventory of ${setting.accountId}`,
  };
}
