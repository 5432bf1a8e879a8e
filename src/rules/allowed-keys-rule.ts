import { parseArn } from '../aws/arn.js';
import type { KeyRecord, Resource } from '../model/inventory.js';
import { globMatch } from '../util/glob.js';
import { keyName } from '../keys/key-record.js';
import { decideUnderTags } from './under-tags.js';
import { describeOverride, requirementFor } from '../policy/requirement.js';
import { matrixFor } from '../services/list.js';
import { matrixRemediation } from './remediation.js';
import type { Rule } from './rule.js';

/**
 * KMS.ALLOWED_KEYS: the resource's key must be one the policy allows for its
 * service (or resource type, or tag override) — what AWS Config's
 * `kmsKeyArns` parameter does, but also by key id, alias name, alias ARN or
 * glob. Without a list the rule is not-applicable. A resource that is not
 * encrypted under a KMS key at all (none, aws-owned) does not use an allowed
 * key, so it fails.
 */
export const allowedKeysRule: Rule = {
  id: 'KMS.ALLOWED_KEYS',
  title: 'Resource is encrypted with a key the policy does not allow',
  rationale:
    'An organisation that names the keys its data may use (per service, per resource type or per tag) wants every resource on one of them: a resource on another key has a key policy, rotation and deletion control the organisation has not vetted.',
  severity: 'medium',
  matrixFacts: ['changeKeyAfterCreation', 'remediationPath'],
  appliesTo: (r: Resource) => r.service !== 'kms',
  evaluate(resource, context) {
    // Unreadable tags: judged under every override that could apply (src/policy/requirement.ts).
    return decideUnderTags(requirementFor(context.policy, resource), (requirement) => {
      const allowed = requirement.allowedKeys;
      const override = requirement.override ? { override: requirement.override } : {};
      const by = requirement.override ? ` (${describeOverride(requirement.override)})` : '';
      if (!allowed) {
        return { status: 'not-applicable', message: `policy "${context.policy.name}" sets no allowed keys for ${resource.service}:${resource.type}` };
      }
      const list = allowed.join(', ');
      const p = resource.protection;
      if (p.level === 'unknown') {
        return { status: 'unknown', message: `protection unknown, so the key cannot be compared with the allowed keys (${list})`, ...override };
      }
      if (p.level === 'none') {
        return { status: 'fail', message: `not encrypted; policy "${context.policy.name}" allows only ${list}${by}`, ...override };
      }
      if (!p.keyArn && !p.keyRef) {
        return {
          status: 'fail',
          message: `encrypted with an AWS owned key (${p.algorithm ?? 'no KMS key'}), not one of the allowed keys ${list}${by}`,
          ...override,
        };
      }
      const key = p.keyArn ? context.keyByArn.get(p.keyArn) : undefined;
      const names = keyNames(p.keyArn, key);
      if (names.length === 0) {
        // Only an unresolved reference: it can still match literally.
        const ref = p.keyRef!;
        const hit = allowed.find((entry) => globMatch(entry, ref));
        if (hit) return { status: 'pass', message: `key ${ref} is allowed (${hit})${by}`, ...override };
        return { status: 'unknown', message: `the key reference ${ref} could not be resolved, so it cannot be compared with the allowed keys (${list})`, ...override };
      }
      const display = key ? keyName(key) : (p.keyArn ?? names[0]!);
      const hit = allowed.find((entry) => names.some((name) => globMatch(entry, name)));
      if (hit) return { status: 'pass', message: `key ${display} is allowed (${hit})${by}`, ...override };
      return { status: 'fail', message: `key ${display} is not one of the allowed keys ${list}${by}`, ...override };
    });
  },
  remediation: (resource) => matrixRemediation(matrixFor(resource.service, resource.type)),
};

/** Every name a key answers to: ARN, key id, alias names and alias ARNs. */
export function keyNames(keyArn: string | null, key: KeyRecord | undefined): string[] {
  const names = new Set<string>();
  const arn = key?.arn ?? keyArn;
  if (!arn) return [];
  names.add(arn);
  const parsed = parseArn(arn);
  const keyId = key?.keyId ?? (parsed?.resource.startsWith('key/') ? parsed.resource.slice(4) : undefined);
  if (keyId) names.add(keyId);
  for (const alias of key?.aliases ?? []) {
    names.add(alias);
    if (parsed) names.add(`arn:${parsed.partition}:kms:${parsed.region}:${parsed.accountId}:${alias}`);
  }
  return [...names];
}
