import { daxMatrix, dynamodbMatrix } from './matrix.js';
import type { Json, Resource } from '../../model/inventory.js';
import type { Remediation } from '../../model/report.js';
import { keyName } from '../../keys/key-record.js';
import { levelRule } from '../../rules/level-rule.js';
import type { Rule } from '../../rules/rule.js';
import { matrixFix, staticFix, withDetail } from '../../rules/rule-detail.js';

/**
 * DynamoDB rules. Tables and backups are judged on their level by the
 * levelRule factory; DYNAMODB.KEY_INACCESSIBLE reads what DynamoDB itself
 * says about the key (the table status and InaccessibleEncryptionDateTime).
 */

export const dynamodbTableEncryptionRule: Rule = levelRule({
  id: 'DYNAMODB.TABLE_ENCRYPTION',
  matrix: dynamodbMatrix,
  types: ['table'],
  title: 'DynamoDB table key below the policy minimum',
});

const backupLevel = levelRule({
  id: 'DYNAMODB.BACKUP_ENCRYPTION',
  matrix: dynamodbMatrix,
  types: ['backup'],
  title: 'DynamoDB on-demand backup key below the policy minimum',
});

/** A backup keeps the key of its moment: the fix is a new backup, not UpdateTable. */
export const dynamodbBackupEncryptionRule: Rule = {
  ...backupLevel,
  rationale: `${backupLevel.rationale} A backup keeps the key its table had when it was taken; changing the table key later does not re-encrypt old backups.`,
  ...staticFix('a backup cannot change its key: restore it to a table with the chosen key (--sse-specification-override), back that up, then delete the old backup', (resource) => {
    const table = typeof resource.attributes.tableName === 'string' ? resource.attributes.tableName : 'TABLE';
    return {
      path: 'rebuild-from-encrypted-copy',
      steps: [
        `aws dynamodb restore-table-from-backup --target-table-name ${table}-rekeyed --backup-arn ${resource.arn} --sse-specification-override Enabled=true,SSEType=KMS,KMSMasterKeyId=KEY_ARN`,
        `aws dynamodb create-backup --table-name ${table}-rekeyed --backup-name ${resource.id}-rekeyed`,
        `aws dynamodb delete-backup --backup-arn ${resource.arn} (once the new backup is AVAILABLE and retention rules allow)`,
        'set the key on the source table too (UpdateTable --sse-specification) so future backups use it',
      ],
      cli: `aws dynamodb restore-table-from-backup --target-table-name ${table}-rekeyed --backup-arn ${resource.arn} --sse-specification-override Enabled=true,SSEType=KMS,KMSMasterKeyId=KEY_ARN`,
      docs: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Restore.Tutorial.html',
    };
  }),
};

interface Replica {
  region: string;
  status: string | null;
}

function replicas(value: Json | undefined): Replica[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((r) =>
    r && typeof r === 'object' && !Array.isArray(r) && typeof r.region === 'string'
      ? [{ region: r.region, status: typeof r.status === 'string' ? r.status : null }]
      : [],
  );
}

export const dynamodbKeyInaccessibleRule: Rule = {
  id: 'DYNAMODB.KEY_INACCESSIBLE',
  title: 'DynamoDB cannot reach the KMS key of a table',
  rationale:
    'When DynamoDB loses access to a table\'s KMS key (key disabled, scheduled for deletion, or its policy or grants revoked) the table becomes INACCESSIBLE_ENCRYPTION_CREDENTIALS: reads and writes fail, and after seven days DynamoDB archives the table to a backup and stops serving it. A global table replica in that state is removed from its replication group after 20 hours.',
  severity: 'critical',
  matrixFacts: [],
  appliesTo: (r: Resource) => r.service === 'dynamodb' && r.type === 'table' && !r.error,
  evaluate(resource, context) {
    const a = resource.attributes;
    const problems: string[] = [];
    if (a.keyInaccessible === true) {
      const record = resource.protection.keyArn ? context.keyByArn.get(resource.protection.keyArn) : undefined;
      const key = record ? keyName(record) : (resource.protection.keyArn ?? resource.protection.keyRef ?? 'its KMS key');
      const since = typeof a.inaccessibleEncryptionDateTime === 'string' ? ` since ${a.inaccessibleEncryptionDateTime}` : '';
      const archived =
        a.archivalReason === 'INACCESSIBLE_ENCRYPTION_CREDENTIALS'
          ? `; the table has been archived${typeof a.archivalBackupArn === 'string' ? ` to backup ${a.archivalBackupArn}` : ''}`
          : '; DynamoDB archives the table if the key stays inaccessible for more than seven days';
      problems.push(`DynamoDB reports the table key ${key} inaccessible${since} (TableStatus ${String(a.tableStatus ?? 'unknown')})${archived}`);
    }
    for (const replica of replicas(a.replicas)) {
      if (replica.status === 'INACCESSIBLE_ENCRYPTION_CREDENTIALS') {
        problems.push(`the replica in ${replica.region} cannot reach its KMS key (ReplicaStatus INACCESSIBLE_ENCRYPTION_CREDENTIALS): after 20 hours DynamoDB removes it from the replication group`);
      }
    }
    if (problems.length > 0) return { status: 'fail', message: problems.join('; ') };
    if (typeof a.keyInaccessible !== 'boolean') {
      return { status: 'unknown', message: 'the inventory does not say whether DynamoDB can reach the table key' };
    }
    if (resource.protection.level === 'aws-owned') {
      return { status: 'not-applicable', message: 'the AWS owned key cannot become inaccessible to DynamoDB' };
    }
    return { status: 'pass', message: `DynamoDB reports the table key accessible (TableStatus ${String(a.tableStatus ?? 'unknown')})` };
  },
  remediation(resource): Remediation {
    const key = resource.protection.keyArn ?? 'KEY_ARN';
    const backup = typeof resource.attributes.archivalBackupArn === 'string' ? resource.attributes.archivalBackupArn : null;
    return {
      summary: backup
        ? `the table was archived: restore it from ${backup} (after fixing the key), or delete it`
        : `restore DynamoDB's access to ${key} now: enable the key, cancel its deletion, or restore the key policy/grants; DynamoDB detects it within minutes`,
      path: 'in-place',
      steps: [
        `aws kms describe-key --key-id ${key} (KeyState must be Enabled)`,
        `aws kms cancel-key-deletion --key-id ${key} && aws kms enable-key --key-id ${key} (if disabled or pending deletion)`,
        'check that the key policy still allows DynamoDB (kms:ViaService dynamodb) and that its grants were not retired',
        ...(backup ? [`aws dynamodb restore-table-from-backup --target-table-name ${resource.id} --backup-arn ${backup} (after deleting the archived table)`] : []),
      ],
      cli: `aws kms enable-key --key-id ${key}`,
      docs: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html',
    };
  },
};

/** DYNAMODB.DAX_ENCRYPTION: a DAX cluster's encryption at rest against the policy minimum, on DAX's own matrix row. */
export const dynamodbDaxEncryptionRule: Rule = withDetail(
  levelRule({
    id: 'DYNAMODB.DAX_ENCRYPTION',
    matrix: daxMatrix,
    types: ['dax-cluster'],
    title: 'DynamoDB Accelerator (DAX) cluster not encrypted at rest, or below the policy minimum',
  }),
  {
    detail: (resource, _context, outcome) =>
      outcome.status === 'fail' && resource.protection.level !== 'none'
        ? 'DAX offers no key stronger than the AWS managed aws/dax: the minimum cannot be met by any DAX cluster; waive the finding or keep the data out of DAX'
        : null,
    ...matrixFix(daxMatrix, (resource) => ({ CLUSTER: resource.id, NODE_TYPE: typeof resource.attributes.nodeType === 'string' ? resource.attributes.nodeType : null })),
  },
);

/** Every DynamoDB rule. */
export const DYNAMODB_RULES: readonly Rule[] = [dynamodbTableEncryptionRule, dynamodbBackupEncryptionRule, dynamodbKeyInaccessibleRule, dynamodbDaxEncryptionRule];
