import type { Json, KeyRecord, KeyRotation, Resource } from '../../model/inventory.js';
import type { ProtectionLevel } from '../../model/levels.js';
import { codeKey, KMS_ALIAS_KINDS, KMS_KEY_KINDS, type PlannedAlias, type PlannedKey } from '../../iac/keys.js';
import { evidenceOf, readTags, record, recordArn, type IacKindFacts, type IacKindMapping, type MapContext, type ServiceIac } from '../../iac/mapping.js';
import type { CodeResource } from '../../iac/model.js';
import { ACCOUNT_TOKEN, PARTITION_TOKEN, Ref, Unknown, isMap, readBlocks, readBool, readNumber, readString, substituteTokens, whyUnknown, type Value } from '../../iac/value.js';
import { kmsEnableKey, kmsRuleFix } from './iac-fix.js';

/**
 * KMS in infrastructure code: the keys the code creates become key records
 * (the same KeyRecord the live resolver builds from DescribeKey), and key
 * resources of type `key` (as the KMS check reports them), so KMS.ROTATION,
 * KMS.POLICY_PUBLIC, KMS.CROSS_ACCOUNT and KMS.KEY_STATE judge them before
 * they exist. Aliases and separate key-policy resources are read into the
 * key they belong to.
 *
 * Defaults of an omitted setting (the provider's and KMS's):
 * - rotation off (`enable_key_rotation` / `EnableKeyRotation` default false);
 *   when on without a period, KMS rotates every 365 days;
 * - key spec SYMMETRIC_DEFAULT, usage ENCRYPT_DECRYPT, enabled, single-Region;
 * - no key policy: KMS's default key policy, which lets the account (its root
 *   principal, and so IAM policies of the account) use and manage the key.
 */

const TF_KEY_DOCS = 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_key';
const TF_EXTERNAL_DOCS = 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_external_key';
const CFN_KEY_DOCS = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-key.html';
const DEFAULT_POLICY_DOCS = 'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html';
const ROTATION_DOCS = 'https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html';

export const KMS_IAC_FACTS: IacKindFacts[] = [
  {
    kind: 'aws_kms_key',
    format: 'terraform',
    service: 'kms',
    types: ['key'],
    defaults:
      'enable_key_rotation omitted: rotation off (a rotation period applies only when rotation is on; KMS then rotates every 365 days unless rotation_period_in_days says otherwise); customer_master_key_spec SYMMETRIC_DEFAULT; key_usage ENCRYPT_DECRYPT; is_enabled true; multi_region false; policy omitted: the KMS default key policy (the account root principal may use and manage the key); origin AWS_KMS, or a custom key store with custom_key_store_id (external key store with xks_key_id)',
    docs: [TF_KEY_DOCS, DEFAULT_POLICY_DOCS, ROTATION_DOCS],
  },
  {
    kind: 'aws_kms_external_key',
    format: 'terraform',
    service: 'kms',
    types: ['key'],
    defaults: 'origin EXTERNAL (imported material: customer-managed-imported, no automatic rotation); without key_material_base64 the key is PendingImport; policy omitted: the KMS default key policy',
    docs: [TF_EXTERNAL_DOCS, DEFAULT_POLICY_DOCS],
  },
  {
    kind: 'aws_kms_alias / aws_kms_key_policy / aws_kms_grant',
    format: 'terraform',
    service: 'kms',
    types: [],
    defaults: 'read into the key they name: the alias name (a resource pointing at the alias is protected by its target key), the key policy (replacing the key\'s own), the grantee principals (KMS.CROSS_ACCOUNT)',
    docs: ['https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_alias', 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_key_policy'],
  },
  {
    kind: 'AWS::KMS::Key',
    format: 'cloudformation',
    service: 'kms',
    types: ['key'],
    defaults:
      'EnableKeyRotation omitted: false; RotationPeriodInDays 365 when rotation is on; KeySpec SYMMETRIC_DEFAULT; KeyUsage ENCRYPT_DECRYPT; Enabled true; MultiRegion false; Origin AWS_KMS (EXTERNAL: imported material); KeyPolicy omitted: the KMS default key policy',
    docs: [CFN_KEY_DOCS, DEFAULT_POLICY_DOCS],
  },
  {
    kind: 'AWS::KMS::Alias',
    format: 'cloudformation',
    service: 'kms',
    types: [],
    defaults: 'read into the key its TargetKeyId names',
    docs: ['https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-alias.html'],
  },
];

/** Reads of a key's settings, the same for both formats. */
interface KeySettings {
  enabled: Value | undefined;
  rotation: Value | undefined;
  period: Value | undefined;
  spec: Value | undefined;
  usage: Value | undefined;
  multiRegion: Value | undefined;
  policy: Value | undefined;
  origin: 'AWS_KMS' | 'EXTERNAL' | 'AWS_CLOUDHSM' | 'EXTERNAL_KEY_STORE';
  customKeyStoreId: Value | undefined;
  keyMaterial: boolean | null;
  tags: Value | undefined;
  deletionWindow: Value | undefined;
}

function settings(resource: CodeResource): KeySettings {
  const v = resource.values;
  if (resource.format === 'cloudformation') {
    return {
      enabled: v.Enabled,
      rotation: v.EnableKeyRotation,
      period: v.RotationPeriodInDays,
      spec: v.KeySpec,
      usage: v.KeyUsage,
      multiRegion: v.MultiRegion,
      policy: v.KeyPolicy,
      origin: v.Origin === 'EXTERNAL' ? 'EXTERNAL' : 'AWS_KMS',
      customKeyStoreId: undefined,
      // CloudFormation creates an EXTERNAL key without material: it stays PendingImport until material is imported.
      keyMaterial: v.Origin === 'EXTERNAL' ? false : null,
      tags: v.Tags,
      deletionWindow: v.PendingWindowInDays,
    };
  }
  const external = resource.kind === 'aws_kms_external_key';
  const store = v.custom_key_store_id;
  const origin = external ? 'EXTERNAL' : v.xks_key_id !== undefined && v.xks_key_id !== null ? 'EXTERNAL_KEY_STORE' : store !== undefined && store !== null && store !== '' ? 'AWS_CLOUDHSM' : 'AWS_KMS';
  return {
    enabled: external ? v.enabled : v.is_enabled,
    rotation: external ? false : v.enable_key_rotation,
    period: v.rotation_period_in_days,
    spec: external ? v.key_spec : v.customer_master_key_spec,
    usage: v.key_usage,
    multiRegion: v.multi_region,
    policy: v.policy,
    origin,
    customKeyStoreId: store,
    keyMaterial: external ? (v.key_material_base64 !== undefined && v.key_material_base64 !== null && v.key_material_base64 !== '') : null,
    tags: v.tags,
    deletionWindow: v.deletion_window_in_days,
  };
}

/** KMS's default key policy: the account may use and manage the key through IAM. */
export function defaultKeyPolicy(): Json {
  return {
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:${PARTITION_TOKEN}:iam::${ACCOUNT_TOKEN}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  };
}

/** A key policy value (JSON text, a CloudFormation object, a Terraform policy document) as a document; Unknown when the code does not decide it. */
export function policyDocument(value: Value | undefined, from: CodeResource, ctx: MapContext): { document: Json | null; error?: string; defaulted: boolean } {
  if (value === undefined || value === null || value === '') return { document: substitute(defaultKeyPolicy(), from, ctx), defaulted: true };
  if (value instanceof Unknown) return { document: null, error: value.reason, defaulted: false };
  if (value instanceof Ref) {
    const target = ctx.keys.find(from, value.address);
    if (target?.kind === 'aws_iam_policy_document') {
      if (typeof target.values.json === 'string') return policyDocument(target.values.json, target, ctx);
      return policyFromDocumentData(target, ctx);
    }
    return { document: null, error: `the policy comes from ${value.text}, known only after apply`, defaulted: false };
  }
  if (typeof value === 'string') {
    try {
      return { document: substitute(JSON.parse(value) as Json, from, ctx), defaulted: false };
    } catch (error) {
      return { document: null, error: `the policy is not JSON: ${(error as Error).message}`, defaulted: false };
    }
  }
  if (isMap(value)) {
    const unknown = firstUnknownIn(value);
    if (unknown) return { document: null, error: unknown, defaulted: false };
    return { document: substitute(plainJson(value), from, ctx), defaulted: false };
  }
  return { document: null, error: 'the policy is neither JSON text nor an object', defaulted: false };
}

function firstUnknownIn(value: Value): string | null {
  if (value instanceof Unknown) return value.reason;
  if (Array.isArray(value)) for (const v of value) { const u = firstUnknownIn(v); if (u) return u; }
  if (isMap(value)) for (const v of Object.values(value)) { const u = firstUnknownIn(v); if (u) return u; }
  return null;
}

function plainJson(value: Value): Json {
  if (value instanceof Ref) return `\${${value.text}}`;
  if (value instanceof Unknown) return null;
  if (Array.isArray(value)) return value.map(plainJson);
  if (isMap(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainJson(v)]));
  return value;
}

/** The account, partition and region tokens replaced where the deployment target is known. */
function substitute(document: Json, from: CodeResource, ctx: MapContext): Json {
  const region = ctx.region(from);
  const known = { accountId: ctx.accountId === 'unknown' ? null : ctx.accountId, partition: ctx.partition, region: region === 'unknown' ? null : region };
  const walk = (v: Json): Json => {
    if (typeof v === 'string') return substituteTokens(v, known);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(document);
}

/**
 * data "aws_iam_policy_document" written in .tf: statement blocks as the
 * provider turns them into JSON (effect default Allow; principals and
 * conditions as blocks).
 */
function policyFromDocumentData(doc: CodeResource, ctx: MapContext): { document: Json | null; error?: string; defaulted: boolean } {
  const statements: Json[] = [];
  for (const st of readBlocks(doc.values.statement)) {
    if (st instanceof Unknown) return { document: null, error: st.reason, defaulted: false };
    const out: { [k: string]: Json } = {};
    const text = (v: Value | undefined): Json | undefined => (v === undefined ? undefined : plainJson(v));
    if (st.sid !== undefined) out.Sid = text(st.sid) ?? null;
    out.Effect = typeof st.effect === 'string' ? st.effect : 'Allow';
    if (st.actions !== undefined) out.Action = text(st.actions) ?? null;
    if (st.not_actions !== undefined) out.NotAction = text(st.not_actions) ?? null;
    if (st.resources !== undefined) out.Resource = text(st.resources) ?? null;
    for (const [block, field] of [['principals', 'Principal'], ['not_principals', 'NotPrincipal']] as const) {
      const list = readBlocks(st[block]);
      if (list.length === 0) continue;
      const principal: { [k: string]: Json } = {};
      for (const p of list) {
        if (p instanceof Unknown) return { document: null, error: p.reason, defaulted: false };
        const type = typeof p.type === 'string' ? p.type : 'AWS';
        const ids = plainJson(p.identifiers ?? []);
        principal[type] = type === '*' ? '*' : ids;
      }
      out[field] = principal['*'] !== undefined ? '*' : principal;
    }
    const conditions = readBlocks(st.condition);
    if (conditions.length > 0) {
      const cond: { [op: string]: { [key: string]: Json } } = {};
      for (const c of conditions) {
        if (c instanceof Unknown) return { document: null, error: c.reason, defaulted: false };
        const test = String(c.test ?? '');
        const variable = String(c.variable ?? '');
        cond[test] = { ...(cond[test] ?? {}), [variable]: plainJson(c.values ?? []) };
      }
      out.Condition = cond;
    }
    statements.push(out);
  }
  const unknown = firstUnknownIn(doc.values.statement ?? null);
  if (unknown) return { document: null, error: unknown, defaulted: false };
  return { document: substitute({ Version: '2012-10-17', Statement: statements }, doc, ctx), defaulted: false };
}

function rotationOf(resource: CodeResource, s: KeySettings, spec: string): KeyRotation {
  if (s.origin === 'EXTERNAL') {
    return { applicable: false, reason: 'imported key material cannot rotate automatically; rotate it on demand (RotateKeyOnDemand after importing new material)', enabled: null, periodDays: null };
  }
  if (s.origin === 'AWS_CLOUDHSM' || s.origin === 'EXTERNAL_KEY_STORE') {
    return { applicable: false, reason: 'keys in a custom key store cannot rotate automatically', enabled: null, periodDays: null };
  }
  if (spec !== 'SYMMETRIC_DEFAULT') {
    return { applicable: false, reason: spec === 'unknown' ? 'the key spec is not known before deployment' : `automatic rotation exists only for symmetric encryption keys, not ${spec}`, enabled: null, periodDays: null };
  }
  const on = readBool(s.rotation);
  const field = resource.format === 'cloudformation' ? 'EnableKeyRotation' : 'enable_key_rotation';
  if (on === undefined) return { applicable: true, reason: `${field} is not set: rotation is off (the default)`, enabled: false, periodDays: null };
  if (typeof on !== 'boolean') return { applicable: true, reason: `${field} is not known before deployment: ${whyUnknown(on)}`, enabled: null, periodDays: null };
  if (!on) return { applicable: true, reason: `${field} = false`, enabled: false, periodDays: null };
  const period = readNumber(s.period);
  if (period !== undefined && typeof period !== 'number') {
    return { applicable: true, reason: `the rotation period is not known before deployment: ${whyUnknown(period)}`, enabled: true, periodDays: null };
  }
  return { applicable: true, reason: 'customer managed symmetric key with KMS key material, rotation on', enabled: true, periodDays: period ?? 365 };
}

function text(value: Value | undefined, fallback: string): string {
  const v = readString(value);
  if (v === undefined) return fallback;
  return typeof v === 'string' ? v : 'unknown';
}

/** Every planned key and alias of the code, as key records. */
export function plannedKeys(resources: readonly CodeResource[], ctx: MapContext): { planned: Map<string, PlannedKey>; aliases: Map<string, PlannedAlias> } {
  const planned = new Map<string, PlannedKey>();
  const aliases = new Map<string, PlannedAlias>();
  const live = resources.filter((r) => !r.absent);
  for (const resource of live) {
    if (resource.mode !== 'managed') continue;
    if (KMS_ALIAS_KINDS.has(resource.kind)) {
      const cfn = resource.format === 'cloudformation';
      const name = readString(cfn ? resource.values.AliasName : resource.values.name);
      aliases.set(codeKey(resource.root, resource.address), { name: typeof name === 'string' ? name : null, target: cfn ? resource.values.TargetKeyId : resource.values.target_key_id, resource });
    }
  }
  for (const resource of live) {
    if (resource.mode !== 'managed' || !KMS_KEY_KINDS.has(resource.kind)) continue;
    const key = codeKey(resource.root, resource.address);
    const candidate = { record: keyRecord(resource, ctx, resources, aliases), resource };
    // CloudFormation variants (Fn::If around the key's settings): the worst one stands for the key.
    const seen = planned.get(key);
    if (!seen || badness(candidate.record) > badness(seen.record)) planned.set(key, candidate);
  }
  return { planned, aliases };
}

/** How bad a key's settings are, for choosing among variants: unusable, then unknown or off rotation, then a long period. */
function badness(key: KeyRecord): number {
  if (key.state !== 'Enabled') return 1000;
  const policy = key.policy?.document === null ? 500 : 0;
  if (!key.rotation.applicable) return policy;
  if (key.rotation.enabled === null) return policy + 400;
  if (!key.rotation.enabled) return policy + 300;
  return policy + Math.min(2560, key.rotation.periodDays ?? 365) / 10;
}

function keyRecord(resource: CodeResource, ctx: MapContext, all: readonly CodeResource[], aliases: Map<string, PlannedAlias>): KeyRecord {
  const s = settings(resource);
  const spec = text(s.spec, 'SYMMETRIC_DEFAULT');
  const usage = text(s.usage, 'ENCRYPT_DECRYPT');
  const enabled = readBool(s.enabled);
  let state = enabled === false ? 'Disabled' : enabled === undefined || enabled === true ? 'Enabled' : 'unknown';
  if (s.origin === 'EXTERNAL' && s.keyMaterial === false) state = 'PendingImport';
  const level: ProtectionLevel = s.origin === 'EXTERNAL' ? 'customer-managed-imported' : s.origin === 'AWS_KMS' ? 'customer-managed' : 'customer-managed-hsm';
  const multiRegion = readBool(s.multiRegion);
  const created = !resource.actions || resource.actions.includes('create');
  const keyId = typeof resource.values.key_id === 'string' ? resource.values.key_id : resource.address;
  const arn = recordArn(resource);
  const notes = [
    created
      ? `created by ${resource.address} (${resource.file}${resource.line ? `:${resource.line}` : ''}): its settings are the code's`
      : `managed by ${resource.address} (${resource.plan ?? resource.file}); planned actions ${resource.actions!.join(', ')}`,
  ];
  if (typeof enabled !== 'boolean' && enabled !== undefined) notes.push(`whether the key is enabled is not known before deployment: ${whyUnknown(enabled)}`);

  // The key policy: the key's own, replaced by an aws_kms_key_policy that names the key.
  let policyValue = s.policy;
  for (const other of all) {
    if (other.kind === 'aws_kms_key_policy' && other.root === resource.root && refersTo(other.values.key_id, resource)) policyValue = other.values.policy;
  }
  const policy = policyDocument(policyValue, resource, ctx);
  if (policy.defaulted) notes.push('no key policy in the code: KMS gives the key its default key policy (the account may use and manage it through IAM)');

  const grantees: string[] = [];
  let grantsUnknown: string | null = null;
  for (const other of all) {
    if (other.kind !== 'aws_kms_grant' || other.root !== resource.root || !refersTo(other.values.key_id, resource)) continue;
    const grantee = readString(other.values.grantee_principal);
    if (typeof grantee === 'string') grantees.push(substituteTokens(grantee, { accountId: ctx.accountId === 'unknown' ? null : ctx.accountId, partition: ctx.partition }));
    else grantsUnknown = `the grantee of ${other.address} is not known before deployment`;
  }

  const names = [...aliases.values()].filter((a) => a.resource.root === resource.root && refersTo(a.target, resource)).map((a) => a.name).filter((n): n is string => Boolean(n));
  const tags = readTags(s.tags);
  const record: KeyRecord = {
    arn,
    keyId,
    region: ctx.region(resource),
    accountId: ctx.accountId,
    aliases: [...new Set(names)].sort(),
    manager: 'CUSTOMER',
    origin: s.origin,
    state,
    spec,
    usage,
    multiRegion: typeof multiRegion === 'boolean' ? multiRegion : multiRegion === undefined ? false : null,
    rotation: rotationOf(resource, s, spec),
    level,
    describable: true,
    inScannedAccount: true,
    notes,
    evidence: {
      ...evidenceOf(resource.values, resource.format === 'cloudformation'
        ? ['Enabled', 'EnableKeyRotation', 'RotationPeriodInDays', 'KeySpec', 'KeyUsage', 'MultiRegion', 'Origin', 'PendingWindowInDays']
        : ['is_enabled', 'enabled', 'enable_key_rotation', 'rotation_period_in_days', 'customer_master_key_spec', 'key_spec', 'key_usage', 'multi_region', 'custom_key_store_id', 'xks_key_id', 'deletion_window_in_days']),
      Origin: s.origin,
      KeySpec: spec,
      KeyUsage: usage,
      KeyState: state,
      ...(typeof s.customKeyStoreId === 'string' ? { CustomKeyStoreId: s.customKeyStoreId } : {}),
    },
    deletionDate: null,
    policy: policy.document !== null
      ? { name: 'default', document: policy.document, sizeBytes: Buffer.byteLength(JSON.stringify(policy.document), 'utf8') }
      : { name: 'default', document: null, sizeBytes: null, error: { operation: 'iac', code: 'UnknownBeforeDeployment', message: policy.error ?? 'the policy is not known' } },
    grants: grantsUnknown
      ? { count: null, granteePrincipals: [], operations: [], issuingAccounts: [], error: { operation: 'iac', code: 'UnknownBeforeDeployment', message: grantsUnknown } }
      : { count: grantees.length, granteePrincipals: [...new Set(grantees)].sort(), operations: [], issuingAccounts: [] },
  };
  if (s.origin === 'AWS_CLOUDHSM' || s.origin === 'EXTERNAL_KEY_STORE') {
    record.customKeyStore = { id: typeof s.customKeyStoreId === 'string' ? s.customKeyStoreId : 'unknown', type: s.origin, name: null, connectionState: null };
  }
  if (s.origin === 'EXTERNAL') {
    const validTo = readString(resource.values.valid_to);
    record.importedMaterial = { validTo: typeof validTo === 'string' ? validTo : null, expirationModel: typeof validTo === 'string' ? 'KEY_MATERIAL_EXPIRES' : 'KEY_MATERIAL_DOES_NOT_EXPIRE' };
  }
  if (tags instanceof Unknown) record.tagsError = { operation: 'iac', code: 'UnknownBeforeDeployment', message: tags.reason };
  else record.tags = tags;
  if (created) {
    // A key this code creates does not exist yet: nothing has used it, nothing has rotated.
    const now = ctx.now.toISOString();
    record.rotations = { count: 0, automatic: 0, onDemand: 0, lastRotationDate: null, lastRotationType: null };
    record.lastUsage = { status: 'never-used', lastUsedAt: null, operation: null, trackingStartDate: now, keyCreationDate: now };
  }
  return record;
}

/** Does a key reference (alias target, key_id of a policy or grant) name this key resource? */
function refersTo(value: Value | undefined, key: CodeResource): boolean {
  if (value instanceof Ref) return value.address === key.address || value.address === key.address.replace(/\[[^\]]*\]$/, '');
  if (typeof value === 'string') return value === key.values.key_id || value === key.values.arn || value === key.knownArn;
  return false;
}

/** The key resources (type `key`), as the KMS check reports them. */
export const kmsIacMapping: IacKindMapping = {
  service: 'kms',
  kinds: ['aws_kms_key', 'aws_kms_external_key', 'AWS::KMS::Key'],
  companions: ['aws_kms_alias', 'aws_kms_key_policy', 'aws_kms_grant', 'AWS::KMS::Alias'],
  map(resource: CodeResource, ctx: MapContext): Resource[] {
    if (resource.mode !== 'managed') return [];
    const own = ctx.keys.plannedRecord(resource);
    if (!own) return [];
    const attributes: { [name: string]: Json } = {
      manager: own.manager,
      origin: own.origin,
      state: own.state,
      aliases: own.aliases,
      spec: own.spec,
      usage: own.usage,
      multiRegion: own.multiRegion,
    };
    if (own.customKeyStore) attributes.customKeyStoreType = own.customKeyStore.type;
    return [
      record(resource, ctx, {
        service: 'kms',
        type: 'key',
        protection: { level: own.level, keyArn: own.arn, keyRef: own.arn, algorithm: own.spec === 'unknown' ? null : own.spec, notes: [...own.notes] },
        attributes,
        evidence: own.evidence,
        tags: settings(resource).tags,
      }),
    ];
  },
};

export { keyRecord as plannedKeyRecord };

export const kmsIac: ServiceIac = { mapping: kmsIacMapping, facts: KMS_IAC_FACTS, ruleFixes: { 'KMS.ROTATION': kmsRuleFix, 'KMS.POLICY_PUBLIC': kmsRuleFix, 'KMS.DISABLED_KEY_IN_USE': kmsEnableKey }, enableKey: kmsEnableKey };
