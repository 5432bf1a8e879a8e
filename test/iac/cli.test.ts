import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validator } from '../../src/schema.js';
import { runCli } from '../helpers/cli.js';
import { ROOT } from '../helpers/fixtures.js';
import { iacJson } from './helpers.js';

describe('atrest iac and atrest fix on the command line', () => {
  it('the help names the commands and every iac option', () => {
    const top = runCli(['--help']);
    expect(top.stdout).toMatch(/\n\s+iac \[options\] <path\.\.\.>/);
    expect(top.stdout).toMatch(/\n\s+fix \[options\] <report>/);
    const help = runCli(['iac', '--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--iac-format', '--inventory', '--tf-dir', '--cfn-conditions', '--region', '--format', '--output', '--fail-on', '--policy']) expect(help.stdout).toContain(flag);
    expect(runCli(['fix', '--help']).stdout).toContain('--format <format>');
  });

  it('iac and fix load no AWS SDK client module: they never call AWS', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atrest-trace-'));
    const report = join(dir, 'r.json');
    for (const args of [
      ['iac', 'examples/terraform', 'examples/cloudformation', '--region', 'eu-west-1'],
      ['iac', 'fixtures/iac/plans/plan-1.2.json', '--inventory', 'fixtures/demo', '--format', 'json', '--output', report],
      ['fix', report, '--format', 'terraform'],
    ]) {
      const trace = join(dir, `trace-${args[0]}-${args.length}.txt`);
      const result = spawnSync(process.execPath, ['--import', join(ROOT, 'test/helpers/trace-imports.mjs'), join(ROOT, 'dist/cli.js'), ...args], {
        cwd: ROOT,
        env: { ...process.env, ATREST_TRACE_FILE: trace },
        encoding: 'utf8',
      });
      expect(result.status, result.stderr).not.toBe(2);
      const loaded = readFileSync(trace, 'utf8');
      expect(loaded).toContain('commander');
      expect(loaded.split('\n').filter((l) => /@aws-sdk\/client-/.test(l))).toEqual([]);
    }
  });

  it('a path that does not exist, or a file that is no plan, template or .tf, is exit 2 naming it', () => {
    const missing = runCli(['iac', 'nowhere/plan.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('atrest: nowhere/plan.json: no such file or folder\n');
    const other = runCli(['iac', 'package.json']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('package.json: not a Terraform plan (terraform show -json), a CloudFormation template or a .tf file');
    const empty = runCli(['iac', 'docs']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no Terraform plan, .tf files or CloudFormation template found');
  });

  it('--iac-format forces the format; a template without a Region warns that keys by alias cannot be placed', () => {
    const r = iacJson(['fixtures/iac/cloudformation/minimal.json', '--iac-format', 'cloudformation']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('have no Region in the code; pass --region');
    expect(r.report.resources.every((x: any) => x.region === 'unknown')).toBe(true);
  });

  it('the JSON report of a failing plan is valid against schema/report.schema.json, with sources and fixes', () => {
    const r = iacJson(['fixtures/iac/broken/terraform', 'fixtures/iac/broken/cloudformation', '--region', 'eu-west-1']);
    expect(r.code).toBe(1);
    const validate = validator('report.schema.json');
    expect(validate(r.report), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(r.report.findings.filter((f: any) => f.fix).length).toBeGreaterThan(15);
  });

  it('the table shows where to change the code and the code itself', () => {
    const r = runCli(['iac', 'fixtures/iac/broken/terraform/rds']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('REPLACES THE RESOURCE:');
    expect(r.stdout).toContain('aws_db_instance.orders (fixtures/iac/broken/terraform/rds/main.tf:42):');
    expect(r.stdout).toMatch(/storage_encrypted = true/);
  });

  it('a policy remediation.defaultKey is validated (no glob, a KMS key name) and named by the fixes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atrest-policy-'));
    writeFileSync(join(dir, 'ok.yaml'), 'remediation:\n  defaultKey: alias/app-data\n');
    writeFileSync(join(dir, 'glob.yaml'), 'remediation:\n  defaultKey: alias/app-*\n');
    writeFileSync(join(dir, 'bad.yaml'), 'remediation:\n  defaultKey: my-key\n  other: 1\n');
    expect(runCli(['policy', 'check', join(dir, 'ok.yaml')]).code).toBe(0);
    const glob = runCli(['policy', 'check', join(dir, 'glob.yaml')]);
    expect(glob.code).toBe(2);
    expect(glob.stderr).toMatch(/glob\.yaml:2:15: "alias\/app-\*" is a glob; fixes need one key/);
    const bad = runCli(['policy', 'check', join(dir, 'bad.yaml')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"my-key" is not a KMS key');
    expect(bad.stderr).toContain('unknown field "other"');
    const r = iacJson(['fixtures/iac/broken/terraform/redshift', '--policy', join(dir, 'ok.yaml')]);
    const fix = r.report.findings.find((f: any) => f.ruleId === 'REDSHIFT.CLUSTER_ENCRYPTION').fix;
    expect(fix.key).toEqual({ value: 'alias/app-data', from: 'policy.remediation.defaultKey' });
    expect(fix.code).toContain('data "aws_kms_key" "app-data"');
  });
});
