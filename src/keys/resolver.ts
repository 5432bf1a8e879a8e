import {
  DescribeKeyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  paginateListAliases,
  type AliasListEntry,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import { parseArn, partitionFor } from '../aws/arn.js';
import type { ClientFactory } from '../aws/clients.js';
import { describeAwsError, type AwsErrorInfo } from '../aws/errors.js';
import { scanError } from '../collect/scan-error.js';
import type { KeyRecord, KeyRotation, ScanError } from '../model/inventory.js';
import type { ProtectionLevel } from '../model/levels.js';
import { sortBy } from '../util/sort.js';
import { describedKeyRecord, describeKeyFailure, undescribedKeyRecord, withRotationStatus, type KeyIdentity } from './classify.js';
import { canonicalKeyArn, isAwsManagedAlias, parseKeyReference, type KeyReference } from './reference.js';

/**
 * The one key resolver. Every check hands it whatever key reference its
 * service returned — a key id, a key ARN, an alias name, an alias ARN,
 * `alias/aws/<service>`, a key in another account or region — and gets back
 * one key record with its protection level. Each distinct key is described at
 * most once per scan, however many resources name it: lookups are cached as
 * promises, so concurrent requests for the same key share one DescribeKey.
 *
 * It classifies; it never judges. Whether a level is good enough is the rules'
 * business. What a reference names (reference.ts) and what a described key
 * is (classify.ts) are decided by pure functions; this class only calls KMS
 * (DescribeKey, ListAliases, GetKeyRotationStatus) and caches.
 */

export interface KeyResolution {
  /** The key's ARN when it could be determined (even if the key could not be described). */
  keyArn: string | null;
  /** The protection level the key gives; `unknown` when it could not be determined. */
  level: ProtectionLevel;
  key: KeyRecord | null;
  /** Why the level is what it is when the key could not be fully read. */
  note?: string;
  /** The call that failed, when one did. */
  error?: { operation: string; code: string; message: string };
}

export interface KeyResolverOptions {
  clients: ClientFactory;
  /** The scanned account: references without an account are read as this one's. */
  accountId: string;
  partition: string;
  log?: (message: string) => void;
  /**
   * The resolver of another account scanned in the same run
   * (src/collect/accounts.ts): a key of that account is described once, by
   * its own account's credentials, and linked, not recorded as foreign.
   */
  peer?: (accountId: string) => KeyResolver | undefined;
}

type ParsedReference = KeyReference;

export class KeyResolver {
  private readonly keys = new Map<string, Promise<KeyRecord>>();
  private readonly aliasLookups = new Map<string, Promise<KeyResolution>>();
  private readonly aliasLists = new Map<string, Promise<AliasListEntry[] | null>>();
  private readonly scanErrors: ScanError[] = [];
  /** DescribeKey calls made, for tests and the debug log. */
  describeCalls = 0;

  constructor(private readonly options: KeyResolverOptions) {}

  /**
   * Resolves any key reference. `region` is where the referencing resource
   * lives: a bare key id or alias name is looked up there.
   */
  async resolve(reference: string | null | undefined, region: string): Promise<KeyResolution> {
    const ref = (reference ?? '').trim();
    if (!ref) {
      return { keyArn: null, level: 'unknown', key: null, note: 'the service named no KMS key' };
    }
    const parsed = parseKeyReference(ref, { region, accountId: this.options.accountId, partition: this.options.partition });
    if (!parsed) {
      return {
        keyArn: null,
        level: 'unknown',
        key: null,
        note: `"${ref}" is not a KMS key id, key ARN, alias name or alias ARN`,
      };
    }
    if (parsed.kind === 'key') return this.fromRecord(await this.describe(parsed));
    return this.resolveAlias(parsed);
  }

  /** Describes a key known by ARN (the KMS check uses this for every key ListKeys returns). */
  async describeKeyArn(arn: string): Promise<KeyRecord> {
    // ListKeys answers with KMS's own ids: trust their shape (emulators do not
    // always use UUIDs). Only references from other services go through the
    // strict parse() that keeps placeholders away from KMS.
    const a = parseArn(arn);
    const keyId = a?.resource.startsWith('key/') ? a.resource.slice('key/'.length) : '';
    if (!a || a.service !== 'kms' || !a.region || !a.accountId || !keyId) throw new Error(`not a KMS key ARN: ${arn}`);
    return this.describe({ kind: 'key', region: a.region, accountId: a.accountId, keyId, arn });
  }

  /**
   * The aliases of the scanned account in `region`, listed once. The KMS check
   * and alias resolution share this list. null when the list could not be read.
   */
  aliases(region: string): Promise<AliasListEntry[] | null> {
    let list = this.aliasLists.get(region);
    if (!list) {
      list = this.listAliases(region);
      this.aliasLists.set(region, list);
    }
    return list;
  }

  /**
   * Every key resolved so far, sorted by ARN. Each record already carries its
   * aliases: buildRecord waits for its region's alias list.
   */
  async records(): Promise<KeyRecord[]> {
    const all = await Promise.all(this.keys.values());
    const unique = new Map(all.map((k) => [k.arn, k]));
    return sortBy([...unique.values()], (k) => [k.arn]);
  }

  /** Calls that failed while resolving keys (listed in scan.errors). */
  errors(): ScanError[] {
    return [...this.scanErrors];
  }

  private async resolveAlias(alias: Extract<ParsedReference, { kind: 'alias' }>): Promise<KeyResolution> {
    // In the scanned account the alias list answers without a DescribeKey.
    if (alias.accountId === this.options.accountId) {
      const list = await this.aliases(alias.region);
      const entry = list?.find((a) => a.AliasName === alias.aliasName);
      if ((list === null || (entry && !entry.TargetKeyId)) && isAwsManagedAlias(alias.aliasName)) {
        // A predefined AWS alias with no key yet: AWS creates the key on first
        // use. DescribeKey on such an alias makes KMS create the key, which a
        // read-only audit must not do, and the level is known anyway (only AWS
        // creates alias/aws/ aliases). When the list is unreadable we cannot
        // tell whether the key exists, so the same holds.
        return {
          keyArn: null,
          level: 'aws-managed',
          key: null,
          note:
            list === null
              ? `${alias.aliasName} is an AWS managed key alias; ListAliases could not be read, and describing the alias could make KMS create the key, so the key itself was not read`
              : `${alias.aliasName} is a predefined AWS managed key alias with no key yet (AWS creates the key on first use); not described, because describing it would create the key`,
        };
      }
      if (entry?.TargetKeyId) {
        const keyArn = `arn:${partitionFor(alias.region, this.options.partition)}:kms:${alias.region}:${alias.accountId}:key/${entry.TargetKeyId}`;
        return this.fromRecord(
          await this.describe({ kind: 'key', region: alias.region, accountId: alias.accountId, keyId: entry.TargetKeyId, arn: keyArn }, alias.aliasName),
        );
      }
    }
    const owner = alias.accountId !== this.options.accountId ? this.options.peer?.(alias.accountId) : undefined;
    if (owner) return owner.resolveAlias(alias);
    let lookup = this.aliasLookups.get(alias.aliasArn);
    if (!lookup) {
      lookup = this.describeAlias(alias);
      this.aliasLookups.set(alias.aliasArn, lookup);
    }
    return lookup;
  }

  /** DescribeKey by alias, for aliases not in the list (other accounts, or the list was unreadable). */
  private async describeAlias(alias: Extract<ParsedReference, { kind: 'alias' }>): Promise<KeyResolution> {
    const result = await this.callDescribeKey(alias.region, alias.aliasArn);
    if ('metadata' in result && result.metadata.Arn && result.metadata.KeyId) {
      const meta = result.metadata;
      const arn = meta.Arn!;
      const region = parseArn(arn)?.region ?? alias.region;
      const accountId = meta.AWSAccountId ?? parseArn(arn)?.accountId ?? alias.accountId;
      let pending = this.keys.get(arn);
      if (!pending) {
        pending = this.buildRecord({ arn, keyId: meta.KeyId!, region, accountId, metadata: meta, aliasHint: alias.aliasName });
        this.keys.set(arn, pending);
      }
      return this.fromRecord(await pending);
    }
    const error = 'error' in result ? result.error : { code: 'MissingField', message: 'DescribeKey returned no KeyMetadata.Arn', httpStatus: null };
    // An AWS managed alias names an AWS managed key even when we cannot read it.
    if (isAwsManagedAlias(alias.aliasName)) {
      return {
        keyArn: null,
        level: 'aws-managed',
        key: null,
        note: `${alias.aliasName} is an AWS managed key alias; DescribeKey failed (${error.code}), so the key itself was not read`,
        error: { operation: 'DescribeKey', code: error.code, message: error.message },
      };
    }
    if (alias.accountId !== this.options.accountId) {
      return {
        keyArn: null,
        level: 'customer-managed',
        key: null,
        note: `alias in account ${alias.accountId} could not be described (${error.code}); keys used across accounts are customer managed`,
        error: { operation: 'DescribeKey', code: error.code, message: error.message },
      };
    }
    return {
      keyArn: null,
      level: 'unknown',
      key: null,
      note: `${alias.aliasName} could not be resolved: DescribeKey ${error.code}: ${error.message}`,
      error: { operation: 'DescribeKey', code: error.code, message: error.message },
    };
  }

  private describe(ref: Extract<ParsedReference, { kind: 'key' }>, aliasHint?: string): Promise<KeyRecord> {
    // Normalised, so a key named by id and by ARN shares one cache entry.
    const arn = canonicalKeyArn(ref, this.options.partition);
    let pending = this.keys.get(arn);
    const owner = !pending && ref.accountId !== this.options.accountId ? this.options.peer?.(ref.accountId) : undefined;
    if (owner) {
      // Kept here too, so this account's inventory lists the key it uses (the merge makes the two copies one).
      pending = owner.describe({ ...ref, arn }, aliasHint);
      this.keys.set(arn, pending);
    }
    if (!pending) {
      pending = this.callDescribeKey(ref.region, arn).then((result) =>
        this.buildRecord({
          arn,
          keyId: ref.keyId,
          region: ref.region,
          accountId: ref.accountId,
          ...('metadata' in result ? { metadata: result.metadata } : { failure: result.error }),
          aliasHint,
        }),
      );
      this.keys.set(arn, pending);
    }
    return pending;
  }

  private async callDescribeKey(region: string, keyId: string): Promise<{ metadata: KeyMetadata } | { error: AwsErrorInfo }> {
    const client = this.options.clients.get(KMSClient, region);
    try {
      this.describeCalls += 1;
      this.options.log?.(`kms DescribeKey ${keyId}`);
      const out = await client.send(new DescribeKeyCommand({ KeyId: keyId }));
      if (!out.KeyMetadata) return { error: { code: 'MissingField', message: 'DescribeKey returned no KeyMetadata', httpStatus: null } };
      return { metadata: out.KeyMetadata };
    } catch (error) {
      const info = describeAwsError(error);
      this.scanErrors.push(scanError('kms', region, 'DescribeKey', info, keyId));
      return { error: info };
    }
  }

  private async buildRecord(input: {
    arn: string;
    keyId: string;
    region: string;
    accountId: string;
    metadata?: KeyMetadata;
    failure?: AwsErrorInfo;
    aliasHint?: string | undefined;
  }): Promise<KeyRecord> {
    const inScannedAccount = input.accountId === this.options.accountId;
    const aliases = new Set<string>();
    if (input.aliasHint) aliases.add(input.aliasHint);
    if (inScannedAccount) {
      // Matched on KMS's own KeyId: the reference may have spelled it otherwise.
      const keyId = input.metadata?.KeyId ?? input.keyId;
      const list = await this.aliases(input.region);
      for (const entry of list ?? []) {
        if (entry.TargetKeyId === keyId && entry.AliasName) aliases.add(entry.AliasName);
      }
    }
    const identity: KeyIdentity = {
      arn: input.arn,
      keyId: input.keyId,
      region: input.region,
      accountId: input.accountId,
      aliases: [...aliases].sort(),
      inScannedAccount,
    };
    if (!input.metadata) return undescribedKeyRecord(identity, input.failure);
    const { record, needsRotationStatus } = describedKeyRecord(identity, input.metadata);
    if (needsRotationStatus) record.rotation = await this.rotationStatus(record);
    return record;
  }

  /** GetKeyRotationStatus, for a key whose facts say automatic rotation exists (or cannot tell). */
  private async rotationStatus(record: KeyRecord): Promise<KeyRotation> {
    const client = this.options.clients.get(KMSClient, record.region);
    try {
      this.options.log?.(`kms GetKeyRotationStatus ${record.arn}`);
      const out = await client.send(new GetKeyRotationStatusCommand({ KeyId: record.arn }));
      return withRotationStatus(record, { enabled: out?.KeyRotationEnabled, periodDays: out?.RotationPeriodInDays });
    } catch (error) {
      const info = describeAwsError(error);
      const rotation = withRotationStatus(record, { error: info });
      // Rotation stays applicable unless KMS said "not supported" for a key whose facts could not tell: an answer, not a failure.
      if (rotation.applicable) {
        this.scanErrors.push(scanError('kms', record.region, 'GetKeyRotationStatus', info, record.arn));
      }
      return rotation;
    }
  }

  private fromRecord(record: KeyRecord): KeyResolution {
    const resolution: KeyResolution = { keyArn: record.arn, level: record.level, key: record };
    const error = describeKeyFailure(record);
    if (error) {
      resolution.note = record.notes.join('; ');
      resolution.error = error;
    }
    return resolution;
  }

  private async listAliases(region: string): Promise<AliasListEntry[] | null> {
    const client = this.options.clients.get(KMSClient, region);
    const entries: AliasListEntry[] = [];
    try {
      this.options.log?.(`kms ListAliases ${region}`);
      for await (const page of paginateListAliases({ client, pageSize: 100, stopOnSameToken: true }, {})) {
        entries.push(...(page.Aliases ?? []));
      }
      return entries;
    } catch (error) {
      const info = describeAwsError(error);
      this.scanErrors.push(scanError('kms', region, 'ListAliases', info));
      return null;
    }
  }
}
