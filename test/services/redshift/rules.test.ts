import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/model/report.js';
import { RULES } from '../../../src/engine/catalog.js';
import { evaluate } from '../../../src/engine/engine.js';
import { MATRIX } from '../../../src/services/list.js';
import { BASELINE_POLICY, STRICT_POLICY } from '../../../src/policy/built-in.js';
import { DEFAULT_SECRET_NAME_PATTERNS, secretLookingNames } from '../../../src/services/lambda/secret-names.js';
import type { Policy } from '../../../src/model/policy.js';
import { inventory, key, resource } from '../../helpers/inventory.js';

const one = (findings: Finding[], rule: string, arn: string): Finding => {
  const list = findings.filter((f) => f.ruleId === rule && f.resourceArn === arn);
  expect(list, `${rule} on ${arn}`).toHaveLength(1);
  return list[0]!;
};

describe('the matrix entries checked against the AWS docs', () => {
  it('Redshift: encrypted by default since 2025-01-10 with an AWS owned key; changed in place with a migration', () => {
    expect(MATRIX.redshift).toMatchObject({
      encryptedByDefault: 'default',
      defaultSince: '2025-01-10',
      defaultLevel: 'aws-owned',
      enableAfterCreation: true,
      changeKeyAfterCreation: true,
      remediationPath: 'modify-in-place-with-migration',
      docs: 'https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html',
    });
    expect(MATRIX.redshift.possibleLevels).toContain('none');
  });

  it('DynamoDB always encrypted (AWS owned by default), key switchable in place; Lambda env vars on aws/lambda by default', () => {
    expect(MATRIX.dynamodb).toMatchObject({ encryptedByDefault: 'always', defaultLevel: 'aws-owned', changeKeyAfterCreation: true, remediationPath: 'in-place' });
    expect(MATRIX.dynamodb.possibleLevels).not.toContain('none');
    expect(MATRIX.lambda).toMatchObject({ encryptedByDefault: 'always', defaultLevel: 'aws-managed', remediationPath: 'in-place' });
  });
});
