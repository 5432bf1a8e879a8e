import type { Resource } from '../model/inventory.js';
import type { Remediation } from '../model/report.js';
import { deletionDate, keyName } from '../keys/key-record.js';
import { isPendingDeletion } from '../keys/states.js';
import { relatedKeys, type DependedKey } from '../keys/related-keys.js';
import type { Rule, RuleContext, RuleOutcome } from './rule.js';

/**
 * A resource whose key is disabled, pending deletion, missing or unavailable
 * cannot be decrypted (or soon will not be): critical, whatever the level.
 * The state names are KMS's (https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html):
 * PendingReplicaDeletion is the state of a multi-Region PRIMARY key whose
 * deletion was scheduled while it still has replicas; KMS waits for the
 * replicas to be deleted, then the primary's own waiting period starts.
 */
const UNUSABLE: Record<string, string> = {
  Disabled: 'is disabled: the data cannot be decrypted until it is enabled again',
  PendingDeletion: 'is scheduled for deletion: once it is deleted, the data can never be decrypted',
  PendingReplicaDeletion:
    'is a multi-Region primary key scheduled for deletion: KMS deletes it once its replica keys are deleted and its own waiting period ends, and then the data can never be decrypted',
  PendingImport: 'has no key material (PendingImport): the data cannot be decrypted',
  Unavailable: 'is unavailable (its custom key store is disconnected): the data cannot be decrypted until it reconnects',
  NotFound: 'does not exist: the data cannot be decrypted',
};

function dependsOnMainKey(r: Resource): boolean {
  return r.protection.level !== 'none' && r.protection.level !== 'aws-owned' && Boolean(r.protection.keyArn ?? r.protection.keyRef);
}

/** Every key the resource depends on: the main one first. */
function dependedKeys(resource: Resource): DependedKey[] {
  const main: DependedKey[] = dependsOnMainKey(resource)
    ? [{ role: null, keyArn: resource.protection.keyArn, keyRef: resource.protection.keyRef ?? null, level: resource.protection.level }]
    : [];
  return [...main, ...relatedKeys(resource)];
}

function judgeKey(dep: DependedKey, context: RuleContext): RuleOutcome {
  const what = dep.role ? `${dep.role} key` : 'key';
  const key = dep.keyArn ? context.keyByArn.get(dep.keyArn) : undefined;
  if (!key) {
    if (dep.level === 'aws-managed') {
      return { status: 'pass', message: `${dep.role ? `${dep.role} key: ` : ''}AWS managed key: it cannot be disabled or scheduled for deletion` };
    }
    return { status: 'unknown', message: `the ${what} ${dep.keyRef ?? dep.keyArn ?? ''} could not be resolved, so its state is unknown` };
  }
  const name = keyName(key);
  const date = key.state === 'PendingDeletion' ? deletionDate(key) : null;
  const problem = date ? `is scheduled for deletion on ${date}: after that the data can never be decrypted` : UNUSABLE[key.state];
  if (problem) return { status: 'fail', message: `${what} ${name} ${problem}` };
  if (key.state === 'unknown') {
    return { status: 'unknown', message: `the state of ${what} ${name} is unknown: ${key.notes.join('; ')}` };
  }
  return { status: 'pass', message: `${what} ${name} is ${key.state}` };
}

export const keyStateRule: Rule = {
  id: 'KMS.KEY_STATE',
  title: 'Resource depends on a KMS key that is not usable',
  rationale:
    'Data encrypted under a KMS key is readable only while the key is enabled. A disabled key stops every read; a key pending deletion makes the data permanently unreadable on its deletion date.',
  severity: 'critical',
  matrixFacts: [],
  // dependedKeys(r).length > 0, without building the list for every resource.
  appliesTo: (r: Resource) => r.service !== 'kms' && (dependsOnMainKey(r) || relatedKeys(r).length > 0),
  evaluate(resource, context) {
    const outcomes = dependedKeys(resource).map((dep) => judgeKey(dep, context));
    for (const status of ['fail', 'unknown'] as const) {
      const hits = outcomes.filter((o) => o.status === status);
      if (hits.length > 0) return { status, message: hits.map((o) => o.message).join('; ') };
    }
    return { status: 'pass', message: outcomes.map((o) => o.message).join('; ') };
  },
  remediation(resource, context): Remediation {
    // Fix the first key that fails (the main key before related ones).
    const failing = dependedKeys(resource).find((dep) => judgeKey(dep, context).status === 'fail');
    const arn = failing?.keyArn ?? resource.protection.keyArn ?? 'KEY_ARN';
    const key = context.keyByArn.get(arn);
    const pending = key ? isPendingDeletion(key.state) : false;
    return {
      summary: pending ? `cancel the key deletion now: aws kms cancel-key-deletion --key-id ${arn}, then enable it` : `enable the key: aws kms enable-key --key-id ${arn}`,
      path: 'in-place',
      steps: pending
        ? [`aws kms cancel-key-deletion --key-id ${arn}`, `aws kms enable-key --key-id ${arn}`]
        : [`aws kms enable-key --key-id ${arn}`, 'for PendingImport keys, import the key material again; for Unavailable keys, reconnect the custom key store'],
      cli: pending ? `aws kms cancel-key-deletion --key-id ${arn}` : `aws kms enable-key --key-id ${arn}`,
      docs: 'https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html',
    };
  },
};
