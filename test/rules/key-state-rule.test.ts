import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/report.js';
import { RULES } from '../../src/engine/catalog.js';
import { evaluate } from '../../src/engine/engine.js';
import { MATRIX } from '../../src/services/list.js';
import { BASELINE_POLICY, STRICT_POLICY } from '../../src/policy/built-in.js';
import { DEFAULT_SECRET_NAME_PATTERNS, secretLookingNames } from '../../src/services/lambda/secret-names.js';
import type { Policy } from '../../src/model/policy.js';
import { inventory, key, resource } from '../helpers/inventory.js';

const one = (findings: Finding[], rule: string, arn: string): Finding => {
  const list = findings.filter((f) => f.ruleId === rule && f.resourceArn === arn);
  expect(list, `${rule} on ${arn}`).toHaveLength(1);
  return list[0]!;
};

describe('KMS.KEY_STATE with related keys', () => {
  const main = key('cccc1111-2222-4333-8444-555566667777');
  const zip = key('dddd1111-2222-4333-8444-555566667777', { state: 'PendingDeletion', evidence: { DeletionDate: '2026-12-10T00:00:00.000Z' }, aliases: ['alias/zip'] });
  const fn = (related: unknown[]) =>
    resource('lambda', 'function', 'f', {
      key: main,
      algorithm: null,
      attributes: { hasEnvironmentVariables: false, relatedKeys: related as never },
    });

  it('fails on a related key pending deletion, and the fix names that key', () => {
    const r = fn([{ role: '.zip package', keyArn: zip.arn, keyRef: zip.arn, level: 'customer-managed' }]);
    const f = one(evaluate(inventory({ keys: [main, zip], resources: [r] }), BASELINE_POLICY, { failOn: 'high' }).findings, 'KMS.KEY_STATE', r.arn);
    expect(f).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(f.message).toBe(`.zip package key alias/zip (${zip.arn}) is scheduled for deletion on 2026-12-10T00:00:00.000Z: after that the data can never be decrypted`);
    expect(f.remediation!.cli).toBe(`aws kms cancel-key-deletion --key-id ${zip.arn}`);
  });

  it('an unresolvable related key makes the verdict unknown; malformed entries are ignored', () => {
    const r = fn([{ role: '.zip package', keyArn: null, keyRef: 'arn:aws:kms:us-east-1:444455556666:key/eeee1111-2222-4333-8444-555566667777', level: 'unknown' }, 'junk', { role: 'x' }]);
    const f = one(evaluate(inventory({ keys: [main], resources: [r] }), BASELINE_POLICY, { failOn: 'high' }).findings, 'KMS.KEY_STATE', r.arn);
    expect(f.status).toBe('unknown');
    expect(f.message).toContain('the .zip package key arn:aws:kms:us-east-1:444455556666:key/eeee1111');
  });

  it('applies to a resource on an AWS owned key when a related key exists', () => {
    const r = resource('lambda', 'function', 'g', { attributes: { relatedKeys: [{ role: '.zip package', keyArn: main.arn, keyRef: main.arn, level: 'customer-managed' }] } });
    const f = one(evaluate(inventory({ keys: [main], resources: [r] }), BASELINE_POLICY, { failOn: 'high' }).findings, 'KMS.KEY_STATE', r.arn);
    expect(f).toMatchObject({ status: 'pass', message: `.zip package key ${main.arn} is Enabled` });
  });
});
