import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/engine/engine.js';
import { readInventories, readInventoryFile } from '../../../src/inventory-file.js';
import type { Finding } from '../../../src/model/report.js';
import { BASELINE_POLICY, STRICT_POLICY } from '../../../src/policy/built-in.js';
import { ROOT } from '../../helpers/fixtures.js';

/**
 * fixtures/demo/efs.json: the EFS part of the demo account, one file system
 * at each level. Validity, account, scan window, shared keys identical to
 * the other files: test/demo/demo-files.test.ts, for every demo file.
 */
const demo = readInventoryFile(`${ROOT}/fixtures/demo/efs.json`);
const fsArn = (region: string, id: string) => `arn:aws:elasticfilesystem:${region}:111122223333:file-system/${id}`;

const FILE_SYSTEMS = {
  sharedHome: fsArn('us-east-1', 'fs-0d3e4f5a6b7c80001'),
  buildCache: fsArn('us-east-1', 'fs-0d3e4f5a6b7c80002'),
  mediaAssets: fsArn('us-east-1', 'fs-0d3e4f5a6b7c80003'),
  ledgerArchive: fsArn('us-east-1', 'fs-0d3e4f5a6b7c80004'),
  securityEvidence: fsArn('us-east-1', 'fs-0d3e4f5a6b7c80005'),
  euLedgerExports: fsArn('eu-west-1', 'fs-0e1f2a3b4c5d80006'),
};

function efsFindings(findings: Finding[]): Record<string, string> {
  return Object.fromEntries(findings.filter((f) => f.ruleId === 'EFS.FILE_SYSTEM_ENCRYPTION').map((f) => [f.resourceArn, `${f.status} ${f.severity}`]));
}

describe('the EFS demo inventory', () => {
  it('holds file systems at every level EFS can give, and unknown', () => {
    expect(new Set(demo.resources.map((r) => `${r.service} ${r.type}`))).toEqual(new Set(['efs file-system']));
    expect(Object.fromEntries(demo.resources.map((r) => [r.arn, r.protection.level]))).toEqual({
      [FILE_SYSTEMS.sharedHome]: 'none',
      [FILE_SYSTEMS.buildCache]: 'aws-managed',
      [FILE_SYSTEMS.mediaAssets]: 'customer-managed',
      [FILE_SYSTEMS.ledgerArchive]: 'customer-managed-hsm',
      [FILE_SYSTEMS.securityEvidence]: 'unknown',
      [FILE_SYSTEMS.euLedgerExports]: 'customer-managed-imported',
    });
    // The file system on aws/elasticfilesystem names that key, and the key is in keys[] with its alias.
    const cache = demo.resources.find((r) => r.arn === FILE_SYSTEMS.buildCache)!;
    expect(demo.keys.find((k) => k.arn === cache.protection.keyArn)).toMatchObject({ manager: 'AWS', aliases: ['alias/aws/elasticfilesystem'] });
  });

  it('in the merged demo account: the unencrypted one fails high, the undescribable key is unknown, the rest pass the baseline', () => {
    const account = readInventories([`${ROOT}/fixtures/demo`]).inventory;
    const baseline = evaluate(account, BASELINE_POLICY, { failOn: 'high' });
    expect(efsFindings(baseline.findings)).toEqual({
      [FILE_SYSTEMS.sharedHome]: 'fail high',
      [FILE_SYSTEMS.buildCache]: 'pass high',
      [FILE_SYSTEMS.mediaAssets]: 'pass high',
      [FILE_SYSTEMS.ledgerArchive]: 'pass high',
      [FILE_SYSTEMS.securityEvidence]: 'unknown high',
      [FILE_SYSTEMS.euLedgerExports]: 'pass high',
    });
    // Strict demands customer managed keys of data stores: aws/elasticfilesystem fails too.
    const strict = evaluate(account, STRICT_POLICY, { failOn: 'high' });
    expect(efsFindings(strict.findings)[FILE_SYSTEMS.buildCache]).toBe('fail high');
    // The keys view counts EFS among each key's dependants.
    const awsEfs = baseline.keys.find((k) => k.aliases.includes('alias/aws/elasticfilesystem'))!;
    expect(awsEfs.dependentsByService).toEqual({ efs: 1 });
    expect(awsEfs.dependents).toEqual([FILE_SYSTEMS.buildCache]);
    const appData = baseline.keys.find((k) => k.region === 'us-east-1' && k.aliases.includes('alias/app-data'))!;
    expect(appData.dependents).toContain(FILE_SYSTEMS.mediaAssets);
  });
});
