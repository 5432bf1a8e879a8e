import type { Resource } from '../model/inventory.js';
import type { ProtectionLevel } from '../model/levels.js';
import type { FindingOverride, WaiverTerms } from '../model/report.js';
import type { ServiceName } from '../model/services.js';
import type { Severity } from '../model/severity.js';
import { globMatch, isGlob } from '../util/glob.js';
import type { RuleOutcome } from './rule.js';

/**
 * What the rules demand. The built-in policies live here; policy files
 * (YAML/JSON) resolve to the same shape.
 */
export interface Policy {
  name: string;
  description: string;
  /** The minimum level per service; `default` covers services not listed. `service:type` keys narrow to one resource type. */
  minimumLevel: { default: ProtectionLevel } & Partial<Record<ServiceName | `${ServiceName}:${string}`, ProtectionLevel>>;
  rotation: {
    /** Customer managed keys that can rotate must rotate. */
    required: boolean;
    /** Longest acceptable rotation period in days (KMS allows 90–2560). */
    maxPeriodDays: number;
  };
  /** KMS.IMPORTED_MATERIAL_EXPIRY fails when imported key material expires within this many days (or has expired). */
  importedMaterialExpiryDays: number;
  /** Severity per rule id, replacing the rule's own. */
  severity: Record<string, Severity>;
  /** Rule ids turned off. */
  disabledRules: string[];
  /**
   * What makes an environment variable NAME look like a secret, matched
   * case-insensitively: a pattern with `*` or `?` is a glob over the whole
   * name (`*_TOKEN`), any other is a substring anywhere in it (`PASSWORD`).
   * Checks record names only, never values; the rules match them against
   * this list. An empty list turns the secret-name heuristic off.
   */
  secretNamePatterns: string[];
  /**
   * Severity of a level-rule failure for a resource that is encrypted, but
   * below the required level (an unencrypted one is always at least high).
   * Default `medium`. `strict`, whose purpose is requiring customer managed
   * keys, sets `high` so its failures break a default (`--fail-on high`)
   * build. A tag override's requirement carries its own (default `high`).
   */
  levelFailureSeverity?: Severity;

  // Everything below comes with policy files (docs/policy.md). All optional,
  // so a Policy literal with only the fields above stays valid.

  /** Keys a resource must be encrypted with: `default`, per service, or per `service:type`; the narrowest wins. */
  allowedKeys?: KeyListMap;
  /** Rotation demands of a service: keys that protect its resources must meet them too (they only tighten). */
  rotationByService?: Partial<Record<ServiceName, Partial<RotationDemand>>>;
  /** Tried in order; the first whose tags all match a resource decides its requirement. */
  tagOverrides?: TagOverride[];
  /** Why a rule was turned off, per rule id (reported in the JSON so the decision is evidence). */
  disabledRuleReasons?: Record<string, string>;
  /** What is evaluated at all. */
  scope?: PolicyScope;
  /** Accountable, expiring exceptions. */
  waivers?: Waiver[];
  /** The chain the policy was resolved from, most specific first: files (absolute paths) and built-in names. */
  sources?: string[];
  /** What fixes written by atrest (`atrest iac`, `atrest fix`) use. */
  remediation?: RemediationSettings;
}

export interface RemediationSettings {
  /** The KMS key fixes name (a key ARN, alias name or alias ARN); without it, the first allowed key, else a placeholder. */
  defaultKey?: string;
}

export interface RotationDemand {
  required: boolean;
  maxPeriodDays: number;
}

export type KeyListMap = Partial<Record<'default' | ServiceName | `${ServiceName}:${string}`, string[]>>;

export interface TagOverride {
  /** Shown in the report; a file gives `tagOverrides[N]` when it has no name. */
  name: string;
  /** Every tag listed must be on the resource with a matching value (globs allowed). */
  tags: Record<string, string>;
  /** Limit the override to these services. */
  services?: ServiceName[];
  minimumLevel?: ProtectionLevel;
  allowedKeys?: string[];
  rotation?: Partial<RotationDemand>;
  /**
   * Severity of a level-rule failure under this override for an encrypted
   * resource below its minimumLevel. Default `high`: an override is an
   * explicit demand for tagged data, so missing it fails a default build.
   */
  levelFailureSeverity?: Severity;
  /** FILE:LINE:COL where it was written. */
  source?: string;
}

/** An accountable, expiring exception: the terms the report repeats with each finding it matches. */
export type Waiver = WaiverTerms;

export interface PolicyScope {
  services?: ServiceName[];
  regions?: string[];
  /** ARN globs: when set, only matching resources are evaluated. */
  include?: string[];
  /** ARN globs never evaluated; wins over include. */
  exclude?: string[];
}


/**
 * The default secret-looking name fragments: credentials, keys and tokens as
 * they are usually spelt in environment variables. `DB_PASSWORD`,
 * `StripeApiKey`, `GITHUB_TOKEN`, `jwt_secret`, `AWS_SECRET_ACCESS_KEY` all
 * match. Kept deliberately specific: `KEY` alone would flag `CACHE_KEY_PREFIX`
 * and `AUTH` would flag `AUTHOR_NAME`. A URL with credentials in it
 * (`DATABASE_URL`, `*_CONNECTION_STRING`) counts as a secret.
 */
export const DEFAULT_SECRET_NAME_PATTERNS: readonly string[] = [
  'PASSWORD',
  'PASSWD',
  'PASSPHRASE',
  'SECRET',
  'TOKEN',
  'API_KEY',
  'APIKEY',
  'PRIVATE_KEY',
  'PRIVATEKEY',
  'CREDENTIAL',
  'ACCESS_KEY',
  'ACCESSKEY',
  'SIGNING_KEY',
  'ENCRYPTION_KEY',
  'CONNECTION_STRING',
  'DATABASE_URL',
];

/**
 * Does a secret-name pattern match a variable name? Case-insensitive. A
 * pattern with `*` or `?` is a glob (src/util/glob.ts) over the whole name:
 * `*_TOKEN` matches `GITHUB_TOKEN` but not `TOKEN_URL`. Any other pattern is
 * a substring: `TOKEN` matches both.
 */
export function secretPatternMatches(pattern: string, name: string): boolean {
  const p = pattern.trim().toUpperCase();
  if (!p) return false;
  const n = name.toUpperCase();
  return isGlob(p) ? globMatch(p, n) : n.includes(p);
}

/**
 * Does `pattern` catch every name the built-in substring `builtIn` catches?
 * Exact for substrings (`PASS` covers `PASSWORD`); for a glob, judged on
 * sample names with the built-in at the start, the end, alone and inside.
 * Used only to warn that a replacing list drops built-in patterns.
 */
export function secretPatternCovers(pattern: string, builtIn: string): boolean {
  const p = pattern.trim().toUpperCase();
  if (!p) return false;
  if (!isGlob(p)) return builtIn.toUpperCase().includes(p);
  const b = builtIn.toUpperCase();
  return [b, `X_${b}`, `${b}_X`, `X_${b}_X`, `X${b}X`].every((name) => globMatch(p, name));
}

/** The names in `names` that match one of `patterns` (secretPatternMatches), sorted. */
export function secretLookingNames(names: readonly string[], patterns: readonly string[]): string[] {
  const live = patterns.filter((p) => p.trim() !== '');
  if (live.length === 0) return [];
  return [...new Set(names.filter((name) => live.some((p) => secretPatternMatches(p, name))))].sort();
}

/** A level failure of an encrypted resource, unless the policy says otherwise. */
export const DEFAULT_LEVEL_FAILURE_SEVERITY: Severity = 'medium';
/** A level failure of an encrypted resource below a tag override's minimum, unless the override says otherwise. */
export const OVERRIDE_LEVEL_FAILURE_SEVERITY: Severity = 'high';

/** DESIGN.md's plain good practice: everything encrypted, AWS managed keys acceptable, customer managed keys rotate. */
export const BASELINE_POLICY: Policy = {
  name: 'baseline',
  description: 'everything encrypted at rest; AWS owned and AWS managed keys are acceptable; customer managed keys rotate at least yearly; no resource depends on an unusable key',
  minimumLevel: { default: 'aws-owned' },
  rotation: { required: true, maxPeriodDays: 365 },
  importedMaterialExpiryDays: 30,
  severity: {},
  disabledRules: [],
  secretNamePatterns: [...DEFAULT_SECRET_NAME_PATTERNS],
  levelFailureSeverity: 'medium',
};

/** Data stores must use customer managed keys (auditable key policy, your own rotation and deletion control). */
export const STRICT_POLICY: Policy = {
  ...BASELINE_POLICY,
  name: 'strict',
  description: 'as baseline, and data stores (S3, EBS, RDS, Aurora, DynamoDB, Redshift) must use customer managed keys',
  minimumLevel: {
    ...BASELINE_POLICY.minimumLevel,
    s3: 'customer-managed',
    ebs: 'customer-managed',
    rds: 'customer-managed',
    aurora: 'customer-managed',
    dynamodb: 'customer-managed',
    redshift: 'customer-managed',
  },
  // Its purpose is customer managed keys: missing one fails a default build.
  levelFailureSeverity: 'high',
};

export const BUILT_IN_POLICIES: Record<string, Policy> = { baseline: BASELINE_POLICY, strict: STRICT_POLICY };

/** The minimum level the policy demands for a resource type of a service. */
export function minimumLevelFor(policy: Policy, service: ServiceName, type: string): ProtectionLevel {
  const levels = policy.minimumLevel as Record<string, ProtectionLevel | undefined>;
  return levels[`${service}:${type}`] ?? levels[service] ?? policy.minimumLevel.default;
}

/** Which tag override decided a requirement: the report's FindingOverride (name, position in tagOverrides, tags, source). */
export type OverrideRef = FindingOverride;

/** What the policy demands of one resource, after tag overrides. */
export interface Requirement {
  minimumLevel: ProtectionLevel;
  /** null: no allowed-keys list applies. */
  allowedKeys: string[] | null;
  rotation: RotationDemand;
  /**
   * Severity of a level failure for an encrypted resource below
   * `minimumLevel`: the policy's `levelFailureSeverity` (default medium), or,
   * when a tag override set the minimum, the override's (default high).
   */
  levelFailureSeverity: Severity;
  /** The tag override that decided, if one matched. */
  override: OverrideRef | null;
  /** The policy has tag overrides for this service but the inventory holds no tags for the resource. */
  tagsUnavailable: boolean;
  /**
   * Set when the check tried to read the resource's tags and failed
   * (`resource.tagsError`) while tag overrides could apply: the requirement
   * under each of those overrides. Rules decide through `decideUnderTags`.
   */
  undecided?: UndecidedTags;
}

export interface UndecidedTags {
  error: { operation: string; code: string; message: string };
  /** One per override that could have matched, in policy order, each with `override` set. */
  alternatives: Requirement[];
}

function keyListFor(map: KeyListMap | undefined, service: ServiceName, type: string): string[] | null {
  if (!map) return null;
  const lists = map as Record<string, string[] | undefined>;
  return lists[`${service}:${type}`] ?? lists[service] ?? lists.default ?? null;
}

function overrideApplies(override: TagOverride, resource: Resource): boolean {
  if (override.services && !override.services.includes(resource.service)) return false;
  const tags = resource.tags;
  if (!tags) return false;
  return Object.entries(override.tags).every(([key, pattern]) => tags[key] !== undefined && globMatch(pattern, tags[key]!));
}

/** The first tag override that matches the resource (first match wins), with its position. */
export function matchingOverride(policy: Policy, resource: Resource): { override: TagOverride; index: number } | null {
  const list = policy.tagOverrides ?? [];
  for (let index = 0; index < list.length; index += 1) {
    const override = list[index]!;
    if (overrideApplies(override, resource)) return { override, index };
  }
  return null;
}

/**
 * The requirement for a resource: the service (or `service:type`) settings,
 * replaced field by field by the first matching tag override.
 */
export function requirementFor(policy: Policy, resource: Resource): Requirement {
  const base: Requirement = {
    minimumLevel: minimumLevelFor(policy, resource.service, resource.type),
    allowedKeys: keyListFor(policy.allowedKeys, resource.service, resource.type),
    rotation: { ...policy.rotation, ...(policy.rotationByService?.[resource.service] ?? {}) },
    levelFailureSeverity: policy.levelFailureSeverity ?? DEFAULT_LEVEL_FAILURE_SEVERITY,
    override: null,
    tagsUnavailable: false,
  };
  const hit = matchingOverride(policy, resource);
  if (!hit) {
    const relevant = (policy.tagOverrides ?? [])
      .map((override, index) => ({ override, index }))
      .filter(({ override }) => !override.services || override.services.includes(resource.service));
    const tagsUnavailable = relevant.length > 0 && resource.tags === undefined;
    if (tagsUnavailable && resource.tagsError) {
      // Any of them could have matched (or none): the rules weigh every possibility.
      const alternatives = relevant.map(({ override, index }) => applyOverride(base, override, index));
      return { ...base, tagsUnavailable, undecided: { error: { ...resource.tagsError }, alternatives } };
    }
    return { ...base, tagsUnavailable };
  }
  return applyOverride(base, hit.override, hit.index);
}

function applyOverride(base: Requirement, override: TagOverride, index: number): Requirement {
  return {
    minimumLevel: override.minimumLevel ?? base.minimumLevel,
    allowedKeys: override.allowedKeys ?? base.allowedKeys,
    rotation: { ...base.rotation, ...(override.rotation ?? {}) },
    // The override's own severity; when it sets no minimum, the minimum (and so a failure) is the service setting's.
    levelFailureSeverity: override.levelFailureSeverity ?? (override.minimumLevel ? OVERRIDE_LEVEL_FAILURE_SEVERITY : base.levelFailureSeverity),
    override: { name: override.name, index, tags: override.tags, ...(override.source ? { source: override.source } : {}) },
    tagsUnavailable: false,
  };
}

/**
 * Runs a rule's judgement under the resource's requirement. When its tags
 * could not be read (`requirement.undecided`), the judgement is also run
 * under every tag override that could have matched: if all agree, that is
 * the outcome, and the message says the tags were unreadable but did not
 * matter; if they disagree, the outcome is `unknown` and the message lists
 * what each possibility would give. Never a silent fall-back to the service
 * setting.
 */
export function decideUnderTags(requirement: Requirement, judge: (requirement: Requirement) => RuleOutcome): RuleOutcome {
  const { undecided, ...plain } = requirement;
  if (!undecided) return judge(requirement);
  const base = judge({ ...plain, tagsUnavailable: false });
  const others = undecided.alternatives.map((alternative) => ({ alternative, outcome: judge(alternative) }));
  const { operation, code, message } = undecided.error;
  const reason = `the resource's tags could not be read (${operation} ${code}: ${message})`;
  if (others.every(({ outcome }) => outcome.status === base.status)) {
    return { ...base, message: `${base.message}; ${reason}, but no tag override that could apply changes the result` };
  }
  const possibilities = [
    `if no tag override matches: ${base.status} (${base.message})`,
    ...others.map(({ alternative, outcome }) => `if tag override "${alternative.override!.name}" matches: ${outcome.status} (${outcome.message})`),
  ];
  return { status: 'unknown', message: `cannot decide: ${reason}, and the result depends on them — ${possibilities.join('; ')}` };
}

/** "tag override \"restricted\" (data-classification=restricted)", for messages. */
export function describeOverride(override: OverrideRef): string {
  const tags = Object.entries(override.tags).map(([k, v]) => `${k}=${v}`).join(', ');
  return `tag override "${override.name}" (${tags})`;
}

/**
 * The rotation demand on a KMS key: the policy's own (with `services.kms`
 * and a tag override on the key), tightened by the explicit demands of the
 * services whose resources depend on the key (per-service settings and
 * overrides that set rotation). Tightening: required if any demands it; the
 * shortest maximum period among those that require it.
 */
export function rotationDemandFor(
  policy: Policy,
  keyResource: Resource,
  dependents: readonly Resource[],
): RotationDemand & { decidedBy: string[] } {
  const own = requirementFor(policy, keyResource);
  let demand: RotationDemand = { ...own.rotation };
  const decidedBy: string[] = own.override ? [describeOverride(own.override)] : [];
  const tighten = (extra: Partial<RotationDemand> | undefined, why: string): void => {
    if (!extra) return;
    // An explicit demand inherits what it does not say from the policy's top-level rotation.
    const other: RotationDemand = { ...policy.rotation, ...extra };
    if (!other.required) return;
    const next: RotationDemand = demand.required
      ? { required: true, maxPeriodDays: Math.min(demand.maxPeriodDays, other.maxPeriodDays) }
      : { ...other };
    if (next.required !== demand.required || next.maxPeriodDays !== demand.maxPeriodDays) {
      demand = next;
      decidedBy.push(why);
    }
  };
  const services = [...new Set(dependents.map((d) => d.service))].sort();
  for (const service of services) tighten(policy.rotationByService?.[service], `services.${service}.rotation`);
  for (const dependent of dependents) {
    const hit = matchingOverride(policy, dependent);
    if (hit?.override.rotation) tighten(hit.override.rotation, `${describeOverride({ name: hit.override.name, index: hit.index, tags: hit.override.tags })} on ${dependent.arn}`);
  }
  return { ...demand, decidedBy: [...new Set(decidedBy)] };
}

/** Is the resource inside the policy's scope? */
export function inScope(scope: PolicyScope | undefined, item: { service: string; region: string; arn: string }): boolean {
  if (!scope) return true;
  if (scope.services && !(scope.services as string[]).includes(item.service)) return false;
  // Global resources (region "" or "global") are kept unless their ARN is excluded.
  if (scope.regions && item.region && item.region !== 'global' && !scope.regions.includes(item.region)) return false;
  if (scope.include && !scope.include.some((p) => globMatch(p, item.arn))) return false;
  if (scope.exclude && scope.exclude.some((p) => globMatch(p, item.arn))) return false;
  return true;
}
