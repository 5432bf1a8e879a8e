import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isRegionName, partitionOfRegion } from '../../src/aws/region-names.js';
import { homeRegion, parseRegionRequest } from '../../src/aws/regions.js';
import { testClients } from '../helpers/context.js';

afterEach(() => vi.unstubAllEnvs());

describe('region names (the SDK partition data first)', () => {
  it('knows the regions of every partition the SDK knows, the sovereign cloud included', () => {
    for (const r of ['us-east-1', 'eu-west-1', 'cn-north-1', 'us-gov-west-1', 'eusc-de-east-1', 'us-iso-east-1', 'il-central-1']) expect(isRegionName(r), r).toBe(true);
    expect(partitionOfRegion('eusc-de-east-1')).toBe('aws-eusc');
    expect(partitionOfRegion('cn-northwest-1')).toBe('aws-cn');
  });

  it('refuses pseudo-regions, placeholders and typos; accepts a region newer than the SDK that its partition\'s own pattern admits', () => {
    for (const r of ['aws-global', 'aws-cn-global', 'Mars-1', 'REGION', 'us-east', '', 'us_east_1']) expect(isRegionName(r), r).toBe(false);
    // Not listed by this SDK release, but of the aws partition's shape (its regionRegex): a Region launched since.
    expect(isRegionName('us-newplace-3')).toBe(true);
    // A prefix no partition of the SDK's data knows is not guessed.
    expect(isRegionName('xx-newplace-3')).toBe(false);
  });

  it('--regions: absent or "all" means every enabled region; "all" does not mix with names', () => {
    expect(parseRegionRequest(undefined)).toEqual({ kind: 'enabled' });
    expect(parseRegionRequest('all')).toEqual({ kind: 'enabled' });
    expect(parseRegionRequest('us-east-1, eu-west-1,us-east-1')).toEqual({ kind: 'list', regions: ['us-east-1', 'eu-west-1'] });
    expect(() => parseRegionRequest('all,us-east-1')).toThrow(/"all" stands alone/);
    expect(() => parseRegionRequest('Mars-1')).toThrow(/"Mars-1" is not an AWS region name/);
  });
});

describe('the region of the first calls: AWS_REGION, then AWS_DEFAULT_REGION, then the profile', () => {
  const config = () => {
    const dir = mkdtempSync(join(tmpdir(), 'atrest-region-'));
    const file = join(dir, 'config');
    writeFileSync(file, '[default]\nregion = ap-southeast-2\n[profile audit]\nregion = eu-central-1\n');
    return file;
  };

  it.each([
    [{ AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'eu-west-1' }, 'us-west-2', 'AWS_REGION'],
    [{ AWS_REGION: '', AWS_DEFAULT_REGION: 'eu-west-1' }, 'eu-west-1', 'AWS_DEFAULT_REGION'],
    [{ AWS_REGION: '', AWS_DEFAULT_REGION: '' }, 'ap-southeast-2', 'the region of profile "default"'],
    [{ AWS_REGION: '', AWS_DEFAULT_REGION: '', AWS_PROFILE: 'audit' }, 'eu-central-1', 'the region of profile "audit"'],
  ])('%j', async (env, region, source) => {
    vi.stubEnv('AWS_CONFIG_FILE', config());
    vi.stubEnv('AWS_PROFILE', '');
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
    expect(await homeRegion(testClients())).toEqual({ region, source });
  });

  it('a bad AWS_DEFAULT_REGION is named; no region anywhere says how to set one', async () => {
    vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/config');
    vi.stubEnv('AWS_REGION', '');
    vi.stubEnv('AWS_DEFAULT_REGION', 'moon-1x');
    await expect(homeRegion(testClients())).rejects.toThrow(/^AWS_DEFAULT_REGION: "moon-1x" is not an AWS region name/);
    vi.stubEnv('AWS_DEFAULT_REGION', '');
    await expect(homeRegion(testClients())).rejects.toThrow(/set AWS_REGION \(or AWS_DEFAULT_REGION\)/);
  });
});
