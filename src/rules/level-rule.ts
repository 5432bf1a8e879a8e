import { isCustomerManaged, meetsMinimum } from '../model/levels.js';
import type { Resource } from '../model/inventory.js';
import type { ServiceMatrixEntry } from '../model/matrix.js';
import { severityRank, type Severity } from '../model/severity.js';
import { describeOverride, requirementFor } from '../policy/requirement.js';
import { decideUnderTags } from './under-tags.js';
import type { Rule } from './rule.js';
import { matrixFix } from './rule-detail.js';

/**
 * "Protection level below the policy minimum", one rule per service and set
 * of resource types so each carries its own id (and so its own entry in the
 * compliance mapping, in the service's compliance.ts).
 * An unencrypted resource is high (or the requirement's severity, if that
 * is more severe); encrypted with a weaker key than required is the
 * requirement's `levelFailureSeverity`: the policy's (baseline medium,
 * strict high — its purpose is customer managed keys), or high when a tag
 * override set the minimum (an explicit demand for tagged data), unless the
 * policy or override says otherwise. An unreadable resource is unknown,
 * never a pass.
 */
export interface LevelRuleSpec {
  id: string;
  /** The service's matrix row: it names the service and gives the rationale and the fix. */
  matrix: ServiceMatrixEntry;
  types: string[];
  title: string;
}

export function levelRule(spec: LevelRuleSpec): Rule {
  const entry = spec.matrix;
  return {
    id: spec.id,
    title: spec.title,
    rationale: `${entry.name}: ${entry.defaultDescription}. The policy sets the minimum protection level; below it, data is either unencrypted or under a key the account cannot control as required.`,
    severity: 'high',
    matrixFacts: ['encryptedByDefault', 'defaultLevel', 'possibleLevels', 'enableAfterCreation', 'changeKeyAfterCreation', 'remediationPath'],
    appliesTo: (r: Resource) => r.service === entry.service && spec.types.includes(r.type),
    evaluate(resource, context) {
      // Unreadable tags: judged under every override that could apply (src/rules/under-tags.ts).
      return decideUnderTags(requirementFor(context.policy, resource), (requirement) => {
        const minimum = requirement.minimumLevel;
        const decided = {
          requiredLevel: minimum,
          ...(requirement.override ? { override: requirement.override } : {}),
        };
        // Say which tag override decided (or that tags were not available to decide).
        const by = requirement.override
          ? ` (${describeOverride(requirement.override)})`
          : requirement.tagsUnavailable
            ? ' (no tags in the inventory for this resource: tag overrides could not apply)'
            : '';
        const level = resource.protection.level;
        const what = describeProtection(resource);
        if (level === 'unknown') {
          const why = resource.error
            ? `${resource.error.operation} failed: ${resource.error.code}: ${resource.error.message}`
            : resource.protection.notes.join('; ') || 'the protection could not be determined';
          return { status: 'unknown', message: `protection unknown: ${why}`, ...decided };
        }
        if (meetsMinimum(level, minimum)) {
          return { status: 'pass', message: `${what} meets the minimum ${minimum}${by}`, ...decided };
        }
        const fix = entry.enableAfterCreation === false || !entry.changeKeyAfterCreation ? ' (cannot be changed in place)' : '';
        return {
          status: 'fail',
          severity: level === 'none' ? moreSevere('high', requirement.levelFailureSeverity) : requirement.levelFailureSeverity,
          message: `${what}; policy "${context.policy.name}" requires at least ${minimum}${by}${fix}`,
          ...decided,
        };
      });
    },
    ...matrixFix(entry),
  };
}

function moreSevere(a: Severity, b: Severity): Severity {
  return severityRank(a) <= severityRank(b) ? a : b;
}

/** "encrypted with customer-managed key alias/app-data (aws:kms)" and similar, for messages. */
export function describeProtection(resource: Resource): string {
  const p = resource.protection;
  if (p.level === 'none') return 'not encrypted';
  const algo = p.algorithm ? ` (${p.algorithm})` : '';
  if (p.level === 'aws-owned') return `encrypted with an AWS owned key${algo}`;
  const key = p.keyArn ?? p.keyRef ?? 'a key';
  const kind = p.level === 'aws-managed' ? 'AWS managed key' : isCustomerManaged(p.level) ? `${p.level} key` : 'key';
  return `encrypted with ${kind} ${key}${algo}`;
}
