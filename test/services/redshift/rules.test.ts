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

describe('REDSHIFT.CLUSTER_ENCRYPTION and the 2025-01-10 default', () => {
  const cluster = (id: string, attributes: Record<string, string | boolean | null>) =>
    resource('redshift', 'cluster', `arn:aws:redshift:us-east-1:111122223333:cluster:${id}`, { level: 'none', attributes });
  const judge = (r: ReturnType<typeof cluster>) => evaluate(inventory({ resources: [r] }), BASELINE_POLICY, { failOn: 'high' }).findings.find((f) => f.ruleId === 'REDSHIFT.CLUSTER_ENCRYPTION')!;

  it('an unencrypted cluster created before the default says the default does not reach it', () => {
    const f = judge(cluster('old', { clusterCreateTime: '2023-05-02T10:00:00.000Z', createdBeforeDefaultEncryption: true }));
    expect(f).toMatchObject({ status: 'fail', severity: 'high' });
    expect(f.message).toContain('created 2023-05-02, before Redshift began encrypting new clusters by default on 2025-01-10');
  });

  it('an unencrypted cluster created after it was decrypted afterwards, and the message says so', () => {
    const f = judge(cluster('new', { clusterCreateTime: '2025-06-01T10:00:00.000Z', createdBeforeDefaultEncryption: false }));
    expect(f.message).toContain('encryption was turned off afterwards');
  });

  it('an unknown creation date is said, and an encrypted cluster gets no note', () => {
    expect(judge(cluster('unknown', {})).message).toContain('its creation date is unknown');
    const encrypted = resource('redshift', 'cluster', 'arn:aws:redshift:us-east-1:111122223333:cluster:fine', { level: 'aws-owned', attributes: { createdBeforeDefaultEncryption: true } });
    expect(judge(encrypted).message).not.toContain('2025-01-10');
  });
});
