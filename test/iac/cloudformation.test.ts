import { describe, expect, it } from 'vitest';
import { parseTemplate, readCloudFormation, templateToJs } from '../../src/iac/cloudformation.js';
import { Ref, Unknown } from '../../src/iac/value.js';
import { runCli } from '../helpers/cli.js';
import { findingPairs, judge, resourceById } from './helpers.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/fixtures.js';

const FEATURES = readFileSync(join(ROOT, 'fixtures/iac/cloudformation/features.yaml'), 'utf8');

describe('CloudFormation templates', () => {
  it('parses every short-form intrinsic tag with the yaml package (no warning) into the long form', () => {
    const { doc } = parseTemplate(FEATURES, 'features.yaml');
    expect(doc.warnings).toEqual([]);
    const js = templateToJs(doc) as any;
    const text = JSON.stringify(js);
    for (const fn of ['Ref', 'Fn::GetAtt', 'Fn::Sub', 'Fn::If', 'Fn::Join', 'Fn::Select', 'Fn::Split', 'Fn::FindInMap', 'Fn::GetAZs', 'Fn::ImportValue', 'Fn::Base64', 'Fn::Cidr', 'Fn::Equals', 'Fn::And', 'Fn::Or', 'Fn::Not', 'Condition', 'Fn::ToJsonString', 'Fn::Length']) {
      expect(text, fn).toContain(`"${fn}"`);
    }
    expect(js.Resources.Bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault['Fn::If'][1].KMSMasterKeyID).toEqual({ 'Fn::GetAtt': ['Key', 'Arn'] });
  });

  it('Ref and GetAtt to a key of the same template are that key; parameters with defaults, mappings and pseudo parameters are evaluated', async () => {
    const { report } = await judge(['fixtures/iac/cloudformation/features.yaml'], { region: 'eu-west-1', conditions: new Map([['WantsCmk', true], ['Either', true]]) });
    const key = resourceById(report, 'Key');
    expect(resourceById(report, 'Bucket').protection).toMatchObject({ level: 'customer-managed', keyArn: key.arn });
    // Fn::Join of "…:key/" and !Ref Key names the key; the alias from Fn::FindInMap on the Env default.
    expect(resourceById(report, 'Instance.BlockDeviceMappings.0').protection.keyArn).toBe(key.arn);
    expect(report.keys.find((k) => k.arn === key.arn)?.aliases).toEqual(['alias/app-prod']);
    expect(resourceById(report, 'Bucket').evidence.BucketName).toBe('data-one-${AWS::AccountId}');
    expect(key.source).toMatchObject({ format: 'cloudformation', file: 'fixtures/iac/cloudformation/features.yaml', address: 'Key', kind: 'AWS::KMS::Key', line: 36 });
  });

  it('Fn::If around the encryption: each branch is judged and the worse decides, unless --cfn-conditions sets the condition', async () => {
    const both = await judge(['fixtures/iac/cloudformation/features.yaml'], { region: 'eu-west-1' });
    const bucket = resourceById(both.report, 'Bucket');
    expect(bucket.protection.level).toBe('aws-owned');
    expect(bucket.protection.notes.join(' ')).toContain('WantsCmk=false: aws-owned; WantsCmk=true: customer-managed');
    const volume = resourceById(both.report, 'Instance.BlockDeviceMappings.0');
    expect(volume.protection.level).toBe('none');
    expect(findingPairs(both.report)).toContainEqual(['EBS.VOLUME_ENCRYPTION', 'Instance.BlockDeviceMappings.0']);
    const fixed = await judge(['fixtures/iac/cloudformation/features.yaml'], { region: 'eu-west-1', conditions: new Map([['Either', true], ['IsProd', true], ['ProdCmk', true]]) });
    expect(resourceById(fixed.report, 'Instance.BlockDeviceMappings.0').protection.level).toBe('customer-managed');
    expect(resourceById(fixed.report, 'ProdVolume').protection.level).toBe('customer-managed');
  });

  it('a resource whose Condition is set false by --cfn-conditions is not created and not judged', async () => {
    const { report } = await judge(['fixtures/iac/cloudformation/features.yaml'], { region: 'eu-west-1', conditions: new Map([['ProdCmk', false]]) });
    expect(report.resources.some((r) => r.id === 'ProdVolume')).toBe(false);
  });

  it('Fn::ImportValue, SSM parameter types, dynamic references and parameters without a default are unknown with the reason', async () => {
    const { report } = await judge(['fixtures/iac/cloudformation/features.yaml'], { region: 'eu-west-1' });
    expect(resourceById(report, 'ImportedKeyTable').protection.notes.join(' ')).toContain('Fn::ImportValue platform-kms-key-arn');
    expect(resourceById(report, 'SsmKeyFunction').protection.notes.join(' ')).toContain('SSM parameter');
    expect(resourceById(report, 'ParameterKeyFunction').protection.notes.join(' ')).toContain('parameter SharedKeyArn has no Default');
    const parsed = readCloudFormation(FEATURES, 'f.yaml', { conditions: new Map() });
    const ssm = parsed.resources.find((r) => r.address === 'SsmKeyFunction')!;
    expect(((ssm.values.Environment as any).Variables.DB_PASSWORD as Unknown).reason).toContain('Secrets Manager');
    // The value of a secret never reaches the report: only the variable name.
    expect(JSON.stringify(report)).not.toContain('SecretString:password');
    expect(resourceById(report, 'SsmKeyFunction').attributes.environmentVariableNames).toEqual(['DB_PASSWORD']);
  });

  it('reads JSON templates too, with lines', async () => {
    const { report } = await judge(['fixtures/iac/cloudformation/minimal.json'], { region: 'eu-west-1' });
    expect(resourceById(report, 'Table').protection.level).toBe('aws-owned');
    expect(resourceById(report, 'AwsManagedTable').protection.level).toBe('aws-managed');
    expect(resourceById(report, 'Table').source?.line).toBe(3);
    const r = readCloudFormation(readFileSync(join(ROOT, 'examples/cloudformation/dynamodb.json'), 'utf8'), 'd.json', { conditions: new Map() });
    const table = r.resources.find((x) => x.address === 'Sessions')!;
    expect((table.values.SSESpecification as any).KMSMasterKeyId).toBeInstanceOf(Ref);
  });

  it('a YAML syntax error is exit 2 naming FILE:LINE:COL; a malformed --cfn-conditions is a usage error', () => {
    const bad = runCli(['iac', 'fixtures/iac/cloudformation/features.yaml', '--cfn-conditions', 'IsProd=maybe']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--cfn-conditions');
    expect(() => parseTemplate('Resources:\n  A: [1, 2\n', 'bad.yaml')).toThrow(/^bad\.yaml:\d+:\d+: /);
  });
});
