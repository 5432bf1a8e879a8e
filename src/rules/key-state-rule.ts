import type { Resource } from '../model/inventory.js';
import type { Remediation } from '../model/report.js';
import { awsConfig, fsbp, type Rule } from './rule.js';

/**
 * A resource whose key is disabled, pending deletion, missing or unavailable
 * cannot be decrypted (or soon will not be): critical, whatever the level.
 */
const UNUSABLE: Record<string, string> = {
  Disabled: 'is disabled: the data cannot be decrypted until it is enabled again',
  PendingDeletion: 'is scheduled for deletion: once deleted, the data can never be decrypted',
  PendingReplicaDeletion: 'is a multi-Region replica scheduled for deletion',
  PendingImport: 'has no key material (PendingImport): the data cannot be decrypted',
  Unavailable: 'is unavailable (its custom key store is disconnected): the data cannot be decrypted until it reconnects',
  NotFound: 'does not exist: the data cannot be decrypted',
};

export const keyStateRule: Rule = {
  id: 'KMS.KEY_STATE',
  title: 'Resource depends on a KMS key that is not usable',
  rationale:
    'Data encrypted under a KMS key is readable only while the key is enabled. A disabled key stops every read; a key pending deletion makes the data permanently unreadable on its deletion date.',
  severity: 'critical',
  matrixFacts: [],
  compliance: [fsbp('KMS.3'), awsConfig('kms-cmk-not-scheduled-for-deletion')],
  appliesTo: (r: Resource) => r.service !== 'kms' && r.protection.level !== 'none' && r.protection.level !== 'aws-owned' && Boolean(r.protection.keyArn ?? r.protection.keyRef),
  evaluate(resource, context) {
    const arn = resource.protection.keyArn;
    const key = arn ? context.keyByArn.get(arn) : undefined;
    if (!key) {
      if (resource.protection.level === 'aws-managed') {
        return { status: 'pass', message: 'AWS managed key: it cannot be disabled or scheduled for deletion' };
      }
      return { status: 'unknown', message: `the key ${resource.protection.keyRef ?? arn ?? ''} could not be resolved, so its state is unknown` };
    }
    const problem = UNUSABLE[key.state];
    const name = key.aliases[0] ? `${key.aliases[0]} (${key.arn})` : key.arn;
    if (problem) {
      const deletion = typeof key.evidence.DeletionDate === 'string' ? ` on ${key.evidence.DeletionDate}` : '';
      return { status: 'fail', message: `key ${name} ${problem}${key.state === 'PendingDeletion' ? deletion : ''}` };
    }
    if (key.state === 'unknown') {
      return { status: 'unknown', message: `the state of key ${name} is unknown: ${key.notes.join('; ')}` };
    }
    return { status: 'pass', message: `key ${name} is ${key.state}` };
  },
  remediation(resource, context): Remediation {
    const arn = resource.protection.keyArn ?? 'KEY_ARN';
    const key = context.keyByArn.get(arn);
    const pending = key?.state === 'PendingDeletion';
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
