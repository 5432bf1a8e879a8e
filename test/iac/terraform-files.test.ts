import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { parseHcl } from '../../src/iac/hcl.js';
import { findingPairs, judge, resourceById, writeTree } from './helpers.js';

/** .tf files read with the HCL2 parser: variables, tfvars, locals, count, for_each, dynamic blocks, modules, data sources. */
describe('Terraform files', () => {
  it('variables: defaults and terraform.tfvars decide; a variable without either is unknown with the reason', async () => {
    const { report } = await judge(['fixtures/iac/terraform/features']);
    const key = resourceById(report, 'aws_kms_key.main');
    // description "${local.prefix} key" with env from terraform.tfvars; rotation from a bool default.
    expect(report.keys.find((k) => k.arn === key.arn)?.rotation).toMatchObject({ enabled: true, periodDays: 365 });
    for (const id of ['aws_dynamodb_table.t["orders"]', 'aws_dynamodb_table.t["users"]']) {
      const table = resourceById(report, id);
      expect(table.protection.level).toBe('unknown');
      expect(table.protection.notes.join(' ')).toContain('var.table_key_arn has no default and no tfvars value');
      // dynamic "replica" over a list default.
      expect(table.attributes.replicaRegions).toEqual(['us-east-1']);
      expect(table.source?.line).toBe(34);
    }
    expect(findingPairs(report, 'unknown')).toEqual([
      ['DYNAMODB.TABLE_ENCRYPTION', 'aws_dynamodb_table.t["orders"]'],
      ['DYNAMODB.TABLE_ENCRYPTION', 'aws_dynamodb_table.t["users"]'],
      ['S3.ENCRYPTION_LEVEL', 'module.archive.aws_s3_bucket.this'],
    ]);
  });

  it('count and for_each expand into instances with their addresses; each instance evaluates count.index and each.key', async () => {
    const { report } = await judge(['fixtures/iac/terraform/features']);
    expect(resourceById(report, 'aws_ebs_volume.scratch[0]').protection.level).toBe('customer-managed');
    expect(resourceById(report, 'aws_ebs_volume.scratch[1]').evidence.size).toBe(20);
    expect(report.resources.filter((r) => r.id.startsWith('aws_dynamodb_table.t[')).length).toBe(2);
  });

  it('dynamic blocks over a known list become one volume per mapping, with the iterator name and key', async () => {
    const { report } = await judge(['fixtures/iac/terraform/features']);
    expect(resourceById(report, 'aws_launch_template.lt.block_device_mappings.0').protection.level).toBe('customer-managed');
    const second = resourceById(report, 'aws_launch_template.lt.block_device_mappings.1');
    expect(second.protection.level).toBe('none');
    expect(findingPairs(report)).toEqual([['EBS.VOLUME_ENCRYPTION', 'aws_launch_template.lt.block_device_mappings.1']]);
    const fix = report.findings.find((f) => f.status === 'fail')!.fix!;
    expect(fix.code).toContain('block_device_mappings {');
    expect(fix.code).toContain('encrypted  = "true"');
  });

  it('local modules are read with their inputs; a module output is unknown (only a plan knows it)', async () => {
    const { report } = await judge(['fixtures/iac/terraform/features']);
    const logs = resourceById(report, 'module.logs.aws_s3_bucket.this');
    expect(logs.protection).toMatchObject({ level: 'customer-managed', keyArn: resourceById(report, 'aws_kms_key.main').arn });
    expect(logs.source?.file).toBe('fixtures/iac/terraform/features/modules/bucket/main.tf');
    expect(logs.attributes.bucketKeyEnabled).toBe(true);
    const archive = resourceById(report, 'module.archive.aws_s3_bucket.this');
    expect(archive.protection.notes.join(' ')).toContain('module.logs.key_arn is a module output');
    // The module folder is read through its calls, never as a root module of its own.
    expect(report.resources.some((r) => r.id === 'aws_s3_bucket.this')).toBe(false);
  });

  it('a data source with a literal alias resolves like the alias; an aliased provider gives its region', async () => {
    const { report } = await judge(['fixtures/iac/terraform/features']);
    const fn = resourceById(report, 'aws_lambda_function.edge');
    expect(fn.region).toBe('us-east-1');
    expect(fn.protection.level).toBe('aws-managed');
    expect(fn.protection.notes.join(' ')).toContain('looked up by data.aws_kms_alias.s3');
    expect(resourceById(report, 'aws_ebs_volume.scratch[0]').region).toBe('eu-west-1');
  });

  it('a syntax error is exit 2 with FILE:LINE:COL; a registry module not on disk is exit 2 naming it and terraform init', () => {
    const bad = runCli(['iac', 'fixtures/iac/terraform/syntax-error']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^atrest: fixtures\/iac\/terraform\/syntax-error\/main\.tf:\d+:\d+: HCL syntax error/);
    const remote = runCli(['iac', 'fixtures/iac/terraform/remote-module']);
    expect(remote.code).toBe(2);
    expect(remote.stderr).toContain('module "bucket" (source "terraform-aws-modules/s3-bucket/aws") is not on disk: run "terraform init"');
  });

  it('a registry module fetched by terraform init is read from .terraform/modules', async () => {
    const dir = writeTree({
      'main.tf': 'provider "aws" {\n  region = "eu-west-1"\n}\n\nmodule "vol" {\n  source = "example/volume/aws"\n  size   = 5\n}\n',
      '.terraform/modules/modules.json': JSON.stringify({ Modules: [{ Key: '', Source: '', Dir: '.' }, { Key: 'vol', Source: 'registry.terraform.io/example/volume/aws', Version: '1.0.0', Dir: '.terraform/modules/vol' }] }),
      '.terraform/modules/vol/main.tf': 'variable "size" {}\nresource "aws_ebs_volume" "this" {\n  availability_zone = "eu-west-1a"\n  size = var.size\n}\n',
    });
    const { report } = await judge([dir]);
    expect(report.resources.map((r) => r.id)).toEqual(['module.vol.aws_ebs_volume.this']);
    expect(resourceById(report, 'module.vol.aws_ebs_volume.this').protection.level).toBe('none');
  });

  it('the parser is a real HCL2 parser: heredocs, templates, for expressions, splats and functions', async () => {
    const dir = writeTree({
      'main.tf': [
        'locals {',
        '  ids   = [for k in ["a", "b"] : upper(k) if k != "b"]',
        '  names = { for k, v in { x = 1 } : "${k}-n" => v * 2 }',
        '  items = [{ id = "k1" }, { id = "k2" }]',
        '  first = local.items[*].id',
        '  text  = <<-EOT',
        '    hello ${local.ids[0]}',
        '    EOT',
        '}',
        'resource "aws_dynamodb_table" "t" {',
        '  name = "${local.text}${local.first[1]}${lookup(local.names, "x-n", 0)}"',
        '  server_side_encryption {',
        '    enabled     = length(local.ids) == 1 && !false',
        '    kms_key_arn = format("arn:aws:kms:eu-west-1:%s:key/%s", "444455556666", "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0")',
        '  }',
        '}',
      ].join('\n'),
    });
    const { report } = await judge([dir]);
    const table = report.resources[0]!;
    expect(table.evidence.name).toBe('hello A\nk22');
    // A key in another account: customer managed by inference, flagged in the note.
    expect(table.protection.level).toBe('customer-managed');
    expect(table.protection.notes.join(' ')).toContain('key in another account (444455556666)');
    const parsed = await parseHcl('a = 1\n', 'x.tf');
    expect(parsed.root.type).toBe('config_file');
  });
});
