import { describe, expect, it } from 'vitest';
import { readTerraformPlan, withoutIndexes } from '../../src/iac/terraform-plan.js';
import { Ref, Unknown } from '../../src/iac/value.js';
import { readJson } from '../helpers/fixtures.js';
import { findingPairs, judge, resourceById } from './helpers.js';

/** Plans written from the JSON output format documentation (plan format 0.1 and 1.2). */
describe('Terraform plan JSON', () => {
  it('keeps what exists after apply (create, update, no-op, replace), leaves out deletes, keeps addresses exactly', async () => {
    const { report } = await judge(['fixtures/iac/plans/plan-1.2.json']);
    const ids = report.resources.map((r) => r.id).sort();
    expect(ids).toEqual([
      'aws_db_instance.legacy',
      'aws_dynamodb_table.orders',
      'aws_ebs_volume.data["a"]',
      'aws_ebs_volume.data["b"]',
      'aws_kms_key.app',
      'aws_lambda_function.api',
      'module.storage[0].aws_s3_bucket.this[0]',
    ]);
    expect(ids).not.toContain('aws_s3_bucket.retired');
    expect(resourceById(report, 'aws_db_instance.legacy').source?.actions).toEqual(['delete', 'create']);
    expect(resourceById(report, 'aws_lambda_function.api').source?.actions).toEqual(['no-op']);
    for (const r of report.resources) expect(r.source?.format).toBe('terraform-plan');
  });

  it('after_unknown is resolved through configuration references: a key_arn known only after apply is the planned key, through an alias too', async () => {
    const { report } = await judge(['fixtures/iac/plans/plan-1.2.json']);
    const key = resourceById(report, 'aws_kms_key.app');
    const table = resourceById(report, 'aws_dynamodb_table.orders');
    expect(table.protection.level).toBe('customer-managed');
    expect(table.protection.keyArn).toBe(key.arn);
    expect(table.protection.notes.join(' ')).toContain('through alias alias/app-prod');
    // for_each instance with its own values; kms_key_id from the references.
    expect(resourceById(report, 'aws_ebs_volume.data["a"]').protection.keyArn).toBe(key.arn);
    // A module's var.key_arn is followed to the module call's expression: the planned key.
    const bucket = resourceById(report, 'module.storage[0].aws_s3_bucket.this[0]');
    expect(bucket.protection).toMatchObject({ level: 'customer-managed', keyArn: key.arn, algorithm: 'aws:kms' });
    expect(bucket.attributes.bucketKeyEnabled).toBe(true);
    expect(bucket.source?.related?.[0]?.address).toBe('module.storage[0].aws_s3_bucket_server_side_encryption_configuration.this[0]');
  });

  it('a value known only after apply that comes from each/var/module is unknown with the reason, never a pass', async () => {
    const { report } = await judge(['fixtures/iac/plans/plan-1.2.json']);
    const b = resourceById(report, 'aws_ebs_volume.data["b"]');
    expect(b.protection.level).toBe('unknown');
    expect(b.protection.notes.join(' ')).toContain('comes from each.key');
    expect(findingPairs(report, 'unknown')).toContainEqual(['EBS.VOLUME_ENCRYPTION', 'aws_ebs_volume.data["b"]']);
  });

  it('the account comes from data.aws_caller_identity in prior_state, the region from the provider configuration through a variable', async () => {
    const { inventory } = await judge(['fixtures/iac/plans/plan-1.2.json']);
    expect(inventory.scan.accountId).toBe('111122223333');
    expect(inventory.resources.every((r) => r.region === 'eu-west-1')).toBe(true);
    // An existing resource keeps its real ARN (waivers and live inventories match it).
    expect(resourceById({ resources: inventory.resources } as never, 'aws_lambda_function.api').arn).toBe('arn:aws:lambda:eu-west-1:111122223333:function:api');
  });

  it('Lambda environment variable values in a plan never reach the inventory or the report', async () => {
    const { inventory, report } = await judge(['fixtures/iac/plans/plan-1.2.json']);
    const text = JSON.stringify({ inventory, report });
    expect(text).not.toContain('s3cr3t-canary-value');
    expect(resourceById(report, 'aws_lambda_function.api').attributes.environmentVariableNames).toEqual(['API_TOKEN', 'MODE']);
  });

  it('plan format 0.1 (Terraform 0.12): count index addresses, rotation off, the account from a known ARN', async () => {
    const { report, inventory } = await judge(['fixtures/iac/plans/plan-0.1.json']);
    expect(report.resources.map((r) => r.id).sort()).toEqual(['aws_ebs_volume.v[0]', 'aws_kms_key.k', 'aws_redshift_cluster.dw']);
    expect(inventory.scan.accountId).toBe('111122223333');
    expect(resourceById(report, 'aws_redshift_cluster.dw').protection.keyArn).toBe(resourceById(report, 'aws_kms_key.k').arn);
    expect(findingPairs(report)).toEqual([
      ['EBS.VOLUME_ENCRYPTION', 'aws_ebs_volume.v[0]'],
      ['KMS.ROTATION', 'aws_kms_key.k'],
    ]);
    // No data source proved it, but the redshift ARN did: the key policy's own account is not "another account".
    expect(findingPairs(report).some(([rule]) => rule === 'KMS.CROSS_ACCOUNT')).toBe(false);
  });

  it('refuses a format it does not know and a file that is not a plan, naming the file', () => {
    expect(() => readTerraformPlan({ format_version: '2.0', resource_changes: [] }, 'p.json')).toThrow(/p\.json: plan format_version "2\.0" is not supported \(expected 0\.1 to 1\.x/);
    expect(() => readTerraformPlan([], 'p.json')).toThrow(/p\.json: not a Terraform plan/);
  });

  it('reads references with module paths and instance keys', () => {
    const plan = readJson('fixtures/iac/plans/plan-1.2.json');
    const { resources } = readTerraformPlan(plan, 'plan.json');
    const config = resources.find((r) => r.kind === 'aws_s3_bucket_server_side_encryption_configuration')!;
    const rule = (config.values.rule as any[])[0];
    expect(rule.apply_server_side_encryption_by_default[0].kms_master_key_id).toBeInstanceOf(Ref);
    expect((rule.apply_server_side_encryption_by_default[0].kms_master_key_id as Ref).address).toBe('aws_kms_key.app');
    const b = resources.find((r) => r.address === 'aws_ebs_volume.data["b"]')!;
    expect(b.values.encrypted).toBeInstanceOf(Unknown);
    // Known only after apply and not in the configuration: a computed default, as if omitted.
    expect('iops' in b.values).toBe(false);
    expect(withoutIndexes('module.a["x.y"].module.b[0].aws_s3_bucket.c[1]')).toBe('module.a.module.b.aws_s3_bucket.c');
  });
});
