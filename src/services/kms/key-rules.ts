import type { KeyRecord, Resource } from '../../model/inventory.js';
import { describeDependents } from '../../engine/key-dependents.js';
import { deletionDate, keyName } from '../../keys/key-record.js';
import { PENDING_DELETION_STATES } from '../../keys/states.js';
import { parseKeyReference } from '../../keys/reference.js';
import { servicesScannedIn } from '../../model/coverage.js';
import { keyMonthlyCost } from './cost.js';
import { accountsOf, crossAccountFromGrants, crossAccountFromPolicy, networkBoundStatements, publicStatements, type CrossAccountAccess } from './key-policy.js';
import type { Rule, RuleContext, RuleOutcome } from '../../rules/rule.js';
import { staticFix } from '../../rules/rule-detail.js';

/**
 * Key governance rules (issue 5). Each speaks about one KMS key resource of
 * the scanned account and reads the key record the KMS check filled in. Dates
 * are compared with the scan's end (context.asOf), never the wall clock. A
 * fact that could not be read makes the finding `unknown`, never a pass.
 */

const DAY_MS = 86_400_000;
/** KMS.UNUSED_KEY: no recorded use for this many days. */
export const UNUSED_KEY_DAYS = 90;

const isKey = (r: Resource): boolean => r.service === 'kms' && r.type === 'key';
const isCustomerKey = (r: Resource): boolean => isKey(r) && r.attributes.manager === 'CUSTOMER';

/** Facts only the KMS check reads (GetKeyPolicy, ListGrants): absent from a key record the check did not list. */
type CheckFact = 'policy' | 'grants';

const FACT_CALLS: Record<CheckFact, string> = { policy: 'its key policy (GetKeyPolicy)', grants: 'its grants (ListGrants)' };

interface KeyRuleSpec extends Omit<Rule, 'evaluate'> {
  /** The rule turns on the key state: a state that could not be read makes the finding unknown. */
  needsState?: boolean;
  /** Facts the KMS check must have read; see missingFacts for what their absence means. */
  needs?: readonly CheckFact[];
  /** Judges the key record behind the resource, found and described. */
  judge(key: KeyRecord, context: RuleContext): RuleOutcome;
}

/**
 * A rule about one key resource. Every such rule first needs the key record
 * behind it: missing, or not describable (or, for `needsState`, in an unread
 * state), the finding is unknown and `judge` is not asked.
 */
function keyRule({ needsState, needs, judge, ...rule }: KeyRuleSpec): Rule {
  return {
    ...rule,
    evaluate(resource, context) {
      const key = context.keyByArn.get(resource.arn);
      if (!key) return { status: 'unknown', message: 'the key record is missing from the inventory' };
      if (!key.describable) return { status: 'unknown', message: `the key could not be described: ${key.notes.join('; ')}` };
      if (needsState && key.state === 'unknown') {
        return { status: 'unknown', message: `the key state is unknown: ${key.notes.join('; ') || 'DescribeKey gave no KeyState'}` };
      }
      const missing = missingFacts(key, needs ?? [], context);
      if (missing) return missing;
      return judge(key, context);
    },
  };
}

/**
 * A key record without the KMS check's facts a rule needs (its policy, its
 * grants) came from a scan that only resolved the key for the resources that
 * use it (issue 10, item 5). What that means depends on whether `kms` was
 * scanned for the key's account and Region (scan.coverage):
 * - it was: the KMS check ran there but did not read this key (its listing
 *   did not name it, or the record is from another input of a merged
 *   inventory): the fact is missing, so the finding is `unknown`, with why;
 * - it was not: nobody asked for the key's governance facts there, so the
 *   rule was not asked either: `not-applicable`, saying so and how to ask
 *   (an `unknown` would make a deliberate `--services s3` scan exit 3).
 * A fact whose call failed is the rule's own business (it carries `error`).
 */
function missingFacts(key: KeyRecord, needs: readonly CheckFact[], context: RuleContext): RuleOutcome | null {
  const absent = needs.filter((fact) => key[fact] === undefined);
  if (absent.length === 0) return null;
  const what = absent.map((f) => FACT_CALLS[f]).join(' and ');
  const where = `${key.accountId} ${key.region}`;
  if (servicesScannedIn(context.inventory.scan, key.accountId, key.region).includes('kms')) {
    return {
      status: 'unknown',
      message: `${what} ${absent.length > 1 ? 'are' : 'is'} not in the inventory: kms was scanned in ${where}, but the KMS check did not read this key (the record comes from resolving the key for the resources that use it, in a scan or file without kms)`,
    };
  }
  return {
    status: 'not-applicable',
    message: `not checked: kms was not among the services scanned in ${where}, so ${what} ${absent.length > 1 ? 'were' : 'was'} not read; scan with --services including kms to judge it`,
  };
}

/** The resources of the scanned services that the key protects. */
function dependentsOf(key: KeyRecord, context: RuleContext): readonly Resource[] {
  return context.dependentsByKey.get(key.arn) ?? [];
}

/** "on 2026-12-05T00:00:00.000Z (in 7 days)" relative to the scan. */
function when(iso: string, asOf: Date): string {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return `on ${iso}`;
  const days = Math.round((t - asOf.getTime()) / DAY_MS);
  if (days > 0) return `on ${iso} (in ${days} day${days === 1 ? '' : 's'})`;
  if (days < 0) return `on ${iso} (${-days} day${days === -1 ? '' : 's'} before the scan)`;
  return `on ${iso} (the day of the scan)`;
}

const KEY_DOCS = 'https://docs.aws.amazon.com/kms/latest/developerguide/';

/** The first step of every import of key material (the wrapping key and token it returns). */
const getImportParameters = (arn: string): string =>
  `aws kms get-parameters-for-import --key-id ${arn} --wrapping-algorithm RSAES_OAEP_SHA_256 --wrapping-key-spec RSA_4096`;

// ---------------------------------------------------------------- lifecycle

export const kmsPendingDeletionRule: Rule = keyRule({
  id: 'KMS.PENDING_DELETION',
  title: 'KMS key scheduled for deletion',
  rationale:
    'When the waiting period ends the key and all its key material are deleted, and every ciphertext encrypted under it becomes unreadable for good. Until then the deletion can be cancelled. A key that resources still depend on is critical.',
  severity: 'high',
  matrixFacts: [],
  appliesTo: isCustomerKey,
  needsState: true,
  judge(key, context) {
    if (!PENDING_DELETION_STATES.has(key.state)) return { status: 'pass', message: `the key is ${key.state}, not scheduled for deletion` };
    const dependents = dependentsOf(key, context);
    const date = deletionDate(key);
    const schedule =
      key.state === 'PendingReplicaDeletion'
        ? 'is a multi-Region primary key scheduled for deletion once its replicas are deleted'
        : `is scheduled for deletion ${date ? when(date, context.asOf) : '(the deletion date is not in the inventory)'}`;
    return {
      status: 'fail',
      severity: dependents.length > 0 ? 'critical' : 'high',
      message: `key ${keyName(key)} ${schedule}; ${describeDependents(dependents)}`,
    };
  },
  ...staticFix(
    'if anything may still need the key, cancel the deletion now (the key comes back disabled), then enable it',
    (resource) => ({
      path: 'in-place',
      steps: [`aws kms cancel-key-deletion --key-id ${resource.arn}`, `aws kms enable-key --key-id ${resource.arn}`],
      cli: `aws kms cancel-key-deletion --key-id ${resource.arn}`,
      docs: `${KEY_DOCS}deleting-keys.html`,
    }),
  ),
});

export const kmsDisabledKeyInUseRule: Rule = keyRule({
  id: 'KMS.DISABLED_KEY_IN_USE',
  title: 'Disabled KMS key protects resources',
  rationale:
    'A disabled key cannot decrypt: every resource encrypted under it is unreadable (volumes fail to attach, databases fail to start, objects fail to download) until the key is enabled again.',
  severity: 'critical',
  matrixFacts: [],
  appliesTo: isCustomerKey,
  needsState: true,
  judge(key, context) {
    const dependents = dependentsOf(key, context);
    if (key.state !== 'Disabled') return { status: 'pass', message: `the key is ${key.state}` };
    if (dependents.length === 0) return { status: 'pass', message: 'the key is disabled and no resource in the scanned services depends on it' };
    return { status: 'fail', message: `key ${keyName(key)} is disabled but ${describeDependents(dependents)}` };
  },
  ...staticFix(
    'enable the key, or re-encrypt its dependants under another key before leaving it disabled',
    (resource) => ({
      path: 'in-place',
      steps: [`aws kms enable-key --key-id ${resource.arn}`, 'or move each dependant to another key (see the per-service remediation) and only then keep this key disabled'],
      cli: `aws kms enable-key --key-id ${resource.arn}`,
      docs: `${KEY_DOCS}enabling-keys.html`,
    }),
  ),
});

// ---------------------------------------------------------------- policy

export const kmsPolicyPublicRule: Rule = keyRule({
  id: 'KMS.POLICY_PUBLIC',
  title: 'KMS key policy allows everyone',
  rationale:
    'A key policy statement that allows Principal "*" (or {"AWS": "*"}, or any NotPrincipal) without a condition that fixes who calls (your accounts, organisation or source resources) or where from (a VPC or VPC endpoint) lets any AWS principal in any account use the key as the statement allows. kms:ViaService alone is not such a condition: any account can call KMS through the same service.',
  severity: 'critical',
  matrixFacts: [],
  appliesTo: isKey,
  needs: ['policy'],
  judge(key) {
    if (!key.policy) return { status: 'unknown', message: 'the key policy is not in the inventory (the KMS check reads it with GetKeyPolicy)' };
    if (key.policy.error || key.policy.document === null) {
      const e = key.policy.error;
      return { status: 'unknown', message: `the key policy could not be read${e ? `: ${e.operation} ${e.code}: ${e.message}` : ''}` };
    }
    const open = publicStatements(key.policy.document);
    if (open.length === 0) return { status: 'pass', message: 'no Allow statement lets everyone in without a restricting condition' };
    const parts = open.map((s) => `statement "${s.label}" allows ${s.actions.join(', ') || 'its actions'} to ${s.principal} (${s.why})`);
    return { status: 'fail', message: parts.join('; ') };
  },
  ...staticFix('name the principals, or add a condition that fixes who calls (aws:PrincipalOrgID, aws:PrincipalAccount, or kms:CallerAccount beside kms:ViaService: kms:ViaService alone names the service, not whose principal)', (resource, context) => {
    const key = context.keyByArn.get(resource.arn);
    const labels = key?.policy?.document ? publicStatements(key.policy.document).map((s) => `"${s.label}"`).join(', ') : 'the open statements';
    return {
      path: 'in-place',
      steps: [
        `aws kms get-key-policy --key-id ${resource.arn} --policy-name default --output text > key-policy.json`,
        `in statement(s) ${labels}: replace the "*" principal with account or role ARNs, or add e.g. "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-exampleorgid"}}; replace Allow+NotPrincipal with named principals`,
        `aws kms put-key-policy --key-id ${resource.arn} --policy-name default --policy file://key-policy.json`,
      ],
      cli: `aws kms get-key-policy --key-id ${resource.arn} --policy-name default --output text`,
      docs: `${KEY_DOCS}key-policy-overview.html`,
    };
  }),
});

export const kmsCrossAccountRule: Rule = keyRule({
  id: 'KMS.CROSS_ACCOUNT',
  title: 'KMS key usable by other accounts',
  rationale:
    'Principals of other accounts named in the key policy or in grants can use the key as allowed. That is often intended (shared data, central logging); it is reported so the list of accounts can be reviewed.',
  severity: 'info',
  matrixFacts: [],
  appliesTo: isKey,
  needs: ['policy', 'grants'],
  judge(key) {
    const policyReadable = key.policy !== undefined && !key.policy.error && key.policy.document !== null;
    const grantsReadable = key.grants !== undefined && !key.grants.error && key.grants.count !== null;
    const access: CrossAccountAccess[] = [
      ...(policyReadable ? crossAccountFromPolicy(key.policy!.document, key.accountId) : []),
      ...(grantsReadable ? crossAccountFromGrants(key.grants!.granteePrincipals, key.accountId) : []),
    ];
    // Statements that name no account but let every account in: public ones, and those held only by a VPC condition.
    const open = policyReadable
      ? [
          ...publicStatements(key.policy!.document).map((s) => `any AWS account can use the key: statement "${s.label}" allows ${s.principal} (${s.why}; see KMS.POLICY_PUBLIC)`),
          ...networkBoundStatements(key.policy!.document).map((s) => `principals of any account whose requests come through ${s.condition} can use the key (statement "${s.label}")`),
        ]
      : [];
    if (access.length > 0 || open.length > 0) {
      const accounts = accountsOf(access);
      const how = access.map((a) => (a.source === 'grant' ? `grant to ${a.principal}` : a.source === 'policy-condition' ? `policy condition ${a.principal} (statement "${a.statement}")` : `policy principal ${a.principal} (statement "${a.statement}")`));
      const named = accounts.length > 0 ? [`account${accounts.length === 1 ? '' : 's'} ${accounts.join(', ')} can use the key: ${[...new Set(how)].join('; ')}`] : [];
      return { status: 'fail', message: [...open, ...named].join('; ') };
    }
    const unread = [policyReadable ? null : 'the key policy', grantsReadable ? null : 'the grants'].filter(Boolean);
    if (unread.length > 0) return { status: 'unknown', message: `${unread.join(' and ')} could not be read, so other accounts' access is unknown` };
    return { status: 'pass', message: `neither the key policy nor any grant names a principal outside account ${key.accountId}` };
  },
  ...staticFix(
    'review the accounts; remove policy statements or revoke grants that are no longer intended',
    (resource) => ({
      path: 'in-place',
      steps: [
        `aws kms get-key-policy --key-id ${resource.arn} --policy-name default --output text`,
        `aws kms list-grants --key-id ${resource.arn}`,
        `aws kms revoke-grant --key-id ${resource.arn} --grant-id GRANT_ID (for a grant that should go)`,
      ],
      docs: `${KEY_DOCS}key-policy-modifying-external-accounts.html`,
    }),
  ),
});

// ---------------------------------------------------------------- imported material

/** The earliest expiry among the key's imported materials (the current one and, when listed, the others). */
function earliestExpiry(key: KeyRecord): { validTo: string; which: string } | null {
  const candidates: Array<{ validTo: string; which: string }> = [];
  const m = key.importedMaterial;
  if (m?.validTo) candidates.push({ validTo: m.validTo, which: 'the current key material' });
  for (const material of m?.materials ?? []) {
    if (material.validTo && material.importState !== 'PENDING_IMPORT') {
      const which = material.keyMaterialState === 'CURRENT' ? 'the current key material' : `key material ${material.keyMaterialId ?? '(no id)'} (${(material.keyMaterialState ?? 'state unknown').toLowerCase()})`;
      candidates.push({ validTo: material.validTo, which });
    }
  }
  candidates.sort((a, b) => new Date(a.validTo).getTime() - new Date(b.validTo).getTime());
  return candidates[0] ?? null;
}

export const kmsImportedMaterialExpiryRule: Rule = keyRule({
  id: 'KMS.IMPORTED_MATERIAL_EXPIRY',
  title: 'Imported KMS key material expires soon or has expired',
  rationale:
    'Imported key material set to expire is deleted by KMS on its ValidTo date; the key then becomes unusable (PendingImport) and data encrypted under that material cannot be decrypted until the same material is imported again.',
  severity: 'medium',
  matrixFacts: [],
  appliesTo: (r) => isKey(r) && r.attributes.origin === 'EXTERNAL',
  judge(key, context) {
    if (PENDING_DELETION_STATES.has(key.state)) return { status: 'not-applicable', message: `the key is ${key.state}` };
    const m = key.importedMaterial;
    const model = m?.expirationModel ?? (typeof key.evidence.ExpirationModel === 'string' ? key.evidence.ExpirationModel : null);
    const expiry = m ? earliestExpiry(key) : typeof key.evidence.ValidTo === 'string' ? { validTo: key.evidence.ValidTo, which: 'the current key material' } : null;
    if (!expiry) {
      if (model === 'KEY_MATERIAL_DOES_NOT_EXPIRE') return { status: 'pass', message: 'the imported key material does not expire' };
      if (key.state === 'PendingImport') return { status: 'not-applicable', message: 'no key material is imported (KMS.PENDING_IMPORT reports it)' };
      return { status: 'unknown', message: 'the expiry of the imported key material is not in the inventory' };
    }
    const days = (new Date(expiry.validTo).getTime() - context.asOf.getTime()) / DAY_MS;
    const limit = context.policy.importedMaterialExpiryDays;
    const dependents = dependentsOf(key, context);
    const deps = describeDependents(dependents);
    if (days <= 0) {
      return {
        status: 'fail',
        severity: dependents.length > 0 ? 'critical' : 'high',
        message: `${expiry.which} of ${keyName(key)} expired ${when(expiry.validTo, context.asOf)}; data encrypted under it cannot be decrypted until it is imported again; ${deps}`,
      };
    }
    if (days <= limit) {
      return {
        status: 'fail',
        severity: dependents.length > 0 ? 'high' : 'medium',
        message: `${expiry.which} of ${keyName(key)} expires ${when(expiry.validTo, context.asOf)}, within the ${limit}-day warning of policy "${context.policy.name}"; ${deps}`,
      };
    }
    return { status: 'pass', message: `${expiry.which} expires ${when(expiry.validTo, context.asOf)}, beyond the ${limit}-day warning` };
  },
  ...staticFix(
    're-import the same key material with a later ValidTo (or with KEY_MATERIAL_DOES_NOT_EXPIRE) before it expires',
    (resource) => ({
      path: 'in-place',
      steps: [
        getImportParameters(resource.arn),
        'wrap the SAME key material with the returned public key (new material cannot decrypt old data)',
        `aws kms import-key-material --key-id ${resource.arn} --encrypted-key-material fileb://material.bin --import-token fileb://token.bin --expiration-model KEY_MATERIAL_EXPIRES --valid-to YYYY-MM-DDT00:00:00Z`,
      ],
      docs: `${KEY_DOCS}importing-keys.html`,
    }),
  ),
});

export const kmsPendingImportRule: Rule = keyRule({
  id: 'KMS.PENDING_IMPORT',
  title: 'KMS key has no key material (PendingImport)',
  rationale:
    'A key in PendingImport has no key material: it cannot encrypt or decrypt. Either its material was never imported, or it expired or was deleted — then data encrypted under it is unreadable until that same material is imported again.',
  severity: 'medium',
  matrixFacts: [],
  appliesTo: (r) => isKey(r) && (r.attributes.origin === 'EXTERNAL' || r.attributes.state === 'PendingImport'),
  needsState: true,
  judge(key, context) {
    if (key.state !== 'PendingImport') return { status: 'pass', message: `the key is ${key.state}: its material is imported` };
    const dependents = dependentsOf(key, context);
    const validTo = key.importedMaterial?.validTo ?? (typeof key.evidence.ValidTo === 'string' ? key.evidence.ValidTo : null);
    const why =
      validTo && new Date(validTo).getTime() <= context.asOf.getTime()
        ? `its imported material expired ${when(validTo, context.asOf)}`
        : 'no key material is imported (never imported, or deleted)';
    return {
      status: 'fail',
      severity: dependents.length > 0 ? 'critical' : 'medium',
      message: `key ${keyName(key)} is PendingImport: ${why}; ${describeDependents(dependents)}`,
    };
  },
  ...staticFix(
    'import the key material (the same material as before, if any data was encrypted under it)',
    (resource) => ({
      path: 'in-place',
      steps: [
        getImportParameters(resource.arn),
        `aws kms import-key-material --key-id ${resource.arn} --encrypted-key-material fileb://material.bin --import-token fileb://token.bin --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE`,
      ],
      docs: `${KEY_DOCS}importing-keys.html`,
    }),
  ),
});

// ---------------------------------------------------------------- cost

/** A resource of the scanned services that may depend on a key without the inventory showing it, and why. */
interface HiddenDependant {
  resource: Resource;
  /** The account whose keys it may use. */
  accountId: string;
  /** Set when it names one key id: only that key can be the hidden one. */
  keyId?: string;
  why: string;
}

/**
 * Per region, the resources (KMS keys aside) that may hide a dependant:
 * - resources that really could not be read (the check recorded the failed
 *   call in `resource.error`): their key was never seen;
 * - resources that name a key reference KMS could resolve (a key id, key ARN,
 *   alias name or alias ARN) that was not resolved to a key, so it may be
 *   any key of its account and region.
 * A resource that was read and names no key reference at all (S3 accepts
 * `KMSMasterKeyID: "12345678"` without checking) hides nothing: whatever it
 * names cannot be a KMS key, so it is not a blind spot, however `unknown`
 * its own level is. Computed once per evaluation (kept in the rule context).
 */
function hiddenDependantsByRegion(context: RuleContext): Map<string, HiddenDependant[]> {
  return context.memo('kms.hiddenDependantsByRegion', () => {
    const byRegion = new Map<string, HiddenDependant[]>();
    const add = (region: string, hidden: HiddenDependant) => {
      const list = byRegion.get(region);
      if (list) list.push(hidden);
      else byRegion.set(region, [hidden]);
    };
    for (const r of context.inventory.resources) {
      if (r.service === 'kms') continue;
      if (r.error && r.protection.level === 'unknown' && !r.protection.keyArn) {
        add(r.region, { resource: r, accountId: r.accountId, why: `${r.error.operation} failed: ${r.error.code}` });
        continue;
      }
      const ref = r.protection.keyRef;
      if (ref && !r.protection.keyArn) {
        const parsed = parseKeyReference(ref, { region: r.region, accountId: r.accountId, partition: context.inventory.scan.partition });
        if (parsed) {
          add(parsed.region, {
            resource: r,
            accountId: parsed.accountId,
            ...(parsed.kind === 'key' ? { keyId: parsed.keyId } : {}),
            why: `names key ${ref}, which could not be resolved`,
          });
        }
      }
    }
    return byRegion;
  });
}

/** "s3 bucket-a (GetBucketEncryption failed: AccessDenied)", for at most `max` of them. */
/** A region's hidden dependants of one account, split as a key sees them, each list sorted by ARN (stable). */
interface HiddenGroup {
  /** Any key of the account may be theirs. */
  any: { unread: HiddenDependant[]; unresolved: HiddenDependant[] };
  /** They name one key id. */
  byKeyId: Map<string, { unread: HiddenDependant[]; unresolved: HiddenDependant[] }>;
}

const byArn = (a: HiddenDependant, b: HiddenDependant) => (a.resource.arn < b.resource.arn ? -1 : a.resource.arn > b.resource.arn ? 1 : 0);

/**
 * hiddenDependantsByRegion grouped by region and account, sorted once: a
 * thousand keys with no dependant in a region of ten thousand unread
 * resources then cost a thousand look-ups, not a thousand filters and sorts.
 */
function hiddenGroups(context: RuleContext): Map<string, HiddenGroup> {
  return context.memo('kms.hiddenGroups', () => {
    const groups = new Map<string, HiddenGroup>();
    for (const [region, list] of hiddenDependantsByRegion(context)) {
      for (const h of list) {
        const id = `${region}\u0000${h.accountId}`;
        let group = groups.get(id);
        if (!group) groups.set(id, (group = { any: { unread: [], unresolved: [] }, byKeyId: new Map() }));
        let lists = group.any;
        if (h.keyId !== undefined) {
          lists = group.byKeyId.get(h.keyId) ?? { unread: [], unresolved: [] };
          group.byKeyId.set(h.keyId, lists);
        }
        (h.resource.error ? lists.unread : lists.unresolved).push(h);
      }
    }
    for (const group of groups.values()) {
      for (const lists of [group.any, ...group.byKeyId.values()]) {
        lists.unread.sort(byArn);
        lists.unresolved.sort(byArn);
      }
    }
    return groups;
  });
}

/** The count and the first `max` by ARN of several lists each sorted by ARN, as one message. */
function describeHidden(parts: ReadonlyArray<readonly HiddenDependant[]>, max = 5): { count: number; text: string } {
  // Sorted, so the message does not depend on the order of the inventory. The
  // first `max` of the union are among the first `max` of each part.
  const count = parts.reduce((n, p) => n + p.length, 0);
  const first = parts.flatMap((p) => p.slice(0, max)).sort(byArn).slice(0, max);
  const named = first.map((h) => `${h.resource.service} ${h.resource.id} (${h.why})`);
  return { count, text: `${named.join(', ')}${count > max ? ` and ${count - max} more` : ''}` };
}

/**
 * Why "no dependants" may not be the whole truth for this key: resources of
 * the scanned services in its region that could not be read or name a key
 * that could not be resolved, or listings that failed (so their resources
 * were never seen).
 */
export function dependencyBlindSpots(key: KeyRecord, context: RuleContext): string[] {
  const reasons: string[] = [];
  // Its region's and the unknown region's hidden dependants of its account
  // that may use any key, or name this one.
  const groups = hiddenGroups(context);
  const lists = (key.region === 'unknown' ? [key.region] : [key.region, 'unknown'])
    .map((region) => groups.get(`${region}\u0000${key.accountId}`))
    .flatMap((group) => (group ? [group.any, group.byKeyId.get(key.keyId)] : []))
    .filter((l) => l !== undefined);
  const unread = describeHidden(lists.map((l) => l.unread));
  const unresolved = describeHidden(lists.map((l) => l.unresolved));
  if (unread.count > 0) reasons.push(`${unread.count} resource(s) in ${key.region} could not be read and may use it: ${unread.text}`);
  if (unresolved.count > 0) reasons.push(`${unresolved.count} resource(s) in ${key.region} name a key that could not be resolved and may be this one: ${unresolved.text}`);
  const failedLists = context.inventory.scan.errors.filter(
    (e) => !e.resourceArn && e.service !== 'kms' && e.service !== 'sts' && (e.region === key.region || e.service === 's3'),
  );
  for (const e of failedLists) reasons.push(`${e.service}:${e.operation} failed in ${e.region}, so its resources were not seen`);
  return reasons;
}

export const kmsUnusedKeyRule: Rule = keyRule({
  id: 'KMS.UNUSED_KEY',
  title: 'Customer managed KMS key with no known use (cost)',
  rationale:
    'Every customer managed key costs $1 a month (more once rotated) whether or not anything uses it. A key that no scanned resource depends on and, when checked, that has not been used for 90 days may be paying for nothing. Services atrest does not scan and applications may still use it, so this is a prompt to check, not a verdict.',
  severity: 'low',
  matrixFacts: [],
  appliesTo: isCustomerKey,
  judge(key, context) {
    if (PENDING_DELETION_STATES.has(key.state)) return { status: 'not-applicable', message: `the key is ${key.state} and not billed` };
    const dependents = dependentsOf(key, context);
    if (dependents.length > 0) return { status: 'pass', message: describeDependents(dependents, 3) };
    const blind = dependencyBlindSpots(key, context);
    if (blind.length > 0) return { status: 'unknown', message: `no dependant found, but the search was incomplete: ${blind.join('; ')}` };
    const services = context.inventory.scan.services.filter((s) => s !== 'kms');
    const scanned = services.length > 0 ? `the scanned services (${services.join(', ')})` : 'the scanned services (none besides kms)';
    const monthly = keyMonthlyCost(key).monthlyCostUsd;
    const cost = monthly !== null ? `; it costs about $${monthly.toFixed(2)} a month` : '';
    const usage = key.lastUsage;
    if (!usage) {
      return {
        status: 'fail',
        message: `no resource in ${scanned} depends on this key${cost}; its use by other services and applications was not checked (scan with --key-usage)`,
      };
    }
    const cutoff = context.asOf.getTime() - UNUSED_KEY_DAYS * DAY_MS;
    switch (usage.status) {
      case 'used': {
        const at = new Date(usage.lastUsedAt!).getTime();
        if (at >= cutoff) {
          return { status: 'pass', message: `no scanned resource depends on it, but it was used ${when(usage.lastUsedAt!, context.asOf)}${usage.operation ? ` (${usage.operation})` : ''}` };
        }
        return { status: 'fail', message: `no resource in ${scanned} depends on this key and its last recorded use was ${when(usage.lastUsedAt!, context.asOf)}, over ${UNUSED_KEY_DAYS} days before the scan${cost}` };
      }
      case 'never-used': {
        const created = usage.keyCreationDate ? new Date(usage.keyCreationDate).getTime() : NaN;
        if (!Number.isNaN(created) && created > cutoff) {
          return { status: 'pass', message: `never used since it was created ${when(usage.keyCreationDate!, context.asOf)}, fewer than ${UNUSED_KEY_DAYS} days before the scan` };
        }
        return { status: 'fail', message: `no resource in ${scanned} depends on this key and it has never been used since it was created${usage.keyCreationDate ? ` ${when(usage.keyCreationDate, context.asOf)}` : ''}${cost}` };
      }
      case 'no-use-since-tracking-start': {
        const start = new Date(usage.trackingStartDate!).getTime();
        if (start <= cutoff) {
          return { status: 'fail', message: `no resource in ${scanned} depends on this key and no use is recorded since usage tracking began ${when(usage.trackingStartDate!, context.asOf)}; use before that is unknown${cost}` };
        }
        return { status: 'unknown', message: `no use recorded since usage tracking began ${when(usage.trackingStartDate!, context.asOf)}, fewer than ${UNUSED_KEY_DAYS} days before the scan; use before that is unknown` };
      }
      default: {
        const e = usage.error;
        return { status: 'unknown', message: `no scanned resource depends on it, and its last use is unknown${e ? `: ${e.operation} ${e.code}: ${e.message}` : ''}` };
      }
    }
  },
  ...staticFix(
    'confirm nothing uses the key (CloudTrail, GetKeyLastUsage); if nothing does, disable it — reversible — and watch for failures before going further',
    (resource) => ({
      path: 'in-place',
      steps: [
        `look for recent use of ${resource.arn} in CloudTrail (Encrypt, Decrypt, GenerateDataKey…), or scan with --key-usage`,
        `aws kms disable-key --key-id ${resource.arn}   (undo with: aws kms enable-key --key-id ${resource.arn})`,
        'watch CloudTrail for DisabledException errors: they name whoever still needs the key',
        'scheduling key deletion is irreversible once the waiting period ends and makes every ciphertext under the key unreadable: never do it on the strength of this finding alone',
      ],
      cli: `aws kms disable-key --key-id ${resource.arn}`,
      docs: `${KEY_DOCS}enabling-keys.html`,
    }),
  ),
});

export const KMS_KEY_RULES: readonly Rule[] = [
  kmsPendingDeletionRule,
  kmsDisabledKeyInUseRule,
  kmsPolicyPublicRule,
  kmsCrossAccountRule,
  kmsImportedMaterialExpiryRule,
  kmsPendingImportRule,
  kmsUnusedKeyRule,
];
