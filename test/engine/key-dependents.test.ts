import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/engine/engine.js';
import { dependentsIndex, describeDependents } from '../../src/engine/key-dependents.js';
import { BASELINE_POLICY } from '../../src/policy/built-in.js';
import { validator } from '../../src/schema.js';
import { ACCOUNT, OTHER_ACCOUNT } from '../helpers/context.js';
import { inventory, key, keyResource, resource } from '../helpers/inventory.js';

/** The reverse index, built from an inventory of S3, EBS and DynamoDB resources. */
const appData = key('1234abcd-12ab-34cd-56ef-1234567890ab', { aliases: ['alias/app-data'] });
const logs = key('0987dcba-09fe-87dc-65ba-ab0987654321', { aliases: ['alias/logs'] });
const idle = key('5555aaaa-55aa-55aa-55aa-5555aaaa5555');
const awsEbs = key('aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', { manager: 'AWS', level: 'aws-managed', aliases: ['alias/aws/ebs'] });
const partner = key('9999ffff-99ff-99ff-99ff-9999ffff9999', { accountId: OTHER_ACCOUNT, region: 'eu-west-1', inScannedAccount: false });

const resources = [
  resource('s3', 'bucket', 'arn:aws:s3:::orders-archive-111122223333', { key: appData }),
  resource('s3', 'bucket', 'arn:aws:s3:::app-logs-111122223333', { key: logs }),
  resource('s3', 'bucket', 'arn:aws:s3:::public-assets-111122223333', { level: 'aws-owned' }),
  resource('ebs', 'volume', `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/vol-0b2c3d4e5f6a78901`, { key: appData }),
  resource('ebs', 'volume', `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/vol-0a1b2c3d4e5f67890`, { key: appData }),
  resource('ebs', 'snapshot', `arn:aws:ec2:us-east-1::snapshot/snap-0123456789abcdef0`, { key: awsEbs }),
  resource('dynamodb', 'table', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`, { key: appData }),
  resource('dynamodb', 'table', `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/partner-feed`, { key: partner }),
];
const inv = inventory({ keys: [appData, logs, idle, awsEbs, partner], resources: [...[appData, logs, idle, awsEbs].map(keyResource), ...resources] });

describe('the key dependency index', () => {
  it('maps each key to the resources whose protection names it, across services, never the key itself', () => {
    const index = dependentsIndex(inv.resources);
    expect(index.get(appData.arn)!.map((r) => r.arn)).toEqual([
      `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`,
      `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/vol-0a1b2c3d4e5f67890`,
      `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/vol-0b2c3d4e5f6a78901`,
      'arn:aws:s3:::orders-archive-111122223333',
    ]);
    expect(index.has(idle.arn)).toBe(false);
    expect([...index.values()].flat().some((r) => r.service === 'kms')).toBe(false);
  });

  it('the report carries keys[].dependents (sorted ARNs) and counts by service for every key', () => {
    const report = evaluate(inv, BASELINE_POLICY, { failOn: 'none' });
    const byArn = new Map(report.keys.map((k) => [k.arn, k]));
    expect(byArn.get(appData.arn)!.dependents).toEqual([
      `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`,
      `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/vol-0a1b2c3d4e5f67890`,
      `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/vol-0b2c3d4e5f6a78901`,
      'arn:aws:s3:::orders-archive-111122223333',
    ]);
    expect(byArn.get(appData.arn)!.dependentsByService).toEqual({ dynamodb: 1, ebs: 2, s3: 1 });
    expect(byArn.get(logs.arn)!.dependentsByService).toEqual({ s3: 1 });
    expect(byArn.get(awsEbs.arn)!.dependents).toEqual(['arn:aws:ec2:us-east-1::snapshot/snap-0123456789abcdef0']);
    expect(byArn.get(partner.arn)!.dependents).toEqual([`arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/partner-feed`]);
    expect(byArn.get(idle.arn)!.dependents).toEqual([]);
    expect(byArn.get(idle.arn)!.dependentsByService).toEqual({});
    // Every JSON name of the inventory key is still there.
    for (const k of report.keys) expect(Object.keys(k)).toEqual(expect.arrayContaining(Object.keys(appData)));
  });

  it('the report with dependents and cost is valid against schema/report.schema.json', () => {
    const report = evaluate(inv, BASELINE_POLICY, { failOn: 'none' });
    const validate = validator('report.schema.json');
    expect(validate(JSON.parse(JSON.stringify(report))), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it("a key a resource names besides its main one (a Lambda function's .zip package key) makes it a dependant, once", () => {
    const zipKey = key('7777bbbb-77bb-77bb-77bb-7777bbbb7777', { aliases: ['alias/lambda-code'], state: 'Disabled' });
    const fn = resource('lambda', 'function', `arn:aws:lambda:us-east-1:${ACCOUNT}:function:checkout`, {
      key: appData,
      attributes: {
        relatedKeys: [
          { role: '.zip package', keyArn: zipKey.arn, keyRef: zipKey.arn, level: 'customer-managed' },
          // The same key named twice (main and related) is still one dependant.
          { role: 'environment', keyArn: appData.arn, keyRef: appData.arn, level: 'customer-managed' },
        ],
      },
    });
    const withFn = inventory({ keys: [appData, zipKey], resources: [keyResource(appData), keyResource(zipKey), fn] });
    const index = dependentsIndex(withFn.resources);
    expect(index.get(zipKey.arn)!.map((r) => r.arn)).toEqual([fn.arn]);
    expect(index.get(appData.arn)!.map((r) => r.arn)).toEqual([fn.arn]);
    const report = evaluate(withFn, BASELINE_POLICY, { failOn: 'none' });
    expect(report.keys.find((k) => k.arn === zipKey.arn)!.dependents).toEqual([fn.arn]);
    const verdict = (ruleId: string) => report.findings.find((f) => f.ruleId === ruleId && f.resourceArn === zipKey.arn);
    // Disabled while the function's code is under it: not unused, and in use while disabled.
    expect(verdict('KMS.DISABLED_KEY_IN_USE')).toMatchObject({ status: 'fail' });
    expect(verdict('KMS.DISABLED_KEY_IN_USE')!.message).toContain(fn.arn);
    expect(verdict('KMS.UNUSED_KEY')?.status).not.toBe('fail');
  });

  it('describes dependants with counts and at most ten ARNs', () => {
    const many = Array.from({ length: 12 }, (_, i) => resource('ebs', 'volume', `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/vol-${String(i).padStart(17, '0')}`, { key: appData }));
    const text = describeDependents(many);
    expect(text).toMatch(/^12 resources depend on it \(ebs 12\): /);
    expect(text).toContain('and 2 more (see keys[].dependents)');
    expect(text.split(', ').length).toBe(10);
  });
});
