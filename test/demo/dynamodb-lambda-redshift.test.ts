import { describe, expect, it } from 'vitest';
import { readInventoryFile } from '../../src/inventory-file.js';
import { PROTECTION_LEVELS } from '../../src/model/levels.js';
import { evaluate } from '../../src/engine/engine.js';
import { BASELINE_POLICY } from '../../src/policy/built-in.js';
import { ROOT } from '../helpers/fixtures.js';

/** fixtures/demo/dynamodb-lambda-redshift.json (written by scripts/demo-dynamodb-lambda-redshift.mjs from the real checks). */
const inventory = readInventoryFile(`${ROOT}/fixtures/demo/dynamodb-lambda-redshift.json`);
const report = evaluate(inventory, BASELINE_POLICY, { failOn: 'high' });

/** Account, scan window and keys[]: test/demo/demo-files.test.ts, for every demo file. */
describe('the DynamoDB/Lambda/Redshift demo inventory', () => {
  it('shows every protection level across its services', () => {
    const levels = new Set(inventory.resources.filter((r) => r.service !== 'kms').map((r) => r.protection.level));
    expect([...levels].sort()).toEqual([...PROTECTION_LEVELS].sort());
  });

  it('holds variable names, never values, and no presigned code URL', () => {
    const text = JSON.stringify(inventory);
    expect(text).toContain('DB_PASSWORD');
    expect(text).not.toContain('not-a-real');
    expect(text).not.toMatch(/X-Amz-Signature|awslambda-/);
  });

  it('has the intended failures under the baseline', () => {
    const failing = report.findings.filter((f) => f.status === 'fail').map((f) => `${f.severity} ${f.ruleId} ${f.resourceArn.split(':').slice(5).join(':')}`);
    expect(failing).toEqual([
      'critical DYNAMODB.KEY_INACCESSIBLE table/payments',
      // The key-centred view of the same outage (issue 5): a disabled key that resources still depend on.
      'critical KMS.DISABLED_KEY_IN_USE key/b4e2d3c5-6f70-4b8c-9dae-1f2a3b4c5d02',
      'critical KMS.KEY_STATE table/payments',
      // A DAX cluster created without encryption at rest (issue 10, item 13).
      'high DYNAMODB.DAX_ENCRYPTION cache/legacy-cache',
      'high REDSHIFT.CLUSTER_ENCRYPTION cluster:legacy-dw',
      'high REDSHIFT.SNAPSHOT_ENCRYPTION snapshot:legacy-dw/legacy-dw-2026-q3',
      'medium KMS.ROTATION key/b4e2d3c5-6f70-4b8c-9dae-1f2a3b4c5d03',
      // Secret-looking variables fail on their own (issue 10, item 7).
      'medium LAMBDA.ENV_SECRETS function:billing-worker',
      // Published versions an alias or SnapStart keeps alive carry their own variables (item 10).
      'medium LAMBDA.ENV_SECRETS function:billing-worker:3',
      'medium LAMBDA.ENV_SECRETS function:billing-worker:4',
      'medium LAMBDA.ENV_SECRETS function:checkout-api',
      'medium LAMBDA.ENV_SECRETS function:checkout-api:7',
    ]);
    expect(report.findings.filter((f) => f.status === 'unknown').map((f) => f.ruleId).sort()).toEqual([
      // A DAX cluster still being created: no SSEDescription yet (item 13).
      'DYNAMODB.DAX_ENCRYPTION',
      'DYNAMODB.TABLE_ENCRYPTION',
      // (billing-worker's .zip package key is no longer an undecided KMS.UNUSED_KEY: the function depends on it.)
      // Encrypted without a KmsKeyId: AWS owned or aws/redshift, AWS does not say (item 6).
      'REDSHIFT.CLUSTER_ENCRYPTION',
      'SCAN.INCOMPLETE',
      'SCAN.INCOMPLETE',
    ]);
    expect(report.findings.filter((f) => f.ruleId === 'LAMBDA.ENV_ENCRYPTION' && f.status === 'not-applicable')).toHaveLength(1);
  });
});
