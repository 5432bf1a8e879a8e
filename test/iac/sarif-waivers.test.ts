import { describe, expect, it } from 'vitest';
import { buildSarif } from '../../src/report/sarif.js';
import { buildRulesIndex } from '../../src/engine/rule-index.js';
import { BASELINE_POLICY } from '../../src/policy/built-in.js';
import type { Policy } from '../../src/model/policy.js';
import { runCli } from '../helpers/cli.js';
import { sarifProblems } from '../helpers/sarif.js';
import { findingsOf, judge, writeTree } from './helpers.js';

describe('SARIF from infrastructure code points at the file and line', () => {
  it('a .tf finding is annotated at the attribute the fix changes (else the resource block), and the message carries the code', async () => {
    const { report } = await judge(['fixtures/iac/broken/terraform/ebs'], { region: 'eu-west-1' });
    const log = buildSarif(report, buildRulesIndex());
    expect(sarifProblems(log)).toEqual([]);
    const results = log.runs[0]!.results;
    const root = results.find((r) => r.ruleId === 'EBS.VOLUME_ENCRYPTION' && r.locations[0]!.logicalLocations[0]!.name === 'aws_instance.app')!;
    // root_block_device.encrypted = false is on line 62.
    expect(root.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'fixtures/iac/broken/terraform/ebs/main.tf' }, region: { startLine: 62 } });
    expect(root.message.text).toContain('root_block_device {');
    const volume = results.find((r) => r.ruleId === 'EBS.VOLUME_ENCRYPTION' && r.locations[0]!.logicalLocations[0]!.name === 'aws_ebs_volume.data')!;
    // no `encrypted` to point at: the resource block, line 51.
    expect(volume.locations[0]!.physicalLocation.region?.startLine).toBe(51);
  });

  it('a CloudFormation finding points at the template and the logical id or property line', async () => {
    const { report } = await judge(['fixtures/iac/broken/cloudformation/redshift.yaml'], { region: 'eu-west-1' });
    const log = buildSarif(report, buildRulesIndex());
    const result = log.runs[0]!.results.find((r) => r.ruleId === 'REDSHIFT.CLUSTER_ENCRYPTION')!;
    expect(result.locations[0]!.physicalLocation.artifactLocation.uri).toBe('fixtures/iac/broken/cloudformation/redshift.yaml');
    // Encrypted: false, line 37.
    expect(result.locations[0]!.physicalLocation.region?.startLine).toBe(37);
  });

  it('a plan with --tf-dir points at the .tf file and line of the configuration; without it, at the plan file with no line', async () => {
    const dir = writeTree({
      'plan.json': JSON.stringify({
        format_version: '1.2',
        resource_changes: [{ address: 'aws_ebs_volume.v', mode: 'managed', type: 'aws_ebs_volume', name: 'v', change: { actions: ['create'], before: null, after: { availability_zone: 'eu-west-1a', encrypted: false }, after_unknown: { id: true } } }],
        configuration: { provider_config: { aws: { name: 'aws', expressions: { region: { constant_value: 'eu-west-1' } } } }, root_module: { resources: [{ address: 'aws_ebs_volume.v', mode: 'managed', type: 'aws_ebs_volume', name: 'v', provider_config_key: 'aws', expressions: { encrypted: { constant_value: false } } }] } },
      }),
      'infra/main.tf': '# the configuration of plan.json\n\nresource "aws_ebs_volume" "v" {\n  availability_zone = "eu-west-1a"\n  encrypted         = false\n}\n',
    });
    const plain = runCli(['iac', `${dir}/plan.json`, '--format', 'sarif'], { cwd: dir });
    const loose = JSON.parse(plain.stdout).runs[0].results[0].locations[0].physicalLocation;
    expect(loose).toEqual({ artifactLocation: { uri: 'plan.json' } });
    const withDir = runCli(['iac', 'plan.json', '--tf-dir', 'infra', '--format', 'sarif'], { cwd: dir });
    expect(withDir.code).toBe(1);
    const log = JSON.parse(withDir.stdout);
    expect(sarifProblems(log)).toEqual([]);
    expect(log.runs[0].results[0].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'infra/main.tf' }, region: { startLine: 5 } });
  });
});

describe('waivers name a Terraform address or a CloudFormation logical id', () => {
  const waive = (resource: string): Policy => ({
    ...BASELINE_POLICY,
    waivers: [{ rule: 'EBS.VOLUME_ENCRYPTION', resource, reason: 'scratch disk, rebuilt nightly (CHG-9)', owner: 'platform@example.com', expires: '2027-06-30' }],
  });

  it('by address, by glob over addresses, by logical id; a block record answers to its resource address', async () => {
    const tf = await judge(['fixtures/iac/broken/terraform/ebs'], { region: 'eu-west-1', policy: waive('aws_ebs_volume.data') });
    expect(findingsOf(tf.report, 'aws_ebs_volume.data').find((f) => f.ruleId === 'EBS.VOLUME_ENCRYPTION')?.status).toBe('suppressed');
    expect(findingsOf(tf.report, 'aws_instance.app.root_block_device.0').find((f) => f.ruleId === 'EBS.VOLUME_ENCRYPTION')?.status).toBe('fail');
    const glob = await judge(['fixtures/iac/broken/terraform/ebs'], { region: 'eu-west-1', policy: waive('aws_instance.*') });
    expect(findingsOf(glob.report, 'aws_instance.app.root_block_device.0').find((f) => f.ruleId === 'EBS.VOLUME_ENCRYPTION')?.status).toBe('suppressed');
    expect(glob.report.waivers?.[0]).toMatchObject({ status: 'active', matched: 1 });
    const cfn = await judge(['fixtures/iac/broken/cloudformation/ebs.yaml'], { region: 'eu-west-1', policy: waive('DataVolume') });
    expect(findingsOf(cfn.report, 'DataVolume').find((f) => f.ruleId === 'EBS.VOLUME_ENCRYPTION')?.status).toBe('suppressed');
  });

  it('an address waiver never matches a live resource (live resources have no address)', async () => {
    const { evaluate } = await import('../../src/engine/engine.js');
    const { readInventories } = await import('../../src/inventory-file.js');
    const { ROOT } = await import('../helpers/fixtures.js');
    const inventory = readInventories([`${ROOT}/fixtures/demo`]).inventory;
    const report = evaluate(inventory, waive('*vol-0*'.replace('*vol', 'vol')), { failOn: 'high' });
    expect(report.findings.filter((f) => f.status === 'suppressed')).toEqual([]);
  });
});
