import { describe, expect, it } from 'vitest';
import { partitionFor } from '../../src/aws/arn.js';
import { isRegionName, knownPartitions, partitionDataSource, partitionOfRegion, readSdkPartitionData } from '../../src/aws/region-names.js';
import { parseRegionList } from '../../src/aws/regions.js';
import { parseKeyReference } from '../../src/keys/reference.js';
import { broadWaiverPattern } from '../../src/policy/policy-file.js';

/**
 * Regions and partitions come from the AWS SDK's own partition data (issue
 * 10, item 14), not from a regular expression of atrest's: every partition
 * the SDK knows works, the European Sovereign Cloud included.
 */
describe('Region names and partitions, from the SDK partition data', () => {
  it('reads the SDK data as data (no SDK code run for it)', () => {
    expect(partitionDataSource()).toBe('sdk-data');
    const ids = readSdkPartitionData()!.map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining(['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-eusc']));
    expect(knownPartitions()).toEqual(ids);
  });

  it('knows every partition: aws, aws-cn, aws-us-gov, aws-iso*, aws-eusc (eusc-de-east-1 was refused by the old pattern)', () => {
    expect(partitionOfRegion('us-east-1')).toBe('aws');
    expect(partitionOfRegion('ap-southeast-5')).toBe('aws');
    expect(partitionOfRegion('cn-north-1')).toBe('aws-cn');
    expect(partitionOfRegion('us-gov-west-1')).toBe('aws-us-gov');
    expect(partitionOfRegion('us-iso-east-1')).toBe('aws-iso');
    expect(partitionOfRegion('us-isob-east-1')).toBe('aws-iso-b');
    expect(partitionOfRegion('eu-isoe-west-1')).toBe('aws-iso-e');
    expect(partitionOfRegion('eusc-de-east-1')).toBe('aws-eusc');
    expect(isRegionName('eusc-de-east-1')).toBe(true);
  });

  it('every Region the data lists is a Region; endpoint pseudo-regions and placeholders are not', () => {
    for (const p of readSdkPartitionData()!) {
      for (const region of Object.keys(p.regions).filter((r) => !r.endsWith('-global'))) expect(partitionOfRegion(region), region).toBe(p.id);
    }
    for (const value of ['aws-global', 'aws-cn-global', 'REGION', 'us-east', 'us_east_1', '', 'arn:aws:kms', 'eu-west-1 ', 'xx-north-1']) expect(isRegionName(value), value).toBe(false);
    // A Region launched after this SDK release still fits its partition's own pattern.
    expect(partitionOfRegion('us-east-9')).toBe('aws');
  });

  it('--regions accepts any partition, but one partition per scan', () => {
    expect(parseRegionList('eusc-de-east-1')).toEqual(['eusc-de-east-1']);
    expect(parseRegionList('cn-north-1,cn-northwest-1')).toEqual(['cn-north-1', 'cn-northwest-1']);
    expect(() => parseRegionList('us-east-1,cn-north-1')).toThrow(/mixes partitions \(aws: us-east-1; aws-cn: cn-north-1\)/);
    expect(() => parseRegionList('us-east-1,nowhere-1')).toThrow(/"nowhere-1" is not an AWS region name/);
  });

  it('ARNs built for a Region carry its partition', () => {
    expect(partitionFor('cn-north-1', 'aws')).toBe('aws-cn');
    expect(partitionFor('unknown', 'aws-us-gov')).toBe('aws-us-gov');
    const where = { region: 'eusc-de-east-1', accountId: '111122223333', partition: 'aws' };
    expect(parseKeyReference('alias/app-data', where)).toMatchObject({ aliasArn: 'arn:aws-eusc:kms:eusc-de-east-1:111122223333:alias/app-data' });
    expect(parseKeyReference('1234abcd-12ab-34cd-56ef-1234567890ab', { ...where, region: 'cn-north-1' })).toMatchObject({
      arn: 'arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
    expect(parseKeyReference('arn:aws-eusc:kms:eusc-de-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', where)).toMatchObject({ kind: 'key', region: 'eusc-de-east-1' });
  });

  it('a waiver glob broad in any partition the SDK knows is reported as broad', () => {
    expect(broadWaiverPattern('arn:aws-eusc:*')).not.toBeNull();
  });
});
