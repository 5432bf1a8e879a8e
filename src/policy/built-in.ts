import type { Policy } from '../model/policy.js';
import { levelRank, type ProtectionLevel } from '../model/levels.js';
import { DEFAULT_SECRET_NAME_PATTERNS } from '../services/lambda/secret-names.js';
import { SERVICE_DESCRIPTORS } from '../services/list.js';

/**
 * The built-in policies. `baseline` is plain good practice: everything
 * encrypted at rest, AWS managed keys acceptable, customer managed keys
 * rotate, no resource depends on an unusable key (README, "Policy").
 */
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

/** The services whose descriptors say they store data: strict demands customer managed keys of them. */
const DATA_STORES = SERVICE_DESCRIPTORS.filter((d) => d.dataStore);

/** The strongest of some levels (by the protection level order). */
function strongest(levels: readonly ProtectionLevel[]): ProtectionLevel {
  return [...levels].sort((a, b) => levelRank(b) - levelRank(a))[0] ?? 'aws-owned';
}

/** "S3", "Aurora", … : a service's name without the vendor. */
const shortName = (name: string): string => name.replace(/^(Amazon|AWS) /, '');

/** Data stores must use customer managed keys (auditable key policy, your own rotation and deletion control). */
export const STRICT_POLICY: Policy = {
  ...BASELINE_POLICY,
  name: 'strict',
  description: `as baseline, and data stores (${DATA_STORES.map((d) => shortName(d.matrix.name)).join(', ')}) must use customer managed keys`,
  minimumLevel: {
    ...BASELINE_POLICY.minimumLevel,
    ...Object.fromEntries(DATA_STORES.map((d) => [d.id, 'customer-managed' as const])),
    // A resource type whose matrix row offers no customer managed key (DAX: aws/dax only) is asked the most it can give.
    ...Object.fromEntries(
      DATA_STORES.flatMap((d) => (d.moreMatrixRows ?? []).filter((row) => !row.possibleLevels.includes('customer-managed')).flatMap((row) => row.resourceTypes.map((type) => [`${d.id}:${type}`, strongest(row.possibleLevels)]))),
    ),
  },
  // Its purpose is customer managed keys: missing one fails a default build.
  levelFailureSeverity: 'high',
  // Secrets in Lambda environment variables fail a default build too (medium under baseline).
  severity: { ...BASELINE_POLICY.severity, 'LAMBDA.ENV_SECRETS': 'high' },
};

export const BUILT_IN_POLICIES: Record<string, Policy> = { baseline: BASELINE_POLICY, strict: STRICT_POLICY };
