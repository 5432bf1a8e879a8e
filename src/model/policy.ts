import type { ProtectionLevel } from './levels.js';
import type { FindingOverride, WaiverTerms } from './report.js';
import type { ServiceName } from './services.js';
import type { Severity } from './severity.js';

/**
 * What the rules demand. The built-in policies live here; policy files
 * (YAML/JSON, src/policy/policy-file.ts) resolve to the same shape;
 * src/policy/built-in.ts holds the built-in ones.
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
  /**
   * KMS.QUOTA_HEADROOM fails (medium) when a request quota's peak reached this
   * share of it, in percent (over 100 is always high: throttled). Default 80.
   */
  quotaHeadroomPercent?: number;
  /**
   * What every S3 bucket policy must refuse (S3.UPLOAD_ENCRYPTION_POLICY):
   * `kms` — uploads that do not ask for SSE-KMS (or DSSE-KMS); `encryption` —
   * uploads that name no server-side encryption. Absent: the rule does not apply.
   */
  bucketPolicyMustRequire?: 'encryption' | 'kms';

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


/** Which tag override decided a requirement: the report's FindingOverride (name, position in tagOverrides, tags, source). */
export type OverrideRef = FindingOverride;
