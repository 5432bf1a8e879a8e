import type { KeyRecord, Resource } from '../model/inventory.js';
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
    return keyStateFix(arn, context.keyByArn.get(arn));
  },
};

const KMS_GUIDE = 'https://docs.aws.amazon.com/kms/latest/developerguide/';

/**
 * What brings a key back into use depends on why it is unusable (KMS
 * Developer Guide, "Key states of AWS KMS keys"): a key pending deletion —
 * a multi-Region primary waiting for its replicas (PendingReplicaDeletion)
 * too — is cancelled, which leaves it Disabled, then enabled; a disabled key
 * is enabled; a key without key material takes the same material imported
 * again (KMS accepts no other for that key); a key in a disconnected custom
 * key store comes back when the store is reconnected; a key that no longer
 * exists cannot come back.
 */
function keyStateFix(arn: string, key: KeyRecord | undefined): Remediation {
  const enable = `aws kms enable-key --key-id ${arn}`;
  const state = key?.state ?? 'unknown';
  if (isPendingDeletion(state)) {
    const cancel = `aws kms cancel-key-deletion --key-id ${arn}`;
    return {
      summary: `cancel the key deletion now: ${cancel}, then enable it`,
      path: 'in-place',
      steps: [`${cancel} (the key is then Disabled)`, enable],
      cli: cancel,
      docs: `${KMS_GUIDE}deleting-keys.html`,
    };
  }
  if (state === 'PendingImport') {
    return {
      summary: 'import the same key material again (a KMS key accepts no other): get-parameters-for-import, then import-key-material',
      path: 'in-place',
      steps: [
        `aws kms get-parameters-for-import --key-id ${arn} --wrapping-algorithm RSAES_OAEP_SHA_256 --wrapping-key-spec RSA_4096`,
        'wrap the copy of the key material you kept with the public key it returns (the material imported before: the key can use no other)',
        `aws kms import-key-material --key-id ${arn} --encrypted-key-material fileb://EncryptedKeyMaterial.bin --import-token fileb://ImportToken.bin --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE`,
      ],
      cli: `aws kms get-parameters-for-import --key-id ${arn} --wrapping-algorithm RSAES_OAEP_SHA_256 --wrapping-key-spec RSA_4096`,
      docs: `${KMS_GUIDE}importing-keys.html#reimport-key-material`,
    };
  }
  if (key && state === 'Unavailable') {
    const evidenceStore = key.evidence.CustomKeyStoreId;
    const store = key.customKeyStore?.id ?? (typeof evidenceStore === 'string' && evidenceStore ? evidenceStore : 'CUSTOM_KEY_STORE_ID');
    const connect = `aws kms connect-custom-key-store --custom-key-store-id ${store}`;
    return {
      summary: `reconnect the custom key store: ${connect}`,
      path: 'in-place',
      steps: [connect, `aws kms describe-custom-key-stores --custom-key-store-id ${store} (until ConnectionState is CONNECTED; FAILED gives a ConnectionErrorCode to fix first)`],
      cli: connect,
      docs: `${KMS_GUIDE}disconnect-keystore.html`,
    };
  }
  if (state === 'NotFound') {
    return {
      summary: 'the key no longer exists and cannot be recovered: restore the data from a backup or copy that is readable (under another key) into a new resource, then cut over',
      path: 'rebuild-from-encrypted-copy',
      steps: [
        `check CloudTrail for the ScheduleKeyDeletion / DeleteImportedKeyMaterial of ${arn} to learn what else depended on it`,
        'restore the resource from a backup, snapshot or replica encrypted under a key that still exists, choosing a customer managed key for the new resource',
        'cut over to the restored resource and delete the unreadable one',
      ],
      docs: `${KMS_GUIDE}deleting-keys.html`,
    };
  }
  return {
    summary: `enable the key: ${enable}`,
    path: 'in-place',
    steps: [enable],
    cli: enable,
    docs: `${KMS_GUIDE}enabling-keys.html`,
  };
}
