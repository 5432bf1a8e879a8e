import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, readJson } from '../helpers/fixtures.js';
import { validator } from '../../src/schema.js';
import { publicStatements } from '../../src/services/kms/key-policy.js';
import { findingPairs, iacJson, judge } from './helpers.js';

/**
 * examples/terraform and examples/cloudformation show, for every service,
 * how to encrypt it with a customer managed key that rotates and whose key
 * policy is scoped to the account. They must come out exactly so — and their
 * deliberately broken copies (fixtures/iac/broken) must give exactly the
 * findings fixtures/iac/broken/expected.json lists.
 */

const SERVICES = ['s3', 'ebs', 'rds', 'aurora', 'dynamodb', 'lambda', 'redshift', 'kms', 'efs'];

describe('examples: every service encrypted with a rotating customer managed key', () => {
  for (const format of ['terraform', 'cloudformation'] as const) {
    it(`examples/${format}: every resource customer-managed, no failing or unknown finding, exit 0, a schema-valid report`, () => {
      const r = iacJson([`examples/${format}`, '--region', 'eu-west-1']);
      expect(r.code, r.stderr).toBe(0);
      const validate = validator('report.schema.json');
      expect(validate(r.report), JSON.stringify(validate.errors)).toBe(true);
      const services = new Set(r.report.resources.map((x: any) => x.service));
      for (const service of SERVICES) expect(services, `no ${service} resource in examples/${format}`).toContain(service);
      for (const resource of r.report.resources) {
        expect(resource.protection.level, `${resource.id}: ${resource.protection.notes.join('; ')}`).toBe('customer-managed');
        expect(resource.source.format).toBe(format);
        expect(resource.source.line).toBeGreaterThan(0);
      }
      expect(findingPairs(r.report, 'fail')).toEqual([]);
      expect(findingPairs(r.report, 'unknown')).toEqual([]);
      // Every key the examples create rotates yearly and its policy lets in only the account.
      for (const key of r.report.keys) {
        expect(key.rotation).toMatchObject({ applicable: true, enabled: true, periodDays: 365 });
        expect(JSON.stringify(key.policy.document)).toMatch(/iam::\$\{AWS::AccountId\}:root/);
        expect(publicStatements(key.policy.document)).toEqual([]);
      }
    });
  }

  it('one example folder per service in each format', () => {
    expect(readdirSync(join(ROOT, 'examples/terraform')).sort()).toEqual([...SERVICES].sort());
    const templates = readdirSync(join(ROOT, 'examples/cloudformation')).map((f) => f.replace(/\.(yaml|json)$/, ''));
    expect(templates.sort()).toEqual([...SERVICES].sort());
  });
});

describe('broken copies give exactly the expected findings', () => {
  const expected = readJson<{ expected: Record<string, string[][]> }>('fixtures/iac/broken/expected.json').expected;
  for (const [path, pairs] of Object.entries(expected)) {
    // In-process (what the iac command runs): the command line itself is tested above and in cli.test.ts.
    it(path, async () => {
      const r = { report: (await judge([`fixtures/iac/broken/${path}`], { region: 'eu-west-1' })).report as any };
      expect(findingPairs(r.report, 'fail')).toEqual([...pairs].sort((a, b) => (a.join() < b.join() ? -1 : 1)));
      // Every failing finding says what to change in the code, where.
      for (const f of r.report.findings.filter((x: any) => x.status === 'fail' && x.ruleId !== 'KMS.CROSS_ACCOUNT')) {
        expect(f.fix, `${f.ruleId} on ${f.resourceArn} has no fix`).toBeDefined();
        expect(f.fix.code.length).toBeGreaterThan(0);
      }
      const high = pairs.some(([rule]) => ['EFS.FILE_SYSTEM_ENCRYPTION', 'EBS.VOLUME_ENCRYPTION', 'RDS.INSTANCE_ENCRYPTION', 'REDSHIFT.CLUSTER_ENCRYPTION', 'KMS.KEY_STATE', 'KMS.DISABLED_KEY_IN_USE', 'KMS.POLICY_PUBLIC', 'EBS.DEFAULT_ENCRYPTION'].includes(rule!));
      expect(r.report.outcome.exitCode).toBe(high ? 1 : 0);
    });
  }
});
