import type { ProtectionLevel } from '../model/levels.js';
import type { ServiceName } from '../model/services.js';
import type { Severity } from '../model/severity.js';
import { UsageError } from '../errors.js';

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
   * Substrings that make an environment variable NAME look like a secret
   * (matched case-insensitively anywhere in the name). Checks record names
   * only, never values; the rules match them against this list. An empty
   * list turns the secret-name heuristic off.
   */
  secretNamePatterns: string[];
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

/** The names in `names` that contain one of `patterns` (case-insensitive), sorted. */
export function secretLookingNames(names: readonly string[], patterns: readonly string[]): string[] {
  const needles = patterns.map((p) => p.trim().toUpperCase()).filter(Boolean);
  if (needles.length === 0) return [];
  return [...new Set(names.filter((name) => needles.some((needle) => name.toUpperCase().includes(needle))))].sort();
}

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
};

/** Data stores must use customer managed keys (auditable key policy, your own rotation and deletion control). */
export const STRICT_POLICY: Policy = {
  name: 'strict',
  description: 'as baseline, and data stores (S3, EBS, RDS, Aurora, DynamoDB, Redshift) must use customer managed keys',
  minimumLevel: {
    default: 'aws-owned',
    s3: 'customer-managed',
    ebs: 'customer-managed',
    rds: 'customer-managed',
    aurora: 'customer-managed',
    dynamodb: 'customer-managed',
    redshift: 'customer-managed',
  },
  rotation: { required: true, maxPeriodDays: 365 },
  importedMaterialExpiryDays: 30,
  severity: {},
  disabledRules: [],
  secretNamePatterns: [...DEFAULT_SECRET_NAME_PATTERNS],
};

export const BUILT_IN_POLICIES: Record<string, Policy> = { baseline: BASELINE_POLICY, strict: STRICT_POLICY };

/** `--policy NAME`: a built-in policy. (Policy files come with the policy issue.) */
export function builtInPolicy(name: string): Policy {
  const policy = BUILT_IN_POLICIES[name];
  if (!policy) {
    throw new UsageError(`--policy: unknown policy "${name}" (built-in policies: ${Object.keys(BUILT_IN_POLICIES).join(', ')})`);
  }
  return policy;
}

/** The minimum level the policy demands for a resource type of a service. */
export function minimumLevelFor(policy: Policy, service: ServiceName, type: string): ProtectionLevel {
  const levels = policy.minimumLevel as Record<string, ProtectionLevel | undefined>;
  return levels[`${service}:${type}`] ?? levels[service] ?? policy.minimumLevel.default;
}
